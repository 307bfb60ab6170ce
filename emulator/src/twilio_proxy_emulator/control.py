"""The control API under ``/_emulator/`` (not Twilio's): a route table of (method, name) -> handler.

It has no authentication, so no web page may drive it (``refusal``): no CORS header anywhere, a request that
changes something must be JSON, and the ``Host`` must be an address or ``localhost`` (DNS rebinding).
Handlers take ``(emulator, query, data, base)`` and return ``(status, JSON body)``.
"""

import ipaddress
import json
import re
import urllib.parse

from .errors import ApiError
from .estate import build_estate
from .views import INTERACTION_VIEW, iso

DEFAULT_SETTINGS = {"fetch_by_unique_name": True, "rate_limit": False, "rate_limit_rps": 30, "rate_limit_burst": 5}
SEED_STATUSES = ("open", "in-progress", "closed", "failed")
DAY = 86400.0


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


def refusal(emulator, method, headers):
    """(status, body) when a control request may come from a web page, else None. A page can send a text/plain,
    form or multipart POST cross-origin without a preflight, but not JSON; a DNS-rebound page sends its own name;
    a browser names the page's origin in ``Origin`` (other clients send none)."""
    if not local_host(headers.get("Host"), emulator.allowed_hosts):
        return 403, {"error": "the control API answers to an IP address or localhost, not to Host %r "
                              "(add the name with --allow-host)" % headers.get("Host")}
    origin = headers.get("Origin")
    if origin is not None and not local_host(urllib.parse.urlsplit(origin).netloc or "null.invalid",
                                             emulator.allowed_hosts):
        return 403, {"error": "the control API does not answer web pages (Origin %r)" % origin}
    media_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method not in ("GET", "HEAD") and media_type != "application/json":
        return 415, {"error": "control requests that change something need Content-Type: application/json"}
    return None


def handle(emulator, method, path, headers, query, body, base):
    """(status, JSON body) of one /_emulator/ request."""
    refused = refusal(emulator, method, headers)
    if refused:
        return refused
    try:
        data = json.loads(body.decode("utf-8")) if body.strip() else {}
    except ValueError:
        return 400, {"error": "body must be JSON"}
    if not isinstance(data, dict):
        return 400, {"error": "body must be a JSON object"}
    handler = CONTROL_ROUTES.get((method, path[len("/_emulator/"):].strip("/")))
    if handler is None:
        return 404, {"error": "unknown control endpoint %s %s" % (method, path)}
    try:
        return handler(emulator, query, data, base)
    except (ValueError, TypeError, KeyError, re.error) as exc:
        return 400, {"error": str(exc)}
    except ApiError as exc:
        return exc.status, exc.body()


# ------------------------------------------------------------------ handlers
def reset(emulator, query, data, base):
    emulator.reset()
    return 200, {"ok": True}


def requests_get(emulator, query, data, base):
    return 200, {"requests": emulator.log.since(int(query.get("since", ["0"])[0]))}


def requests_delete(emulator, query, data, base):
    emulator.log.clear()
    return 200, {"ok": True}


def settings_get(emulator, query, data, base):
    return 200, dict(emulator.settings)


def settings_post(emulator, query, data, base):
    unknown = set(data) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError("unknown settings: %s" % ", ".join(sorted(unknown)))
    for key, value in data.items():
        expected = type(DEFAULT_SETTINGS[key])
        if expected is int and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            raise ValueError("%s must be a positive number" % key)
        if expected is bool and not isinstance(value, bool):
            raise ValueError("%s must be true or false" % key)
        emulator.settings[key] = value
    return 200, dict(emulator.settings)


def faults_get(emulator, query, data, base):
    return 200, {"faults": emulator.faults.list()}


def faults_post(emulator, query, data, base):
    return 200, {"ok": True, "fault": emulator.faults.add(data)}


def faults_delete(emulator, query, data, base):
    emulator.faults.clear()
    return 200, {"ok": True}


def _time(emulator):
    now = emulator.store.now()
    return {"now": iso(now), "epoch": now, "offset": emulator.store.clock_offset}


def time_get(emulator, query, data, base):
    return 200, _time(emulator)


def time_post(emulator, query, data, base):
    advance = float(data.get("advance", 0))
    if advance < 0:
        raise ValueError("advance must be >= 0")
    with emulator.store.lock:
        emulator.store.clock_offset += advance
        emulator.store.mark_dirty()
    return 200, _time(emulator)


def _service(emulator, data):
    store = emulator.store
    if data.get("service_sid"):
        rec = store.services.get(data["service_sid"])
    else:
        rec = store.services.get(store.service_names.get(data.get("service_unique_name"), ""))
    if rec is None:
        raise ApiError(404, 20404, "The requested resource /Services/%s was not found"
                       % (data.get("service_sid") or data.get("service_unique_name")))
    return rec


def _number(data, key, default, minimum=None):
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (minimum is not None and value < minimum):
        raise ValueError("%s must be a number%s" % (key, "" if minimum is None else " >= %s" % minimum))
    return float(value)


