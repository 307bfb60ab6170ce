# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_phone_number's decisions: E.164 input, identity by SID or number, draining, check mode.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states,
and a fake clock stands in for the drain's waiting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest
import requests

from ansible_collections.community.twilio.plugins.modules import proxy_phone_number
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, Clock, account_page, run_module)

POOL = '/Services/%s/PhoneNumbers' % KS
INCOMING = '/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json' % CREDS['account_sid']  # the account's numbers


def pn_sid(e164):
    return 'PN' + hashlib.sha256(e164.encode()).hexdigest()[:32]


def run(check_mode=False, clock=None, **given):
    with (clock or Clock()).installed(proxy_phone_number):
        return run_module(proxy_phone_number, dict(dict(CREDS, service_sid=KS), **given), check_mode=check_mode)


def number(twilio, e164, **fields):
    record = dict(sid=pn_sid(e164), service_sid=KS, phone_number=e164, is_reserved=False, in_use=0,
                  url='https://proxy.twilio.com/v1%s/%s' % (POOL, pn_sid(e164)))
    record.update(fields)
    return twilio.put(POOL, record)


def pool(twilio, size):
    return [number(twilio, '+1415%07d' % (5550000 + i)) for i in range(size)]


def uri(record):
    return '%s/%s' % (POOL, record['sid'])


# -- E.164 -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('typed', ['+1 (415) 555-0100', '+1.415.555.0100', '+1-415-555-0100', ' +14155550100 ',
                                   '+1 415/555 0100'])
def test_what_users_type_finds_the_e164_number_without_a_write(twilio, typed):
    number(twilio, '+14155550100')
    result = run(phone_number=typed)
    assert result['failed'] is False and result['changed'] is False
    assert result['phone_number']['phone_number'] == '+14155550100'
    assert twilio.writes == []


@pytest.mark.parametrize('bad', ['4155550100', '+0415555', '+1 415 CALL NOW', '+1234567890123456', '+',
                                 '001 415 555 0100', 'tel:+14155550100'])
def test_what_is_not_e164_fails_before_any_request(twilio, bad):
    result = run(phone_number=bad)
    assert result['failed'] is True and result['msg'].startswith('phone_number: ')
    assert 'E.164' in result['msg']
    assert twilio.requests == []


def test_an_empty_number_fails_before_any_request(twilio):
    result = run(phone_number='')
    assert result['failed'] is True and result['msg'].startswith('phone_number: ') and twilio.requests == []


def test_an_unquoted_number_read_by_yaml_as_an_integer_gets_a_hint(twilio):
    result = run(phone_number=14155550100)
    assert result['failed'] is True and result['msg'].startswith('phone_number: ')
    assert 'quote it' in result['msg'] and twilio.requests == []


def test_a_new_number_is_added_normalised(twilio):
    added = dict(sid=pn_sid('+14155550100'), phone_number='+14155550100', is_reserved=True, in_use=0)
    twilio.answer('POST', POOL, added)
    result = run(phone_number='+1 (415) 555-0100', is_reserved=True)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [('POST', POOL, {'PhoneNumber': '+14155550100', 'IsReserved': 'true'})]
    assert result['phone_number'] == added
    assert result['diff'] == dict(before=dict(state='absent'),
                                  after=dict(phone_number='+14155550100', is_reserved=True, state='present'))


# -- identity: SID or number -----------------------------------------------------------------------------------

def test_by_sid_is_one_get_and_never_lists(twilio):
    twilio.page_size = 2
    numbers = pool(twilio, 7)
    result = run(sid=numbers[6]['sid'])
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', uri(numbers[6]))]


def test_by_number_in_a_pool_of_one_page_is_that_page(twilio):
    numbers = pool(twilio, 7)
    result = run(phone_number=numbers[6]['phone_number'])
    assert result['failed'] is False and result['changed'] is False
    assert result['phone_number']['sid'] == numbers[6]['sid']
    assert twilio.calls == [('GET', POOL)]


def test_by_number_in_a_pool_of_many_pages_is_found_through_the_accounts_filter_in_three_requests(twilio):
    twilio.page_size = 2
    numbers = pool(twilio, 7)
    wanted = numbers[6]
    longer = number(twilio, wanted['phone_number'] + '1')  # also in the pool
    # The account's filter also matches partial numbers: only the exact one counts.
    twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', [
        dict(sid=longer['sid'], phone_number=longer['phone_number']),
        dict(sid=wanted['sid'], phone_number=wanted['phone_number'])]))
    result = run(phone_number=wanted['phone_number'])
    assert result['failed'] is False and result['changed'] is False
    assert result['phone_number']['sid'] == wanted['sid']
    assert twilio.calls == [('GET', POOL), ('GET', INCOMING), ('GET', uri(wanted))]
    assert twilio.requests[1].query == {'PhoneNumber': wanted['phone_number']}


