# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_sessions' decisions: validation before any request, one read, only the needed writes, missing=skip, purge,
failures per item, a stop on an error that would fail every write; proxy_session_info's participants.

The module runs as Ansible runs it (its main() with arguments) against the fake Twilio of fakes.py; a fake clock
stands in for the pacing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.community.twilio.plugins.module_utils import _pacing
from ansible_collections.community.twilio.plugins.modules import proxy_session_info, proxy_sessions
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, Clock, new_sid, run_module)
from .test_proxy_session import A, B, C, SESSIONS, parts, session, uri


def run(check_mode=False, **given):
    args = dict(CREDS, service_sid=KS)
    args.update(given)
    with Clock().installed(_pacing):
        return run_module(proxy_sessions, args, check_mode=check_mode)


def item(name, *identifiers, **fields):
    entry = dict(unique_name=name, **fields)
    if identifiers:
        entry['participants'] = [dict(identifier=i) for i in identifiers]
    return entry


def created(twilio, name, *identifiers, **fields):
    """Queue Twilio's answer to the create of session ``name`` (its participants come with it)."""
    record = dict(sid=new_sid('KC'), service_sid=KS, unique_name=name, status='open', ttl=0,
                  mode='voice-and-message', date_expiry=None)
    record.update(fields)

    def add_them():
        for identifier in identifiers:
            twilio.put(parts(record), dict(sid=new_sid('KP'), session_sid=record['sid'], identifier=identifier,
                                           friendly_name=None, proxy_identifier=None, proxy_identifier_sid=None,
                                           date_deleted=None))
    twilio.answer('POST', SESSIONS, record, then=add_them)
    return record


# -- validation: before any request ----------------------------------------------------------------------------

@pytest.mark.parametrize('sessions, text', [
    ([item('a'), dict(ttl=5)], 'sessions[1]: give unique_name or sid'),
    ([item('a', ttl=-1)], 'sessions[0].ttl: must be 0 or more'),
    ([item('a'), item('b', date_expiry='next tuesday')], 'sessions[1].date_expiry: '),
    ([item('a', A, B, C)], 'sessions[0].participants: '),
    ([dict(sid='KC123')], 'sessions[0].sid: '),
    ([item('a'), item('a')], 'sessions[1].unique_name: a is declared twice (also sessions[0])'),
    ([item('a', 'not-a-number')], 'sessions[0].participants: item 1, identifier: '),
])
def test_bad_input_fails_before_any_request_naming_the_item(twilio, sessions, text):
    result = run(sessions=sessions)
    assert result['failed'] is True and result['msg'].startswith(text), result['msg']
    assert twilio.requests == []


# -- one read, no change, no write -----------------------------------------------------------------------------

def test_no_change_is_one_list_read_and_one_participant_read_per_session(twilio):
    twilio.page_size = 2
    records = [session(twilio, 's%d' % i, ttl=60, participants=[A, B]) for i in range(5)]
    result = run(sessions=[item('s%d' % i, A, B, ttl=60, status='open') for i in range(5)])
    assert result['failed'] is False and result['changed'] is False, result.get('msg')
    assert twilio.writes == []
    assert twilio.pages(SESSIONS) == 3
    assert sorted(c for c in twilio.calls if c[1] != SESSIONS) == sorted(('GET', parts(r)) for r in records)
    assert [s['unique_name'] for s in result['sessions']] == ['s%d' % i for i in range(5)]
    assert all([p['identifier'] for p in s['participants']] == [A, B] for s in result['sessions'])
    assert result['created'] == result['updated'] == result['removed'] == result['skipped_sessions'] == []
    assert result['failures'] == [] and result['diff'] == {'before': {'sessions': {}}, 'after': {'sessions': {}}}


# -- create, update, check mode --------------------------------------------------------------------------------

def test_check_mode_makes_the_same_reads_no_write_and_the_same_diff(twilio):
    old = session(twilio, 'old', ttl=60, participants=[A])
    wanted = [item('old', A, ttl=120), item('new', A, B, ttl=30)]
    check = run(check_mode=True, sessions=wanted)
    reads = list(twilio.calls)
    assert check['failed'] is False and check['changed'] is True and twilio.writes == []
    assert check['created'] == ['new'] and check['updated'] == ['old']
    assert [s['sid'] for s in check['sessions']] == [old['sid'], None]

    twilio.requests[:] = []
    twilio.answer('POST', uri(old), dict(old, ttl=120))
    created(twilio, 'new', A, B, ttl=30)
    real = run(sessions=wanted)
    assert real['failed'] is False and real['changed'] is True
    assert [c for c in twilio.calls if c[0] == 'GET'][:len(reads)] == reads
    assert [(m, u) for m, u, d in twilio.writes] == [('POST', uri(old)), ('POST', SESSIONS)]
    assert twilio.writes[1][2]['Participants'] == [json.dumps({'Identifier': A}), json.dumps({'Identifier': B})]
    assert real['diff'] == check['diff'] == {
        'before': {'sessions': {'old': 'ttl=60', 'new': 'absent'}},
        'after': {'sessions': {'old': 'ttl=120', 'new': 'participants=[%s, %s], ttl=30, unique_name=new' % (A, B)}}}
    assert real['created'] == ['new'] and real['updated'] == ['old']
    assert [p['identifier'] for p in real['sessions'][1]['participants']] == [A, B]


# -- missing: create and skip ----------------------------------------------------------------------------------

