# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_session's decisions: instants, immutable fields, closed sessions, participant reconciliation, check mode.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states.
Where one of Twilio's rules decides (a closed session refuses updates, 80607), the test states the session's
status or queues Twilio's refusal; the fake itself keeps no rule.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json

import pytest
import requests

from ansible_collections.community.twilio.plugins.modules import proxy_session
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, new_sid, run_module)

SESSIONS = '/Services/%s/Sessions' % KS
A, B, C = '+14155550100', '+14155550101', '+14155550102'
_proxy_numbers = ('+1415666%04d' % i for i in itertools.count())


def run(check_mode=False, **given):
    args = dict(CREDS, service_sid=KS)
    args.update(given)
    return run_module(proxy_session, args, check_mode=check_mode)


def session(twilio, name, status='open', ttl=0, mode='voice-and-message', date_expiry=None, participants=()):
    sid = new_sid('KC')
    record = twilio.put(SESSIONS, dict(sid=sid, service_sid=KS, unique_name=name, status=status, ttl=ttl, mode=mode,
                                       date_expiry=date_expiry, url='https://proxy.twilio.com/v1%s/%s' % (SESSIONS, sid)))
    for identifier in participants:
        participant(twilio, record, identifier)
    return record


def participant(twilio, session_record, identifier, store=True, **fields):
    record = dict(sid=new_sid('KP'), session_sid=session_record['sid'], identifier=identifier, friendly_name=None,
                  proxy_identifier=next(_proxy_numbers), proxy_identifier_sid=None, date_deleted=None)
    record.update(fields)
    return twilio.put(parts(session_record), record) if store else record


def uri(record):
    return '%s/%s' % (SESSIONS, record['sid'])


def parts(record):
    return '%s/%s/Participants' % (SESSIONS, record['sid'])


def identifiers(result):
    return [p['identifier'] for p in result['session']['participants']]


# -- look-up ---------------------------------------------------------------------------------------------------

def test_no_change_by_name_is_one_fetch_and_one_participant_list(twilio):
    record = session(twilio, 's', ttl=60, participants=[A, B])
    result = run(unique_name='s', ttl=60, participants=[dict(identifier=A), dict(identifier=B)])
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', SESSIONS + '/s'), ('GET', parts(record))]
    assert identifiers(result) == [A, B]


def test_without_fetch_by_name_every_page_is_read_and_nothing_is_created(twilio):
    twilio.fetch_by = ()
    twilio.page_size = 2
    for i in range(5):
        session(twilio, 's%d' % i)
    result = run(unique_name='s4', ttl=0)
    assert result['failed'] is False and result['changed'] is False
    assert result['session']['unique_name'] == 's4' and twilio.writes == []
    assert twilio.pages(SESSIONS) == 1 + 3  # the first page (and a probe by name), then every page


# -- instants, immutable fields --------------------------------------------------------------------------------

def test_date_expiry_is_compared_as_an_instant(twilio):
    record = session(twilio, 's', date_expiry='2026-12-31T23:00:00Z')
    result = run(unique_name='s', date_expiry='2027-01-01T00:00:00+01:00')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
    twilio.answer('POST', uri(record), dict(record, date_expiry='2026-12-31T23:00:01Z'))
    result = run(unique_name='s', date_expiry='2027-01-01T00:00:01+01:00')
    assert result['changed'] is True
    assert twilio.writes == [('POST', uri(record), {'DateExpiry': '2026-12-31T23:00:01Z'})]
    assert result['diff'] == {'before': {'date_expiry': '2026-12-31T23:00:00Z'},
                              'after': {'date_expiry': '2026-12-31T23:00:01Z'}}


def test_an_unparseable_date_expiry_fails_before_any_request(twilio):
    result = run(unique_name='s', date_expiry='next tuesday')
    assert result['failed'] is True and result['msg'].startswith('date_expiry: ') and twilio.requests == []


@pytest.mark.parametrize('option, value', [('mode', 'message-only'), ('unique_name', 'other')])
def test_an_immutable_difference_fails_naming_the_field(twilio, option, value):
    record = session(twilio, 's')
    given = dict(sid=record['sid'], unique_name='s')
    given[option] = value
    result = run(**given)
    assert result['failed'] is True
    assert result['msg'].startswith('%s of Proxy Session %s cannot be changed in place' % (option, record['sid']))
    assert 'recreate=true' in result['msg'] and twilio.writes == []


