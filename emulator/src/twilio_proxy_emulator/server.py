"""HTTP server: routing (a data table), auth, request log, fault injection, rate limiting and the control API."""

import base64
import collections
import hmac
import ipaddress
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import __version__
from .estate import build_estate
from .errors import METHOD_NOT_ALLOWED, UNAUTHORIZED, ApiError, error_body, fault_error, not_found
from .inventory import Inventory
from .proxy import ProxyApi, Request
from .resources import INTERACTION, iso
from .store import Store

_SVC = "/v1/Services/{ServiceSid}"
_SES = _SVC + "/Sessions/{SessionSid}"
_ACC = "/2010-04-01/Accounts/{AccountSid}"

# path template -> {method: handler name on ProxyApi}
ROUTES = [
    ("/v1/Services", {"GET": "list_services", "POST": "create_service"}),
    ("/v1/Services/{Sid}", {"GET": "fetch_service", "POST": "update_service", "DELETE": "delete_service"}),
    (_SVC + "/PhoneNumbers", {"GET": "list_phone_numbers", "POST": "create_phone_number"}),
    (_SVC + "/PhoneNumbers/{Sid}", {"GET": "fetch_phone_number", "POST": "update_phone_number",
                                    "DELETE": "delete_phone_number"}),
    (_SVC + "/ShortCodes", {"GET": "list_short_codes", "POST": "create_short_code"}),
    (_SVC + "/ShortCodes/{Sid}", {"GET": "fetch_short_code", "POST": "update_short_code",
                                  "DELETE": "delete_short_code"}),
    (_SVC + "/Sessions", {"GET": "list_sessions", "POST": "create_session"}),
    (_SVC + "/Sessions/{Sid}", {"GET": "fetch_session", "POST": "update_session", "DELETE": "delete_session"}),
    (_SES + "/Participants", {"GET": "list_participants", "POST": "create_participant"}),
    (_SES + "/Participants/{Sid}", {"GET": "fetch_participant", "DELETE": "delete_participant"}),
    (_SES + "/Interactions", {"GET": "list_interactions"}),
    (_SES + "/Interactions/{Sid}", {"GET": "fetch_interaction", "DELETE": "delete_interaction"}),
    (_SES + "/Participants/{ParticipantSid}/MessageInteractions",
     {"GET": "list_message_interactions", "POST": "create_message_interaction"}),
    (_SES + "/Participants/{ParticipantSid}/MessageInteractions/{Sid}", {"GET": "fetch_message_interaction"}),
    (_ACC + "/IncomingPhoneNumbers.json", {"GET": "list_incoming_numbers"}),
    (_ACC + "/IncomingPhoneNumbers/{Sid}.json", {"GET": "fetch_incoming_number"}),
    (_ACC + "/SMS/ShortCodes.json", {"GET": "list_account_short_codes"}),
]


def _compile(template):
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+?)", re.escape(template))
    return re.compile("^" + pattern + "/?$")


COMPILED_ROUTES = [(template, _compile(template), methods) for template, methods in ROUTES]


def match_route(path):
    """(template, decoded path params, methods) for a raw (percent-encoded) path, or None."""
    for template, regex, methods in COMPILED_ROUTES:
        m = regex.match(path)
        if m:
            return template, {k: urllib.parse.unquote(v) for k, v in m.groupdict().items()}, methods
    return None


def local_host(header, allowed=()):
    """Whether a Host header names this machine in a way no web page of another origin can: an IP address,
    ``localhost`` (or ``*.localhost``, which browsers resolve to loopback themselves), or a name in ``allowed``."""
    host = (header or "").strip()
    if not host:
        return True          # HTTP/1.0 without Host: not a browser
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host[1:]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.lower().rstrip(".")
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    return name == "localhost" or name.endswith(".localhost") or name in allowed


DEFAULT_SETTINGS = {"fetch_by_unique_name": True, "rate_limit": False, "rate_limit_rps": 30, "rate_limit_burst": 5}
RATE_WINDOW = 5.0
REQUEST_LOG_MAX = 100_000
MAX_BODY = 10 * 1024 * 1024


class RateLimiter:
    """Per endpoint (method + path template): at most rps * window requests in a sliding window of 5 s, and at
    most rps * burst in any one second."""

    def __init__(self):
        self.lock = threading.Lock()
        self.hits = collections.defaultdict(collections.deque)

    def clear(self):
        with self.lock:
            self.hits.clear()

    def allow(self, key, rps, burst):
        now = time.monotonic()
        with self.lock:
            q = self.hits[key]
            while q and q[0] <= now - RATE_WINDOW:
                q.popleft()
            last_second = sum(1 for t in q if t > now - 1.0)
            if len(q) >= rps * RATE_WINDOW or last_second >= rps * burst:
                return False
            q.append(now)
            return True


