# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""Many writes in one task, applied one by one, each recorded as done or failed (proxy_pool, proxy_sessions,
proxy_session_cleanup)::

    batch = apply_writes([
        Write('close', {'sid': 'KC…', 'unique_name': 'ride-1'}, lambda: client.update(uri, {'Status': 'closed'}),
              hints=SESSION.error_hints),
        ...
    ])                                       # never raises a TwilioApiError; pass batch=... to go on with one
    batch.done      # [(write, what its request returned)], in order (None where a settling read found it done)
    batch.failed    # [(write, TwilioApiError)]: the refused ones, Twilio's status and code in the error
    batch.uncertain # [write] of failed that may have taken effect (no read could tell): changed all the same
    batch.already   # [write] whose wanted state a settling read found, made by someone else
    batch.skipped   # [write]: not attempted, because an earlier error stopped the batch (batch.stopped_by)
    batch.complete  # nothing failed or skipped
    batch.report()  # {'done': [item...], 'failed': [dict(item, action=..., error=as_dict() or None, msg=...)]}

A ``Write`` may carry ``settle=`` (a callable taking the error): after a failure it reads what Twilio holds and
returns DONE (the write took effect: it goes to ``done``), ALREADY (someone else made it) or NOT_DONE; a failure
that may have taken effect (:func:`may_have_acted`) and that no read settles is in ``uncertain`` (``changed``).
A refusal of one item (a 4xx other than 401/403/429: 80601, 80607, 20404, ...) is recorded and the batch goes on;
an error that says the next writes would fail too or that Twilio may be in trouble (no response, 401, 403, 429 after
the client's retries, 5xx) stops it: the rest is ``skipped``. Pacing the writes is _pacing's.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._errors import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._retry import FAILURES
from ansible_collections.community.twilio.plugins.module_utils._runner import hint

DONE = 'done'          # a settling read found that the write took effect (this run's write)
ALREADY = 'already'    # ... found what the write asked for, done by someone else (a conflict lost to another run)
NOT_DONE = 'not done'  # ... found that it did not take effect


class Write:
    """One planned write: ``action`` (a word: add, update, remove, close, ...), ``item`` (a dict that names what it
    acts on, returned as is in results) and ``request`` (a callable making the request(s); its return value is
    kept).
    ``hints`` are a resource's ``error_hints`` (see _runner.hint): Twilio's code -> what to append to its message.
    ``settle(error)``, when given, is called after ``request`` failed: it reads what Twilio holds and returns DONE,
    ALREADY or NOT_DONE (None or a TwilioApiError: it cannot tell); a write whose outcome may have taken effect
    (:func:`may_have_acted`) is never reported as not done without such a read."""

    def __init__(self, action, item, request, hints=None, settle=None):
        self.action = action
        self.item = item
        self.request = request
        self.hints = hints or {}
        self.settle = settle


def may_have_acted(error):
    """Whether a failed write may nevertheless have taken effect: no complete answer after the request went out
    (or an earlier attempt's), or a server error. Only a read can tell then."""
    if error.outcome_unknown or error.earlier_maybe_processed:
        return True
    if error.status is None:
        failure = FAILURES.get(error.kind)
        return failure is None or failure.maybe_processed
    return error.status >= 500


def settle(write, error):
    """DONE, ALREADY, NOT_DONE or None (no read could tell): what ``write.settle`` found after ``error``."""
    if write.settle is None:
        return None
    try:
        return write.settle(error)
    except TwilioApiError:
        return None


def stops_batch(error):
    """Whether an error means the writes after it would fail too (or must not be tried): no response, bad
    credentials or permissions, still rate limited after the client's retries, or Twilio failing (5xx)."""
    status = error.status
    return status is None or status in (401, 403, 429) or status >= 500 or error.outcome_unknown


class Batch:
    def __init__(self):
        self.done = []
        self.failed = []
        self.skipped = []
        self.already = []    # [write]: what it asked for holds, done by someone else (not this run's change)
        self.uncertain = []  # [write] of ``failed`` that may have taken effect: no read could tell
        self.stopped_by = None

    @property
    def complete(self):
        return not self.failed and not self.skipped

    @property
    def maybe_wrote(self):
        """Whether a write of this batch took effect or may have (``changed``)."""
        return bool(self.done or self.uncertain)

    def error_entry(self, write, error):
        entry = dict(write.item, action=write.action, error=error.as_dict(),
                     msg=str(error) + hint(write.hints, error))
        if write in self.uncertain:
            entry['outcome'] = 'unknown'
            entry['msg'] = ('may have taken effect (no complete answer, and reading it again did not tell): %s'
                            % entry['msg'])
        return entry

    def report(self):
        """JSON-ready: {'done': [item...], 'failed': [item + action, error (Twilio's), msg]}; skipped writes
        are in 'failed' with ``error`` None and a msg saying they were not attempted."""
        failed = [self.error_entry(write, error) for write, error in self.failed]
        for write in self.skipped:
            failed.append(dict(write.item, action=write.action, error=None,
                               msg='not attempted: the writes stopped at an earlier error (%s)' % self.stopped_by))
        return dict(done=[write.item for write, dummy in self.done], failed=failed)


def apply_writes(writes, batch=None):
    """Run each :class:`Write` in order and record it as done, failed (Twilio's error) or skipped; never raises a
    TwilioApiError. Pass ``batch`` to append to an earlier batch (an earlier stop skips these writes too)."""
    batch = batch or Batch()
    for write in writes:
        if batch.stopped_by is not None:
            batch.skipped.append(write)
            continue
        try:
            batch.done.append((write, write.request()))
        except TwilioApiError as exc:
            outcome = settle(write, exc)
            if outcome == DONE:
                batch.done.append((write, None))
            elif outcome == ALREADY:
                batch.already.append(write)
            else:
                batch.failed.append((write, exc))
                if outcome is None and may_have_acted(exc):
                    batch.uncertain.append(write)
                if stops_batch(exc):
                    batch.stopped_by = str(exc)
    return batch
