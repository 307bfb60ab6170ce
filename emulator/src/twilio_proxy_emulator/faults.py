"""Fault injection: the next N requests matching a method and a path pattern get a status (with ``Retry-After``),
latency, a dropped connection, or are held until N of them have arrived (a race made certain)."""

import threading
import time

from . import limits
from .errors import fault_error


class Fault:
    def __init__(self, spec):
        status = spec.get("status", 503)  # null: latency only (with delay), then the request is served as usual
        self.method = limits.text("method", spec.get("method", "*"), 10).upper()
        self.path = spec.get("path", ".*")
        self.regex = limits.path_pattern(self.path)
        self.count = limits.number("count", spec.get("count", 1), 1, limits.MAX_COUNT, integer=True)
        self.status = None if status is None else limits.number("status", status, 100, 599, integer=True)
        self.retry_after = spec.get("retry_after")
        if self.retry_after is not None and not isinstance(self.retry_after, str):
            self.retry_after = limits.number("retry_after", self.retry_after, 0, limits.MAX_DELAY, integer=True)
        elif self.retry_after is not None:
            limits.text("retry_after", self.retry_after)
        self.delay = limits.number("delay", spec.get("delay", 0) or 0, 0, limits.MAX_DELAY)
        self.drop = bool(spec.get("drop", False))
        self.after = bool(spec.get("after", False))
        self.wait_for = limits.number("wait_for", spec.get("wait_for", 0) or 0, 0, limits.MAX_COUNT, integer=True)
        if self.wait_for and self.status is not None:
            raise ValueError("wait_for goes with status null (latency only)")
        self.arrived = 0
        self.gate = threading.Condition()

    def public(self):
        return {"method": self.method, "path": self.path, "count": self.count, "status": self.status,
                "retry_after": self.retry_after, "delay": self.delay, "drop": self.drop, "after": self.after,
                "wait_for": self.wait_for}

    @property
    def latency_only(self):
        return self.status is None and not self.drop

    def hold(self):
        """Sleep ``delay``; with ``wait_for`` N, hold each request until N matching ones have arrived (at most
        ``delay`` seconds, 30 when none is given), so that concurrent clients race for certain."""
        if not self.wait_for:
            time.sleep(self.delay)
            return
        with self.gate:
            self.arrived += 1
            self.gate.notify_all()
            self.gate.wait_for(lambda: self.arrived >= self.wait_for, timeout=self.delay or 30)

    def error(self):
        """The ApiError the fault answers with (code 20429/20500/20503, else 20000 + status)."""
        exc = fault_error(self.status)
        if self.retry_after is not None:
            exc.headers["Retry-After"] = self.retry_after
        return exc


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.pending = []

    def add(self, spec):
        fault = Fault(spec)
        with self.lock:
            self.pending.append(fault)
        return fault.public()

    def take(self, method, path):
        """The fault that applies to this request (its count taken), or None. The returned fault is shared with
        the other requests it matched (its ``wait_for`` gate) but reports the count it had for this one.
        Patterns are searched outside the lock (their matching time is bounded: limits.path_pattern), so a
        slow match holds no other request."""
        if len(path) > limits.MAX_MATCHED_PATH:
            return None
        with self.lock:
            pending = list(self.pending)
        for fault in pending:
            if fault.method in ("*", method) and fault.regex.search(path):
                with self.lock:
                    if fault.count <= 0:  # taken meanwhile by a concurrent request: the next one may apply
                        continue
                    fault.count -= 1
                    if fault.count <= 0:
                        self.pending.remove(fault)
                    return fault
        return None

    def list(self):
        with self.lock:
            return [f.public() for f in self.pending]

    def clear(self):
        with self.lock:
            self.pending.clear()