def test_a_number_of_the_account_not_in_a_pool_of_many_pages_is_added(twilio):
    twilio.page_size = 2
    pool(twilio, 7)
    twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', [
        dict(sid=pn_sid('+14155550199'), phone_number='+14155550199')]))
    twilio.answer('POST', POOL, dict(sid=pn_sid('+14155550199'), phone_number='+14155550199', is_reserved=False))
    result = run(phone_number='+14155550199')
    assert result['failed'] is False and result['changed'] is True
    assert twilio.calls == [('GET', POOL), ('GET', INCOMING), ('GET', '%s/%s' % (POOL, pn_sid('+14155550199'))),
                            ('POST', POOL)]


def test_with_an_api_key_and_no_account_sid_every_page_is_read(twilio):
    twilio.page_size = 2
    numbers = pool(twilio, 7)
    result = run(account_sid=None, auth_token=None, api_key='SK' + '1' * 32, api_secret='secret-of-the-key',
                 phone_number=numbers[6]['phone_number'])
    assert result['failed'] is False and result['changed'] is False
    assert result['phone_number']['sid'] == numbers[6]['sid']
    assert twilio.calls == [('GET', POOL)] * 5  # the first page, then every page


def test_a_sid_not_in_the_pool_is_added_by_that_sid(twilio):
    sid = pn_sid('+14155550100')
    twilio.answer('POST', POOL, dict(sid=sid, phone_number='+14155550100', is_reserved=False, in_use=0))
    result = run(sid='PN' + sid[2:].upper())
    assert result['failed'] is False and result['changed'] is True
    assert twilio.calls == [('GET', '%s/%s' % (POOL, sid)), ('POST', POOL)]
    assert twilio.writes[0][2] == {'Sid': sid}  # hex lower-cased
    assert result['diff']['after'] == dict(sid=sid, state='present')
    assert result['phone_number']['phone_number'] == '+14155550100'


def test_check_mode_add_by_sid_predicts_that_sid_and_writes_nothing(twilio):
    sid = pn_sid('+14155550100')
    result = run(check_mode=True, sid=sid, is_reserved=False)
    assert result['failed'] is False and result['changed'] is True
    assert result['phone_number']['sid'] == sid
    assert result['diff']['after'] == dict(sid=sid, is_reserved=False, state='present')
    assert twilio.writes == []


def test_check_mode_add_by_number_invents_no_sid(twilio):
    result = run(check_mode=True, phone_number='+14155550100')
    assert result['changed'] is True and result['phone_number']['sid'] is None
    assert twilio.writes == []


def test_a_different_number_for_a_sid_fails_naming_the_field_and_writes_nothing(twilio):
    record = number(twilio, '+14155550100')
    result = run(sid=record['sid'], phone_number='+14155550199')
    assert result['failed'] is True
    assert result['msg'].startswith('phone_number of Proxy phone number %s cannot be changed' % record['sid'])
    assert "'+14155550100'" in result['msg'] and "'+14155550199'" in result['msg']
    assert twilio.writes == []


def test_the_same_number_for_a_sid_is_fine(twilio):
    record = number(twilio, '+14155550100')
    result = run(sid=record['sid'], phone_number='+1 415 555 0100')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []


@pytest.mark.parametrize('given, option', [
    (dict(sid='PN123'), 'sid'),
    (dict(sid='KS' + 'a' * 32), 'sid'),
    (dict(service_sid='', phone_number='+14155550100'), 'service_sid'),
    (dict(phone_number='+14155550100', drain_timeout=-1), 'drain_timeout'),
    (dict(phone_number='+14155550100', drain_poll_interval=0), 'drain_poll_interval'),
])
def test_bad_input_names_the_option_and_sends_nothing(twilio, given, option):
    result = run(**given)
    assert result['failed'] is True and result['msg'].startswith(option + ':')
    assert twilio.requests == []