def test_recreate_deletes_and_creates_and_shows_it_in_the_diff(twilio):
    old = session(twilio, 's', participants=[A])
    old_proxy = twilio.records(parts(old))[0]['proxy_identifier']  # the diff says the participants go too
    new = dict(old, sid=new_sid('KC'), mode='message-only')
    twilio.answer('POST', SESSIONS, new, then=lambda: participant(twilio, new, A))
    result = run(unique_name='s', mode='message-only', recreate=True, participants=[dict(identifier=A)])
    assert result['failed'] is False and result['changed'] is True
    assert [(m, u) for m, u, d in twilio.writes] == [('DELETE', uri(old)), ('POST', SESSIONS)]
    assert twilio.writes[1][2] == {'UniqueName': 's', 'Mode': 'message-only', 'Participants': json.dumps(
        {'Identifier': A})}
    assert result['diff']['before'] == {'mode': 'voice-and-message', 'sid': old['sid'],
                                        'state': 'present',
                                        'participants': [{'identifier': A, 'proxy_identifier': old_proxy}]}
    assert result['diff']['after']['mode'] == 'message-only'
    assert result['diff']['after']['state'] == 'present (created again, after deleting the one before)'
    assert result['session']['sid'] == new['sid'] and identifiers(result) == [A]


# -- create ----------------------------------------------------------------------------------------------------

def test_create_sends_the_participants_as_repeated_json_objects(twilio):
    new = dict(sid=new_sid('KC'), service_sid=KS, unique_name='s', status='open', ttl=60, mode='message-only')

    def twilio_adds_them():
        participant(twilio, new, A, friendly_name='rider')
        participant(twilio, new, 'messenger:42', proxy_identifier='messenger:proxy')

    twilio.answer('POST', SESSIONS, new, then=twilio_adds_them)
    result = run(unique_name='s', ttl=60, mode='message-only', participants=[
        dict(identifier='+1 (415) 555-0100', friendly_name='rider'), dict(identifier='messenger:42')])
    assert result['failed'] is False and result['changed'] is True
    (method, path, data), = twilio.writes
    assert (method, path) == ('POST', SESSIONS)
    assert [json.loads(p) for p in data['Participants']] == [
        {'Identifier': A, 'FriendlyName': 'rider'}, {'Identifier': 'messenger:42'}]
    assert data['UniqueName'] == 's' and data['Ttl'] == '60'
    assert identifiers(result) == [A, 'messenger:42']
    assert all(p['proxy_identifier'] for p in result['session']['participants'])


def test_check_mode_create_predicts_the_participants_and_writes_nothing(twilio):
    wanted = dict(unique_name='s', ttl=60,
                  participants=[dict(identifier=A, friendly_name='rider'), dict(identifier=B)])
    check = run(check_mode=True, **wanted)
    assert check['failed'] is False and check['changed'] is True and twilio.writes == []
    assert check['session']['sid'] is None
    assert [(p['sid'], p['identifier'], p['proxy_identifier']) for p in check['session']['participants']] == [
        (None, A, None), (None, B, None)]
    new = dict(sid=new_sid('KC'), service_sid=KS, unique_name='s', status='open', ttl=60, mode='voice-and-message')
    twilio.answer('POST', SESSIONS, new, then=lambda: [participant(twilio, new, A, friendly_name='rider'),
                                                       participant(twilio, new, B)])
    real = run(**wanted)
    assert real['diff'] == check['diff']
    assert real['diff']['after']['participants'] == [{'identifier': A, 'friendly_name': 'rider'},
                                                     {'identifier': B}]


@pytest.mark.parametrize('participants, text', [
    ([dict(identifier=A), dict(identifier=B), dict(identifier=C)], 'at most 2 participants (Twilio error 80609)'),
    ([dict(identifier=A), dict(identifier='+1 415 555 0100')], 'given twice'),
    ([dict(identifier='12345')], 'item 1, identifier'),
    ([dict(identifier=A, proxy_identifier_sid='PN1')], 'item 1, proxy_identifier_sid'),
])
def test_bad_participants_fail_before_any_request(twilio, participants, text):
    result = run(unique_name='s', participants=participants)
    assert result['failed'] is True and result['msg'].startswith('participants: ') and text in result['msg']
    assert twilio.requests == []


