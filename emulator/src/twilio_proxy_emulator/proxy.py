"""Proxy v1 business rules and the handlers of every Proxy route (and of the 2010-04-01 inventory routes).

Every handler takes a ``Request`` and returns ``(status, body)``; ``body`` None means an empty body. Handlers run
entirely under the store's one lock, so each request is one atomic read-modify-write.
"""

import json
import re
import urllib.parse

from . import params as P
from .errors import ApiError, invalid, not_found, rule
from .inventory import country_of
from .resources import (INTERACTION, MESSAGE_INTERACTION, PARTICIPANT, PHONE_NUMBER, SERVICE, SESSION, SHORT_CODE,
                        api2010_list, v1_list)
from .store import ListSource

GEO_MATCH_LEVELS = ["area-code", "overlay", "radius", "country", "extended-area-code"]
SELECTION = ["avoid-sticky", "prefer-sticky"]
MODES = ["message-only", "voice-only", "voice-and-message"]
STATUSES = ["open", "in-progress", "closed", "failed", "unknown"]
SETTABLE_STATUSES = ["open", "in-progress", "closed"]
ACTIVE = ("open", "in-progress")
MAX_RESERVED = 5000
MAX_UNRESERVED = 500
MAX_PARTICIPANTS = 2
PATTERN_RE = re.compile(r"\+?[0-9*]+")

SERVICE_PARAMS = {
    "UniqueName": P.Str(nullable=False, max=191),
    "DefaultTtl": P.Int(min=0),
    "CallbackUrl": P.Url(),
    "GeoMatchLevel": P.Enum(values=GEO_MATCH_LEVELS),
    "NumberSelectionBehavior": P.Enum(values=SELECTION),
    "InterceptCallbackUrl": P.Url(),
    "OutOfSessionCallbackUrl": P.Url(),
    "ChatInstanceSid": P.Sid(prefix="IS"),
}
NUMBER_CREATE_PARAMS = {"Sid": P.Sid(nullable=False, prefix="PN"), "PhoneNumber": P.E164(),
                        "IsReserved": P.Bool()}
SHORT_CODE_CREATE_PARAMS = {"Sid": P.Sid(nullable=False, prefix="SC"), "IsReserved": P.Bool()}
RESERVED_PARAMS = {"IsReserved": P.Bool()}
SESSION_CREATE_PARAMS = {
    "UniqueName": P.Str(max=191),
    "DateExpiry": P.Date(),
    "Ttl": P.Int(min=0),
    "Mode": P.Enum(values=MODES),
    "Status": P.Enum(values=SETTABLE_STATUSES),
}
SESSION_UPDATE_PARAMS = {"DateExpiry": P.Date(), "Ttl": P.Int(min=0), "Status": P.Enum(values=SETTABLE_STATUSES)}
SESSION_UPDATE_REJECT = {
    "UniqueName": "A Session's UniqueName cannot be updated.",
    "Mode": "A Session's Mode cannot be updated.",
    "Participants": "Participants cannot be given on Session update.",
}
PARTICIPANT_PARAMS = {
    "Identifier": P.Str(nullable=False, max=191),
    "FriendlyName": P.Str(max=255),
    "ProxyIdentifier": P.Str(),
    "ProxyIdentifierSid": P.Sid(prefix="PN"),
}
# keys accepted inside one JSON element of Session create's repeated "Participants" field
PARTICIPANT_JSON_KEYS = {
    "Identifier": "Identifier", "identifier": "Identifier",
    "FriendlyName": "FriendlyName", "friendly_name": "FriendlyName",
    "ProxyIdentifier": "ProxyIdentifier", "proxy_identifier": "ProxyIdentifier",
    "ProxyIdentifierSid": "ProxyIdentifierSid", "proxy_identifier_sid": "ProxyIdentifierSid",
}


def matches_pattern(pattern, number):
    """Twilio's ``PhoneNumber``/``ShortCode`` list filter: "partial numbers and '*' as a wildcard for any digit".
    Our reading: the pattern (digits, an optional leading ``+``, ``*``) occurs anywhere in the number; anything
    else matches nothing. A full E.164 number matches itself (and would match a longer number it begins)."""
    if not PATTERN_RE.fullmatch(pattern):
        return False
    if "*" not in pattern:
        return pattern in number
    return re.search(re.escape(pattern).replace(r"\*", r"\d"), number) is not None


class Request:
    """What a handler sees: decoded path params, form and query (dicts of lists), the client-visible base URL."""

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


class ProxyApi:
    def __init__(self, store, inventory, settings, account_sid):
        self.store = store
        self.inventory = inventory
        self.settings = settings
        self.account_sid = account_sid

    # ============================================================== helpers
    def _now(self):
        return self.store.now()

    def _service(self, req, key="ServiceSid", by_name=False):
        sid = req.params[key]
        rec = self.store.services.get(sid)
        if rec is None and by_name and self.settings["fetch_by_unique_name"]:
            ks = self.store.service_names.get(sid)
            rec = self.store.services.get(ks) if ks else None
        if rec is None:
            raise not_found(req.resource_path)
        return rec

    def _session(self, req, service, key="SessionSid", by_name=False):
        sid = req.params[key]
        coll = self.store.sessions[service["sid"]]
        rec = coll.get(sid)
        if rec is None and by_name and self.settings["fetch_by_unique_name"]:
            kc = self.store.session_names.get((service["sid"], sid))
            rec = coll.get(kc) if kc else None
        if rec is None:
            raise not_found(req.resource_path)
        self.refresh(rec)
        return rec

    @staticmethod
    def _child(req, collection, key="Sid"):
        rec = collection.get(req.params[key]) if collection is not None else None
        if rec is None:
            raise not_found(req.resource_path)
        return rec

    def _new(self, prefix, **fields):
        now = self._now()
        rec = {"sid": self.store.new_sid(prefix), "account_sid": self.account_sid,
               "date_created": now, "date_updated": now, "_seq": self.store.next_seq()}
        rec.update(fields)
        return rec

    def _touch(self, rec):
        rec["date_updated"] = self._now()
        self.store.mark_dirty()

    # ---------------------------------------------------------- session clock
    @staticmethod
    def _expires_at(session):
        if session.get("date_expiry") is not None:
            return session["date_expiry"]
        if session.get("ttl"):
            return session["_ttl_anchor"] + session["ttl"]
        return None

    def refresh(self, session):
        """Apply expiry lazily: an active session past its date_expiry / ttl reads as closed ("expired")."""
        if session["status"] in ACTIVE:
            expires = self._expires_at(session)
            if expires is not None and self._now() >= expires:
                session["status"] = "closed"
                session["closed_reason"] = "expired"
                session["date_ended"] = expires
                session["date_updated"] = expires
                self.store.mark_dirty()
        return session

    def _active(self, session_sid):
        session = self.store.session_by_sid.get(session_sid)
        return session is not None and self.refresh(session)["status"] in ACTIVE

    def _in_use(self, pn):
        parts = self.store.number_parts.get(pn, {})
        return len({p["session_sid"] for p in parts.values() if self._active(p["session_sid"])})

    def _busy_numbers(self, ks, identifier, exclude_session=None):
        """Proxy numbers this identifier already holds in other active sessions of the service."""
        return {p["proxy_identifier_sid"] for p in self.store.ident_parts.get((ks, identifier), ())
                if p.get("date_deleted") is None and p.get("proxy_identifier_sid")
                and p["session_sid"] != exclude_session and self._active(p["session_sid"])}

    # ------------------------------------------------------------ serializers
    def _ser_service(self, req):
        return lambda rec: SERVICE.serialize(rec, req.base)

    def _ser_number(self, req):
        return lambda rec: PHONE_NUMBER.serialize(rec, req.base, {"in_use": self._in_use(rec["sid"])})

    def _ser_short_code(self, req):
        return lambda rec: SHORT_CODE.serialize(rec, req.base)

    def _ser_session(self, req):
        return lambda rec: SESSION.serialize(self.refresh(rec), req.base)

    def _ser_participant(self, req):
        return lambda rec: PARTICIPANT.serialize(rec, req.base)

    def _ser_interaction(self, req):
        return lambda rec: INTERACTION.serialize(rec, req.base)

    def _ser_message_interaction(self, req):
        return lambda rec: MESSAGE_INTERACTION.serialize(rec, req.base)

    # ============================================================== services
    def list_services(self, req):
        return 200, v1_list(SERVICE, self.store.services, req.query, req.base, req.path, self._ser_service(req))

    def create_service(self, req):
        values = P.parse(req.form, SERVICE_PARAMS, required=["UniqueName"])
        rec = self.new_service(values)
        return 201, SERVICE.serialize(rec, req.base)

    def new_service(self, values):
        """Create a service from parsed values (also used by the estate seed)."""
        if values["unique_name"] in self.store.service_names:
            raise rule(80602, "Service UniqueName must be unique.")
        rec = self._new("KS", unique_name=None, chat_instance_sid=None, callback_url=None, default_ttl=0,
                        number_selection_behavior="prefer-sticky", geo_match_level="country",
                        intercept_callback_url=None, out_of_session_callback_url=None)
        rec.update(values)
        self.store.add_service(rec)
        self.store.mark_dirty()
        return rec

    def fetch_service(self, req):
        return 200, SERVICE.serialize(self._service(req, "Sid", by_name=True), req.base)

    def update_service(self, req):
        rec = self._service(req, "Sid")
        values = P.parse(req.form, SERVICE_PARAMS)
        name = values.pop("unique_name", None)
        if name is not None and name != rec["unique_name"]:
            if name in self.store.service_names:
                raise rule(80602, "Service UniqueName must be unique.")
            self.store.rename_service(rec, name)
        rec.update(values)
        self._touch(rec)
        return 200, SERVICE.serialize(rec, req.base)

    def delete_service(self, req):
        rec = self._service(req, "Sid")
        self.store.remove_service(rec["sid"])
        self.store.mark_dirty()
        return 204, None

    # ============================================================ pool members
    def _check_pool_limit(self, ks, is_reserved):
        reserved, unreserved = self.store.pool_counts(ks)
        if is_reserved and reserved >= MAX_RESERVED:
            raise invalid("IsReserved", "The Service already has %d reserved numbers (the limit)." % MAX_RESERVED)
        if not is_reserved and unreserved >= MAX_UNRESERVED:
            raise invalid("IsReserved", "The Service already has %d unreserved numbers (the limit)." % MAX_UNRESERVED)

    def list_phone_numbers(self, req):
        service = self._service(req)
        return 200, v1_list(PHONE_NUMBER, self.store.numbers[service["sid"]], req.query, req.base, req.path,
                            self._ser_number(req))

    def create_phone_number(self, req):
        service = self._service(req)
        values = P.parse(req.form, NUMBER_CREATE_PARAMS)
        sid, number = values.get("sid"), values.get("phone_number")
        if sid is None and number is None:
            raise invalid("Sid", "One of Sid or PhoneNumber is required.")
        entry = self.inventory.number_by_sid.get(sid) if sid else self.inventory.number_by_e164.get(number)
        if sid and number and entry is not None and entry["phone_number"] != number:
            raise invalid("PhoneNumber", "It does not match the number of 'Sid'.")
        if entry is None:
            raise rule(80601, "Phone Number Not Available: %s is not a phone number of this account." % (sid or number))
        rec = self.add_number(service, entry, values.get("is_reserved", False))
        return 201, PHONE_NUMBER.serialize(rec, req.base, {"in_use": 0})

    def add_number(self, service, entry, is_reserved):
        """Put an inventory number into the service's pool (also used by the control API's seeding)."""
        owner = self.store.number_owner.get(entry["sid"])
        if owner == service["sid"]:
            raise rule(80104, "PhoneNumber has already been added to Service.")
        if owner is not None:
            raise rule(80601, "Phone Number Not Available: %s is already associated with another Proxy Service."
                       % entry["phone_number"])
        self._check_pool_limit(service["sid"], is_reserved)
        rec = self._new("PN", service_sid=service["sid"], phone_number=entry["phone_number"],
                        friendly_name=entry["friendly_name"], iso_country=entry["iso_country"],
                        capabilities=dict(entry["capabilities"]), is_reserved=is_reserved)
        rec["sid"] = entry["sid"]      # a pool number keeps its IncomingPhoneNumber SID
        self.store.add_number(rec)
        self.store.mark_dirty()
        return rec

    def fetch_phone_number(self, req):
        service = self._service(req)
        rec = self._child(req, self.store.numbers[service["sid"]])
        return 200, self._ser_number(req)(rec)

    def update_phone_number(self, req):
        service = self._service(req)
        rec = self._child(req, self.store.numbers[service["sid"]])
        values = P.parse(req.form, RESERVED_PARAMS)
        if "is_reserved" in values and values["is_reserved"] != rec["is_reserved"]:
            self._check_pool_limit(service["sid"], values["is_reserved"])
            self.store.set_number_reserved(rec, values["is_reserved"])
        self._touch(rec)
        return 200, self._ser_number(req)(rec)

    def delete_phone_number(self, req):
        service = self._service(req)
        self._child(req, self.store.numbers[service["sid"]])
        self.store.remove_number(service["sid"], req.params["Sid"])
        self.store.mark_dirty()
        return 204, None

    def list_short_codes(self, req):
        service = self._service(req)
        return 200, v1_list(SHORT_CODE, self.store.short_codes[service["sid"]], req.query, req.base, req.path,
                            self._ser_short_code(req))

    def create_short_code(self, req):
        service = self._service(req)
        values = P.parse(req.form, SHORT_CODE_CREATE_PARAMS, required=["Sid"])
        entry = self.inventory.short_code_by_sid.get(values["sid"])
        if entry is None:
            raise rule(80303, "Short Code Sid is not associated with your Account.")
        rec = self.add_short_code(service, entry, values.get("is_reserved", False))
        return 201, SHORT_CODE.serialize(rec, req.base)

    def add_short_code(self, service, entry, is_reserved):
        """Put an account short code into the service (also used by the estate seed)."""
        owner = self.store.short_code_owner.get(entry["sid"])
        if owner == service["sid"]:
            raise rule(80105, "ShortCode has already been added to Service.")
        if owner is not None:
            raise rule(80601, "Short Code Not Available: %s is already associated with another Proxy Service."
                       % entry["short_code"])
        rec = self._new("SC", service_sid=service["sid"], short_code=entry["short_code"],
                        iso_country=entry["iso_country"], capabilities=dict(entry["capabilities"]),
                        is_reserved=is_reserved)
        rec["sid"] = entry["sid"]
        self.store.add_short_code(rec)
        self.store.mark_dirty()
        return rec

    def fetch_short_code(self, req):
        service = self._service(req)
        return 200, SHORT_CODE.serialize(self._child(req, self.store.short_codes[service["sid"]]), req.base)

    def update_short_code(self, req):
        service = self._service(req)
        rec = self._child(req, self.store.short_codes[service["sid"]])
        rec.update(P.parse(req.form, RESERVED_PARAMS))
        self._touch(rec)
        return 200, SHORT_CODE.serialize(rec, req.base)

    def delete_short_code(self, req):
        service = self._service(req)
        self._child(req, self.store.short_codes[service["sid"]])
        self.store.remove_short_code(service["sid"], req.params["Sid"])
        self.store.mark_dirty()
        return 204, None

    # ============================================================== sessions
    def list_sessions(self, req):
        service = self._service(req)
        return 200, v1_list(SESSION, self.store.sessions[service["sid"]], req.query, req.base, req.path,
                            self._ser_session(req))

    def _parse_participants(self, form):
        out = []
        for raw in form.get("Participants", []):
            try:
                obj = json.loads(raw)
            except ValueError:
                raise invalid("Participants", "Each element must be a JSON object.") from None
            if not isinstance(obj, dict):
                raise invalid("Participants", "Each element must be a JSON object.")
            fields = {}
            for key, value in obj.items():
                name = PARTICIPANT_JSON_KEYS.get(key)
                if name is None:
                    raise invalid("Participants", "Unknown participant key %r." % key)
                if value is not None:
                    fields[name] = [str(value)]
            out.append(P.parse(fields, PARTICIPANT_PARAMS, required=["Identifier"]))
        if len(out) > MAX_PARTICIPANTS:
            raise rule(80609, "Too Many Added Participants: a Session can have at most two participants.")
        return out

    def create_session(self, req):
        service = self._service(req)
        ks = service["sid"]
        values = P.parse(req.form, SESSION_CREATE_PARAMS)
        participants = self._parse_participants(req.form)
        name = values.get("unique_name")
        if name is not None and (ks, name) in self.store.session_names:
            raise rule(80603, "Session UniqueName must be unique within the Service.")
        rec = self.new_session(service, values)
        self.store.add_session(rec)
        try:
            for fields in participants:
                self.add_participant(service, rec, fields)
        except ApiError:
            self.store.remove_session(rec)      # all or nothing
            raise
        self.store.mark_dirty()
        return 201, SESSION.serialize(rec, req.base)

    def new_session(self, service, values):
        now = self._now()
        rec = self._new("KC", service_sid=service["sid"], date_started=now, date_ended=None,
                        date_last_interaction=None, date_expiry=None, unique_name=None, status="open",
                        closed_reason=None, ttl=service["default_ttl"], mode="voice-and-message", _ttl_anchor=now)
        rec.update(values)
        if rec["status"] == "closed":
            rec["date_ended"], rec["closed_reason"] = now, "api"
        return rec

    def fetch_session(self, req):
        service = self._service(req)
        return 200, SESSION.serialize(self._session(req, service, "Sid", by_name=True), req.base)

    def update_session(self, req):
        service = self._service(req)
        rec = self._session(req, service, "Sid")
        values = P.parse(req.form, SESSION_UPDATE_PARAMS, reject=SESSION_UPDATE_REJECT)
        status = values.pop("status", None)
        now = self._now()
        if rec["status"] not in ACTIVE:
            if status not in ACTIVE:
                raise rule(80607, "Session is closed and cannot be updated.")
            self._check_reopen(service, rec)
            rec.update(status=status, date_ended=None, closed_reason=None, _ttl_anchor=now)
        elif status == "closed":
            rec.update(status="closed", date_ended=now, closed_reason="api")
        elif status is not None:
            rec["status"] = status
        rec.update(values)
        self._touch(rec)
        return 200, SESSION.serialize(self.refresh(rec), req.base)

    def _check_reopen(self, service, session):
        for part in self.store.participants[session["sid"]]:
            pn = part.get("proxy_identifier_sid")
            if part.get("date_deleted") is None and pn and pn in self._busy_numbers(
                    service["sid"], part["identifier"], exclude_session=session["sid"]):
                raise rule(80604, "Proxy Identifier In Use: %s already uses %s in another active Session."
                           % (part["identifier"], part["proxy_identifier"]))

    def delete_session(self, req):
        service = self._service(req)
        rec = self._session(req, service, "Sid")
        self.store.remove_session(rec)
        self.store.mark_dirty()
        return 204, None

    # ========================================================== participants
    def list_participants(self, req):
        service = self._service(req)
        session = self._session(req, service)
        return 200, v1_list(PARTICIPANT, self.store.participants[session["sid"]], req.query, req.base, req.path,
                            self._ser_participant(req))

    def create_participant(self, req):
        service = self._service(req)
        session = self._session(req, service)
        fields = P.parse(req.form, PARTICIPANT_PARAMS, required=["Identifier"])
        rec = self.add_participant(service, session, fields)
        self.store.mark_dirty()
        return 201, PARTICIPANT.serialize(rec, req.base)

    def add_participant(self, service, session, fields):
        ks, kc = service["sid"], session["sid"]
        identifier = fields["identifier"]
        if self.refresh(session)["status"] not in ACTIVE:
            raise rule(80607, "Session is closed and cannot be updated.")
        is_channel = bool(P.CHANNEL_RE.match(identifier)) and not identifier.startswith("+")
        if not is_channel and not P.E164_RE.match(identifier):
            raise rule(80404, "Participant Identifier Invalid: use an E.164 phone number or a channel address.")
        if is_channel and session["mode"] != "message-only":
            raise rule(80616, "Unsupported Identifier Type For Session Mode: channel identifiers need a "
                              "message-only Session.")
        existing = list(self.store.participants[kc])
        for part in existing:
            if part["identifier"] == identifier:
                if part.get("date_deleted") is not None:
                    raise rule(80612, "Duplicate Entry: the identifier matches a previously deleted participant.")
                raise rule(80103, "Participant Already In Session: the identifier is already a participant.")
        if sum(1 for p in existing if p.get("date_deleted") is None) >= MAX_PARTICIPANTS:
            raise rule(80609, "Too Many Added Participants: a Session can have at most two participants.")
        proxy_identifier, pn = self._proxy_for(service, session, identifier, is_channel,
                                               fields.get("proxy_identifier"), fields.get("proxy_identifier_sid"))
        rec = self._new("KP", session_sid=kc, service_sid=ks, friendly_name=fields.get("friendly_name"),
                        identifier=identifier, proxy_identifier=proxy_identifier, proxy_identifier_sid=pn,
                        date_deleted=None)
        self.store.add_participant(rec)
        return rec

    def _proxy_for(self, service, session, identifier, is_channel, proxy_identifier, proxy_sid):
        """(proxy_identifier, proxy_identifier_sid) for a new participant: the one named, or one from the pool."""
        ks = service["sid"]
        pool = self.store.numbers[ks]
        if proxy_sid or proxy_identifier:
            if proxy_sid:
                number = pool.get(proxy_sid)
                if number is not None and proxy_identifier and proxy_identifier != number["phone_number"]:
                    raise invalid("ProxyIdentifier", "It does not match 'ProxyIdentifierSid'.")
            else:
                if is_channel and P.CHANNEL_RE.match(proxy_identifier) and not proxy_identifier.startswith("+"):
                    return proxy_identifier, None      # a channel's own address, not a pool number
                entry = self.inventory.number_by_e164.get(proxy_identifier)
                number = pool.get(entry["sid"]) if entry else None
            if number is None:
                raise rule(80605, "Proxy identifier not associated with service.")
            if number["sid"] in self._busy_numbers(ks, identifier, exclude_session=session["sid"]):
                raise rule(80604, "Proxy Identifier In Use: %s already uses %s in another active Session."
                           % (identifier, number["phone_number"]))
            return number["phone_number"], number["sid"]
        return self._select(service, session, identifier, is_channel)

    def _select(self, service, session, identifier, is_channel):
        ks = service["sid"]
        pool = list(self.store.numbers[ks])
        if not pool:
            raise rule(80205, "No Proxies For Service: this Service has no Proxy numbers configured.")
        country = None if is_channel else country_of(identifier)
        geo = [n for n in pool if country is None or n["iso_country"] == country]
        if service["geo_match_level"] != "country" and country == "US":
            geo = [n for n in geo if n["phone_number"][2:5] == identifier[2:5]]
        if not geo:
            raise rule(80203, "No Available Proxy For Country: no pool number matches the participant's %s." % (
                "country" if service["geo_match_level"] == "country" else "area code"))
        if all(n["is_reserved"] for n in geo):
            raise rule(80207, "No unreserved numbers in proxy pool: the only matching candidate numbers are "
                              "marked as Reserved.")
        busy = self._busy_numbers(ks, identifier, exclude_session=session["sid"])
        free = [n for n in geo if not n["is_reserved"] and n["sid"] not in busy]
        if not free:
            raise rule(80206, "No Available Proxy: every matching pool number is already used by this participant "
                              "in another active Session.")
        history = [p["proxy_identifier_sid"] for p in self.store.ident_parts.get((ks, identifier), ())
                   if p.get("proxy_identifier_sid")]
        free_by_sid = {n["sid"]: n for n in free}
        if service["number_selection_behavior"] == "prefer-sticky":
            for pn in reversed(history):
                if pn in free_by_sid:
                    return free_by_sid[pn]["phone_number"], pn
        else:
            used = set(history)
            fresh = [n for n in free if n["sid"] not in used]
            free = fresh or free
        order = {n["sid"]: i for i, n in enumerate(free)}
        best = min(free, key=lambda n: (self._in_use(n["sid"]), order[n["sid"]]))
        return best["phone_number"], best["sid"]

    def fetch_participant(self, req):
        service = self._service(req)
        session = self._session(req, service)
        return 200, PARTICIPANT.serialize(self._child(req, self.store.participants[session["sid"]]), req.base)

    def delete_participant(self, req):
        service = self._service(req)
        session = self._session(req, service)
        rec = self._child(req, self.store.participants[session["sid"]])
        if rec.get("date_deleted") is None:
            self.store.soft_delete_participant(rec, self._now())
            self.store.mark_dirty()
        return 200, None

    # ========================================================== interactions
    def list_interactions(self, req):
        service = self._service(req)
        session = self._session(req, service)
        return 200, v1_list(INTERACTION, self.store.interactions[session["sid"]], req.query, req.base, req.path,
                            self._ser_interaction(req))

    def fetch_interaction(self, req):
        service = self._service(req)
        session = self._session(req, service)
        return 200, INTERACTION.serialize(self._child(req, self.store.interactions[session["sid"]]), req.base)

    def delete_interaction(self, req):
        service = self._service(req)
        session = self._session(req, service)
        self._child(req, self.store.interactions[session["sid"]])
        self.store.interactions[session["sid"]].remove(req.params["Sid"])
        self.store.mark_dirty()
        return 204, None

    def _participant(self, req, session):
        return self._child(req, self.store.participants[session["sid"]], "ParticipantSid")

    def _participant_interactions(self, session, participant):
        return [i for i in self.store.interactions[session["sid"]] if i.get("participant_sid") == participant["sid"]]

    def list_message_interactions(self, req):
        service = self._service(req)
        session = self._session(req, service)
        participant = self._participant(req, session)
        source = ListSource(self._participant_interactions(session, participant))
        return 200, v1_list(MESSAGE_INTERACTION, source, req.query, req.base, req.path,
                            self._ser_message_interaction(req))

    def fetch_message_interaction(self, req):
        service = self._service(req)
        session = self._session(req, service)
        participant = self._participant(req, session)
        rec = self.store.interactions[session["sid"]].get(req.params["Sid"])
        if rec is None or rec.get("participant_sid") != participant["sid"]:
            raise not_found(req.resource_path)
        return 200, MESSAGE_INTERACTION.serialize(rec, req.base)

    def create_message_interaction(self, req):
        service = self._service(req)
        session = self._session(req, service)
        participant = self._participant(req, session)
        body = P.first(req.form, "Body")
        if not body and not req.form.get("MediaUrl"):
            raise invalid("Body", "One of Body or MediaUrl is required.")
        if session["status"] not in ACTIVE:
            raise rule(80607, "Session is closed and cannot be updated.")
        if participant.get("date_deleted") is not None:
            raise rule(80405, "Participant Sid Invalid: the participant was deleted.")
        rec = self.add_interaction(service, session, "message", {"body": body or ""}, outbound=participant,
                                   participant_sid=participant["sid"])
        return 200, MESSAGE_INTERACTION.serialize(rec, req.base)

    def add_interaction(self, service, session, kind, data, outbound=None, inbound=None, **extra):
        """Record an interaction (also used by the control API); it counts as session activity."""
        resource_type = "Message" if kind == "message" else ("Call" if kind == "voice" else None)
        rec = self._new("KI", session_sid=session["sid"], service_sid=service["sid"], type=kind,
                        data=json.dumps(data, separators=(",", ":")),
                        inbound_participant_sid=inbound["sid"] if inbound else None,
                        inbound_resource_sid=None, inbound_resource_status=None,
                        inbound_resource_type=None, inbound_resource_url=None,
                        outbound_participant_sid=outbound["sid"] if outbound else None,
                        outbound_resource_sid=None, outbound_resource_status=None,
                        outbound_resource_type=None, outbound_resource_url=None, **extra)
        prefix = "SM" if kind == "message" else "CA"
        if inbound:
            rec.update(inbound_resource_sid=self.store.new_sid(prefix), inbound_resource_type=resource_type,
                       inbound_resource_status="delivered" if kind == "message" else "in-progress")
        if outbound:
            rec.update(outbound_resource_sid=self.store.new_sid(prefix), outbound_resource_type=resource_type,
                       outbound_resource_status="sent" if kind == "message" else "in-progress")
        self.store.add_interaction(rec)
        now = rec["date_created"]
        session.update(date_last_interaction=now, _ttl_anchor=now, date_updated=now)
        if session["status"] == "open":
            session["status"] = "in-progress"
        self.store.mark_dirty()
        return rec

    # ======================================= 2010-04-01 account inventory (read-only)
    def _account(self, req):
        if req.params["AccountSid"] != self.account_sid:
            raise ApiError(401, 20003, "Authenticate")

    def _number_2010(self, entry):
        sid = entry["sid"]
        return {
            "sid": sid, "account_sid": self.account_sid, "friendly_name": entry["friendly_name"],
            "phone_number": entry["phone_number"], "iso_country": entry["iso_country"],
            "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
            "status": "in-use", "origin": "twilio", "beta": False, "api_version": "2010-04-01",
            "date_created": "Fri, 01 Jan 2021 00:00:00 +0000", "date_updated": "Fri, 01 Jan 2021 00:00:00 +0000",
            "uri": "/2010-04-01/Accounts/%s/IncomingPhoneNumbers/%s.json" % (self.account_sid, sid),
        }

    def _short_code_2010(self, entry):
        return {
            "sid": entry["sid"], "account_sid": self.account_sid, "friendly_name": entry["friendly_name"],
            "short_code": entry["short_code"], "api_version": "2010-04-01",
            "date_created": "Fri, 01 Jan 2021 00:00:00 +0000", "date_updated": "Fri, 01 Jan 2021 00:00:00 +0000",
            "sms_url": None, "sms_method": "POST", "sms_fallback_url": None, "sms_fallback_method": "POST",
            "uri": "/2010-04-01/Accounts/%s/SMS/ShortCodes/%s.json" % (self.account_sid, entry["sid"]),
        }

    @staticmethod
    def _filter_value(req, name):
        value = P.first(req.query, name)
        if value and value.startswith(" "):       # an unencoded "+" reads as a space
            value = "+" + value[1:]
        return value

    def list_incoming_numbers(self, req):
        self._account(req)
        wanted = self._filter_value(req, "PhoneNumber")
        records = self.inventory.numbers
        if wanted:
            records = [n for n in records if matches_pattern(wanted, n["phone_number"])]
        return 200, api2010_list("incoming_phone_numbers", ListSource(records), req.query, req.path,
                                 self._number_2010)

    def fetch_incoming_number(self, req):
        self._account(req)
        entry = self.inventory.number_by_sid.get(req.params["Sid"])
        if entry is None:
            raise not_found(urllib.parse.unquote(req.path))
        return 200, self._number_2010(entry)

    def list_account_short_codes(self, req):
        self._account(req)
        wanted = self._filter_value(req, "ShortCode")
        records = self.inventory.short_codes
        if wanted:
            records = [c for c in records if matches_pattern(wanted, c["short_code"])]
        return 200, api2010_list("short_codes", ListSource(records), req.query, req.path, self._short_code_2010)
