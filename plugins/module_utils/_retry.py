# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The retry policy of the collection, in one place.

Which outcome of which method is sent again, how long to wait (backoff, ``Retry-After``), when to give up, and
which failures leave a write's outcome unknown (the engine then looks before it creates again). The transport
(``_client.py``) asks this object and nothing else; the ``connection`` doc fragment states :func:`describe`'s
sentences, and a unit test holds the two together.

An *outcome* is either an HTTP status (int) or the name of a failure that produced no response (see ``FAILURES``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random
import time
from datetime import timezone
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset(['GET', 'DELETE'])
# Twilio did not process the request: sent again whatever the method.
RETRY_ANY_METHOD = frozenset([429, 503])
# The request may have been processed: sent again only where repeating it cannot create a second resource.
RETRY_IDEMPOTENT = frozenset([500, 502, 504])


class Failure:
    """A way a request can fail without a response: is it retried, and may the server have processed it?"""

    def __init__(self, text, retry, maybe_processed):
        self.text = text
        self.retry = retry  # 'any' method, 'idempotent' methods only, or 'never'
        self.maybe_processed = maybe_processed


FAILURES = {
    # Nothing listens there, or the name does not resolve: a typo in api_url, region or edge is not transient.
    'refused': Failure('connection refused', 'never', False),
    'unresolved': Failure('host name not found', 'never', False),
    # A certificate that does not verify will not verify on the next try.
    'tls': Failure('TLS failed', 'never', False),
    # The connection could not be made in time, or the network was unreachable: nothing was sent.
    'connect_timeout': Failure('connect timed out', 'any', False),
    'unreachable': Failure('connection failed', 'any', False),
    # The request went out, and no complete answer came back.
    'timeout': Failure('timed out', 'idempotent', True),
    'dropped': Failure('connection dropped', 'idempotent', True),
}


def parse_retry_after(value, now=None):
    """Seconds a ``Retry-After`` header asks for (delay-seconds or an HTTP-date), or None when absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):  # TypeError: Python < 3.10 on an unparseable date
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


class RetryPolicy:
    """Decides, after each attempt, whether and when to send a request again.

    ``max_retries`` bounds the count, ``max_retry_time`` the time from the first attempt, waits included. Backoff is
    fully jittered exponential from ``base``, capped at ``cap``; a ``Retry-After`` is a floor that the cap does not
    cut: when it asks for more than ``max_retry_time`` leaves, the request fails at once, saying so.
    """

    base = 0.5
    cap = 20.0

    def __init__(self, max_retries=10, max_retry_time=60.0, jitter=random.uniform):
        self.max_retries = max_retries
        self.max_retry_time = max_retry_time
        self.jitter = jitter

    @staticmethod
    def retryable(method, outcome):
        """Is this outcome of this method worth another try at all (limits aside)?"""
        if isinstance(outcome, int):
            return outcome in RETRY_ANY_METHOD or (outcome in RETRY_IDEMPOTENT and method in IDEMPOTENT_METHODS)
        retry = FAILURES[outcome].retry
        return retry == 'any' or (retry == 'idempotent' and method in IDEMPOTENT_METHODS)

    @staticmethod
    def outcome_unknown(method, outcome):
        """True when a request that failed this way may nevertheless have been processed.

        ``outcome`` is a status, a failure name, or an error carrying ``status`` and ``kind`` (a TwilioApiError).
        A server error (5xx) is unknown for any method; a failure without a response only for a write that went out
        (a GET changes nothing, and a DELETE that happened shows as already gone).
        """
        if not isinstance(outcome, (int, str)):
            status = getattr(outcome, 'status', None)
            outcome = status if status is not None else getattr(outcome, 'kind', None)
        if isinstance(outcome, int):
            return outcome >= 500
        if outcome not in FAILURES:
            return False
        return FAILURES[outcome].maybe_processed and method not in IDEMPOTENT_METHODS

    def backoff(self, attempt):
        """The jittered wait before retry number ``attempt + 1``."""
        return self.jitter(0, min(self.cap, self.base * (2 ** attempt)))

    def next_wait(self, method, outcome, attempt, elapsed, retry_after=None):
        """(seconds to wait before trying again, None) or (None, why not; None when the outcome is not retried).

        ``attempt`` counts the attempts made before this one failed (0 for the first), ``elapsed`` the seconds since
        the first attempt began, ``retry_after`` the raw header of the answer, if any.
        """
        if not self.retryable(method, outcome):
            return None, None
        if attempt >= self.max_retries:
            return None, None  # the error's "(after N attempts)" says it
        left = self.max_retry_time - elapsed
        asked = parse_retry_after(retry_after)
        if asked is not None and asked > left:
            return None, ('the server asked to wait %.0f s (Retry-After), more than the %.0f s left of '
                          'max_retry_time (%g s)' % (asked, max(left, 0), self.max_retry_time))
        delay = max(self.backoff(attempt), asked or 0)
        if delay > left:
            return None, 'max_retry_time (%g s) reached' % self.max_retry_time
        return delay, None


def describe():
    """The policy in the words of the ``connection`` doc fragment (a unit test checks that the fragment says it)."""
    return [
        'How many times a request is retried after HTTP %s (any method), or after HTTP %s, a timeout or a dropped '
        'connection (C(GET) and C(DELETE) only).' % (_or(RETRY_ANY_METHOD), _or(RETRY_IDEMPOTENT)),
        'A connection that cannot be made in time is retried for any method; a refused connection, an unknown host '
        'name or a TLS failure is not retried, and the error names the host and port.',
        'Backoff is exponential from %g seconds with full jitter, capped at %g seconds; a C(Retry-After) (seconds or '
        'an HTTP date) is a floor the cap does not cut. When it asks for more than O(max_retry_time) leaves, the '
        'request fails at once and says so.' % (RetryPolicy.base, RetryPolicy.cap),
    ]


def _or(statuses):
    items = [str(s) for s in sorted(statuses)]
    return '%s or %s' % (', '.join(items[:-1]), items[-1]) if len(items) > 1 else items[0]
