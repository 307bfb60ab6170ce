# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""Writes paced under Twilio's rate limit: :class:`Pacer` (a token bucket) and :class:`PacedClient`.

    client = PacedClient(client)   # create/update/delete wait for a Pacer (25 writes/s, bursts of 5);
                                   # fetch/list pass through. Twilio: 30 requests/s per endpoint.

The client's retries (429/503 with backoff) stay the safety net under the pacer. ``Pacer(rate, burst, clock=...,
sleep=...)`` takes an injectable clock and sleep for tests. Used by proxy_pool, proxy_sessions and
proxy_session_cleanup.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

WRITES_PER_SECOND = 25.0  # Twilio: "a baseline of 30 RPS per endpoint", averaged over a 5 s sliding window
WRITE_BURST = 5           # at most BURST + 5 * RATE = 130 writes in any 5 s window, against Twilio's 150


# ---------------------------------------------------------------------------------------------------------------
# Pacing

class Pacer:
    """At most ``rate`` calls a second on average, at most ``burst`` at once (a GCRA token bucket).

    ``wait()`` sleeps just long enough before a call; the time spent in the caller's request counts toward the
    interval, so a request slower than 1/rate is never delayed further. ``waited`` is the total sleep.
    """

    def __init__(self, rate=WRITES_PER_SECOND, burst=WRITE_BURST, clock=None, sleep=None):
        if rate <= 0 or burst < 1:
            raise ValueError('rate must be > 0 and burst >= 1')
        self.interval = 1.0 / rate
        self.slack = (burst - 1) * self.interval
        self.clock = clock or time.monotonic
        self.sleep = sleep or time.sleep
        self.tat = None  # the theoretical arrival time of the next call
        self.calls = 0
        self.waited = 0.0

    def wait(self):
        now = self.clock()
        tat = now if self.tat is None else max(self.tat, now)
        delay = tat - now - self.slack
        if delay > 0:
            self.sleep(delay)
            self.waited += delay
        self.tat = tat + self.interval
        self.calls += 1


class PacedClient:
    """A TwilioClient whose writes wait for a :class:`Pacer`; reads and everything else pass through."""

    def __init__(self, client, pacer=None):
        self.client = client
        self.pacer = pacer or Pacer()

    def __getattr__(self, name):
        return getattr(self.client, name)

    def create(self, uri, data):
        self.pacer.wait()
        return self.client.create(uri, data)

    def update(self, uri, data):
        self.pacer.wait()
        return self.client.update(uri, data)

    def delete(self, uri):
        self.pacer.wait()
        return self.client.delete(uri)
