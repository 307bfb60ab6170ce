"""Proxy's three webhooks, called as Twilio calls them: form-encoded POSTs signed with ``X-Twilio-Signature``
(the twilio SDK's ``RequestValidator``, with the account's auth token).

- ``interaction_made``: after an interaction is recorded (a message interaction of the API, an interaction of the
  control API, an inbound contact in an open session), the service's ``intercept_callback_url`` (a 403 answer
  blocks it: its outbound leg is dropped, nothing was delivered, and no callback follows), then ``callback_url``.
- ``inbound``: ``POST /_emulator/inbound`` simulates a call or SMS from ``from`` to the pool number ``to``. In an open
  session of the sender on that number it is an interaction; outside one, the ``out_of_session_callback_url`` is
  called with the inbound payload, and its answer is honoured: auto-create-session JSON creates the session (sender
  and the named participant) and the contact proceeds in it; TwiML is returned to the caller of the control API.
- ``GET /_emulator/webhooks``: the deliveries (webhook, URL without user-info, status, time), never a body.

A webhook answers within ``TIMEOUT`` seconds or counts as unanswered (Twilio: an intercept that times out lets the
interaction continue). The emulator calls a webhook of the Twilio API's own requests (message interactions) while
holding its store's lock, so a webhook target must not wait on the emulator's API to answer.
"""

import base64
import collections
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from . import params as P
from .errors import ApiError
from .handlers.sessions import SESSION_CREATE_PARAMS
from .views import INTERACTION_VIEW, SESSION_VIEW, iso

TIMEOUT = 5.0
USER_AGENT = "TwilioProxy/1.1 (twilio-proxy-emulator)"
RESOURCE_STATUSES = ("accepted", "answered", "busy", "canceled", "completed", "deleted", "delivered",
                     "delivery-unknown", "failed", "in-progress", "initiated", "no-answer", "queued", "received",
                     "receiving", "ringing", "scheduled", "sending", "sent", "undelivered", "unknown")
AUTO_CREATE_KEYS = {"uniqueName": "UniqueName", "mode": "Mode", "ttl": "Ttl", "dateExpiry": "DateExpiry"}
MAX_ANSWER = 64 * 1024
_INTERACTION_KEYS = [("sid", "interactionSid"), ("service_sid", "interactionServiceSid"),
                     ("session_sid", "interactionSessionSid"), ("account_sid", "interactionAccountSid"),
                     ("data", "interactionData"), ("date_created", "interactionDateCreated"),
                     ("date_updated", "interactionDateUpdated")]
_LEG_KEYS = ["participant_sid", "resource_sid", "resource_status", "resource_type", "resource_url"]


def sign(token, url, fields):
    """``X-Twilio-Signature`` of a POST of ``fields`` to ``url``, as Twilio computes it (through its SDK)."""
    try:
        from twilio.request_validator import RequestValidator
    except ImportError:
        raise RuntimeError("calling webhooks needs the twilio package (pip install 'twilio-proxy-emulator[webhooks]')"
                           ) from None
    return RequestValidator(token).compute_signature(url, fields)


def public(url):
    """A URL without its user-info: what is requested, signed and logged."""
    split = urllib.parse.urlsplit(url)
    if "@" not in split.netloc:
        return url
    return urllib.parse.urlunsplit(split._replace(netloc=split.netloc.rsplit("@", 1)[1]))


def interaction_fields(rec, base):
    """The form of the callback and intercept webhooks for one interaction (camelCase; empty fields left out)."""
    view = INTERACTION_VIEW.render(rec, base)
    fields = {name: view[key] for key, name in _INTERACTION_KEYS if view.get(key) is not None}
    fields["interactionType"] = (view.get("type") or "unknown").capitalize()
    for side in ("inbound", "outbound"):
        for key in _LEG_KEYS:
            value = view.get("%s_%s" % (side, key))
            if value is not None:
                fields[side + "".join(part.capitalize() for part in key.split("_"))] = value
    return fields