def test_skip_leaves_a_deleted_or_closed_session_alone_and_says_so(twilio):
    closed = session(twilio, 'closed', status='closed', participants=[A])
    sid = new_sid('KC')
    wanted = [item('gone', A, status='open'), item('closed', A, status='in-progress'), dict(sid=sid, status='open')]
    result = run(sessions=wanted, missing='skip')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
    assert result['skipped_sessions'] == [
        dict(session='gone', reason='does not exist; not created (missing: skip)'),
        dict(session='closed', reason='is closed; not re-opened (missing: skip)'),
        dict(session=sid, reason='does not exist; not created (missing: skip)')]
    assert [s['sid'] for s in result['sessions']] == [closed['sid']]
    assert [p['identifier'] for p in result['sessions'][0]['participants']] == [A]


def test_create_fails_an_unknown_sid_naming_it_and_goes_on(twilio):
    sid = new_sid('KC')
    created(twilio, 'new')
    result = run(sessions=[dict(sid=sid), item('new')])
    assert result['failed'] is True and result['changed'] is True
    assert result['created'] == ['new']
    assert result['failures'] == [dict(session=sid, code=None, status=None, msg=(
        'sid: no Proxy Session %s exists in %s; a session given by SID is never created (missing: skip skips it)'
        % (sid, KS)))]
    assert '1 of 2 sessions failed, 1 were changed' in result['msg']


def test_create_reopens_a_closed_session(twilio):
    closed = session(twilio, 'closed', status='closed')
    twilio.answer('POST', uri(closed), dict(closed, status='in-progress'))
    result = run(sessions=[item('closed', status='open')])
    assert result['failed'] is False and result['updated'] == ['closed']
    assert twilio.writes == [('POST', uri(closed), {'Status': 'in-progress'})]


# -- purge -----------------------------------------------------------------------------------------------------

def test_purge_deletes_what_is_not_declared_and_keeps_skipped_ones(twilio):
    keep = session(twilio, 'keep')
    closed = session(twilio, 'closed', status='closed')
    extra = session(twilio, 'extra')
    check = run(check_mode=True, sessions=[item('keep'), item('closed', status='open')], missing='skip', purge=True)
    assert check['changed'] is True and check['removed'] == ['extra'] and twilio.writes == []
    result = run(sessions=[item('keep'), item('closed', status='open')], missing='skip', purge=True)
    assert result['failed'] is False and result['changed'] is True and result['removed'] == ['extra']
    assert twilio.writes == [('DELETE', uri(extra), {})]
    assert result['diff']['before']['sessions'] == {'extra': 'present (open)'}
    assert [r['sid'] for r in twilio.records(SESSIONS)] == [keep['sid'], closed['sid']]


# -- failures --------------------------------------------------------------------------------------------------

def test_a_refused_item_is_one_line_and_the_others_go_on(twilio):
    twilio.refuse('POST', SESSIONS, 80603, 'Session UniqueName must be unique within the Service.')
    created(twilio, 'b')
    result = run(sessions=[item('a'), item('b')])
    assert result['failed'] is True and result['changed'] is True and result['created'] == ['b']
    failure, = result['failures']
    assert failure['session'] == 'a' and failure['code'] == 80603 and failure['status'] == 400
    assert '\n' not in failure['msg'] and failure['msg'].startswith('Twilio error 80603 (HTTP 400) on POST')


@pytest.mark.parametrize('status, code', [(401, 20003), (403, 20403)])
def test_refused_credentials_stop_the_writes_at_once(twilio, status, code):
    twilio.refuse('POST', SESSIONS, code, 'Authenticate', status=status)
    result = run(sessions=[item('a'), item('b'), item('c')])
    assert result['failed'] is True and result['changed'] is False
    assert [(m, u) for m, u, d in twilio.writes] == [('POST', SESSIONS)]
    assert [f['session'] for f in result['failures']] == ['a', 'b', 'c']
    assert result['failures'][1]['msg'] == 'not attempted: the writes stopped at the error of a'
    assert result['msg'].startswith('the writes stopped at an error that would fail the rest too, 2 were not attempted')


def test_a_failed_read_writes_nothing(twilio):
    session(twilio, 'a')
    twilio.refuse('GET', SESSIONS, 20500, 'Internal Server Error', status=500)
    result = run(sessions=[item('a', ttl=5), item('b')])
    assert result['failed'] is True and not result.get('changed') and twilio.writes == []
    assert 'HTTP 500' in result['msg'] and 'GET' in result['msg']


def test_an_immutable_difference_is_a_failure_of_that_item(twilio):
    session(twilio, 'a', mode='voice-only')
    session(twilio, 'b', ttl=1)
    result = run(sessions=[item('a', mode='message-only'), item('b', ttl=1)])
    assert result['failed'] is True and twilio.writes == []
    failure, = result['failures']
    assert failure['session'] == 'a' and failure['msg'].startswith('mode of Proxy Session')
    assert 'recreate=true' in failure['msg'] and 'proxy_session' in failure['msg']


# -- proxy_session_info participants ---------------------------------------------------------------------------

def test_session_info_reads_the_participants_once_per_session(twilio):
    records = [session(twilio, 's%d' % i, participants=[A, B]) for i in range(3)]
    args = dict(CREDS, service_sid=KS, participants=True)
    result = run_module(proxy_session_info, args)
    assert result['failed'] is False
    assert twilio.calls == [('GET', SESSIONS)] + [('GET', parts(r)) for r in records]
    assert all([p['identifier'] for p in s['participants']] == [A, B] for s in result['sessions'])
    twilio.requests[:] = []
    result = run_module(proxy_session_info, dict(CREDS, service_sid=KS))
    assert twilio.calls == [('GET', SESSIONS)] and 'participants' not in result['sessions'][0]