class Emulator:
    """Everything one running emulator holds; shared by all handler threads."""

    def __init__(self, account_sid, auth_token, api_key, api_secret, numbers=200, short_codes=10,
                 state_file=None, fetch_by_unique_name=True, rate_limit=False, quiet=False, allowed_hosts=()):
        self.account_sid = account_sid
        self.allowed_hosts = {h.lower().rstrip(".") for h in allowed_hosts}
        self.credentials = [(account_sid, auth_token), (api_key, api_secret)]
        self.inventory = Inventory(numbers, short_codes)
        self.store = Store(state_file)
        self.store.load()
        if self.store.inventory_numbers > self.inventory.us_numbers:     # the account grew before a restart
            self.inventory.grow(self.store.inventory_numbers - self.inventory.us_numbers)
        self.defaults = dict(DEFAULT_SETTINGS, fetch_by_unique_name=fetch_by_unique_name, rate_limit=rate_limit)
        self.settings = dict(self.defaults)
        self.api = ProxyApi(self.store, self.inventory, self.settings, account_sid)
        self.quiet = quiet
        self.meta_lock = threading.Lock()       # request log, faults
        self.log = collections.deque(maxlen=REQUEST_LOG_MAX)
        self.log_seq = 0
        self.faults = []
        self.limiter = RateLimiter()

    # ------------------------------------------------------------------ auth
    def authenticated(self, header):
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        ok = False
        for sid, secret in self.credentials:
            ok |= hmac.compare_digest(user.encode(), sid.encode()) & hmac.compare_digest(
                password.encode(), secret.encode())
        return bool(ok)

    # ---------------------------------------------------------------- faults
    def take_fault(self, method, path):
        with self.meta_lock:
            for fault in self.faults:
                if fault["method"] in ("*", method) and fault["_re"].search(path):
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    def add_fault(self, spec):
        status = spec.get("status", 503)  # null: latency only (with delay), then the request is served as usual
        fault = {"method": str(spec.get("method", "*")).upper(), "path": spec.get("path", ".*"),
                 "count": int(spec.get("count", 1)), "status": None if status is None else int(status),
                 "retry_after": spec.get("retry_after"), "delay": float(spec.get("delay", 0) or 0),
                 "drop": bool(spec.get("drop", False)), "after": bool(spec.get("after", False)),
                 "wait_for": int(spec.get("wait_for", 0) or 0)}
        if fault["count"] < 1 or not (fault["status"] is None or 100 <= fault["status"] <= 599):
            raise ValueError("count must be >= 1 and status an HTTP status")
        if fault["wait_for"] and fault["status"] is not None:
            raise ValueError("wait_for goes with status null (latency only)")
        fault["_re"] = re.compile(fault["path"])
        fault["_gate"] = {"arrived": 0, "cond": threading.Condition()}
        with self.meta_lock:
            self.faults.append(fault)
        return {k: v for k, v in fault.items() if not k.startswith("_")}

    def list_faults(self):
        with self.meta_lock:
            return [{k: v for k, v in f.items() if not k.startswith("_")} for f in self.faults]

    # ----------------------------------------------------------- request log
    def record(self, method, path, query, status, started, form_keys):
        with self.meta_lock:
            self.log_seq += 1
            self.log.append({"seq": self.log_seq, "method": method, "path": path, "query": query,
                             "status": status, "duration_ms": round((time.monotonic() - started) * 1000, 3),
                             "time": iso(time.time()), "form_keys": form_keys})

    def requests_since(self, since):
        with self.meta_lock:
            return [e for e in self.log if e["seq"] > since]

    def reset(self):
        self.store.clear()
        with self.store.lock:
            self.store.clock_offset = 0.0
        with self.meta_lock:
            self.log.clear()
            self.faults.clear()
        self.settings.clear()
        self.settings.update(self.defaults)
        self.limiter.clear()

    # ------------------------------------------------------------ control API
    def refuse_control(self, method, headers):
        """(status, body) when a control request may come from a web page, else None.

        The control API has no authentication, so no web page may drive it: it sends no CORS header (a page cannot
        read an answer nor pass a preflight), a request that changes something must be JSON (a page can send a
        text/plain, form or multipart POST cross-origin without a preflight; JSON needs one) and the Host must be
        an address, ``localhost`` or a name given with ``--allow-host`` (a DNS-rebound page sends its own name)."""
        if not local_host(headers.get("Host"), self.allowed_hosts):
            return 403, {"error": "the control API answers to an IP address or localhost, not to Host %r "
                                  "(add the name with --allow-host)" % headers.get("Host")}
        media_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if method not in ("GET", "HEAD") and media_type != "application/json":
            return 415, {"error": "control requests that change something need Content-Type: application/json"}
        return None

    def control(self, method, path, query, body, base=""):
        """(status, json body) of a /_emulator/ request."""
        name = path[len("/_emulator/"):].strip("/")
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return 400, {"error": "body must be JSON"}
        if not isinstance(data, dict):
            return 400, {"error": "body must be a JSON object"}
        handler = getattr(self, "_control_%s_%s" % (name, method.lower()), None)
        if handler is None:
            return 404, {"error": "unknown control endpoint %s %s" % (method, path)}
        try:
            return handler(query, data, base)
        except (ValueError, TypeError, KeyError, re.error) as exc:
            return 400, {"error": str(exc)}
        except ApiError as exc:
            return exc.status, exc.body()

    def _control_reset_post(self, query, data, base):
        self.reset()
        return 200, {"ok": True}

    def _control_requests_get(self, query, data, base):
        since = int(query.get("since", ["0"])[0])
        return 200, {"requests": self.requests_since(since)}

    def _control_requests_delete(self, query, data, base):
        with self.meta_lock:
            self.log.clear()
        return 200, {"ok": True}

    def _control_settings_get(self, query, data, base):
        return 200, dict(self.settings)

    def _control_settings_post(self, query, data, base):
        unknown = set(data) - set(DEFAULT_SETTINGS)
        if unknown:
            raise ValueError("unknown settings: %s" % ", ".join(sorted(unknown)))
        for key, value in data.items():
            expected = type(DEFAULT_SETTINGS[key])
            if expected is int and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
                raise ValueError("%s must be a positive number" % key)
            if expected is bool and not isinstance(value, bool):
                raise ValueError("%s must be true or false" % key)
            self.settings[key] = value
        return 200, dict(self.settings)

    def _control_faults_get(self, query, data, base):
        return 200, {"faults": self.list_faults()}

    def _control_faults_post(self, query, data, base):
        return 200, {"ok": True, "fault": self.add_fault(data)}

    def _control_faults_delete(self, query, data, base):
        with self.meta_lock:
            self.faults.clear()
        return 200, {"ok": True}

    def _time(self):
        now = self.store.now()
        return {"now": iso(now), "epoch": now, "offset": self.store.clock_offset}

    def _control_time_get(self, query, data, base):
        return 200, self._time()

    def _control_time_post(self, query, data, base):
        advance = float(data.get("advance", 0))
        if advance < 0:
            raise ValueError("advance must be >= 0")
        with self.store.lock:
            self.store.clock_offset += advance
            self.store.mark_dirty()
        return 200, self._time()

    def _control_service(self, data):
        if data.get("service_sid"):
            rec = self.store.services.get(data["service_sid"])
        else:
            rec = self.store.services.get(self.store.service_names.get(data.get("service_unique_name"), ""))
        if rec is None:
            raise ApiError(404, 20404, "The requested resource /Services/%s was not found"
                           % (data.get("service_sid") or data.get("service_unique_name")))
        return rec

    def _control_seed_post(self, query, data, base):
        out = {}
        with self.store.lock:
            service = self._control_service(data)
            n_sessions = int(data.get("sessions", 0))
            prefix = str(data.get("prefix", "seed-"))
            created = 0
            for i in range(n_sessions):
                name = "%s%d" % (prefix, i)
                if (service["sid"], name) in self.store.session_names:
                    continue
                self.store.add_session(self.api.new_session(service, {"unique_name": name}))
                created += 1
            out["created"] = created
            n_numbers = int(data.get("phone_numbers", 0))
            added = 0
            for entry in self.inventory.numbers:
                if added >= n_numbers:
                    break
                if entry["sid"] in self.store.number_owner:
                    continue
                self.api.add_number(service, entry, bool(data.get("is_reserved", False)))
                added += 1
            out["phone_numbers"] = added
            self.store.mark_dirty()
        return 200, out

    def seed_estate(self, data=None):
        """Build the hand-made estate (estate.py) -> its summary; the account's inventory grows when short."""
        with self.store.lock:
            summary = build_estate(self.api, self.inventory, data or {})
            self.store.inventory_numbers = max(self.store.inventory_numbers, self.inventory.us_numbers)
            summary["now"] = iso(self.store.now())
            return summary

    def _control_estate_post(self, query, data, base):
        return 200, self.seed_estate(data)

    def _control_interactions_post(self, query, data, base):
        with self.store.lock:
            service = self._control_service(data)
            session = self.store.sessions[service["sid"]].get(data.get("session_sid", ""))
            if session is None:
                raise ApiError(404, 20404, "The requested resource /Services/%s/Sessions/%s was not found"
                               % (service["sid"], data.get("session_sid")))
            kind = data.get("type", "message")
            if kind not in ("message", "voice", "unknown"):
                raise ValueError("type must be message, voice or unknown")
            parts = self.store.participants[session["sid"]]
            inbound = parts.get(data["inbound_participant_sid"]) if data.get("inbound_participant_sid") else None
            outbound = parts.get(data["outbound_participant_sid"]) if data.get("outbound_participant_sid") else None
            rec = self.api.add_interaction(service, session, kind, data.get("data", {}), outbound=outbound,
                                           inbound=inbound)
            return 201, INTERACTION.serialize(rec, base)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "twilio-proxy-emulator/" + __version__
    sys_version = ""
    emulator = None   # set on the subclass made by make_server

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
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
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
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self):
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
                em.record(self.command, path, raw_query, 400, started, [])
            return
        if path.startswith("/_emulator/") or path == "/_emulator":
            refusal = em.refuse_control(self.command, self.headers)
            if refusal:
                self._send(*refusal)
                return
            status, payload = em.control(self.command, path, urllib.parse.parse_qs(raw_query), body, self._base_url())
            self._send(status, payload)
            return
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        status = self._dispatch(em, path, raw_query, form, started)
        em.record(self.command, path, raw_query, status, started, sorted(form))

    def _dispatch(self, em, path, raw_query, form, started):
        """Serve one API request; returns the status logged (0 for a dropped connection)."""
        route = match_route(path)
        template = route[0] if route else path
        fault = em.take_fault(self.command, path)
        if fault and fault["status"] is None and not fault["drop"]:
            self._hold(fault)  # latency only: a slow but successful request
            fault = None
        if fault and not fault["after"]:
            return self._apply_fault(fault)
        if em.settings["rate_limit"] and not em.limiter.allow(
                "%s %s" % (self.command, template), em.settings["rate_limit_rps"], em.settings["rate_limit_burst"]):
            exc = ApiError(429, 20429, "Too Many Requests", {"Retry-After": 1})
            self._send_error(exc)
            return 429
        if not em.authenticated(self.headers.get("Authorization")):
            status, code, message = UNAUTHORIZED
            self._send(status, error_body(status, code, message), {"WWW-Authenticate": 'Basic realm="Twilio API"'})
            return status
        try:
            if route is None:
                raise not_found(urllib.parse.unquote(path[3:] if path.startswith("/v1/") else path))
            template, params, methods = route
            name = methods.get(self.command)
            if name is None:
                status, code, message = METHOD_NOT_ALLOWED
                raise ApiError(status, code, message, {"Allow": ", ".join(sorted(methods))})
            req = Request(self.command, path, params, urllib.parse.parse_qs(raw_query), form, self._base_url())
            with em.store.lock:
                status, payload = getattr(em.api, name)(req)
            result = (status, payload, None)
        except ApiError as exc:
            result = (exc.status, exc.body(), exc.headers)
        except Exception as exc:  # pragma: no cover - a bug: answer like Twilio would, keep serving
            sys.stderr.write("internal error: %r\n" % (exc,))
            result = (500, error_body(500, 20500, "Internal Server Error"), None)
        if fault:
            return self._apply_fault(fault)
        self._send(*result)
        return result[0]

    @staticmethod
    def _hold(fault):
        """Sleep ``delay``; with ``wait_for`` N, hold each request until N matching ones have arrived (at most
        ``delay`` seconds, 30 when none is given), so that concurrent clients race for certain."""
        if not fault["wait_for"]:
            time.sleep(fault["delay"])
            return
        gate = fault["_gate"]
        with gate["cond"]:
            gate["arrived"] += 1
            gate["cond"].notify_all()
            gate["cond"].wait_for(lambda: gate["arrived"] >= fault["wait_for"], timeout=fault["delay"] or 30)

    def _apply_fault(self, fault):
        if fault["delay"]:
            time.sleep(fault["delay"])
        if fault["drop"]:
            self._drop()
            return 0
        exc = fault_error(fault["status"])
        if fault.get("retry_after") is not None:
            exc.headers["Retry-After"] = fault["retry_after"]
        self._send_error(exc)
        return fault["status"]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(host, port, emulator):
    handler = type("BoundHandler", (Handler,), {"emulator": emulator})
    server = Server((host, port), handler)
    server.emulator = emulator
    return server


def base_url(server):
    host, port = server.server_address[:2]
    if ":" in host:
        host = "[%s]" % host
    return "http://%s:%d" % (host, port)