class Webhooks:
    """Calls the webhooks and keeps a log of the deliveries (bounded)."""

    def __init__(self, store, auth_token, timeout=TIMEOUT):
        self.store = store
        self.token = auth_token
        self.timeout = timeout
        self.log = collections.deque(maxlen=1000)
        self.seq = 0
        self.lock = threading.Lock()

    def clear(self):
        with self.lock:
            self.log.clear()

    def deliveries(self, since=0):
        with self.lock:
            return [dict(entry) for entry in self.log if entry["seq"] > since]

    def call(self, webhook, url, fields):
        """POST ``fields`` to ``url`` signed -> (status, media type, body); status 0 when unanswered."""
        started = time.monotonic()
        split = urllib.parse.urlsplit(url)
        target = public(url)
        status, media, body, error = 0, "", "", None
        try:
            if split.scheme not in ("http", "https"):
                raise RuntimeError("webhook URLs are http:// or https://")
            signature = sign(self.token, target, fields)
        except RuntimeError as exc:
            signature, error = "", str(exc)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT,
                   "X-Twilio-Signature": signature}
        if split.username is not None:     # Twilio sends a URL's user-info as HTTP Basic credentials
            pair = "%s:%s" % (urllib.parse.unquote(split.username), urllib.parse.unquote(split.password or ""))
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        request = urllib.request.Request(target, data=urllib.parse.urlencode(fields).encode(), headers=headers,
                                         method="POST")
        try:
            if error:
                raise OSError(error)
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:   # noqa: S310 - a service's URL
                status, media = resp.status, resp.headers.get_content_type()
                body = resp.read(MAX_ANSWER).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, media = exc.code, exc.headers.get_content_type() if exc.headers else ""
        except (OSError, ValueError) as exc:
            error = error or type(exc).__name__
        with self.lock:
            self.seq += 1
            entry = {"seq": self.seq, "webhook": webhook, "url": target, "status": status,
                     "time": iso(self.store.now()), "duration_ms": round((time.monotonic() - started) * 1000, 1)}
            if error:
                entry["error"] = error
            self.log.append(entry)
        return status, media, body

    # ------------------------------------------------------------ interactions
    def interaction_made(self, service, rec, base):
        """Intercept, then callback, for an interaction just recorded -> whether it went through (not blocked)."""
        fields = interaction_fields(rec, base)
        if service.get("intercept_callback_url"):
            status = self.call("intercept", service["intercept_callback_url"], fields)[0]
            if status == 403:
                with self.store.lock:
                    rec.update(outbound_resource_sid=None, outbound_resource_status=None,
                               outbound_resource_type=None, outbound_resource_url=None)
                    self.store.mark_dirty()
                return False
        if service.get("callback_url"):
            self.call("callback", service["callback_url"], fields)
        return True


# ---------------------------------------------------------------- control API
def _inbound_fields(account_sid, kind, sender, to, body, sid):
    """The payload Twilio forwards for an inbound SMS or call (Messaging / Voice webhook parameters)."""
    fields = {"AccountSid": account_sid, "From": sender, "To": to, "ApiVersion": "2010-04-01"}
    if kind == "message":
        fields.update(MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, Body=body, NumMedia="0")
    else:
        fields.update(CallSid=sid, CallStatus="ringing", Direction="inbound")
    return fields


def _open_leg(emulator, ks, sender, to):
    """The sender's participant, in an open session of the service, that has ``to`` as its proxy number."""
    for part in emulator.store.ident_parts.get((ks, sender), ()):
        if part.get("date_deleted") is None and part.get("proxy_identifier") == to \
                and emulator.rules.active(part["session_sid"]):
            return part
    return None


def _contact(emulator, service, part, kind, body):
    """An inbound contact of participant ``part`` in its session: an interaction towards the other participant."""
    store = emulator.store
    session = store.session_by_sid[part["session_sid"]]
    other = next((p for p in store.participants[session["sid"]]
                  if p["sid"] != part["sid"] and p.get("date_deleted") is None), None)
    return emulator.rules.add_interaction(service, session, kind, {"body": body} if kind == "message" else {},
                                          inbound=part, outbound=other)


