# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The _info modules' decisions: every page, a SID is one GET, the natural key, the filters, removed participants,
parents by name, and never a write (check mode or not).

Each module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.community.twilio.plugins.modules import (
    proxy_interaction_info, proxy_participant_info, proxy_phone_number_info, proxy_service_info,
    proxy_session_info, proxy_short_code_info)
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, account_page, new_sid, run_module)

KC = 'KC' + 'c' * 32
SESSIONS = '/Services/%s/Sessions' % KS


class Info:
    """One _info module: where its records live, the key of its result, and a record of it."""

    def __init__(self, module, uri, key, prefix, parents, **fields):
        self.module, self.uri, self.key, self.prefix, self.parents, self.fields = (
            module, uri, key, prefix, parents, fields)

    def __repr__(self):
        return self.module.__name__.rsplit('.', 1)[1]

    def record(self, twilio, **fields):
        record = dict(self.fields, sid=new_sid(self.prefix))
        record.update(fields)
        return twilio.put(self.uri, record)

    def run(self, check_mode=False, **given):
        args = dict(CREDS, **self.parents)
        args.update(given)
        return run_module(self.module, args, check_mode=check_mode)


SERVICE = Info(proxy_service_info, '/Services', 'services', 'KS', {}, unique_name='svc', default_ttl=0)
NUMBER = Info(proxy_phone_number_info, '/Services/%s/PhoneNumbers' % KS, 'phone_numbers', 'PN', dict(service_sid=KS),
              phone_number='+14155550100', is_reserved=False, in_use=0)
SHORT_CODE = Info(proxy_short_code_info, '/Services/%s/ShortCodes' % KS, 'short_codes', 'SC', dict(service_sid=KS),
                  short_code='89000', is_reserved=False)
SESSION = Info(proxy_session_info, SESSIONS, 'sessions', 'KC', dict(service_sid=KS), unique_name='s', status='open',
               mode='voice-and-message', ttl=0)
PARTICIPANT = Info(proxy_participant_info, '%s/%s/Participants' % (SESSIONS, KC), 'participants', 'KP',
                   dict(service_sid=KS, session_sid=KC), identifier='+14155550100', proxy_identifier='+14155559999',
                   friendly_name=None, date_deleted=None)
INTERACTION = Info(proxy_interaction_info, '%s/%s/Interactions' % (SESSIONS, KC), 'interactions', 'KI',
                   dict(service_sid=KS, session_sid=KC), type='message', data='{"body": "hello"}')
EVERY = [SERVICE, NUMBER, SHORT_CODE, SESSION, PARTICIPANT, INTERACTION]


# -- every _info module ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('info', EVERY, ids=repr)
@pytest.mark.parametrize('check_mode', [False, True])
def test_every_record_of_every_page_and_never_a_write(twilio, info, check_mode):
    twilio.page_size = 2
    records = [info.record(twilio) for dummy in range(5)]
    result = info.run(check_mode=check_mode)
    assert result['failed'] is False and result['changed'] is False
    assert result[info.key] == records
    assert twilio.calls == [('GET', info.uri)] * 3 and twilio.writes == []


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_an_empty_list_is_a_result_not_an_error(twilio, info):
    result = info.run()
    assert result['failed'] is False and result['changed'] is False and result[info.key] == []


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_a_sid_is_one_get(twilio, info):
    twilio.page_size = 1
    info.record(twilio)
    wanted = info.record(twilio)
    result = info.run(sid=wanted['sid'])
    assert result['failed'] is False and result[info.key] == [wanted]
    assert twilio.calls == [('GET', '%s/%s' % (info.uri, wanted['sid']))]


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_a_sid_that_does_not_exist_is_an_empty_list(twilio, info):
    result = info.run(sid=info.prefix + 'f' * 32)
    assert result['failed'] is False and result[info.key] == []
    assert twilio.writes == []


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_a_malformed_sid_fails_before_any_request(twilio, info):
    result = info.run(sid=info.prefix + '123')
    assert result['failed'] is True and result['msg'].startswith('sid: ') and twilio.requests == []


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_bad_credentials_fail_before_any_request(twilio, info):
    result = info.run(account_sid='AC1')
    assert result['failed'] is True and result['msg'].startswith('account_sid: ') and twilio.requests == []