def _seed_state(data):
    """The ``status``, ``age_days`` and ``expiry_days`` of seeded sessions (defaults: open, created now, no expiry)."""
    status = data.get("status", "open")
    if status not in SEED_STATUSES:
        raise ValueError("status must be one of %s" % ", ".join(SEED_STATUSES))
    return status, _number(data, "age_days", 0, minimum=0), _number(data, "expiry_days", None)


SEED_IDENTIFIER = "+1555%d%06d"  # participant k (1, 2) of seeded session i


def seed(emulator, query, data, base):
    """Bulk fixtures: ``sessions`` named ``prefix + i`` (``status``, back-dated ``age_days``, ``date_expiry``
    ``expiry_days`` from now, negative: passed, ``participants`` 0 to 2 each, on the pool's numbers in turn), and
    the first ``phone_numbers`` inventory numbers in no service."""
    rules, store = emulator.rules, emulator.store
    status, age, expiry = _seed_state(data)
    with store.lock:
        service = _service(emulator, data)
        prefix = str(data.get("prefix", "seed-"))
        # the numbers first: seeded participants take theirs from the pool
        n_numbers = int(data.get("phone_numbers", 0))
        free = sum(1 for entry in emulator.inventory.numbers if entry["sid"] not in store.number_owner)
        if free < n_numbers:  # the account buys what it lacks, as for the estate
            emulator.inventory.grow(n_numbers - free)
            store.inventory_numbers = max(store.inventory_numbers, emulator.inventory.us_numbers)
        added = 0
        for entry in emulator.inventory.numbers:
            if added >= n_numbers:
                break
            if entry["sid"] in store.number_owner:
                continue
            rules.add_number(service, entry, bool(data.get("is_reserved", False)))
            added += 1
        created = 0
        when = store.now() - age * DAY
        n_parts = data.get("participants", 0)
        if n_parts not in (0, 1, 2):
            raise ValueError("participants must be 0, 1 or 2")
        pool = list(store.numbers[service["sid"]]) if n_parts else []
        if n_parts and len(pool) < n_parts:
            raise ValueError("participants: the service needs at least %d pool numbers" % n_parts)
        for i in range(int(data.get("sessions", 0))):
            name = "%s%d" % (prefix, i)
            if (service["sid"], name) in store.session_names:
                continue
            rec = rules.new_session(service, {"unique_name": name})
            store.add_session(rec)
            for k in range(n_parts):  # one identifier per session and participant: no pool conflict
                number = pool[(i * n_parts + k) % len(pool)]
                rules.add_participant(service, rec, {"identifier": SEED_IDENTIFIER % (k + 1, i),
                                                     "proxy_identifier_sid": number["sid"]})
            if age:
                rec.update(date_created=when, date_started=when, date_updated=when, _ttl_anchor=when)
            if expiry is not None:
                rec["date_expiry"] = round(store.now() + expiry * DAY)
            if status == "closed":
                rec.update(status="closed", closed_reason="api", date_ended=rec["date_updated"])
            elif status != "open":
                rec["status"] = status
            created += 1
        store.mark_dirty()
    return 200, {"created": created, "phone_numbers": added}


def estate(emulator, query, data, base):
    return 200, emulator.seed_estate(data)


def interactions_post(emulator, query, data, base):
    store = emulator.store
    with store.lock:
        service = _service(emulator, data)
        session = store.sessions[service["sid"]].get(data.get("session_sid", ""))
        if session is None:
            raise ApiError(404, 20404, "The requested resource /Services/%s/Sessions/%s was not found"
                           % (service["sid"], data.get("session_sid")))
        kind = data.get("type", "message")
        if kind not in ("message", "voice", "unknown"):
            raise ValueError("type must be message, voice or unknown")
        parts = store.participants[session["sid"]]
        inbound = parts.get(data["inbound_participant_sid"]) if data.get("inbound_participant_sid") else None
        outbound = parts.get(data["outbound_participant_sid"]) if data.get("outbound_participant_sid") else None
        rec = emulator.rules.add_interaction(service, session, kind, data.get("data", {}), outbound=outbound,
                                             inbound=inbound)
        return 201, INTERACTION_VIEW.render(rec, base)


def build(emulator, data):
    """The estate of ``data`` (estate.py) built into the emulator -> its summary; the inventory grows when short."""
    with emulator.store.lock:
        summary = build_estate(emulator.rules, emulator.inventory, data or {})
        emulator.store.inventory_numbers = max(emulator.store.inventory_numbers, emulator.inventory.us_numbers)
        summary["now"] = iso(emulator.store.now())
        return summary


CONTROL_ROUTES = {
    ("POST", "reset"): reset,
    ("GET", "requests"): requests_get,
    ("DELETE", "requests"): requests_delete,
    ("GET", "settings"): settings_get,
    ("POST", "settings"): settings_post,
    ("GET", "faults"): faults_get,
    ("POST", "faults"): faults_post,
    ("DELETE", "faults"): faults_delete,
    ("GET", "time"): time_get,
    ("POST", "time"): time_post,
    ("POST", "seed"): seed,
    ("POST", "estate"): estate,
    ("POST", "interactions"): interactions_post,
}
