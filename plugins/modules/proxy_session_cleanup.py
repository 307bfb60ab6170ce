#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_session_cleanup
short_description: Close or delete, in one task, the Sessions of a Twilio Proxy Service that match filters
version_added: 0.1.0
description:
  - Tend the sessions of a service in bulk. Stale open sessions use up the proxy numbers of a participant's pool
    (Twilio errors 80206 and 80208), and closed sessions pile up by the thousand.
  - Every page of the service's sessions is read first. Only when the whole list has been read are the sessions
    that match B(every) filter given closed (O(action=close)) or deleted (O(action=delete)). A session that does
    not match is never touched, and nothing is written when a page cannot be read.
  - At least one filter is required, so that a task never acts on every session by accident.
  - Just before each close or delete, the session is read again (one GET) and the filters are checked again on
    what that read returns; a session deleted, re-opened, renamed or active again meanwhile is left alone.
  - A write whose answer is lost (a dropped connection, a server error) is settled by reading the session again
    before it is reported; one that no read can settle makes the task fail with C(changed) V(true), naming it.
  - With O(action=close), matching sessions that are already closed (or failed) need nothing and are not acted on;
    with O(action=delete), every matching session is deleted.
  - B(Deleting a session is permanent.) Twilio deletes its participants and interactions with it, and nothing
    brings them back. Close sessions instead when you may need their history.
  - The writes are paced to stay under Twilio's Proxy rate limit (30 requests a second per endpoint); a throttled
    request (HTTP 429) is retried like every request of the collection.
  - A session Twilio refuses to close or delete is recorded and the others are still acted on; an error that means
    the next writes would fail too (no response, bad credentials, still rate limited, a server error) stops the
    writes. Either way the task then fails, and its result says which sessions were acted on (RV(sessions)), which
    failed and which were not attempted (RV(failures)). A re-run acts on what is left.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes
