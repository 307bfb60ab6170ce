# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""incoming_phone_number's decisions: a purchase never repeated on an unknown outcome, a release refused while
the number is pooled, the count form buying only what is missing (and nothing when too little is on offer)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import requests

from ansible_collections.community.twilio.plugins.modules import incoming_phone_number
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, account_page, run_module)

ACCOUNT = '/2010-04-01/Accounts/%s/' % CREDS['account_sid']
NUMBERS = ACCOUNT + 'IncomingPhoneNumbers.json'
NUMBER = '+12125550010'


def pn_sid(e164):
    return 'PN' + hashlib.sha256(e164.encode()).hexdigest()[:32]


def owned(e164, **fields):
    return dict(dict(sid=pn_sid(e164), phone_number=e164, friendly_name=e164, address_sid=None, bundle_sid=None),
                **fields)


def run(check_mode=False, **given):
    return run_module(incoming_phone_number, dict(CREDS, **given), check_mode=check_mode)


def test_a_purchase_with_an_unknown_outcome_is_looked_up_not_repeated(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', []), query={'PhoneNumber': NUMBER})
    twilio.fail('POST', NUMBERS, requests.exceptions.ReadTimeout('read timed out'))
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', [owned(NUMBER)]), query={'PhoneNumber': NUMBER})
    result = run(phone_number=NUMBER)
    assert result['failed'] is False and result['changed'] is True, result
    assert result['phone_number']['sid'] == pn_sid(NUMBER)
    assert [w[0] for w in twilio.writes] == ['POST']
    assert any('it was bought' in w for w in result['warnings'])


def test_a_purchase_that_did_not_happen_is_sent_once_more(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', []), query={'PhoneNumber': NUMBER})
    twilio.fail('POST', NUMBERS, requests.exceptions.ReadTimeout('read timed out'))
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', []), query={'PhoneNumber': NUMBER})
    twilio.answer('POST', NUMBERS, owned(NUMBER))
    result = run(phone_number=NUMBER)
    assert result['failed'] is False and result['changed'] is True, result
    assert [w[0] for w in twilio.writes] == ['POST', 'POST']
    assert [c for c in twilio.calls if c[0] == 'GET'] == [('GET', NUMBERS)] * 2  # looked up before the second


def test_a_release_of_a_pooled_number_fails_before_any_write_naming_the_service(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', [owned(NUMBER)]), query={'PhoneNumber': NUMBER})
    twilio.put('/Services', dict(sid='KS' + 'b' * 32, unique_name='other'))
    twilio.put('/Services', dict(sid=KS, unique_name='rides'))
    twilio.put('/Services/%s/PhoneNumbers' % KS, dict(sid=pn_sid(NUMBER), phone_number=NUMBER, in_use=3))
    result = run(phone_number=NUMBER, state='absent')
    assert result['failed'] is True
    assert 'rides' in result['msg'] and KS in result['msg'] and 'in use by 3' in result['msg']
    assert result['service_sid'] == KS
    assert twilio.writes == []


def test_force_releases_a_pooled_number_with_a_warning(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', [owned(NUMBER)]), query={'PhoneNumber': NUMBER})
    twilio.put('/Services', dict(sid=KS, unique_name='rides'))
    twilio.put('/Services/%s/PhoneNumbers' % KS, dict(sid=pn_sid(NUMBER), phone_number=NUMBER, in_use=0))
    twilio.answer('DELETE', ACCOUNT + 'IncomingPhoneNumbers/%s.json' % pn_sid(NUMBER))
    result = run(phone_number=NUMBER, state='absent', force=True)
    assert result['failed'] is False and result['changed'] is True and result['released'] == [NUMBER]
    assert [w[0] for w in twilio.writes] == ['DELETE']
    assert any('force=true' in w for w in result['warnings'])


def offers(*numbers):
    return dict(available_phone_numbers=[dict(phone_number=n, address_requirements='none') for n in numbers],
                next_page_uri=None)


def test_count_buys_only_the_missing_numbers_and_check_mode_shows_them(twilio):
    tagged = account_page('incoming_phone_numbers', [owned('+16465550000', friendly_name='pool')])
    for dummy in range(2):
        twilio.answer('GET', NUMBERS, tagged, query={'FriendlyName': 'pool'})
        twilio.answer('GET', ACCOUNT + 'AvailablePhoneNumbers/US/Local.json', offers('+16465550001', '+16465550002'),
                      query={'PageSize': 2, 'AreaCode': '646', 'SmsEnabled': 'true'})
    check = run(check_mode=True, count=3, friendly_name='pool', area_code='646', capabilities=['sms'])
    assert check['changed'] is True and check['purchased'] == ['+16465550001', '+16465550002']
    assert twilio.writes == []
    twilio.answer('POST', NUMBERS, owned('+16465550001', friendly_name='pool'))
    twilio.answer('POST', NUMBERS, owned('+16465550002', friendly_name='pool'))
    real = run(count=3, friendly_name='pool', area_code='646', capabilities=['sms'])
    assert real['purchased'] == check['purchased'] and len(real['phone_numbers']) == 3
    assert [(w[0], w[2]['PhoneNumber'], w[2]['FriendlyName']) for w in twilio.writes] == [
        ('POST', '+16465550001', 'pool'), ('POST', '+16465550002', 'pool')]


def test_count_buys_nothing_when_too_little_is_on_offer(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', []), query={'FriendlyName': 'pool'})
    twilio.answer('GET', ACCOUNT + 'AvailablePhoneNumbers/US/Local.json', offers('+16465550001'))
    result = run(count=2, friendly_name='pool')
    assert result['failed'] is True and result['msg'].startswith('count: 2 more number(s) needed')
    assert twilio.writes == []


def test_count_needs_an_address_where_the_offer_says_so(twilio):
    twilio.answer('GET', NUMBERS, account_page('incoming_phone_numbers', []), query={'FriendlyName': 'pool'})
    twilio.answer('GET', ACCOUNT + 'AvailablePhoneNumbers/GB/Mobile.json', dict(available_phone_numbers=[
        dict(phone_number='+447700901000', address_requirements='any')]))
    result = run(count=1, friendly_name='pool', country='GB', type='mobile')
    assert result['failed'] is True and result['msg'].startswith('address_sid: ')
    assert twilio.writes == []


def test_bad_input_sends_nothing(twilio):
    for args, want in ((dict(phone_number='12'), 'phone_number: '), (dict(count=1), 'friendly_name: '),
                       (dict(phone_number=NUMBER, contains='5 5'), 'contains: '),
                       (dict(sid='PN1', state='absent'), 'sid: ')):
        result = run(**args)
        assert result['failed'] is True and result['msg'].startswith(want), (args, result['msg'])
    assert twilio.requests == []