def test_a_channel_participant_outside_a_message_only_session_is_refused_before_any_write(twilio):
    result = run(unique_name='s', participants=[dict(identifier='messenger:42')])  # Twilio's default mode
    assert result['failed'] is True and result['msg'].startswith('participants: ')
    assert 'message-only session (error 80616)' in result['msg'] and twilio.writes == []


def test_purge_participants_needs_participants(twilio):
    result = run(unique_name='s', purge_participants=True)
    assert result['failed'] is True and 'participants' in result['msg'] and twilio.requests == []


def test_a_create_that_loses_a_race_converges_the_session_the_other_run_created(twilio):
    theirs = dict(sid=new_sid('KC'), service_sid=KS, unique_name='s', status='open', ttl=0, mode='voice-and-message')
    twilio.refuse('POST', SESSIONS, 80603, 'Session UniqueName must be unique within the Service.',
                  then=lambda: twilio.put(SESSIONS, theirs))
    twilio.answer('POST', uri(theirs), dict(theirs, ttl=60))
    result = run(unique_name='s', ttl=60)
    assert result['failed'] is False and result['changed'] is True
    assert [(m, u) for m, u, d in twilio.writes] == [('POST', SESSIONS), ('POST', uri(theirs))]
    assert result['diff'] == {'before': {'ttl': 0}, 'after': {'ttl': 60}}
    assert any('80603' in w and 'meanwhile' in w for w in result['warnings'])


# -- participants on an existing session -----------------------------------------------------------------------

def test_a_missing_participant_is_added(twilio):
    record = session(twilio, 's', participants=[A])
    twilio.answer('POST', parts(record), participant(twilio, record, B, store=False, friendly_name='b'))
    wanted = dict(unique_name='s', participants=[dict(identifier=A), dict(identifier=B, friendly_name='b')])
    result = run(**wanted)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('POST', parts(record), {'Identifier': B, 'FriendlyName': 'b'})]
    assert identifiers(result) == [A, B]
    assert result['diff']['before'] == {'participants': [
        {'identifier': A, 'proxy_identifier': result['session']['participants'][0]['proxy_identifier']}]}
    assert result['diff']['after']['participants'][1] == {'identifier': B, 'friendly_name': 'b'}
    again = run(**wanted)
    assert again['changed'] is False and len(twilio.writes) == 1


def test_an_unlisted_participant_is_kept_unless_purge_is_asked(twilio):
    record = session(twilio, 's', participants=[A])
    other = participant(twilio, record, B)
    result = run(unique_name='s', participants=[dict(identifier=A)])
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
    assert identifiers(result) == [A, B]
    result = run(unique_name='s', participants=[dict(identifier=A)], purge_participants=True)
    assert result['changed'] is True
    assert twilio.writes == [('DELETE', '%s/%s' % (parts(record), other['sid']), {})]
    assert identifiers(result) == [A]
    assert result['diff']['after'] == {'participants': [
        {'identifier': A, 'proxy_identifier': result['session']['participants'][0]['proxy_identifier']}]}


def test_a_third_participant_is_refused_before_any_write_unless_purge(twilio):
    record = session(twilio, 's', participants=[A, B])
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=C)])
    assert result['failed'] is True and '80609' in result['msg'] and 'purge_participants' in result['msg']
    assert twilio.writes == []
    twilio.answer('POST', parts(record), participant(twilio, record, C, store=False))
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=C)], purge_participants=True)
    assert result['failed'] is False and identifiers(result) == [A, C]
    assert [m for m, u, d in twilio.writes] == ['DELETE', 'POST']  # removal first, so the session never holds three


def test_twilio_refusing_a_participant_is_reported_with_its_code(twilio):
    # Another client added a second participant between our read and our write: Twilio says 80609.
    record = session(twilio, 's', participants=[A])
    twilio.refuse('POST', parts(record), 80609, 'Too Many Added Participants')
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=B)])
    assert result['failed'] is True and result['error']['code'] == 80609
    assert result['msg'].startswith('Twilio error 80609 (HTTP 400) on POST /v1%s: ' % parts(record))