@pytest.mark.parametrize('info', EVERY, ids=repr)
def test_twilios_error_is_reported_with_its_code(twilio, info):
    twilio.refuse('GET', info.uri, 20003, 'Authenticate', status=401)
    result = info.run()
    assert result['failed'] is True and result['error']['code'] == 20003
    assert 'Authenticate' in result['msg'] and CREDS['auth_token'] not in repr(result)


# -- natural keys ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('info', [SERVICE, SESSION], ids=repr)
def test_a_unique_name_is_one_get_where_twilio_fetches_by_name(twilio, info):
    info.record(twilio, unique_name='other')
    wanted = info.record(twilio, unique_name='mine')
    result = info.run(unique_name='mine')
    assert result[info.key] == [wanted]
    assert twilio.calls == [('GET', info.uri + '/mine')]


@pytest.mark.parametrize('info', [SERVICE, SESSION], ids=repr)
def test_a_unique_name_is_matched_in_the_list_where_twilio_does_not_fetch_by_name(twilio, info):
    twilio.fetch_by = ()
    info.record(twilio, unique_name='other')
    wanted = info.record(twilio, unique_name='mine')
    result = info.run(unique_name='mine')
    assert result[info.key] == [wanted]
    result = info.run(unique_name='nobody')
    assert result['failed'] is False and result[info.key] == []
    assert twilio.writes == []


def test_a_phone_number_is_found_as_users_type_it(twilio):
    NUMBER.record(twilio, phone_number='+14155550199')
    wanted = NUMBER.record(twilio, phone_number='+14155550100')
    result = NUMBER.run(phone_number='+1 (415) 555-0100')
    assert result['failed'] is False and result['phone_numbers'] == [wanted]


def test_a_phone_number_in_a_pool_of_many_pages_is_found_through_the_accounts_filter(twilio):
    twilio.page_size = 2
    records = [NUMBER.record(twilio, phone_number='+1415555%04d' % i) for i in range(5)]
    incoming = '/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json' % CREDS['account_sid']
    twilio.answer('GET', incoming, account_page('incoming_phone_numbers', [
        dict(sid=records[4]['sid'], phone_number=records[4]['phone_number'])]))
    result = NUMBER.run(phone_number=records[4]['phone_number'])
    assert result['failed'] is False and result['phone_numbers'] == [records[4]]
    assert twilio.calls == [('GET', NUMBER.uri), ('GET', incoming), ('GET', '%s/%s' % (NUMBER.uri, records[4]['sid']))]


def test_a_phone_number_that_is_not_e164_fails_before_any_request(twilio):
    result = NUMBER.run(phone_number='415 555 0100')
    assert result['failed'] is True and result['msg'].startswith('phone_number: ') and twilio.requests == []


@pytest.mark.parametrize('info', [NUMBER, SHORT_CODE], ids=repr)
@pytest.mark.parametrize('reserved', [True, False])
def test_is_reserved_filters(twilio, info, reserved):
    records = [info.record(twilio, is_reserved=flag) for flag in (True, False, True)]
    result = info.run(is_reserved=reserved)
    assert result[info.key] == [r for r in records if r['is_reserved'] is reserved]


def test_no_filter_given_lists_reserved_and_free_alike(twilio):
    records = [NUMBER.record(twilio, is_reserved=flag) for flag in (True, False)]
    assert NUMBER.run()['phone_numbers'] == records


# -- sessions --------------------------------------------------------------------------------------------------

def test_status_open_lists_the_sessions_in_progress_too(twilio):
    opened, busy, dummy = [SESSION.record(twilio, status=s, unique_name=s) for s in ('open', 'in-progress', 'closed')]
    assert SESSION.run(status='open')['sessions'] == [opened, busy]
    assert SESSION.run(status='in-progress')['sessions'] == [opened, busy]
    assert [s['status'] for s in SESSION.run(status='closed')['sessions']] == ['closed']


def test_mode_filters_and_filters_combine(twilio):
    SESSION.record(twilio, unique_name='a', mode='message-only', status='closed')
    wanted = SESSION.record(twilio, unique_name='b', mode='message-only', status='open')
    SESSION.record(twilio, unique_name='c', mode='voice-only', status='open')
    assert SESSION.run(mode='message-only', status='open')['sessions'] == [wanted]


def test_a_service_given_by_name_is_looked_up_once(twilio):
    twilio.put('/Services', dict(sid=KS, unique_name='rides'))
    wanted = SESSION.record(twilio)
    result = SESSION.run(service_sid='rides')
    assert result['sessions'] == [wanted]
    assert twilio.calls == [('GET', '/Services/rides'), ('GET', SESSIONS)]