def test_only_is_reserved_changes_in_place(twilio):
    record = number(twilio, '+14155550100')
    twilio.answer('POST', uri(record), dict(record, is_reserved=True))
    result = run(phone_number='+14155550100', is_reserved=True)
    assert result['changed'] is True
    assert twilio.writes == [('POST', uri(record), {'IsReserved': 'true'})]
    assert result['diff'] == dict(before=dict(is_reserved=False), after=dict(is_reserved=True))
    assert result['phone_number']['is_reserved'] is True


@pytest.mark.parametrize('message, hint, not_hint', [
    ('Phone Number Not Available: +14155550100 is already associated with another Proxy Service.',
     'belongs to one service only', 'does not own'),
    ('Phone Number Not Available: +14155550100 is not a phone number of this account.',
     'does not own', 'belongs to one service only'),
])
def test_a_number_that_cannot_be_added_fails_with_80601_and_the_hint_twilios_message_calls_for(
        twilio, message, hint, not_hint):
    twilio.refuse('POST', POOL, 80601, message)
    result = run(phone_number='+14155550100')
    assert result['failed'] is True
    assert result['msg'].startswith('Twilio error 80601 (HTTP 400) on POST /v1%s: %s' % (POOL, message))
    assert hint in result['msg'] and not_hint not in result['msg']
    assert result['error']['code'] == 80601


def test_a_number_another_run_added_meanwhile_is_converged(twilio):
    theirs = dict(sid=pn_sid('+14155550100'), phone_number='+14155550100', is_reserved=False, in_use=0)
    twilio.refuse('POST', POOL, 80104, 'Phone Number already added to Service',
                  then=lambda: twilio.put(POOL, theirs))
    twilio.answer('POST', uri(theirs), dict(theirs, is_reserved=True))
    result = run(phone_number='+14155550100', is_reserved=True)
    assert result['failed'] is False and result['changed'] is True
    assert [(m, u) for m, u, d in twilio.writes] == [('POST', POOL), ('POST', uri(theirs))]
    assert any('80104' in w and 'meanwhile' in w for w in result['warnings'])


# -- removal and draining --------------------------------------------------------------------------------------

def test_absent_without_drain_deletes_at_once_even_in_use(twilio):
    record = number(twilio, '+14155550100', in_use=3)
    result = run(phone_number='+14155550100', state='absent')
    assert result['changed'] is True and result['phone_number'] == {}
    assert twilio.writes == [('DELETE', uri(record), {})]
    assert result['diff']['after'] == dict(state='absent')


def test_drain_reserves_waits_until_no_session_uses_it_then_removes(twilio):
    record = number(twilio, '+14155550100', in_use=2)
    twilio.answer('POST', uri(record), dict(record, is_reserved=True))
    for in_use in (2, 1, 0):  # sessions end while the module waits
        twilio.answer('GET', uri(record), dict(record, is_reserved=True, in_use=in_use))
    clock = Clock()
    result = run(clock=clock, phone_number='+14155550100', state='absent', drain=True, drain_timeout=60,
                 drain_poll_interval=5)
    assert result['failed'] is False and result['changed'] is True and result['phone_number'] == {}
    assert twilio.writes == [('POST', uri(record), {'IsReserved': 'true'}), ('DELETE', uri(record), {})]
    assert twilio.calls.count(('GET', uri(record))) == 3
    assert clock.sleeps == [5, 5, 5]
    assert twilio.records(POOL) == []
    assert result['diff']['before']['is_reserved'] is False and result['diff']['before']['state'] == 'present'
    assert result['diff']['after'] == dict(is_reserved=True, state='absent')


def test_drain_timeout_leaves_the_number_reserved_and_says_how_many_sessions_use_it(twilio):
    record = number(twilio, '+14155550100', in_use=2)
    twilio.answer('POST', uri(record), dict(record, is_reserved=True))
    for dummy in range(10):
        twilio.answer('GET', uri(record), dict(record, is_reserved=True))
    clock = Clock()
    result = run(clock=clock, phone_number='+14155550100', state='absent', drain=True, drain_timeout=12,
                 drain_poll_interval=5)
    assert result['failed'] is True
    assert '+14155550100 is still in use by 2 open session(s) after waiting 12 seconds' in result['msg']
    assert 'reserved' in result['msg']
    assert result['in_use'] == 2 and result['changed'] is True
    assert result['phone_number']['is_reserved'] is True
    assert twilio.writes == [('POST', uri(record), {'IsReserved': 'true'})]  # reserved, never deleted
    assert clock.sleeps == [5, 5, 2]  # never longer than drain_timeout in all


