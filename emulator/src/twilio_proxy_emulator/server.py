"""The HTTP server: one thread per connection, each request served in order: faults, rate limiting, authentication,
routing (with the path's records looked up), the handler under the store's lock, the request log. The pieces live
in their own modules: ``router``/``routes`` (the API's route table), ``auth``, ``faults``, ``ratelimit``,
``requestlog``, ``control`` (the /_emulator/ API and its own route table), ``rules`` and ``handlers/``."""

import ipaddress
import json
import socket
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import __version__, control
from .auth import Credentials
from .errors import METHOD_NOT_ALLOWED, UNAUTHORIZED, ApiError, error_body, not_found
from .faults import Faults
from .inventory import Inventory
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .router import Request, Router, resolve
from .routes import ROUTES
from .rules import Rules
from .store import Store
from .webhooks import Webhooks

MAX_BODY = 10 * 1024 * 1024


class Emulator:
    """Everything one running emulator holds; shared by all handler threads."""

    def __init__(self, account_sid, auth_token, api_key, api_secret, numbers=200, short_codes=10,
                 state_file=None, fetch_by_unique_name=True, rate_limit=False, quiet=False, allowed_hosts=()):
        self.account_sid = account_sid
        self.credentials = Credentials([(account_sid, auth_token), (api_key, api_secret)])
        self.allowed_hosts = {h.lower().rstrip(".") for h in allowed_hosts}
        self.inventory = Inventory(numbers, short_codes)
        self.store = Store(state_file, self.inventory)
        self.store.load()       # the Proxy state and the account's purchases, releases and growth before a restart
        self.defaults = dict(control.DEFAULT_SETTINGS, fetch_by_unique_name=fetch_by_unique_name,
                             rate_limit=rate_limit)
        self.settings = dict(self.defaults)
        self.rules = Rules(self.store, self.inventory, self.settings, account_sid)
        self.router = Router(ROUTES)
        self.quiet = quiet
        self.log = RequestLog()
        self.faults = Faults()
        self.limiter = RateLimiter()
        self.webhooks = self.rules.webhooks = Webhooks(self.store, auth_token)

    def reset(self):
        """Empty the Proxy state (the inventory stays), the log and the faults; settings and clock to defaults."""
        self.store.clear()
        with self.store.lock:
            self.inventory.restore()
            self.store.clock_offset = 0.0
        self.log.clear()
        self.faults.clear()
        self.settings.clear()
        self.settings.update(self.defaults)
        self.limiter.clear()
        self.webhooks.clear()

    def seed_estate(self, data=None):
        """Build the hand-made estate (estate.py) -> its summary."""
        return control.build(self, data)

    def serve(self, method, path, raw_query, form, base):
        """Route, look up and handle one authenticated API request -> (status, body, headers)."""
        route = self.router.match(path)
        if route is None:
            raise not_found(urllib.parse.unquote(path[3:] if path.startswith("/v1/") else path))
        route, params = route
        handler = route.methods.get(method)
        if handler is None:
            status, code, message = METHOD_NOT_ALLOWED
            raise ApiError(status, code, message, {"Allow": ", ".join(sorted(route.methods))})
        req = Request(method, path, params, urllib.parse.parse_qs(raw_query), form, base)
        with self.store.lock:
            resolve(self.rules, route, req)
            status, payload = handler(self.rules, req)
        return status, payload, None

    def template(self, path):
        """The route template of a path (the rate limiter's endpoint), or the path itself."""
        route = self.router.match(path)
        return route[0].template if route else path


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "twilio-proxy-emulator/" + __version__
    sys_version = ""
    emulator = None   # set on the subclass made by make_server
    _answered = False

    # one entry point for every method
    def do_GET(self):
        self._handle()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, fmt, *args):
        if not self.emulator.quiet:
            sys.stderr.write("%s - - [%s] %s\n" % (self.address_string(), self.log_date_time_string(), fmt % args))

    def _read_body(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length) if length else b""

    def _base_url(self):
        host = self.headers.get("Host")
        if not host:
            addr, port = self.server.server_address[:2]
            host = "%s:%d" % (addr, port)
        return "http://" + host

    def _send(self, status, body=None, headers=None):
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        self._answered = True
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))     # and never an Access-Control-* header
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        if self.command != "HEAD":
            self._headers_buffer.append(b"\r\n" + payload)   # headers and body in one write
            self.flush_headers()
        else:
            self.end_headers()

    def _send_error(self, exc):
        self._send(exc.status, exc.body(), exc.headers)

    def _drop(self):
        self._answered = True  # on purpose (a fault): no answer
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self):
        """Serve one request; an exception that escapes (a bug) is answered 500 with a body, once, and logged."""
        self._answered = False
        try:
            self._serve_one()
        except Exception as exc:  # pylint: disable=broad-except  # keep serving; never close unanswered
            sys.stderr.write("internal error in %s %s: %r\n" % (self.command, self.path, exc))
            if not self._answered:
                self.close_connection = True
                self._send(500, error_body(500, 20500, "Internal Server Error"), {"Connection": "close"})

    def _serve_one(self):
        em = self.emulator
        started = time.monotonic()
        split = urllib.parse.urlsplit(self.path)
        path, raw_query = split.path, split.query
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(400, error_body(400, 20001, "Invalid Content-Length"), {"Connection": "close"})
            if not path.startswith("/_emulator"):
                em.log.record(self.command, path, raw_query, 400, started, [])
            return
        if path.startswith("/_emulator/") or path == "/_emulator":
            self._send(*control.handle(em, self.command, path, self.headers, urllib.parse.parse_qs(raw_query), body,
                                       self._base_url()))
            return
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        status = self._dispatch(em, path, raw_query, form)
        em.log.record(self.command, path, raw_query, status, started, sorted(form))

    def _dispatch(self, em, path, raw_query, form):
        """Serve one API request; returns the status logged (0 for a dropped connection)."""
        fault = em.faults.take(self.command, path)
        if fault and fault.latency_only:
            fault.hold()  # a slow but successful request
            fault = None
        if fault and not fault.after:
            return self._apply_fault(fault)
        if em.settings["rate_limit"] and not em.limiter.allow(
                "%s %s" % (self.command, em.template(path)), em.settings["rate_limit_rps"],
                em.settings["rate_limit_burst"]):
            self._send_error(ApiError(429, 20429, "Too Many Requests", {"Retry-After": 1}))
            return 429
        if not em.credentials.check(self.headers.get("Authorization")):
            status, code, message = UNAUTHORIZED
            self._send(status, error_body(status, code, message), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return status
        try:
            result = em.serve(self.command, path, raw_query, form, self._base_url())
        except ApiError as exc:
            result = (exc.status, exc.body(), exc.headers)
        except Exception as exc:  # pragma: no cover - a bug: answer like Twilio would, keep serving
            sys.stderr.write("internal error: %r\n" % (exc,))
            result = (500, error_body(500, 20500, "Internal Server Error"), None)
        if fault:
            return self._apply_fault(fault)
        self._send(*result)
        return result[0]

    def _apply_fault(self, fault):
        if fault.delay:
            time.sleep(fault.delay)
        if fault.drop:
            self._drop()
            return 0
        self._send_error(fault.error())
        return fault.status


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(host, port, emulator):
    handler = type("BoundHandler", (Handler,), {"emulator": emulator})
    server = Server((host, port), handler)
    server.emulator = emulator
    return server


def loopback(server):
    """Whether the server listens on a loopback address only (the control API has no authentication)."""
    address = server.server_address[0]
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def base_url(server):
    host, port = server.server_address[:2]
    if ":" in host:
        host = "[%s]" % host
    return "http://%s:%d" % (host, port)
