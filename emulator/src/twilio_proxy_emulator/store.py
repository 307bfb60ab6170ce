"""In-memory state behind ONE lock, with optional atomic JSON persistence.

Records are plain dicts holding the resource's snake_case fields (dates as epoch seconds) plus a private ``_seq``
(global creation order). Every read-modify-write in the rules layer runs under ``Store.lock``.
"""

import bisect
import json
import os
import secrets
import tempfile
import threading
import time

from . import limits


class Collection:
    """Records of one parent, in creation order; paging by offset or by sequence token in O(log n + page)."""

    def __init__(self):
        self.items = {}        # sid -> record
        self.seqs = []         # ascending _seq of live records
        self.by_seq = {}       # _seq -> sid

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return (self.items[self.by_seq[s]] for s in self.seqs)

    def get(self, sid):
        return self.items.get(sid)

    def add(self, rec):
        seq = rec["_seq"]
        self.items[rec["sid"]] = rec
        if self.seqs and seq < self.seqs[-1]:
            bisect.insort(self.seqs, seq)
        else:
            self.seqs.append(seq)
        self.by_seq[seq] = rec["sid"]

    def remove(self, sid):
        rec = self.items.pop(sid, None)
        if rec is not None:
            seq = rec["_seq"]
            i = bisect.bisect_left(self.seqs, seq)
            if i < len(self.seqs) and self.seqs[i] == seq:
                del self.seqs[i]
            self.by_seq.pop(seq, None)
        return rec

    def page(self, after, offset, size):
        """Records after token ``after`` (a _seq) or from ``offset`` -> (records, token of the last one or None
        when nothing follows). Tokens stay valid when records are deleted."""
        start = bisect.bisect_right(self.seqs, after) if after is not None else offset
        chunk = self.seqs[start:start + size]
        more = bool(chunk) and start + size < len(self.seqs)
        return [self.items[self.by_seq[s]] for s in chunk], (chunk[-1] if more else None)


class ListSource:
    """Paging over a plain list (filtered views, the static inventory); tokens are list positions."""

    def __init__(self, records):
        self.records = records

    def __len__(self):
        return len(self.records)

    def page(self, after, offset, size):
        """Like Collection.page; tokens are list positions."""
        start = after + 1 if after is not None else offset
        chunk = self.records[start:start + size]
        more = bool(chunk) and start + size < len(self.records)
        return chunk, (start + len(chunk) - 1 if more else None)