def test_a_failure_after_a_write_reports_changed_and_what_was_done(twilio):
    # The swap removed B (a removed identifier never rejoins), then Twilio refused C: the run changed something.
    record = session(twilio, 's', participants=[A, B])
    twilio.refuse('POST', parts(record), 80605, 'Proxy Identifier not in pool')
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=C)], purge_participants=True)
    assert result['failed'] is True and result['changed'] is True
    assert [m for m, u, d in twilio.writes] == ['DELETE', 'POST']
    assert '80605' in result['msg']


def test_a_participant_add_whose_outcome_is_unknown_is_looked_up_and_not_repeated(twilio):
    record = session(twilio, 's', participants=[A])
    added = participant(twilio, record, B, store=False)
    twilio.fail('POST', parts(record), requests.exceptions.ReadTimeout('read timed out'),
                then=lambda: twilio.put(parts(record), added))  # Twilio added it; the answer was lost
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=B)])
    assert result['failed'] is False and result['changed'] is True
    assert len(twilio.writes) == 1 and identifiers(result) == [A, B]


def test_a_differing_participant_fails_because_there_is_no_update(twilio):
    session(twilio, 's', participants=[A])
    result = run(unique_name='s', participants=[dict(identifier=A, friendly_name='new')])
    assert result['failed'] is True
    assert result['msg'].startswith('participants: friendly_name of participant %s' % A)
    assert 'cannot update a participant' in result['msg'] and twilio.writes == []


def test_a_removed_participant_cannot_come_back(twilio):
    record = session(twilio, 's', participants=[A])
    participant(twilio, record, B, date_deleted='2026-01-01T00:00:00Z')  # Twilio keeps removed ones, marked
    result = run(unique_name='s', participants=[dict(identifier=A), dict(identifier=B)])
    assert result['failed'] is True and '80612' in result['msg'] and 'was removed' in result['msg']
    assert twilio.writes == []


def test_check_mode_predicts_added_and_removed_participants_without_writes(twilio):
    record = session(twilio, 's', participants=[A, B])
    wanted = dict(unique_name='s', participants=[dict(identifier=A), dict(identifier=C)], purge_participants=True)
    check = run(check_mode=True, **wanted)
    assert check['failed'] is False and check['changed'] is True and twilio.writes == []
    assert identifiers(check) == [A, C] and check['session']['participants'][1]['sid'] is None
    twilio.answer('POST', parts(record), participant(twilio, record, C, store=False))
    real = run(**wanted)
    assert real['diff'] == check['diff'] and identifiers(real) == [A, C]


# -- closed sessions -------------------------------------------------------------------------------------------

def test_a_closed_session_is_not_updated_on_a_no_change_run(twilio):
    session(twilio, 's', status='closed', ttl=60)
    for status in (None, 'closed'):
        result = run(unique_name='s', ttl=60, status=status)
        assert result['failed'] is False and result['changed'] is False
    assert twilio.writes == []


def test_changing_ttl_of_a_closed_session_without_reopening_fails_clearly(twilio):
    session(twilio, 's', status='closed', ttl=60)
    for check_mode in (True, False):
        result = run(check_mode=check_mode, unique_name='s', ttl=120)
        assert result['failed'] is True and '80607' in result['msg'] and 'status: in-progress' in result['msg']
    assert twilio.writes == []


def test_twilio_refusing_an_update_of_a_session_closed_meanwhile_is_reported(twilio):
    record = session(twilio, 's', ttl=60)
    twilio.refuse('POST', uri(record), 80607, 'Session is closed and cannot be updated.')
    result = run(unique_name='s', ttl=120)
    assert result['failed'] is True and result['error']['code'] == 80607
    assert 'Session is closed and cannot be updated.' in result['msg']


def test_reopen_goes_in_one_request_with_the_other_changes(twilio):
    # Twilio updates no closed session, and one whose date_expiry passed expires again at once unless the new
    # date_expiry comes with the re-open: everything goes in the request that re-opens it.
    record = session(twilio, 's', status='closed', ttl=60)
    twilio.answer('POST', uri(record), dict(record, status='in-progress', ttl=120))
    result = run(unique_name='s', ttl=120, status='in-progress')
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('POST', uri(record), {'Status': 'in-progress', 'Ttl': '120'})]
    assert result['session']['status'] == 'in-progress' and result['session']['ttl'] == 120
    assert result['diff'] == {'before': {'status': 'closed', 'ttl': 60}, 'after': {'status': 'in-progress', 'ttl': 120}}


