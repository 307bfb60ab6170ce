"""Routing of the Twilio API: match a path against the route table, then look up every record the path names,
parents first, into the request (``req.service``, ``req.session``, …), once, before the handler runs.

The kind of record behind a placeholder is the collection segment before it (``Services/{ServiceSid}`` is a
service, ``Sessions/{Sid}`` a session). A path's last placeholder on a GET may be a unique name (services and
sessions, while the ``fetch_by_unique_name`` switch is on); parents are SIDs only. Anything not found is Twilio's
404 20404 naming the path; an ``AccountSid`` other than the authenticated account is 401 20003.
"""

import re
import urllib.parse

from .errors import ApiError, not_found

KINDS = {"Accounts": "account", "Services": "service", "PhoneNumbers": "phone_number", "ShortCodes": "short_code",
         "Sessions": "session", "Participants": "participant", "Interactions": "interaction",
         "MessageInteractions": "message_interaction", "IncomingPhoneNumbers": "incoming_number",
         "AvailablePhoneNumbers": "country"}


def _compile(template):
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+?)", re.escape(template))
    return re.compile("^" + pattern + "/?$")


class Route:
    """One path template of the API, its handlers by method, and the records its placeholders name."""

    def __init__(self, template, methods):
        self.template = template
        self.methods = methods
        self.regex = _compile(template)
        segments = template.strip("/").split("/")
        self.lookups = []        # (placeholder, kind, is the path's target)
        for i, segment in enumerate(segments):
            found = re.match(r"\{(\w+)\}", segment)
            if found:
                self.lookups.append((found.group(1), KINDS[segments[i - 1]], i == len(segments) - 1))


class Request:
    """What a handler sees: decoded path params, form and query (dicts of lists), the client-visible base URL,
    and the records the path names (None where the path names none)."""

    account = service = phone_number = short_code = session = participant = None
    interaction = message_interaction = incoming_number = country = None

    def __init__(self, method, path, params, query, form, base):
        self.method = method
        self.path = path
        self.params = params
        self.query = query
        self.form = form
        self.base = base

    @property
    def resource_path(self):
        path = urllib.parse.unquote(self.path)
        return path[3:] if path.startswith("/v1/") else path


class Router:
    def __init__(self, table):
        self.routes = [Route(template, methods) for template, methods in table]

    def match(self, path):
        """(route, decoded path params) for a raw (percent-encoded) path, or None."""
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                return route, {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
        return None


def resolve(rules, route, req):
    """Look the path's records up into ``req``, parents first."""
    for placeholder, kind, is_target in route.lookups:
        rec = LOOKUPS[kind](rules, req, req.params[placeholder], is_target and req.method == "GET")
        if rec is None:
            raise not_found(req.resource_path)
        setattr(req, kind, rec)


def _account(rules, req, sid, by_name):
    if sid != rules.account_sid:
        raise ApiError(401, 20003, "Authenticate")
    return sid


def _message_interaction(rules, req, sid, by_name):
    rec = rules.store.interactions[req.session["sid"]].get(sid)
    return rec if rec is not None and rec.get("participant_sid") == req.participant["sid"] else None


LOOKUPS = {
    "account": _account,
    "service": lambda rules, req, key, by_name: rules.find_service(key, by_name),
    "session": lambda rules, req, key, by_name: rules.find_session(req.service, key, by_name),
    "phone_number": lambda rules, req, sid, by_name: rules.store.numbers[req.service["sid"]].get(sid),
    "short_code": lambda rules, req, sid, by_name: rules.store.short_codes[req.service["sid"]].get(sid),
    "participant": lambda rules, req, sid, by_name: rules.store.participants[req.session["sid"]].get(sid),
    "interaction": lambda rules, req, sid, by_name: rules.store.interactions[req.session["sid"]].get(sid),
    "message_interaction": _message_interaction,
    "incoming_number": lambda rules, req, sid, by_name: rules.inventory.number_by_sid.get(sid),
    "country": lambda rules, req, code, by_name: code if re.fullmatch(r"[A-Z]{2}", code) else None,
}
