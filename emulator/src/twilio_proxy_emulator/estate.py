"""A hand-made Proxy estate, built deterministically for tests and demos (``POST /_emulator/estate``).

Four services with different settings (one callback URL carries credentials), pools of phone numbers (some
reserved) and short codes, and sessions in every state an estate grown by hand holds: open and stale, in
progress, closed through the API, expired by ``date_expiry`` or by ``ttl``, failed; most with two participants,
some with one, a few with a deleted one; with and without ``unique_name``; created, updated and last used at
different ages. Everything goes through the same Proxy rules as the API (pool selection, one participant per
proxy number in active sessions), then the dates are moved into the past.
"""

import hashlib
import random

from . import limits
from .errors import ApiError

DAY = 86400.0
DEFAULTS = {"prefix": "estate-", "phone_numbers": 160, "short_codes": 4, "sessions": 320, "seed": 0,
            "max_age_days": 180}
MAXIMA = {"phone_numbers": 1000000, "short_codes": 1000, "sessions": 100000, "seed": 2 ** 63,
          "max_age_days": limits.MAX_DAYS}

# name, settings, share of the numbers, reserved numbers (share of its pool), short codes (reserved flags),
# share of the sessions, modes, names of its sessions, shared identifiers (agents/drivers) and their number
SERVICES = [
    {"name": "masking",
     "settings": {"callback_url": "https://proxyhooks:s3cr3t-hook-pass@hooks.example.com/proxy/callback",
                  "intercept_callback_url": "https://hooks.example.com/proxy/intercept",
                  "out_of_session_callback_url": "https://hooks.example.com/proxy/out-of-session",
                  "default_ttl": 3600, "geo_match_level": "country",
                  "number_selection_behavior": "prefer-sticky"},
     "numbers": 0.55, "reserved": 0.1, "short_codes": [True, False], "sessions": 0.5,
     "modes": ["voice-and-message"], "session_name": "ride-%05d", "agents": 40},
    {"name": "deliveries",
     "settings": {"callback_url": "https://deliveries.example.com/twilio/proxy", "default_ttl": 86400,
                  "geo_match_level": "area-code", "number_selection_behavior": "avoid-sticky"},
     "numbers": 0.3, "reserved": 0.1, "short_codes": [False], "sessions": 0.3,
     "modes": ["voice-and-message", "voice-and-message", "voice-and-message", "voice-only"],
     "session_name": "delivery-%05d", "agents": 12},
    {"name": "support",
     "settings": {"chat_instance_sid": "IS" + hashlib.sha256(b"estate-chat").hexdigest()[:32],
                  "out_of_session_callback_url": "https://support.example.com/proxy/out-of-session",
                  "default_ttl": 0, "geo_match_level": "overlay", "number_selection_behavior": "prefer-sticky"},
     "numbers": 0.1, "reserved": 0.2, "short_codes": [], "sessions": 0.15,
     "modes": ["message-only", "voice-and-message"], "session_name": "ticket-%05d", "agents": 6},
    {"name": "legacy", "settings": {},
     "numbers": 0.05, "reserved": 0.0, "short_codes": [False], "sessions": 0.05,
     "modes": ["voice-only"], "session_name": "legacy-%03d", "agents": 0, "gb": True},
]
# session kinds and their weights
KINDS = [("open", 30), ("in-progress", 30), ("closed", 22), ("expired-date", 6), ("expired-ttl", 4),
         ("failed", 5), ("open-expiring", 3)]