class Store:
    def __init__(self, state_file=None, inventory=None):
        self.lock = threading.RLock()
        self.state_file = state_file
        self.inventory = inventory     # the account's numbers: its purchases and releases are persisted too
        self.clock_offset = 0.0
        self.inventory_numbers = 0     # US numbers the account owns when it grew beyond the CLI's --numbers
        self._dirty = threading.Event()
        self._save_lock = threading.Lock()
        self.clear()

    # ---------------------------------------------------------------- state
    def clear(self):
        with self.lock:
            self.seq = 0
            self.services = Collection()
            self.numbers = {}          # KS -> Collection of pool phone numbers
            self.short_codes = {}      # KS -> Collection of pool short codes
            self.sessions = {}         # KS -> Collection of sessions
            self.participants = {}     # KC -> Collection of participants
            self.interactions = {}     # KC -> Collection of interactions
            # indexes
            self.service_names = {}    # unique_name -> KS
            self.session_names = {}    # (KS, unique_name) -> KC
            self.session_by_sid = {}   # KC -> record
            self.number_owner = {}     # PN -> KS
            self.reserved_numbers = {}  # KS -> how many of its pool numbers are reserved (pool limits in O(1))
            self.short_code_owner = {}  # SC -> KS
            self.ident_parts = {}      # (KS, identifier) -> [participant records], every one ever created
            self.number_parts = {}     # PN -> {KP: participant record} (not deleted)
            self.mark_dirty()

    def now(self):
        return time.time() + self.clock_offset

    def next_seq(self):
        self.seq += 1
        return self.seq

    @staticmethod
    def new_sid(prefix):
        return prefix + secrets.token_hex(16)

    # ------------------------------------------------------------ services
    def add_service(self, rec):
        self.services.add(rec)
        self.service_names[rec["unique_name"]] = rec["sid"]
        for table in (self.numbers, self.short_codes, self.sessions):
            table.setdefault(rec["sid"], Collection())

    def rename_service(self, rec, new_name):
        self.service_names.pop(rec["unique_name"], None)
        rec["unique_name"] = new_name
        self.service_names[new_name] = rec["sid"]

    def remove_service(self, ks):
        rec = self.services.remove(ks)
        if rec is None:
            return None
        self.service_names.pop(rec["unique_name"], None)
        for session in list(self.sessions.get(ks, ())):
            self.remove_session(session)
        for num in self.numbers.pop(ks, ()):
            self.number_owner.pop(num["sid"], None)
        self.reserved_numbers.pop(ks, None)
        for sc in self.short_codes.pop(ks, ()):
            self.short_code_owner.pop(sc["sid"], None)
        self.sessions.pop(ks, None)
        return rec

    # ------------------------------------------------------- pool members
    def add_number(self, rec):
        ks = rec["service_sid"]
        self.numbers[ks].add(rec)
        self.number_owner[rec["sid"]] = ks
        self.reserved_numbers[ks] = self.reserved_numbers.get(ks, 0) + bool(rec["is_reserved"])

    def set_number_reserved(self, rec, is_reserved):
        ks = rec["service_sid"]
        self.reserved_numbers[ks] = self.reserved_numbers.get(ks, 0) - bool(rec["is_reserved"]) + bool(is_reserved)
        rec["is_reserved"] = is_reserved

    def pool_counts(self, ks):
        """(reserved, unreserved) numbers in the service's pool."""
        reserved = self.reserved_numbers.get(ks, 0)
        return reserved, len(self.numbers[ks]) - reserved

    def remove_number(self, ks, pn):
        rec = self.numbers[ks].remove(pn)
        if rec is not None:
            self.number_owner.pop(pn, None)
            self.reserved_numbers[ks] -= bool(rec["is_reserved"])
        return rec

    def add_short_code(self, rec):
        self.short_codes[rec["service_sid"]].add(rec)
        self.short_code_owner[rec["sid"]] = rec["service_sid"]

    def remove_short_code(self, ks, sc):
        rec = self.short_codes[ks].remove(sc)
        if rec is not None:
            self.short_code_owner.pop(sc, None)
        return rec

    # ------------------------------------------------------------ sessions
    def add_session(self, rec):
        self.sessions[rec["service_sid"]].add(rec)
        self.session_by_sid[rec["sid"]] = rec
        if rec.get("unique_name") is not None:
            self.session_names[(rec["service_sid"], rec["unique_name"])] = rec["sid"]
        self.participants.setdefault(rec["sid"], Collection())
        self.interactions.setdefault(rec["sid"], Collection())

    def remove_session(self, rec):
        ks, kc = rec["service_sid"], rec["sid"]
        self.sessions[ks].remove(kc)
        self.session_by_sid.pop(kc, None)
        if rec.get("unique_name") is not None:
            self.session_names.pop((ks, rec["unique_name"]), None)
        for part in self.participants.pop(kc, ()):
            self._unindex_participant(part, forget=True)
        self.interactions.pop(kc, None)

    # -------------------------------------------------------- participants
    def add_participant(self, rec):
        self.participants[rec["session_sid"]].add(rec)
        self.ident_parts.setdefault((rec["service_sid"], rec["identifier"]), []).append(rec)
        if rec.get("proxy_identifier_sid") and rec.get("date_deleted") is None:
            self.number_parts.setdefault(rec["proxy_identifier_sid"], {})[rec["sid"]] = rec

    def soft_delete_participant(self, rec, when):
        rec["date_deleted"] = when
        rec["date_updated"] = when
        self._unindex_participant(rec, forget=False)

    def _unindex_participant(self, rec, forget):
        pn = rec.get("proxy_identifier_sid")
        if pn and pn in self.number_parts:
            self.number_parts[pn].pop(rec["sid"], None)
            if not self.number_parts[pn]:
                del self.number_parts[pn]
        if forget:
            key = (rec["service_sid"], rec["identifier"])
            lst = self.ident_parts.get(key)
            if lst is not None:
                lst[:] = [p for p in lst if p["sid"] != rec["sid"]]
                if not lst:
                    del self.ident_parts[key]

    # -------------------------------------------------------- interactions
    def add_interaction(self, rec):
        self.interactions[rec["session_sid"]].add(rec)

    # --------------------------------------------------------- persistence
    def mark_dirty(self):
        self._dirty.set()

    def snapshot(self):
        """A copy of the state (records copied, so it can be serialised without the lock)."""
        def rows(collections):
            return [dict(r) for c in collections for r in c]

        with self.lock:
            return {
                "version": 1,
                "seq": self.seq,
                "clock_offset": self.clock_offset,
                "inventory_numbers": self.inventory_numbers,
                "bought": [dict(e) for e in self.inventory.bought] if self.inventory else [],
                "released": [e["sid"] for e in self.inventory.released] if self.inventory else [],
                "services": rows([self.services]),
                "numbers": rows(self.numbers.values()),
                "short_codes": rows(self.short_codes.values()),
                "sessions": rows(self.sessions.values()),
                "participants": rows(self.participants.values()),
                "interactions": rows(self.interactions.values()),
            }

    def restore(self, data):
        with self.lock:
            self.clear()
            for rec in data.get("services", ()):
                self.add_service(rec)
            for rec in data.get("numbers", ()):
                self.add_number(rec)
            for rec in data.get("short_codes", ()):
                self.add_short_code(rec)
            for rec in sorted(data.get("sessions", ()), key=lambda r: r["_seq"]):
                self.add_session(rec)
            for rec in sorted(data.get("participants", ()), key=lambda r: r["_seq"]):
                self.add_participant(rec)
            for rec in data.get("interactions", ()):
                self.add_interaction(rec)
            self.seq = int(data.get("seq", 0))
            # a clock moved out of range (NaN, 1e20 s) would make every write fail: refused, as POST /time does
            self.clock_offset = limits.number("state file: clock_offset", data.get("clock_offset", 0.0), 0,
                                              limits.MAX_CLOCK_OFFSET)
            self.inventory_numbers = int(data.get("inventory_numbers", 0))
            if self.inventory is not None:
                self._restore_account(data)
            self._dirty.clear()

    def _restore_account(self, data):
        """The account as it was: grown by the control API, then the numbers bought and released through the API."""
        inventory = self.inventory
        if self.inventory_numbers > inventory.us_numbers:
            inventory.grow(self.inventory_numbers - inventory.us_numbers)
        for sid in data.get("released", ()):
            if sid in inventory.number_by_sid:
                inventory.release(sid)
        for entry in data.get("bought", ()):
            if entry["phone_number"] not in inventory.number_by_e164:
                inventory.buy(dict(entry))

    def load(self):
        """Load the state file when it exists; returns True when something was loaded."""
        if not self.state_file or not os.path.exists(self.state_file):
            return False
        with open(self.state_file, encoding="utf-8") as fh:
            self.restore(json.load(fh))
        return True

    def save(self):
        """Write the state atomically (temp file + fsync + os.replace); one writer at a time."""
        if not self.state_file:
            return
        with self._save_lock:
            self._save()

    def _save(self):
        with self.lock:
            self._dirty.clear()
            snap = self.snapshot()
        directory = os.path.dirname(os.path.abspath(self.state_file))
        fd, tmp = tempfile.mkstemp(prefix=".emulator-state-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                # serialised outside the lock, in chunks (one big json.dumps would hold the GIL for long)
                for chunk in json.JSONEncoder(separators=(",", ":")).iterencode(snap):
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.state_file)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def start_autosave(self, stop_event, interval=0.2):
        """Debounced persistence: write at most every ``interval`` seconds while the state is dirty."""
        if not self.state_file:
            return None

        def loop():
            while not stop_event.is_set():
                if self._dirty.wait(0.5) and not stop_event.is_set():
                    started = time.monotonic()
                    self.save()
                    # debounce: big states are written less often
                    stop_event.wait(max(interval, 2 * (time.monotonic() - started)))

        thread = threading.Thread(target=loop, name="emulator-autosave", daemon=True)
        thread.start()
        return thread
