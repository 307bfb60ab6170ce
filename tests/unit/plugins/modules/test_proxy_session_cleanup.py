# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_session_cleanup's decisions: a filter is required, the whole list is read before any write, only the
sessions matching every filter are acted on, check mode, and a failure part-way.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states,
and a fake clock stands in for the pacing. Ages are days apart, never close to a boundary.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timedelta, timezone

import pytest
import requests

from ansible_collections.community.twilio.plugins.modules import proxy_session_cleanup
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, Clock, new_sid, run_module)

SESSIONS = '/Services/%s/Sessions' % KS


def days_ago(days):
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime('%Y-%m-%dT%H:%M:%SZ')


def session(twilio, name, status='open', age=1, **fields):
    """A session created, updated and last used ``age`` days ago."""
    record = dict(sid=new_sid('KC'), unique_name=name, status=status, date_created=days_ago(age + 1),
                  date_updated=days_ago(age), date_last_interaction=None, date_expiry=None, closed_reason=None)
    record.update(fields)
    return twilio.put(SESSIONS, record)


def uri(record):
    return '%s/%s' % (SESSIONS, record['sid'])


def run(check_mode=False, **given):
    args = dict(CREDS, service_sid=KS)
    args.update(given)
    with Clock().installed(proxy_session_cleanup):
        return run_module(proxy_session_cleanup, args, check_mode=check_mode)


def names(result):
    return sorted(s['unique_name'] for s in result['sessions'])


@pytest.mark.parametrize('given, start', [
    (dict(), 'give at least one filter'),
    (dict(status=[]), 'give at least one filter'),
    (dict(older_than='a while'), 'older_than: '),
    (dict(unique_name=''), 'unique_name: '),
    (dict(status=['closed'], account_sid='AC1'), 'account_sid: '),
])
def test_bad_input_fails_before_any_request(twilio, given, start):
    result = run(**given)
    assert result['failed'] is True and result['msg'].startswith(start) and twilio.requests == []


def test_close_reads_every_page_then_closes_only_the_matching_active_sessions(twilio):
    twilio.page_size = 2
    stale = session(twilio, 'ride-1', age=40)
    busy = session(twilio, 'ride-2', status='in-progress', age=40)
    session(twilio, 'ride-3', age=1)  # recent
    session(twilio, 'ride-4', status='closed', age=40)  # already closed: nothing to do
    twilio.answer('POST', uri(stale), dict(stale, status='closed'))
    twilio.answer('POST', uri(busy), dict(busy, status='closed'))
    result = run(older_than='30d')
    assert result['failed'] is False and result['changed'] is True
    # the whole list first, then each session read again just before its write
    assert twilio.calls == [('GET', SESSIONS), ('GET', SESSIONS), ('GET', uri(stale)), ('POST', uri(stale)),
                            ('GET', uri(busy)), ('POST', uri(busy))]
    assert twilio.writes == [('POST', uri(stale), {'Status': 'closed'}), ('POST', uri(busy), {'Status': 'closed'})]
    assert names(result) == ['ride-1', 'ride-2']
    assert result['counts'] == dict(read=4, matched=3, acted=2, unchanged=1, failed=0, not_attempted=0)
    assert result['diff']['after']['sessions'][0] == dict(sid=stale['sid'], unique_name='ride-1', status='closed')


def test_delete_of_closed_sessions_deletes_exactly_those(twilio):
    closed = [session(twilio, 'c%d' % i, status='closed') for i in range(3)]
    session(twilio, 'open-one')
    result = run(action='delete', status=['closed'])
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('DELETE', uri(record), {}) for record in closed]
    assert [s['unique_name'] for s in twilio.records(SESSIONS)] == ['open-one']
    assert result['diff']['after']['sessions'][0]['status'] == 'absent'


def test_status_open_matches_in_progress_too(twilio):
    session(twilio, 'a', status='in-progress')
    session(twilio, 'b', status='closed')
    result = run(check_mode=True, status=['open'])
    assert names(result) == ['a']


def test_a_unique_name_pattern_matches_the_whole_name_and_never_a_nameless_session(twilio):
    for name in ('ride-2025-1', 'ride-2025-2', 'ride-2026-1', 'xride-2025-3', None):
        session(twilio, name)
    result = run(check_mode=True, unique_name='ride-2025-*')
    assert names(result) == ['ride-2025-1', 'ride-2025-2']


def test_last_activity_is_the_latest_of_updated_interaction_and_created(twilio):
    session(twilio, 'talked-lately', age=40, date_last_interaction=days_ago(2))
    session(twilio, 'silent', age=40)
    result = run(check_mode=True, older_than='1w')
    assert names(result) == ['silent']


@pytest.mark.parametrize('expired, wanted', [(True, ['by-date', 'by-reason']), (False, ['current'])])
def test_expired_is_by_reason_or_by_date(twilio, expired, wanted):
    session(twilio, 'by-reason', status='closed', closed_reason='expired')
    session(twilio, 'by-date', date_expiry=days_ago(1))
    session(twilio, 'current', date_expiry=days_ago(-10))
    result = run(check_mode=True, action='delete', expired=expired)
    assert names(result) == wanted


