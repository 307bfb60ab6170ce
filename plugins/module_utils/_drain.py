# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""Draining a number before its removal: reserve it (Proxy gives it to no new session), wait until no open session
uses it, then (the caller) remove it. Shared by proxy_pool and proxy_phone_number, with the options both take."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._writes import stops_batch

DRAIN_OPTIONS = dict(
    drain=dict(type='bool', default=False),
    drain_timeout=dict(type='int', default=300),
    drain_poll_interval=dict(type='int', default=10),
)


def validate_drain(params):
    if params['drain_timeout'] < 0:
        raise EngineError('drain_timeout: must be 0 or more seconds, got %s' % params['drain_timeout'])
    if params['drain_poll_interval'] < 1:
        raise EngineError('drain_poll_interval: must be 1 or more seconds, got %s' % params['drain_poll_interval'])


def in_use(record):
    try:
        return int((record or {}).get('in_use') or 0)
    except (TypeError, ValueError):
        return 0


def busy_warning(records):
    """The warning of a removal without drain that hits numbers open sessions use (in_use > 0), naming them."""
    names = ', '.join('%s (%d)' % (r.get('phone_number') or r.get('sid'), in_use(r)) for r in records[:10])
    return ('%d number(s) removed without drain are in use by open sessions (in use: %s%s): those sessions lose '
            'their proxy number; give drain: true to reserve them and wait for the sessions to end first'
            % (len(records), names, ', ...' if len(records) > 10 else ''))


class Drained:
    """What :func:`drain` found: ``ready`` {key: record} (in_use 0: remove it now), ``gone`` [key] (removed by
    someone else meanwhile), ``busy`` {key: record} (still in use at the deadline, left reserved), ``failed``
    {key: TwilioApiError} (the reservation was refused), ``skipped`` [key] (not reserved: an earlier refusal
    stopped the reservations, see :func:`stops_batch`), ``reserved`` [key] (reserved by this call), ``error`` the
    TwilioApiError of a failed re-read (then every entry still waited on is in ``busy``)."""

    def __init__(self):
        self.ready = {}
        self.gone = []
        self.busy = {}
        self.failed = {}
        self.skipped = []
        self.reserved = []
        self.error = None


def drain(entries, timeout, interval, reserve, reread, clock=None, sleep=None):
    """Reserve each entry that is not reserved (so that Proxy gives it to no new session), then wait, at most
    ``timeout`` seconds, re-reading every ``interval`` seconds, until its ``in_use`` count is 0.

    ``entries`` is {key: record as last read}; ``reserve(key, record)`` makes the reservation request and returns
    the updated record (the caller's write: paced, recorded); ``reread(keys)`` returns {key: fresh record or None
    when it is gone} for the keys still waited on (one GET each, or one read of the list: the caller chooses).
    A timeout of 0 checks once. A refused reservation is in ``failed``. Returns a :class:`Drained`; never raises
    a TwilioApiError.
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    result = Drained()
    waiting = {}
    stopped = False
    for key, record in entries.items():
        if stopped:
            result.skipped.append(key)
            continue
        if not record.get('is_reserved'):
            try:
                record = reserve(key, record)
            except TwilioApiError as exc:
                if exc.status == 404:
                    result.gone.append(key)
                else:
                    result.failed[key] = exc
                    stopped = stops_batch(exc)
                continue
            result.reserved.append(key)
        waiting[key] = record
    deadline = clock() + timeout
    while True:
        for key in [k for k, record in waiting.items() if not in_use(record)]:
            result.ready[key] = waiting.pop(key)
        left = deadline - clock()
        if not waiting or left <= 0:
            break
        sleep(min(interval, left))
        try:
            fresh = reread(sorted(waiting))
        except TwilioApiError as exc:
            result.error = exc
            break
        for key in list(waiting):
            if fresh.get(key) is None:
                result.gone.append(key)
                del waiting[key]
            else:
                waiting[key] = fresh[key]
    result.busy = waiting
    return result