def test_drain_with_zero_timeout_checks_once(twilio):
    number(twilio, '+14155550100', in_use=1, is_reserved=True)
    clock = Clock()
    result = run(clock=clock, phone_number='+14155550100', state='absent', drain=True, drain_timeout=0)
    assert result['failed'] is True and 'in use by 1 open session(s)' in result['msg']
    assert twilio.writes == [] and clock.sleeps == [] and result['changed'] is False


def test_drain_of_an_idle_reserved_number_is_just_the_delete(twilio):
    record = number(twilio, '+14155550100', is_reserved=True, in_use=0)
    result = run(phone_number='+14155550100', state='absent', drain=True)
    assert result['changed'] is True
    assert twilio.writes == [('DELETE', uri(record), {})]
    assert result['diff']['after'] == dict(state='absent')


def test_drain_in_check_mode_writes_nothing_waits_for_nothing_and_shows_the_reservation(twilio):
    number(twilio, '+14155550100', in_use=2)
    clock = Clock()
    result = run(check_mode=True, clock=clock, phone_number='+14155550100', state='absent', drain=True)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [] and clock.sleeps == []
    assert result['diff']['after'] == dict(is_reserved=True, state='absent')
    assert any('in use by 2 open session(s)' in w for w in result['warnings'])


def test_drain_when_someone_else_removed_the_number_meanwhile(twilio):
    record = number(twilio, '+14155550100', in_use=1, is_reserved=True)
    twilio.refuse('GET', uri(record), 20404, 'The requested resource was not found', status=404,
                  then=lambda: twilio.records(POOL).remove(record))
    result = run(phone_number='+14155550100', state='absent', drain=True, drain_poll_interval=1)
    assert result['failed'] is False and result['changed'] is True and result['phone_number'] == {}
    assert twilio.writes == [('DELETE', uri(record), {})]


def test_absent_under_a_service_that_is_gone_is_unchanged(twilio):
    # A teardown's second run: the service was removed by the first.
    result = run(service_sid='gone-service', phone_number='+14155550100', state='absent')
    assert result['failed'] is False and result['changed'] is False and twilio.writes == []


def test_an_add_by_sid_whose_outcome_is_unknown_is_looked_up_and_not_repeated(twilio):
    sid = pn_sid('+14155550100')
    added = dict(sid=sid, phone_number='+14155550100', is_reserved=False, in_use=0)
    twilio.fail('POST', POOL, requests.exceptions.ReadTimeout('read timed out'),
                then=lambda: twilio.put(POOL, added))  # Twilio added it; the answer was lost
    result = run(sid=sid)
    assert result['failed'] is False and result['changed'] is True
    assert len(twilio.writes) == 1 and result['phone_number']['sid'] == sid


# -- issue 20 item 6: absence is never taken from an account list that cannot be trusted -------------------------

def test_absent_with_the_pool_of_another_account_reads_every_page_instead_of_the_empty_account_list(twilio):
    twilio.page_size = 2
    numbers = [number(twilio, '+1415%07d' % (5550000 + i), account_sid='AC' + 'f' * 32) for i in range(5)]
    wanted = numbers[4]
    result = run(phone_number=wanted['phone_number'], state='absent', check_mode=True)
    assert result['failed'] is False and result['changed'] is True  # found in the pool: it would be removed
    assert INCOMING not in [u for dummy, u in twilio.calls]  # the wrong account's list is never asked
    assert twilio.calls == [('GET', POOL)] * 4  # the first page, then every page


def test_absent_with_the_accounts_own_pool_trusts_the_account_list_at_no_extra_request(twilio):
    twilio.page_size = 2
    [number(twilio, '+1415%07d' % (5550000 + i), account_sid=CREDS['account_sid']) for i in range(5)]
    twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', []))
    result = run(phone_number='+14155550199', state='absent')
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', POOL), ('GET', INCOMING)]


@pytest.mark.parametrize('check_mode', [True, False])
def test_issue_19_a_removal_without_drain_of_a_number_in_use_warns_naming_it(twilio, check_mode):
    busy = number(twilio, '+14155550100', in_use=2)
    twilio.answer('DELETE', uri(busy))
    result = run(check_mode=check_mode, phone_number='+14155550100', state='absent')
    assert result['failed'] is False and result['changed'] is True
    assert any('in use: +14155550100 (2)' in w for w in result['warnings'])
