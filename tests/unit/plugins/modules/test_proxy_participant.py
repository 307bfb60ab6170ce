# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_participant's decisions: no update, soft-deleted participants are gone and cannot come back, check mode.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.modules import proxy_participant
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, new_sid, run_module)

from .test_proxy_session import A, B, C, SESSIONS, participant, parts, session


def run(check_mode=False, **given):
    args = dict(CREDS, service_sid=KS)
    args.update(given)
    return run_module(proxy_participant, args, check_mode=check_mode)


def test_add_by_session_name_returns_the_proxy_number_given(twilio):
    record = session(twilio, 's')
    check = run(check_mode=True, session_sid='s', identifier='+1 415 555 0100', friendly_name='a')
    assert check['failed'] is False and check['changed'] is True and twilio.writes == []
    assert check['participant']['sid'] is None and check['participant']['session_sid'] == record['sid']
    added = participant(twilio, record, A, store=False, friendly_name='a')
    twilio.answer('POST', parts(record), added)
    result = run(session_sid='s', identifier='+1 415 555 0100', friendly_name='a')
    assert result['changed'] is True and result['diff'] == check['diff']
    assert result['participant'] == added and result['participant']['proxy_identifier']
    assert twilio.writes == [('POST', parts(record), {'Identifier': A, 'FriendlyName': 'a'})]
    calls = len(twilio.calls)
    again = run(session_sid='s', identifier=A, friendly_name='a')
    assert again['changed'] is False and len(twilio.writes) == 1
    assert twilio.calls[calls:] == [('GET', SESSIONS + '/s'), ('GET', parts(record))]


def test_a_session_given_by_sid_costs_no_look_up(twilio):
    record = session(twilio, 's', participants=[A])
    result = run(session_sid=record['sid'], identifier=A)
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', parts(record))]


def test_a_differing_field_fails_saying_there_is_no_update(twilio):
    record = session(twilio, 's', participants=[A])
    result = run(session_sid=record['sid'], identifier=A, friendly_name='other')
    assert result['failed'] is True and result['msg'].startswith('friendly_name of Proxy Participant KP')
    assert 'Twilio cannot update a participant' in result['msg'] and twilio.writes == []


def test_a_removed_participant_is_absent_and_cannot_be_added_again(twilio):
    record = session(twilio, 's', participants=[A])
    gone = participant(twilio, record, B)
    # Twilio keeps a removed participant in the list, with date_deleted set.
    twilio.answer('DELETE', '%s/%s' % (parts(record), gone['sid']),
                  then=lambda: gone.update(date_deleted='2026-01-01T00:00:00Z'))
    result = run(session_sid='s', identifier=B, state='absent')
    assert result['changed'] is True and [m for m, u, d in twilio.writes] == ['DELETE']
    result = run(session_sid='s', identifier=B, state='absent')
    assert result['changed'] is False and result['participant'] == {} and len(twilio.writes) == 1
    for check_mode in (True, False):
        result = run(check_mode=check_mode, session_sid=record['sid'], identifier=B)
        assert result['failed'] is True and 'was deleted' in result['msg'] and '80612' in result['msg']
    assert len(twilio.writes) == 1


def test_a_third_participant_is_refused_before_any_write_also_in_check_mode(twilio):
    session(twilio, 's', participants=[A, B])
    for check_mode in (True, False):
        result = run(check_mode=check_mode, session_sid='s', identifier=C)
        assert result['failed'] is True and '80609' in result['msg']
    assert twilio.writes == []


def test_a_participant_for_a_closed_session_is_refused_before_any_write_also_in_check_mode(twilio):
    session(twilio, 's', status='closed')
    for check_mode in (True, False):
        result = run(check_mode=check_mode, session_sid='s', identifier=A)
        assert result['failed'] is True and '80607' in result['msg']
    assert twilio.writes == []


def test_twilios_refusal_of_an_add_is_reported_with_its_code(twilio):
    # Another client added a second participant between our read and our write: Twilio says 80609.
    record = session(twilio, 's', participants=[A])
    twilio.refuse('POST', parts(record), 80609, 'Too Many Added Participants')
    result = run(session_sid=record['sid'], identifier=C)
    assert result['failed'] is True and result['error']['code'] == 80609
    assert 'Too Many Added Participants' in result['msg']


def test_a_missing_session_fails_naming_the_option(twilio):
    result = run(session_sid='nope', identifier=A)
    assert result['failed'] is True and result['msg'].startswith('session_sid: no Proxy Session')
    assert twilio.writes == []


def test_check_mode_assumes_a_missing_session_comes_from_an_earlier_task(twilio):
    result = run(check_mode=True, session_sid='nope', identifier=A)
    assert result['failed'] is False and result['changed'] is True and twilio.writes == []
    assert any("'nope' does not exist" in w for w in result['warnings'])


def test_a_bad_identifier_fails_before_any_request(twilio):
    result = run(session_sid='KC' + new_sid('')[:32], identifier='12345')
    assert result['failed'] is True and result['msg'].startswith('identifier: ') and twilio.requests == []


def test_absent_under_a_session_that_is_gone_is_unchanged(twilio):
    result = run(session_sid='gone-session', identifier=A, state='absent')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