def options(data):
    """The knobs of an estate from a control request's JSON body (unknown keys refused)."""
    unknown = set(data) - set(DEFAULTS)
    if unknown:
        raise ValueError("unknown estate options: %s" % ", ".join(sorted(unknown)))
    out = dict(DEFAULTS)
    for key, value in data.items():
        if key == "prefix":
            if not isinstance(value, str) or not value or len(value) > 100:
                raise ValueError("prefix must be a non-empty string of at most 100 characters")
            out[key] = value
        else:  # finite and in range: max_age_days 1e300 made every date unprintable
            out[key] = limits.number(key, value, 0, MAXIMA[key], integer=key != "max_age_days")
    if out["phone_numbers"] > 1000:      # the biggest pool then stays under 500 unreserved numbers
        raise ValueError("phone_numbers must be at most 1000 (bigger pools: POST /_emulator/seed)")
    out["max_age_days"] = float(out["max_age_days"]) or 1.0
    return out


def _split(total, shares):
    """``total`` split by ``shares`` (largest remainder), deterministically."""
    raw = [total * s / sum(shares) for s in shares]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])[:total - sum(parts)]:
        parts[i] += 1
    return parts


class EstateBuilder:
    """Builds one estate through ``rules`` (the Proxy rules of the emulator) into its store and inventory."""

    def __init__(self, rules, inventory, opts):
        self.rules = rules
        self.store = rules.store
        self.inventory = inventory
        self.opts = opts
        self.rng = random.Random(opts["seed"])
        self.now = self.store.now()
        self.counter = 0
        self.customers = 0

    # ------------------------------------------------------------------ helpers
    def _sid(self, prefix):
        self.counter += 1
        key = "estate:%s:%d:%d" % (self.opts["prefix"], self.opts["seed"], self.counter)
        return prefix + hashlib.sha256(key.encode()).hexdigest()[:32]

    def _ago(self, days):
        return round(self.now - days * DAY)

    def _customer(self, country="US"):
        self.customers += 1
        if country == "GB":
            return "+447911%06d" % self.customers
        return "+14152%06d" % self.customers

    def _free_numbers(self, country, count):
        """``count`` inventory numbers of ``country`` in no service; grows the US inventory when short."""
        free = [n for n in self.inventory.numbers
                if n["iso_country"] == country and n["sid"] not in self.store.number_owner]
        if len(free) < count and country == "US":
            free += self.inventory.grow(count - len(free))
        return free[:count]

    # -------------------------------------------------------------------- build
    def build(self):
        names = [self.opts["prefix"] + spec["name"] for spec in SERVICES]
        taken = [n for n in names if n in self.store.service_names]
        if taken:
            raise ValueError("the estate is already there (%s); reset first or give another prefix"
                             % ", ".join(taken))
        self.store.new_sid = self._sid          # deterministic SIDs while building (shadows the static method)
        try:
            numbers = _split(self.opts["phone_numbers"], [s["numbers"] for s in SERVICES])
            sessions = _split(self.opts["sessions"], [s["sessions"] for s in SERVICES])
            short_codes = self._short_code_plan()
            summary = []
            for spec, n_numbers, n_sessions, codes in zip(SERVICES, numbers, sessions, short_codes):
                summary.append(self._service(spec, n_numbers, n_sessions, codes))
        finally:
            del self.store.new_sid
        self.store.mark_dirty()
        return self._summary(summary)

    def _short_code_plan(self):
        wanted = self.opts["short_codes"]
        plan = [[] for spec in SERVICES]
        flags = [(i, reserved) for i, spec in enumerate(SERVICES) for reserved in spec["short_codes"]]
        i = 0
        while wanted > 0 and flags:
            index, reserved = flags[i % len(flags)]
            plan[index].append(reserved)
            wanted -= 1
            i += 1
        return plan

    def _service(self, spec, n_numbers, n_sessions, codes):
        max_age = self.opts["max_age_days"]
        values = {"unique_name": self.opts["prefix"] + spec["name"]}
        values.update(spec["settings"])
        service = self.rules.new_service(values)
        created = self._ago(max_age + 30 + 10 * len(self.store.services))
        service.update(date_created=created, date_updated=self._ago(max_age + self.rng.uniform(0, 20)))
        # the pool: GB numbers first where the service is a GB one, the rest US
        gb = self._free_numbers("GB", min(3, n_numbers)) if spec.get("gb") else []
        entries = gb + self._free_numbers("US", n_numbers - len(gb))
        n_reserved = int(round(len(entries) * spec["reserved"]))
        reserved = set(self.rng.sample(range(len(entries)), n_reserved)) if n_reserved else set()
        for i, entry in enumerate(entries):
            rec = self.rules.add_number(service, entry, i in reserved)
            stamp = self._ago(max_age + self.rng.uniform(0, 25))
            rec.update(date_created=stamp, date_updated=stamp)
        free_codes = [s for s in self.inventory.short_codes if s["sid"] not in self.store.short_code_owner]
        for entry, is_reserved in zip(free_codes, codes):
            rec = self.rules.add_short_code(service, entry, is_reserved)
            stamp = self._ago(max_age + self.rng.uniform(0, 25))
            rec.update(date_created=stamp, date_updated=stamp)
        country = "GB" if gb else "US"
        agents = [("+14153%06d" % (len(self.store.services) * 1000 + a)) for a in range(spec["agents"])]
        for i in range(n_sessions):
            self._session(service, spec, i, country, agents)
        return service

    def _session(self, service, spec, index, country, agents):
        rng = self.rng
        kind = rng.choices([name for name, weight in KINDS], [weight for name, weight in KINDS])[0]
        mode = rng.choice(spec["modes"])
        values = {"mode": mode, "ttl": 0}
        if rng.random() < 0.85:
            values["unique_name"] = spec["session_name"] % index
        session = self.rules.new_session(service, values)
        self.store.add_session(session)
        # participants while the session is open: through the rules (pool selection, conflicts)
        wanted = 2 if rng.random() < 0.88 else 1
        if kind == "failed":
            wanted = rng.choice([0, 1])
        identifiers = []
        if mode == "message-only" and rng.random() < 0.4:
            identifiers.append("whatsapp:" + self._customer())
        else:
            identifiers.append(self._customer(country))
        identifiers.append(rng.choice(agents) if agents else self._customer(country))
        parts = []
        for i, identifier in enumerate(identifiers[:wanted]):
            fields = {"identifier": identifier, "friendly_name": ("Customer %d" % self.customers) if i == 0
                      else ("Agent %s" % identifier[-4:])}
            try:
                parts.append(self.rules.add_participant(service, session, fields))
            except ApiError:          # e.g. an agent busy on every number: fewer participants, as it happens
                continue
        self._age(session, service, kind, parts)

    def _age(self, session, service, kind, parts):
        """Move the session, its participants and interactions into the past and give it its final state."""
        rng = self.rng
        max_age = self.opts["max_age_days"]
        oldest = 2.0 if kind in ("closed", "expired-date", "expired-ttl") else 0.02
        age = rng.uniform(min(oldest, max_age), max_age)  # days since creation
        created = self._ago(age)
        session.update(date_created=created, date_started=created, date_updated=created, _ttl_anchor=created)
        for part in parts:
            part.update(date_created=created + 1, date_updated=created + 1)
        last = created
        if kind in ("in-progress", "closed", "expired-ttl") and len(parts) == 2 and rng.random() < 0.9:
            count = rng.randint(1, 3)
            span = (age - (0.01 if kind == "in-progress" else 0)) * DAY
            times = sorted(created + rng.uniform(60, max(span, 120)) for index in range(count))
            for when in times:
                when = min(round(when), round(self.now) - 60)
                outbound, inbound = (parts[0], parts[1]) if rng.random() < 0.5 else (parts[1], parts[0])
                kind_i = "message" if session["mode"] != "voice-only" and rng.random() < 0.7 else "voice"
                if session["mode"] == "message-only":
                    kind_i = "message"
                data = {"body": "estate message"} if kind_i == "message" else {"duration": str(rng.randint(5, 600))}
                rec = self.rules.add_interaction(service, session, kind_i, data, outbound=outbound, inbound=inbound)
                rec.update(date_created=when, date_updated=when)
                last = when
            session.update(date_last_interaction=last, _ttl_anchor=last, date_updated=last)
        if kind in ("open", "open-expiring"):
            session["status"] = "open"
            if kind == "open-expiring":
                session["date_expiry"] = round(self.now + rng.uniform(1, 30) * DAY)
                session["date_updated"] = created + round(rng.uniform(0, age) * DAY * 0.5)
        elif kind == "in-progress":
            if session["status"] != "in-progress":     # no interaction recorded (one participant): still open
                session["status"] = "open"
            if rng.random() < 0.3:
                session["ttl"] = int((self.now - session["_ttl_anchor"]) + rng.uniform(1, 30) * DAY)
        elif kind == "closed":
            ended = last + round((self.now - last) * rng.uniform(0.1, 0.5))
            session.update(status="closed", closed_reason="api", date_ended=ended, date_updated=ended)
        elif kind == "expired-date":
            expiry = last + round(rng.uniform(0.5, max((self.now - last) / DAY - 0.1, 0.6)) * DAY * 0.9)
            session["date_expiry"] = min(expiry, round(self.now) - 3600)
        elif kind == "expired-ttl":
            ttl = service["default_ttl"] or 86400
            session["ttl"] = ttl
            if self.now - session["_ttl_anchor"] <= ttl:      # too young to have expired: make it older
                shift = ttl + 3600 - (self.now - session["_ttl_anchor"])
                for rec in [session] + parts:
                    for field in ("date_created", "date_started", "date_updated", "date_last_interaction",
                                  "_ttl_anchor"):
                        if rec.get(field) is not None:
                            rec[field] -= shift
                for rec in self.store.interactions[session["sid"]]:
                    rec["date_created"] -= shift
                    rec["date_updated"] -= shift
        elif kind == "failed":
            session.update(status="failed", date_updated=created + 5)
        if kind != "failed" and parts and rng.random() < 0.05 and session["status"] in ("open", "in-progress"):
            self.store.soft_delete_participant(parts[-1], max(session["date_updated"], parts[-1]["date_created"]))
        self.rules.refresh(session)

    # ------------------------------------------------------------------ summary
    def _summary(self, services):
        totals = {"services": len(services), "phone_numbers": 0, "reserved_phone_numbers": 0, "short_codes": 0,
                  "sessions": 0, "participants": 0, "interactions": 0, "without_unique_name": 0,
                  "expired": 0, "by_status": {}}
        out = []
        for service in services:
            ks = service["sid"]
            sessions = list(self.store.sessions[ks])
            by_status = {}
            for session in sessions:
                status = self.rules.refresh(session)["status"]
                by_status[status] = by_status.get(status, 0) + 1
                totals["by_status"][status] = totals["by_status"].get(status, 0) + 1
                totals["participants"] += len(self.store.participants[session["sid"]])
                totals["interactions"] += len(self.store.interactions[session["sid"]])
                totals["without_unique_name"] += session.get("unique_name") is None
                totals["expired"] += session.get("closed_reason") == "expired"
            pool = list(self.store.numbers[ks])
            reserved = sum(1 for n in pool if n["is_reserved"])
            codes = list(self.store.short_codes[ks])
            out.append({"sid": ks, "unique_name": service["unique_name"], "phone_numbers": len(pool),
                        "reserved_phone_numbers": reserved, "short_codes": len(codes), "sessions": len(sessions),
                        "by_status": by_status})
            totals["phone_numbers"] += len(pool)
            totals["reserved_phone_numbers"] += reserved
            totals["short_codes"] += len(codes)
            totals["sessions"] += len(sessions)
        return {"services": out, "counts": totals, "inventory_numbers": len(self.inventory.numbers)}


def build_estate(rules, inventory, data):
    """Build the estate described by the JSON body ``data`` -> its summary."""
    return EstateBuilder(rules, inventory, options(data)).build()