# -- participants ----------------------------------------------------------------------------------------------

def test_removed_participants_are_left_out_unless_include_deleted(twilio):
    removed = PARTICIPANT.record(twilio, identifier='+14155550100', date_deleted='2026-01-01T00:00:00Z')
    live = PARTICIPANT.record(twilio, identifier='+14155550101')
    assert PARTICIPANT.run()['participants'] == [live]
    assert PARTICIPANT.run(include_deleted=True)['participants'] == [removed, live]


def test_a_removed_participant_given_by_sid_is_left_out_unless_include_deleted(twilio):
    removed = PARTICIPANT.record(twilio, identifier='+14155550100', date_deleted='2026-01-01T00:00:00Z')
    assert PARTICIPANT.run(sid=removed['sid'])['participants'] == []
    assert PARTICIPANT.run(sid=removed['sid'], include_deleted=True)['participants'] == [removed]


def test_an_identifier_finds_the_live_participant_or_with_include_deleted_every_one(twilio):
    removed = PARTICIPANT.record(twilio, identifier='+14155550100', date_deleted='2026-01-01T00:00:00Z')
    PARTICIPANT.record(twilio, identifier='+14155550101')
    live = PARTICIPANT.record(twilio, identifier='+14155550100')
    assert PARTICIPANT.run(identifier='+1 415 555 0100')['participants'] == [live]
    assert PARTICIPANT.run(identifier='+14155550100', include_deleted=True)['participants'] == [removed, live]
    assert twilio.writes == []


# -- interactions and parents ----------------------------------------------------------------------------------

def test_interactions_filter_by_type(twilio):
    message = INTERACTION.record(twilio, type='message')
    INTERACTION.record(twilio, type='voice')
    assert INTERACTION.run(type='message')['interactions'] == [message]


def test_a_session_given_by_name_is_resolved_before_the_list(twilio):
    twilio.put(SESSIONS, dict(sid=KC, unique_name='ride-4711'))
    wanted = INTERACTION.record(twilio)
    result = INTERACTION.run(session_sid='ride-4711')
    assert result['interactions'] == [wanted]
    assert twilio.calls == [('GET', SESSIONS + '/ride-4711'), ('GET', INTERACTION.uri)]


@pytest.mark.parametrize('info', [PARTICIPANT, INTERACTION], ids=repr)
def test_a_missing_session_fails_naming_it_and_check_mode_lists_nothing(twilio, info):
    result = info.run(session_sid='nope')
    assert result['failed'] is True and result['msg'].startswith('session_sid: no Proxy Session')
    result = info.run(check_mode=True, session_sid='nope')
    assert result['failed'] is False and result[info.key] == []
    assert any("'nope' does not exist" in w for w in result['warnings'])
    assert twilio.writes == []


def test_passwords_in_urls_are_masked(twilio):
    SERVICE.record(twilio, callback_url='https://user:s3cret@example.com/cb')
    result = SERVICE.run()
    assert result['services'][0]['callback_url'] == 'https://user:********@example.com/cb'
    assert 's3cret' not in repr(result)


# -- issue 20 item 5: . and .. are names, and a record answered for another path is not taken ---------------------

@pytest.mark.parametrize('name', ['..', '.'])
def test_dot_names_are_fetched_as_names_not_resolved_as_dot_segments(twilio, name):
    service = SERVICE.record(twilio, unique_name='other')
    session = SESSION.record(twilio, unique_name=name)
    result = SESSION.run(unique_name=name)
    assert ('GET', '%s/%s' % (SESSIONS, name)) in twilio.calls  # the HTTP stack kept the segment
    assert [r['sid'] for r in result['sessions']] == [session['sid']] and service['sid'] != session['sid']


def test_a_record_of_another_resource_answered_for_a_sid_is_refused(twilio):
    service = SERVICE.record(twilio)
    twilio.answer('GET', '%s/%s' % (SESSIONS, KC), record=dict(service))  # the service, for a session's path
    result = SESSION.run(sid=KC)
    assert result['failed'] and 'nothing was decided from it' in result['msg'] and service['sid'] in result['msg']


def test_a_record_under_another_parent_answered_for_a_sid_is_refused(twilio):
    twilio.answer('GET', '%s/%s' % (SESSIONS, KC), record=dict(sid=KC, service_sid='KS' + 'b' * 32, status='open'))
    result = SESSION.run(sid=KC)
    assert result['failed'] and 'nothing was decided from it' in result['msg']
