"""Twilio's REST error body: ``{code, message, more_info, status}``, and the errors the emulator raises."""

MORE_INFO = "https://www.twilio.com/docs/errors/%d"


class ApiError(Exception):
    """An error answered to the client with Twilio's 4-key JSON body."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self):
        return error_body(self.status, self.code, self.message)


def error_body(status, code, message):
    return {"code": code, "message": message, "more_info": MORE_INFO % code, "status": status}


def not_found(resource_path):
    """20404 as Twilio words it; ``resource_path`` is the path without the ``/v1`` prefix."""
    return ApiError(404, 20404, "The requested resource %s was not found" % resource_path)


def invalid(param, why=None):
    """80701 Parameter Validation Failed, naming the parameter."""
    msg = "'%s' is invalid." % param
    if why:
        msg = "%s %s" % (msg, why)
    return ApiError(400, 80701, msg)


def rule(code, message, status=400):
    """A Proxy business-rule error (80xxx)."""
    return ApiError(status, code, message)


UNAUTHORIZED = (401, 20003, "Authenticate")
METHOD_NOT_ALLOWED = (405, 20004, "Method not allowed")
FAULT_CODES = {429: 20429, 500: 20500, 503: 20503}
FAULT_MESSAGES = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def fault_error(status):
    """The error an injected fault answers with: 20429/20500/20503, else 20000 + status."""
    code = FAULT_CODES.get(status, 20000 + status)
    return ApiError(status, code, FAULT_MESSAGES.get(status, "Injected fault (HTTP %d)" % status))
