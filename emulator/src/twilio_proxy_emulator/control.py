"""The control API under ``/_emulator/`` (not Twilio's): a route table of (method, name) -> handler.

It has no authentication, so no web page may drive it (``refusal``): no CORS header anywhere, a request that
changes something must be JSON, and the ``Host`` must be a loopback address or ``localhost`` (DNS rebinding). What
it accepts is bounded (``limits``), and every request is answered with a body.
Handlers take ``(emulator, query, data, base)`` and return ``(status, JSON body)``.
"""

import ipaddress
import re
import sys
import urllib.parse

from . import limits, webhooks
from .errors import ApiError
from .estate import build_estate
from .occupancy import occupy
from .views import INTERACTION_VIEW, iso

DEFAULT_SETTINGS = {"fetch_by_unique_name": True, "rate_limit": False, "rate_limit_rps": 30, "rate_limit_burst": 5}
SEED_STATUSES = ("open", "in-progress", "closed", "failed")
DAY = limits.DAY


def local_host(header, allowed=()):
    """Whether a Host header names this machine in a way no web page of another origin can: a loopback address
    (127.0.0.0/8, ::1), ``localhost``, or a name or address in ``allowed`` (--allow-host). Any other address is
    refused too: a page served from it (or rebound to it) would otherwise drive the control API."""
    host = (header or "").strip()
    if not host:
        return True          # HTTP/1.0 without Host: not a browser
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host[1:]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.lower().rstrip(".")
    if name == "localhost" or name in allowed:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def refusal(emulator, method, headers):
    """(status, body) when a control request may come from a web page, else None. A page can send a text/plain,
    form or multipart POST cross-origin without a preflight, but not JSON; a DNS-rebound page sends its own name;
    a browser names the page's origin in ``Origin`` (other clients send none)."""
    if not local_host(headers.get("Host"), emulator.allowed_hosts):
        return 403, {"error": "the control API answers to a loopback address or localhost, not to Host %r "
                              "(add the name or address with --allow-host)" % headers.get("Host")}
    origin = headers.get("Origin")
    if origin is not None and not local_host(urllib.parse.urlsplit(origin).netloc or "null.invalid",
                                             emulator.allowed_hosts):
        return 403, {"error": "the control API does not answer web pages (Origin %r)" % origin}
    media_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method not in ("GET", "HEAD") and media_type != "application/json":
        return 415, {"error": "control requests that change something need Content-Type: application/json"}
    return None


def handle(emulator, method, path, headers, query, body, base):
    """(status, JSON body) of one /_emulator/ request; every failure is answered (400 for bad input, 500 with the
    error for a bug), never a closed connection."""
    refused = refusal(emulator, method, headers)
    if refused:
        return refused
    try:
        data = limits.loads(body) if body.strip() else {}
    except ValueError as exc:
        return 400, {"error": "body must be JSON (%s)" % exc}
    if not isinstance(data, dict):
        return 400, {"error": "body must be a JSON object"}
    handler = CONTROL_ROUTES.get((method, path[len("/_emulator/"):].strip("/")))
    if handler is None:
        return 404, {"error": "unknown control endpoint %s %s" % (method, path)}
    try:
        return handler(emulator, query, data, base)
    except (ValueError, TypeError, KeyError, OverflowError, re.error) as exc:
        return 400, {"error": str(exc)}
    except ApiError as exc:
        return exc.status, exc.body()
    except Exception as exc:  # pylint: disable=broad-except  # a bug: say so, keep serving
        sys.stderr.write("internal error in %s %s: %r\n" % (method, path, exc))
        return 500, {"error": "internal error: %s" % type(exc).__name__}


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
    checked = {}
    for key, value in data.items():
        expected = type(DEFAULT_SETTINGS[key])
        if expected is int:
            checked[key] = limits.number(key, value, above=0, maximum=limits.MAX_RATE)
        elif not isinstance(value, bool):
            raise ValueError("%s must be true or false" % key)
        else:
            checked[key] = value
    emulator.settings.update(checked)  # all or nothing
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
    advance = limits.number("advance", data.get("advance", 0), 0, limits.MAX_CLOCK_OFFSET)
    with emulator.store.lock:
        if emulator.store.clock_offset + advance > limits.MAX_CLOCK_OFFSET:
            raise ValueError("advance: the clock moves at most %d days ahead in all (POST /_emulator/reset sets "
                             "it back)" % limits.MAX_DAYS)
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


def _seed_state(data):
    """The ``status``, ``age_days`` and ``expiry_days`` of seeded sessions (defaults: open, created now, no expiry)."""
    status = data.get("status", "open")
    if status not in SEED_STATUSES:
        raise ValueError("status must be one of %s" % ", ".join(SEED_STATUSES))
    age = limits.number("age_days", data.get("age_days", 0), 0, limits.MAX_DAYS)
    expiry = data.get("expiry_days")
    if expiry is not None:
        expiry = limits.number("expiry_days", expiry, -limits.MAX_DAYS, limits.MAX_DAYS)
    return status, age, expiry


MAX_SEED_SERVICES = 10000
SEED_IDENTIFIER = "+1555%d%06d"  # participant k (1, 2) of seeded session i


def seed(emulator, query, data, base):
    """Bulk fixtures: ``sessions`` named ``prefix + i`` (``status``, back-dated ``age_days``, ``date_expiry``
    ``expiry_days`` from now, negative: passed, ``participants`` 0 to 2 each, on the pool's numbers in turn), and
    the first ``phone_numbers`` inventory numbers in no service."""
    rules, store = emulator.rules, emulator.store
    if "services" in data:
        return 200, {"services": _seed_services(rules, store, data)}
    status, age, expiry = _seed_state(data)
    sessions = limits.number("sessions", data.get("sessions", 0), 0, limits.MAX_SEED_SESSIONS, integer=True)
    n_numbers = limits.number("phone_numbers", data.get("phone_numbers", 0), 0, limits.MAX_SEED_NUMBERS,
                              integer=True)
    prefix = limits.text("prefix", str(data.get("prefix", "seed-")))
    with store.lock:
        service = _service(emulator, data)
        # the numbers first: seeded participants take theirs from the pool
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
        for i in range(sessions):
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


def _seed_services(rules, store, data):
    """``services`` services named ``prefix + index`` with every default, skipping names that exist -> how many
    were created (a list of more than one page, in one request instead of one per service)."""
    count = limits.number("services", data.get("services", 0), 0, MAX_SEED_SERVICES, integer=True)
    prefix = limits.text("prefix", str(data.get("prefix", "seed-")))
    created = 0
    with store.lock:
        for i in range(count):
            name = "%s%d" % (prefix, i)
            if name not in store.service_names:
                rules.new_service({"unique_name": name})
                created += 1
    return created


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
        statuses = webhooks.resource_statuses(data)
        rec = emulator.rules.add_interaction(service, session, kind, data.get("data", {}), outbound=outbound,
                                             inbound=inbound)
        rec.update(statuses)
    emulator.webhooks.interaction_made(service, rec, base)
    return 201, INTERACTION_VIEW.render(rec, base)


def occupy_post(emulator, data):
    """Open sessions holding pool numbers, in bulk (occupancy.py)."""
    with emulator.store.lock:
        return 200, occupy(emulator.rules, _service(emulator, data), data)


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
    ("POST", "inbound"): webhooks.inbound,
    ("GET", "webhooks"): webhooks.deliveries,
    ("POST", "occupy"): lambda emulator, query, data, base: occupy_post(emulator, data),
}
