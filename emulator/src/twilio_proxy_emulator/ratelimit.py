"""Twilio-like rate limiting: per endpoint (method + path template), a sliding 5-second window and a burst cap."""

import collections
import threading
import time

RATE_WINDOW = 5.0


class RateLimiter:
    """Per endpoint: at most rps * window requests in a sliding window of 5 s, and at most rps * burst in any one
    second. Rejected requests do not count."""

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