options:
  action:
    description:
      - V(close) sets the status of each matching active session to C(closed); V(delete) deletes each matching
        session, with its participants and interactions, B(permanently).
    type: str
    choices: [close, delete]
    default: close
  status:
    description:
      - Only sessions in one of these statuses.
      - As in M(community.twilio.proxy_session_info), V(open) and V(in-progress) both match every active session
        (Twilio moves a session from open to in-progress by itself on its first interaction).
      - A session past its expiry reads as V(closed).
    type: list
    elements: str
    choices: [open, in-progress, closed, failed, unknown]
  older_than:
    description:
      - Only sessions whose last activity is older than this. The last activity of a session is the latest of its
        C(date_updated) (any change, including closing it), C(date_last_interaction) and C(date_created).
      - A number of seconds (V(3600)), or a number followed by a unit, V(s), V(m), V(h), V(d) or V(w)
        (V(90m), V(12h), V(30d)); units can be combined (V(1d12h)).
      - Ages are measured against the clock of the machine that runs the module, in UTC.
      - A session with a date that cannot be read never matches.
    type: str
  expired:
    description:
      - V(true) matches only sessions whose expiry has passed (Twilio closed them with C(closed_reason) C(expired),
        or their C(date_expiry) is in the past); V(false) only the others.
    type: bool
  unique_name:
    description:
      - Only sessions whose unique name matches this shell-style pattern (Python's C(fnmatch), case-sensitive).
        C(*) matches any text, C(?) one character, C([abc]) one of the characters. For example V(ride-2025-*).
      - Square brackets always make a character class, so V(ride[1]) matches C(ride1) only, never the name
        C(ride[1]); to match a literal bracket, put it in a class of its own, V(ride[[]1]).
      - The whole name must match. A session without a unique name never matches this filter.
    type: str
notes:
  - Give O(status=[closed]) with O(action=delete) to purge closed sessions; give O(status=[open, in-progress]) and
    O(older_than) with O(action=close) to close stale ones.
  - A session closed or deleted by someone else between the read and the write is not counted as acted on (it
    counts in RV(counts.unchanged)).
  - A date that is given but cannot be read never makes a session match O(older_than).
seealso:
  - module: community.twilio.proxy_session
  - module: community.twilio.proxy_session_info
  - name: Twilio Proxy Session resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/proxy/api/session
  - name: Twilio error 80206
    description: No available proxy number, often because stale sessions hold them.
    link: https://www.twilio.com/docs/api/errors/80206
'''

EXAMPLES = r'''
- name: Close the sessions that saw no activity for 30 days
  community.twilio.proxy_session_cleanup:
    service_sid: rides-masking
    status: [open, in-progress]
    older_than: 30d

- name: See which closed sessions would be deleted (writes nothing)
  community.twilio.proxy_session_cleanup:
    service_sid: rides-masking
    status: [closed]
    action: delete
  check_mode: true
  register: would_delete

- name: Delete them, permanently
  community.twilio.proxy_session_cleanup:
    service_sid: rides-masking
    status: [closed]
    action: delete

- name: Delete the expired test sessions of last year (expired sessions read as closed, so closing would do nothing)
  community.twilio.proxy_session_cleanup:
    service_sid: rides-masking
    unique_name: "test-2025-*"
    expired: true
    action: delete
'''

RETURN = r'''
sessions:
  description:
    - The sessions acted on (closed or deleted), or in check mode the ones that would be, as they were read before
      the action. Secrets in URLs are masked.
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      unique_name: ride-4711
      status: closed
      closed_reason: api
      date_created: '2026-10-01T08:00:00Z'
      date_updated: '2026-10-01T09:00:00Z'
      date_last_interaction: null
      date_expiry: null
counts:
  description: How many sessions were read, matched the filters, were acted on (or would be), and failed.
  returned: always
  type: dict
  contains:
    read:
      description: Sessions of the service read (every page).
      type: int
      returned: always
    matched:
      description: Sessions that match every filter.
      type: int
      returned: always
    acted:
      description: Sessions closed or deleted (in check mode, that would be).
      type: int
      returned: always
    unchanged:
      description:
        - Matching sessions that needed nothing (already closed, with O(action=close)), or that the read just
          before the write found gone or no longer matching.
      type: int
      returned: always
    failed:
      description: Sessions whose write failed.
      type: int
      returned: always
    not_attempted:
      description: Matching sessions not written because an error stopped the writes.
      type: int
      returned: always
  sample:
    read: 250
    matched: 30
    acted: 30
    unchanged: 0
    failed: 0
    not_attempted: 0
failures:
  description:
    - The sessions whose write failed, each with its C(sid), C(unique_name), C(action), Twilio's C(error) and
      C(msg). Sessions not attempted after an error that stopped the writes are counted in C(counts.not_attempted).
  returned: always
  type: list
  elements: dict
  sample: []
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 404
    code: 20404
    message: The requested resource /Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions was not found
    more_info: https://www.twilio.com/docs/errors/20404
    method: GET
    url: /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions
    attempts: 1
'''

import fnmatch
import re
import time
from datetime import datetime
from functools import partial

from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import UTC, parse_instant, redact
from ansible_collections.community.twilio.plugins.module_utils._lookup import Finder, owns, validate_identity
from ansible_collections.community.twilio.plugins.module_utils._model import identity_spec
from ansible_collections.community.twilio.plugins.module_utils._pacing import Pacer, PacedClient
from ansible_collections.community.twilio.plugins.module_utils._resources import (
    ACTIVE_STATUSES, SESSION, SESSION_STATUSES)
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run
from ansible_collections.community.twilio.plugins.module_utils._writes import DONE, NOT_DONE, Write, apply_writes, may_have_acted

NOTHING_LEFT = 'nothing left to do'  # what a write returns when the read just before it found nothing to do
FILTERS = ('status', 'older_than', 'expired', 'unique_name')
UNITS = dict(s=1, m=60, h=3600, d=86400, w=604800)
DURATION_RE = re.compile(r'^(?:(\d+)([smhdw]))+$')
DURATION_PART_RE = re.compile(r'(\d+)([smhdw])')


def parse_duration(value):
    """'30d', '12h', '1d12h', '90m', '45s', '2w' or a number of seconds -> seconds (int)."""
    text = str(value).strip().lower().replace(' ', '')
    if text.isdigit():
        return int(text)
    if not DURATION_RE.match(text):
        raise ValueError('%r is not a duration: give seconds (3600) or a number with a unit s, m, h, d or w '
                         '(30d, 12h, 1d12h)' % (value,))
    return sum(int(number) * UNITS[unit] for number, unit in DURATION_PART_RE.findall(text))


def instant(value):
    if not value:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def last_activity(record):
    """The latest of date_updated, date_last_interaction and date_created; None when none is readable or one that
    is given cannot be read (it may be the latest: an unreadable date never makes a session look old)."""
    given = [record.get(k) for k in ('date_updated', 'date_last_interaction', 'date_created') if record.get(k)]
    moments = [instant(value) for value in given]
    if not moments or None in moments:
        return None
    return max(moments)


def is_expired(record, now):
    if record.get('closed_reason') == 'expired':
        return True
    expiry = instant(record.get('date_expiry'))
    return expiry is not None and expiry <= now


def status_of(record):
    return SESSION.field('status').normalize(record.get('status'))


def summary(record):
    return dict((k, v) for k, v in record.items() if k != 'links')


class SessionCleanup:
    """A job for _runner.run: read every session of the service, keep those matching every filter, then close or
    delete them (paced), recording what was done and what failed."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.warnings = []
        self.statuses = None
        self.max_age = None
        self.pattern = None
        self.uncertain = 0  # writes that may have taken effect, which no read could settle

    # -- before any request ----------------------------------------------------------------------------------

    def validate(self):
        params = self.params
        validate_identity(SESSION, params)  # connection and service_sid
        if not [name for name in FILTERS if params.get(name) not in (None, [])]:
            raise EngineError('give at least one filter (%s): a cleanup never acts on every session of a service '
                              'by default' % ', '.join(FILTERS))
        if params.get('status'):
            self.statuses = set(SESSION.field('status').normalize(s) for s in params['status'])
        if params.get('older_than') is not None:
            try:
                self.max_age = parse_duration(params['older_than'])
            except ValueError as exc:
                raise EngineError('older_than: %s' % exc)
        self.pattern = params.get('unique_name')
        if self.pattern is not None and not self.pattern:
            raise EngineError('unique_name: must be a non-empty pattern such as ride-*')

    # -- decisions -------------------------------------------------------------------------------------------

    def matches(self, record, now):
        # open and in-progress are one active status, as the status field declares (Field.same)
        status = SESSION.field('status')
        if self.statuses is not None and not any(status.same(want, record.get('status')) for want in self.statuses):
            return False
        if self.max_age is not None:
            moment = last_activity(record)
            if moment is None or (now - moment).total_seconds() <= self.max_age:
                return False
        if self.params.get('expired') is not None and is_expired(record, now) != self.params['expired']:
            return False
        if self.pattern is not None:
            name = record.get('unique_name')
            if not name or not fnmatch.fnmatchcase(name, self.pattern):
                return False
        return True

    def needs_action(self, record):
        return self.params['action'] == 'delete' or status_of(record) in ACTIVE_STATUSES

    # -- writes ----------------------------------------------------------------------------------------------

    def recheck(self, client, parent_sids, record, now):
        """The session read again just before its write (one GET): the fresh record when it still matches every
        filter and needs the action, else None (gone, re-opened, renamed, active again... meanwhile)."""
        fresh = client.fetch(SESSION.instance_uri(parent_sids, record['sid']))
        if fresh is None or not owns(SESSION, fresh, parent_sids) or fresh.get('sid') != record['sid']:
            return None
        return fresh if self.matches(fresh, now) and self.needs_action(fresh) else None

    def write(self, client, parent_sids, record, now):
        """Re-check, then close or delete: the record acted on, or NOTHING_LEFT when the re-check (or a 404)
        found nothing left to do."""
        fresh = self.recheck(client, parent_sids, record, now)
        if fresh is None:
            return NOTHING_LEFT
        uri = SESSION.instance_uri(parent_sids, record['sid'])
        if self.params['action'] == 'delete':
            return fresh if client.delete(uri) else NOTHING_LEFT  # a 404: someone else deleted it first
        try:
            client.update(uri, {'Status': 'closed'})
        except TwilioApiError as exc:
            if exc.status == 404 or exc.code == 80607:
                return NOTHING_LEFT  # deleted or closed meanwhile, by someone else
            raise
        return fresh

    def settle(self, client, parent_sids, record, error):
        """After a write whose answer was lost: did it take effect? (_writes.Write.settle)"""
        if not may_have_acted(error):
            return NOT_DONE
        fresh = client.fetch(SESSION.instance_uri(parent_sids, record['sid']))
        if self.params['action'] == 'delete':
            return DONE if fresh is None else NOT_DONE
        return DONE if fresh is not None and status_of(fresh) not in ACTIVE_STATUSES else NOT_DONE

    def apply(self, client, parent_sids, todo, now):
        """The writes, paced under the rate limit (_pacing, _writes). A refusal of one session is recorded and the
        others go on; an error that means the next writes would fail too stops them.
        Returns (done, failures, skipped, rechecked: those the read before the write found nothing to do for)."""
        action = 'delete' if self.params['action'] == 'delete' else 'close'
        paced = PacedClient(client, Pacer(clock=time.monotonic, sleep=time.sleep))
        batch = apply_writes([Write(action, dict(sid=r['sid'], unique_name=r.get('unique_name')),
                                    partial(self.write, paced, parent_sids, r, now),
                                    settle=partial(self.settle, client, parent_sids, r)) for r in todo])
        by_sid = dict((r['sid'], r) for r in todo)
        # a write returns the record acted on or NOTHING_LEFT; a settling read that found it done leaves None
        done = [by_sid[write.item['sid']] if acted is None else acted for write, acted in batch.done
                if acted is not NOTHING_LEFT]
        rechecked = len(batch.done) - len(done)
        failures = [batch.error_entry(write, error) for write, error in batch.failed]
        self.uncertain = len(batch.uncertain)
        return done, failures, batch.skipped, rechecked

    def execute(self, client):
        parent_sids = Finder(client, self.params, self.check_mode, self.warnings).resolve_parents(SESSION)
        records = []
        if parent_sids is not None:
            # The whole list first: a bulk action never acts on a partial read (a failed page raises here).
            records = list(client.list(SESSION.collection_uri(parent_sids), SESSION.list_key))
        now = datetime.now(UTC)
        matched = [r for r in records if self.matches(r, now)]
        todo = [r for r in matched if self.needs_action(r)]
        self.uncertain = 0
        if self.check_mode:
            done, failures, rest, rechecked = todo, [], [], 0
        else:
            done, failures, rest, rechecked = self.apply(client, parent_sids, todo, now)
        counts = dict(read=len(records), matched=len(matched), acted=len(done),
                      unchanged=len(matched) - len(todo) + rechecked, failed=len(failures), not_attempted=len(rest))
        result = dict(changed=bool(done) or bool(self.uncertain), sessions=redact([summary(r) for r in done]),
                      counts=counts, failures=failures)
        if self.module._diff:
            after = 'absent' if self.params['action'] == 'delete' else 'closed'
            result['diff'] = dict(
                before=dict(sessions=[dict(sid=r['sid'], unique_name=r.get('unique_name'), status=r.get('status'))
                                      for r in done]),
                after=dict(sessions=[dict(sid=r['sid'], unique_name=r.get('unique_name'), status=after)
                                     for r in done]))
        if failures:
            verb = 'deleted' if self.params['action'] == 'delete' else 'closed'
            more = ' (and %d more failed: see failures)' % (len(failures) - 1) if len(failures) > 1 else ''
            unknown = [f['sid'] for f in failures if f.get('outcome') == 'unknown']
            maybe = '; %d may have been %s (no read could tell): %s' % (len(unknown), verb, ', '.join(unknown[:10])) \
                if unknown else ''
            raise EngineError('%s %d of the %d matching sessions, then %s: %s%s; %d not attempted%s'
                              % (verb, len(done), len(todo), failures[0]['sid'], failures[0]['msg'], more,
                                 len(rest), maybe),
                              **dict((k, v) for k, v in result.items() if k != 'diff'))
        return result


def main():
    spec = identity_spec(SESSION)
    del spec['sid']
    spec.update(
        action=dict(type='str', default='close', choices=['close', 'delete']),
        status=dict(type='list', elements='str', choices=SESSION_STATUSES),
        older_than=dict(type='str'),
        expired=dict(type='bool'),
        unique_name=dict(type='str'),
    )
    module = build_module(spec)
    run(module, SessionCleanup(module))


if __name__ == '__main__':
    main()