def test_open_is_satisfied_by_in_progress_and_reopens_a_closed_session(twilio):
    session(twilio, 's', status='in-progress')
    result = run(unique_name='s', status='open')
    assert result['changed'] is False and twilio.writes == []
    closed = session(twilio, 't', status='closed')
    twilio.answer('POST', uri(closed), dict(closed, status='in-progress'))
    result = run(unique_name='t', status='open')
    assert result['changed'] is True and twilio.writes == [('POST', uri(closed), {'Status': 'in-progress'})]


def test_close_sends_status_closed_once(twilio):
    record = session(twilio, 's', ttl=60)
    twilio.answer('POST', uri(record), dict(record, status='closed'))
    result = run(unique_name='s', status='closed', ttl=60)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('POST', uri(record), {'Status': 'closed'})]
    result = run(unique_name='s', status='closed', ttl=60)
    assert result['changed'] is False and len(twilio.writes) == 1


def test_closing_with_other_changes_sends_them_first_then_closes(twilio):
    record = session(twilio, 's', ttl=60)
    twilio.answer('POST', uri(record), dict(record, ttl=120))
    twilio.answer('POST', uri(record), dict(record, ttl=120, status='closed'))
    result = run(unique_name='s', ttl=120, status='closed')
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('POST', uri(record), {'Ttl': '120'}), ('POST', uri(record), {'Status': 'closed'})]
    assert result['session']['status'] == 'closed'


def test_check_mode_predicts_a_reopen_without_writes(twilio):
    record = session(twilio, 's', status='closed', ttl=60)
    check = run(check_mode=True, unique_name='s', ttl=120, status='in-progress')
    assert check['failed'] is False and check['changed'] is True and twilio.writes == []
    twilio.answer('POST', uri(record), dict(record, status='in-progress', ttl=120))
    real = run(unique_name='s', ttl=120, status='in-progress')
    assert real['diff'] == check['diff'] and check['session']['ttl'] == real['session']['ttl'] == 120


def test_fail_on_participant_conflict_is_sent_on_create_and_never_compared(twilio):
    new = dict(sid=new_sid('KC'), service_sid=KS, unique_name='s', status='open', ttl=0, mode='voice-and-message')
    twilio.answer('POST', SESSIONS, new)
    result = run(unique_name='s', fail_on_participant_conflict=True)
    assert result['changed'] is True and twilio.writes[0][2] == {'UniqueName': 's', 'FailOnParticipantConflict': 'true'}
    result = run(unique_name='s', fail_on_participant_conflict=True)  # Twilio does not return it: nothing to compare
    assert result['changed'] is False and len(twilio.writes) == 1


def test_participants_cannot_be_added_to_a_session_that_is_or_becomes_closed(twilio):
    session(twilio, 's', status='closed')
    session(twilio, 't')
    for name, status in (('s', None), ('t', 'closed')):
        result = run(unique_name=name, status=status, participants=[dict(identifier=A)])
        assert result['failed'] is True and '80607' in result['msg']
    assert twilio.writes == []


def test_failed_can_be_matched_but_not_set(twilio):
    session(twilio, 's', status='failed')
    session(twilio, 't')
    result = run(unique_name='s', status='failed')
    assert result['failed'] is False and result['changed'] is False
    result = run(unique_name='t', status='failed')
    assert result['failed'] is True and result['msg'].startswith('status: ') and twilio.writes == []


def test_absent_deletes_once(twilio):
    record = session(twilio, 's')
    result = run(unique_name='s', state='absent')
    assert result['changed'] is True and twilio.writes == [('DELETE', uri(record), {})]
    result = run(unique_name='s', state='absent')
    assert result['changed'] is False and result['session'] == {} and len(twilio.writes) == 1


def test_absent_under_a_service_that_is_gone_is_unchanged(twilio):
    result = run(service_sid='gone-service', unique_name='s', state='absent')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []
