"""The Proxy rules, apart from HTTP: uniqueness, the pool (ownership, limits, selection of a proxy number), the
session lifecycle (status changes, expiry by ``date_expiry`` or ``ttl``), participants and interactions.

Every method runs under the store's one lock (the caller holds it) and raises ``ApiError`` with Twilio's code.
The handlers (``handlers/``), the control API's seeding and the estate builder all go through these methods.
"""

import json

from .errors import invalid, rule
from .inventory import country_of
from .params import CHANNEL_RE, E164_RE

ACTIVE = ("open", "in-progress")
MAX_RESERVED = 5000
MAX_UNRESERVED = 500
MAX_PARTICIPANTS = 2


def _in_use_error(identifier, number):
    return rule(80604, "Proxy Identifier In Use: %s already uses %s in another active Session." % (identifier, number))


class Rules:
    """The state's behaviour: what every write checks and does."""

    webhooks = None   # the emulator's Webhooks (webhooks.py); None for a Rules without a server

    def __init__(self, store, inventory, settings, account_sid):
        self.store = store
        self.inventory = inventory
        self.settings = settings
        self.account_sid = account_sid

    # ---------------------------------------------------------------- records
    def now(self):
        return self.store.now()

    def new_record(self, prefix, **fields):
        now = self.now()
        rec = {"sid": self.store.new_sid(prefix), "account_sid": self.account_sid,
               "date_created": now, "date_updated": now, "_seq": self.store.next_seq()}
        rec.update(fields)
        return rec

    def touch(self, rec):
        rec["date_updated"] = self.now()
        self.store.mark_dirty()

    # ---------------------------------------------------------------- look-ups
    def find_service(self, key, by_name=False):
        """The service with SID ``key`` (or unique name, when ``by_name`` and the switch allows it), or None."""
        rec = self.store.services.get(key)
        if rec is None and by_name and self.settings["fetch_by_unique_name"]:
            rec = self.store.services.get(self.store.service_names.get(key, ""))
        return rec

    def find_session(self, service, key, by_name=False):
        """The session of ``service`` with SID (or unique name) ``key``, expiry applied, or None."""
        sessions = self.store.sessions[service["sid"]]
        rec = sessions.get(key)
        if rec is None and by_name and self.settings["fetch_by_unique_name"]:
            rec = sessions.get(self.store.session_names.get((service["sid"], key), ""))
        return self.refresh(rec) if rec is not None else None

    # ---------------------------------------------------------------- services
    def new_service(self, values):
        if values["unique_name"] in self.store.service_names:
            raise rule(80602, "Service UniqueName must be unique.")
        rec = self.new_record("KS", unique_name=None, chat_instance_sid=None, callback_url=None, default_ttl=0,
                              number_selection_behavior="prefer-sticky", geo_match_level="country",
                              intercept_callback_url=None, out_of_session_callback_url=None)
        rec.update(values)
        self.store.add_service(rec)
        self.store.mark_dirty()
        return rec

    def update_service(self, rec, values):
        name = values.pop("unique_name", None)
        if name is not None and name != rec["unique_name"]:
            if name in self.store.service_names:
                raise rule(80602, "Service UniqueName must be unique.")
            self.store.rename_service(rec, name)
        rec.update(values)
        self.touch(rec)
        return rec

    def delete_service(self, rec):
        self.store.remove_service(rec["sid"])
        self.store.mark_dirty()

    # -------------------------------------------------------------------- pool
    def check_pool_limit(self, ks, is_reserved):
        reserved, unreserved = self.store.pool_counts(ks)
        if is_reserved and reserved >= MAX_RESERVED:
            raise invalid("IsReserved", "The Service already has %d reserved numbers (the limit)." % MAX_RESERVED)
        if not is_reserved and unreserved >= MAX_UNRESERVED:
            raise invalid("IsReserved", "The Service already has %d unreserved numbers (the limit)." % MAX_UNRESERVED)

    def add_number(self, service, entry, is_reserved):
        """Put an inventory number into the service's pool."""
        owner = self.store.number_owner.get(entry["sid"])
        if owner == service["sid"]:
            raise rule(80104, "PhoneNumber has already been added to Service.")
        if owner is not None:
            raise rule(80601, "Phone Number Not Available: %s is already associated with another Proxy Service."
                       % entry["phone_number"])
        self.check_pool_limit(service["sid"], is_reserved)
        rec = self.new_record("PN", service_sid=service["sid"], phone_number=entry["phone_number"],
                              friendly_name=entry["friendly_name"], iso_country=entry["iso_country"],
                              capabilities=dict(entry["capabilities"]), is_reserved=is_reserved)
        rec["sid"] = entry["sid"]      # a pool number keeps its IncomingPhoneNumber SID
        self.store.add_number(rec)
        self.store.mark_dirty()
        return rec

    def set_reserved(self, rec, is_reserved):
        if is_reserved != rec["is_reserved"]:
            self.check_pool_limit(rec["service_sid"], is_reserved)
            self.store.set_number_reserved(rec, is_reserved)
        self.touch(rec)

    def remove_number(self, rec):
        self.store.remove_number(rec["service_sid"], rec["sid"])
        self.store.mark_dirty()

    def in_use(self, pn):
        """Active sessions in which a non-deleted participant has this pool number as its proxy."""
        parts = self.store.number_parts.get(pn, {})
        return len({p["session_sid"] for p in parts.values() if self.active(p["session_sid"])})

    def add_short_code(self, service, entry, is_reserved):
        owner = self.store.short_code_owner.get(entry["sid"])
        if owner == service["sid"]:
            raise rule(80105, "ShortCode has already been added to Service.")
        if owner is not None:
            raise rule(80601, "Short Code Not Available: %s is already associated with another Proxy Service."
                       % entry["short_code"])
        rec = self.new_record("SC", service_sid=service["sid"], short_code=entry["short_code"],
                              iso_country=entry["iso_country"], capabilities=dict(entry["capabilities"]),
                              is_reserved=is_reserved)
        rec["sid"] = entry["sid"]
        self.store.add_short_code(rec)
        self.store.mark_dirty()
        return rec

    def remove_short_code(self, rec):
        self.store.remove_short_code(rec["service_sid"], rec["sid"])
        self.store.mark_dirty()

    # ---------------------------------------------------------------- sessions
    @staticmethod
    def expires_at(session):
        if session.get("date_expiry") is not None:
            return session["date_expiry"]
        if session.get("ttl"):
            return session["_ttl_anchor"] + session["ttl"]
        return None

    def refresh(self, session):
        """Apply expiry lazily: an active session past its date_expiry / ttl reads as closed ("expired")."""
        if session["status"] in ACTIVE:
            expires = self.expires_at(session)
            if expires is not None and self.now() >= expires:
                session["status"] = "closed"
                session["closed_reason"] = "expired"
                session["date_ended"] = expires
                session["date_updated"] = expires
                self.store.mark_dirty()
        return session

    def active(self, session_sid):
        session = self.store.session_by_sid.get(session_sid)
        return session is not None and self.refresh(session)["status"] in ACTIVE

    def new_session(self, service, values):
        """A session record (not stored yet) from parsed values."""
        now = self.now()
        rec = self.new_record("KC", service_sid=service["sid"], date_started=now, date_ended=None,
                              date_last_interaction=None, date_expiry=None, unique_name=None, status="open",
                              closed_reason=None, ttl=service["default_ttl"], mode="voice-and-message",
                              _ttl_anchor=now)
        rec.update(values)
        if rec["status"] == "closed":
            rec["date_ended"], rec["closed_reason"] = now, "api"
        return rec

    def create_session(self, service, values, participants):
        """Create a session and its participants atomically: if one participant fails, nothing is created."""
        name = values.get("unique_name")
        if name is not None and (service["sid"], name) in self.store.session_names:
            raise rule(80603, "Session UniqueName must be unique within the Service.")
        rec = self.new_session(service, values)
        self.store.add_session(rec)
        try:
            for fields in participants:
                self.add_participant(service, rec, fields)
        except Exception:
            self.store.remove_session(rec)
            raise
        self.store.mark_dirty()
        return rec

    def update_session(self, service, rec, values):
        """Status changes (close, re-open) and DateExpiry/Ttl; a closed session only re-opens (80607)."""
        status = values.pop("status", None)
        now = self.now()
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
        self.touch(rec)
        return self.refresh(rec)

    def _check_reopen(self, service, session):
        for part in self.store.participants[session["sid"]]:
            pn = part.get("proxy_identifier_sid")
            if part.get("date_deleted") is None and pn and pn in self.busy_numbers(
                    service["sid"], part["identifier"], exclude_session=session["sid"]):
                raise _in_use_error(part["identifier"], part["proxy_identifier"])

    def delete_session(self, rec):
        self.store.remove_session(rec)
        self.store.mark_dirty()

    # ------------------------------------------------------------ participants
    def busy_numbers(self, ks, identifier, exclude_session=None):
        """Proxy numbers this identifier already holds in other active sessions of the service."""
        return {p["proxy_identifier_sid"] for p in self.store.ident_parts.get((ks, identifier), ())
                if p.get("date_deleted") is None and p.get("proxy_identifier_sid")
                and p["session_sid"] != exclude_session and self.active(p["session_sid"])}

    def add_participant(self, service, session, fields):
        ks, kc = service["sid"], session["sid"]
        identifier = fields["identifier"]
        if self.refresh(session)["status"] not in ACTIVE:
            raise rule(80607, "Session is closed and cannot be updated.")
        is_channel = bool(CHANNEL_RE.match(identifier)) and not identifier.startswith("+")
        if not is_channel and not E164_RE.match(identifier):
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
        rec = self.new_record("KP", session_sid=kc, service_sid=ks, friendly_name=fields.get("friendly_name"),
                              identifier=identifier, proxy_identifier=proxy_identifier, proxy_identifier_sid=pn,
                              date_deleted=None)
        self.store.add_participant(rec)
        self.store.mark_dirty()
        return rec

    def delete_participant(self, rec):
        """A soft delete; deleting again is a no-op."""
        if rec.get("date_deleted") is None:
            self.store.soft_delete_participant(rec, self.now())
            self.store.mark_dirty()

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
                if is_channel and CHANNEL_RE.match(proxy_identifier) and not proxy_identifier.startswith("+"):
                    return proxy_identifier, None      # a channel's own address, not a pool number
                entry = self.inventory.number_by_e164.get(proxy_identifier)
                number = pool.get(entry["sid"]) if entry else None
            if number is None:
                raise rule(80605, "Proxy identifier not associated with service.")
            if number["sid"] in self.busy_numbers(ks, identifier, exclude_session=session["sid"]):
                raise _in_use_error(identifier, number["phone_number"])
            return number["phone_number"], number["sid"]
        return self._select(service, session, identifier, is_channel)

    def _select(self, service, session, identifier, is_channel):
        """Pool selection (docs/emulator.md): country (and area code), unreserved, not busy for this identifier,
        sticky or not, then the least loaded in pool order."""
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
        busy = self.busy_numbers(ks, identifier, exclude_session=session["sid"])
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
        best = min(free, key=lambda n: (self.in_use(n["sid"]), order[n["sid"]]))
        return best["phone_number"], best["sid"]

    # ------------------------------------------------------------ interactions
    def add_message(self, service, session, participant, body):
        """A MessageInteraction to ``participant``: 80607 on a closed session, 80405 for a deleted participant."""
        if session["status"] not in ACTIVE:
            raise rule(80607, "Session is closed and cannot be updated.")
        if participant.get("date_deleted") is not None:
            raise rule(80405, "Participant Sid Invalid: the participant was deleted.")
        return self.add_interaction(service, session, "message", {"body": body or ""}, outbound=participant,
                                    participant_sid=participant["sid"])

    def add_interaction(self, service, session, kind, data, outbound=None, inbound=None, **extra):
        """Record an interaction; it counts as session activity (TTL restarts, ``open`` becomes ``in-progress``)."""
        resource_type = "Message" if kind == "message" else ("Call" if kind == "voice" else None)
        rec = self.new_record("KI", session_sid=session["sid"], service_sid=service["sid"], type=kind,
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

    def delete_interaction(self, rec):
        self.store.interactions[rec["session_sid"]].remove(rec["sid"])
        self.store.mark_dirty()
