"""The request log of the Twilio API (never of the control API): method, path, query, status, form keys only."""

import collections
import threading
import time

from .views import iso

REQUEST_LOG_MAX = 100_000


class RequestLog:
    def __init__(self, size=REQUEST_LOG_MAX):
        self.lock = threading.Lock()
        self.entries = collections.deque(maxlen=size)
        self.seq = 0

    def record(self, method, path, query, status, started, form_keys):
        with self.lock:
            self.seq += 1
            self.entries.append({"seq": self.seq, "method": method, "path": path, "query": query,
                                 "status": status, "duration_ms": round((time.monotonic() - started) * 1000, 3),
                                 "time": iso(time.time()), "form_keys": form_keys})

    def since(self, seq):
        with self.lock:
            return [e for e in self.entries if e["seq"] > seq]

    def clear(self):
        with self.lock:
            self.entries.clear()