def test_nothing_matching_is_no_change(twilio):
    session(twilio, 'a', age=1)
    result = run(older_than='30d')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
    assert result['counts']['matched'] == 0


def test_check_mode_reads_the_same_writes_nothing_and_predicts_the_real_run(twilio):
    stale = session(twilio, 'stale', age=40)
    session(twilio, 'fresh', age=1)
    check = run(check_mode=True, older_than='30d')
    assert check['changed'] is True and twilio.writes == []
    reads = list(twilio.calls)
    twilio.answer('POST', uri(stale), dict(stale, status='closed'))
    real = run(older_than='30d')
    assert twilio.calls[len(reads):2 * len(reads)] == reads
    assert real['diff'] == check['diff'] and names(real) == names(check) == ['stale']


def test_an_incomplete_read_writes_nothing(twilio):
    twilio.page_size = 2
    for i in range(5):
        session(twilio, 's%d' % i, status='closed')
    twilio.refuse('GET', SESSIONS, 20503, 'Service Unavailable', status=503, query={'Page': 1})
    result = run(action='delete', status=['closed'])
    assert result['failed'] is True and result['error']['code'] == 20503
    assert twilio.writes == []


def test_a_failure_part_way_stops_and_says_what_was_done_and_what_not(twilio):
    first, second, third = [session(twilio, 's%d' % i, status='closed') for i in range(3)]
    twilio.refuse('DELETE', uri(second), 20003, 'Authenticate', status=401)
    result = run(action='delete', status=['closed'])
    assert result['failed'] is True
    assert result['msg'].startswith('deleted 1 of the 3 matching sessions, then %s: ' % second['sid'])
    assert '1 not attempted' in result['msg']
    assert [s['sid'] for s in result['sessions']] == [first['sid']]
    assert [f['sid'] for f in result['failures']] == [second['sid']]
    assert result['failures'][0]['error']['code'] == 20003
    assert result['counts']['not_attempted'] == 1
    assert [u for m, u, d in twilio.writes] == [uri(first), uri(second)]


@pytest.mark.parametrize('code, status', [(80607, 400), (20404, 404)])
def test_a_session_closed_or_deleted_meanwhile_is_not_counted_as_closed(twilio, code, status):
    record = session(twilio, 'stale', age=40)
    twilio.refuse('POST', uri(record), code, 'meanwhile', status=status)
    result = run(older_than='30d')
    assert result['failed'] is False and result['changed'] is False and names(result) == []
    assert result['counts']['unchanged'] == 1 and result['counts']['acted'] == 0


# -- issue 20 item 4 and item 1: the state of the moment of the write, and outcomes settled by a read -------------

def test_a_session_re_opened_while_the_cleanup_ran_is_not_deleted(twilio):
    record = session(twilio, 'was-closed', status='closed')
    twilio.answer('GET', uri(record), dict(record, status='open'))  # the read just before the delete
    result = run(action='delete', status=['closed'])
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
    assert result['counts'] == dict(read=1, matched=1, acted=0, unchanged=1, failed=0, not_attempted=0)


def test_a_delete_answered_404_is_already_gone_not_deleted(twilio):
    record = session(twilio, 'closed', status='closed')
    twilio.refuse('DELETE', uri(record), 20404, 'not found', status=404)
    result = run(action='delete', status=['closed'])
    assert result['failed'] is False and result['changed'] is False and result['counts']['acted'] == 0


@pytest.mark.parametrize('field', ['date_updated', 'date_last_interaction'])
def test_an_unreadable_date_never_matches_older_than(twilio, field):
    session(twilio, 'odd', age=40, **{field: 'yesterday-ish'})
    result = run(older_than='30d', check_mode=True)
    assert result['failed'] is False and result['changed'] is False and result['counts']['matched'] == 0


def test_a_close_whose_answer_is_lost_is_settled_by_a_read(twilio):
    record = session(twilio, 'stale', age=40)

    def closed():
        record['status'] = 'closed'
    twilio.fail('POST', uri(record), requests.exceptions.ReadTimeout('read timed out'), then=closed)
    result = run(older_than='30d', max_retries=0)
    assert result['failed'] is False and result['changed'] is True and names(result) == ['stale']


def test_a_close_that_no_read_can_settle_is_changed_and_named(twilio):
    record = session(twilio, 'stale', age=40)

    def closed_then_reads_fail():
        record['status'] = 'closed'
        twilio.refuse('GET', uri(record), 20500, 'Internal Server Error', status=500)
    twilio.fail('POST', uri(record), requests.exceptions.ReadTimeout('read timed out'), then=closed_then_reads_fail)
    result = run(older_than='30d', max_retries=0)
    assert result['failed'] is True and result['changed'] is True
    assert result['failures'][0]['outcome'] == 'unknown' and '1 may have been closed' in result['msg']