def _auto_create(emulator, service, answer, sender, to):
    """The session of an auto-create-session JSON answer -> the sender's participant in it."""
    try:
        spec = json.loads(answer)
    except ValueError:
        raise ValueError("the out-of-session answer is not JSON") from None
    if not isinstance(spec, dict) or not spec.get("participantIdentifier"):
        raise ValueError("the auto-create answer has no participantIdentifier")
    form = {AUTO_CREATE_KEYS[k]: [str(v)] for k, v in spec.items() if k in AUTO_CREATE_KEYS and v is not None}
    values = P.parse(form, SESSION_CREATE_PARAMS)
    other = {"identifier": spec["participantIdentifier"]}
    if spec.get("participantProxyIdentifier"):
        other["proxy_identifier"] = spec["participantProxyIdentifier"]
    if spec.get("participantFriendlyName"):
        other["friendly_name"] = spec["participantFriendlyName"]
    session = emulator.rules.create_session(service, values, [{"identifier": sender, "proxy_identifier": to}, other])
    return session, _open_leg(emulator, service["sid"], sender, to)


def inbound(emulator, query, data, base):
    """``POST /_emulator/inbound {"from", "to", "type": "message"|"voice", "body"}``: a contact to a pool number."""
    kind = data.get("type", "message")
    if kind not in ("message", "voice"):
        raise ValueError("type must be message or voice")
    sender, to, body = data.get("from"), data.get("to"), str(data.get("body", ""))
    if not isinstance(sender, str) or not isinstance(to, str) or not sender or not to:
        raise ValueError("from and to are required (E.164 numbers)")
    store, webhooks = emulator.store, emulator.webhooks
    with store.lock:
        entry = emulator.inventory.number_by_e164.get(to)
        ks = store.number_owner.get(entry["sid"]) if entry else None
        if ks is None:
            raise ApiError(404, 20404, "The number %s is in no Proxy Service's pool" % to)
        service = store.services.get(ks)
        part = _open_leg(emulator, ks, sender, to)
        rec = _contact(emulator, service, part, kind, body) if part else None
        url = service.get("out_of_session_callback_url")
        fields = _inbound_fields(emulator.account_sid, kind, sender, to, body,
                                 store.new_sid("SM" if kind == "message" else "CA"))
    if rec is not None:
        delivered = webhooks.interaction_made(service, rec, base)
        return 200, {"result": "interaction" if delivered else "blocked",
                     "interaction": INTERACTION_VIEW.render(rec, base)}
    if not url:
        return 200, {"result": "dropped", "reason": "no out_of_session_callback_url (Twilio: 80905)"}
    status, media, answer = webhooks.call("out_of_session", url, fields)
    if status == 200 and media == "application/json":
        try:
            with store.lock:
                session, part = _auto_create(emulator, service, answer, sender, to)
                rec = _contact(emulator, service, part, kind, body)
        except (ApiError, ValueError) as exc:
            return 200, {"result": "auto_create_failed",
                         "error": exc.body() if isinstance(exc, ApiError) else str(exc)}
        webhooks.interaction_made(service, rec, base)
        return 200, {"result": "auto_created", "session": SESSION_VIEW.render(session, base),
                     "interaction": INTERACTION_VIEW.render(rec, base)}
    if status == 200 and media in ("application/xml", "text/xml"):
        return 200, {"result": "twiml", "twiml": answer}
    return 200, {"result": "dropped", "status": status}


def deliveries(emulator, query, data, base):
    """``GET /_emulator/webhooks[?since=SEQ]``: the webhook deliveries, oldest first."""
    return 200, {"webhooks": emulator.webhooks.deliveries(int(query.get("since", ["0"])[0]))}


def resource_statuses(data):
    """The ``inbound_resource_status`` / ``outbound_resource_status`` a control interaction asks for."""
    out = {}
    for key in ("inbound_resource_status", "outbound_resource_status"):
        if key in data:
            if data[key] not in RESOURCE_STATUSES:
                raise ValueError("%s must be one of %s" % (key, ", ".join(RESOURCE_STATUSES)))
            out[key] = data[key]
    return out
