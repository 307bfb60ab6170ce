# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_pool's decisions and its machinery (_pool, _pacing, _writes, _drain): validation before any request, one
read, only the needed writes, purge, drain, pacing, partial failure.

The module runs as Ansible runs it (its main() with arguments) against the fake Twilio of fakes.py; a fake clock
stands in for the pacing and the drain's waiting.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import re

import pytest
import requests

from ansible_collections.community.twilio.plugins.module_utils import _drain, _pacing, _pool
from ansible_collections.community.twilio.plugins.module_utils._errors import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._pacing import Pacer
from ansible_collections.community.twilio.plugins.module_utils._writes import Write, apply_writes
from ansible_collections.community.twilio.plugins.modules import proxy_pool
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, Clock, account_page, run_module)

POOL = '/Services/%s/PhoneNumbers' % KS
CODES = '/Services/%s/ShortCodes' % KS


def pn(number):
    return 'PN' + hashlib.sha256(number.encode()).hexdigest()[:32]


def sc(code):
    return 'SC' + hashlib.sha256(code.encode()).hexdigest()[:32]


def num(i):
    return '+1415555%04d' % i


def record(i, **fields):
    entry = dict(sid=pn(num(i)), service_sid=KS, phone_number=num(i), is_reserved=False, in_use=0)
    entry.update(fields)
    return entry


def number(twilio, i, **fields):
    return twilio.put(POOL, record(i, **fields))


def will_add(twilio, i, **fields):
    twilio.answer('POST', POOL, record(i, **fields))


INCOMING = '/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json' % CREDS['account_sid']  # the account's numbers


def owns(twilio, *numbers):
    """The account's filtered list answers that it owns each number (check mode's 80601 prediction)."""
    for i in numbers:
        twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', [dict(sid=pn(num(i)),
                                                                                    phone_number=num(i))]),
                      query={'PhoneNumber': num(i)})


def run(check_mode=False, clock=None, **given):
    with (clock or Clock()).installed(_pacing, _drain, _pool):
        return run_module(proxy_pool, dict(dict(CREDS, service_sid=KS), **given), check_mode=check_mode)


@pytest.mark.parametrize('numbers, text', [
    (['4155550100'], 'phone_numbers item 1: '),
    ([num(1), '+1 (415) 555-0001'], r"phone_numbers item 2 \(\+14155550001\): \+14155550001 is listed twice"),
    ([{'sid': pn(num(1)), 'phone_number': num(1)}, pn(num(1)).upper().replace('PN', 'PN', 1)], 'is listed twice'),
    ([{'sid': pn(num(1)), 'phone_number': num(1)}, num(1)], 'is listed twice'),
    (['PN123'], 'phone_numbers item 1: '),
    ([{'number': num(1)}], 'phone_numbers item 1: unknown key'),
    ([{'is_reserved': True}], 'phone_numbers item 1: give phone_number or sid'),
    ([{'phone_number': num(1), 'is_reserved': 'maybe'}], 'phone_numbers item 1: is_reserved must be a boolean'),
    ([14155550100], r'quote it'),
    ([{'phone_number': num(i), 'is_reserved': False} for i in range(501)], '501 unreserved numbers listed'),
])
def test_bad_input_fails_before_any_request(twilio, numbers, text):
    result = run(phone_numbers=numbers)
    assert result['failed']
    assert re.search(text, result['msg']), result['msg']
    assert twilio.requests == []


def test_the_quote_hint_is_given_once(twilio):
    """Issue 20 item 11: the hint came from the normaliser and again from the pool."""
    result = run(phone_numbers=[14155550100])
    assert result['msg'].count('quote it') == 1, result['msg']


def test_bad_short_code_and_drain_options_and_no_list(twilio):
    assert run(short_codes=['SC1'])['msg'].startswith('short_codes item 1: ')
    assert run(phone_numbers=[], drain_timeout=-1)['msg'].startswith('drain_timeout: ')
    assert 'phone_numbers, short_codes' in run()['msg']
    assert twilio.requests == []


def test_no_change_is_one_read_per_list(twilio):
    for i in range(120):
        number(twilio, i)
    twilio.put(CODES, dict(sid=sc('89000'), short_code='89000', is_reserved=False))
    result = run(phone_numbers=[num(i) for i in range(120)], short_codes=[sc('89000')], purge=True)
    assert result['failed'] is False and result['changed'] is False
    assert result['diff'] == {'before': {}, 'after': {}}
    assert [c[0] for c in twilio.calls] == ['GET', 'GET', 'GET']
    assert len(result['phone_numbers']) == 120


def test_check_mode_then_real_run_agree_and_converge(twilio):
    number(twilio, 1)
    number(twilio, 2, is_reserved=True)
    number(twilio, 3)
    wanted = dict(phone_numbers=[num(1), {'phone_number': num(2), 'is_reserved': False},
                                 {'sid': pn(num(4)), 'is_reserved': True}, num(5)], purge=True)
    owns(twilio, 5)  # check mode asks the account whether it owns a number added by its E.164 (80601)
    check = run(check_mode=True, **wanted)
    assert check['changed'] and twilio.writes == []
    twilio.answer('POST', '%s/%s' % (POOL, pn(num(2))), record(2))
    will_add(twilio, 4, is_reserved=True)
    will_add(twilio, 5)
    real = run(**wanted)
    assert real['failed'] is False and real['changed']
    assert check['diff'] == real['diff'] == {
        'before': {'phone_numbers': {num(2): 'reserved', num(3): 'unreserved', pn(num(4)): 'absent',
                                     num(5): 'absent'}},
        'after': {'phone_numbers': {num(2): 'unreserved', num(3): 'absent', pn(num(4)): 'reserved',
                                    num(5): 'unreserved'}}}
    # removals first, then un-reservations, then adds (reserved first): Twilio's limits hold at every step
    assert [(m, u.rsplit('/', 1)[-1], d) for m, u, d in twilio.writes] == [
        ('DELETE', pn(num(3)), {}), ('POST', pn(num(2)), {'IsReserved': 'false'}),
        ('POST', 'PhoneNumbers', {'Sid': pn(num(4)), 'IsReserved': 'true'}),
        ('POST', 'PhoneNumbers', {'PhoneNumber': num(5)})]
    assert sorted(r['phone_number'] for r in real['phone_numbers']) == [num(1), num(2), num(4), num(5)]
    assert [e['phone_number'] for e in real['removed']['phone_numbers']] == [num(3)]
    assert [e['phone_number'] for e in real['updated']['phone_numbers']] == [num(2)]
    assert [e['phone_number'] for e in real['added']['phone_numbers']] == [num(4), num(5)]
    del twilio.requests[:]
    again = run(**wanted)
    assert again['changed'] is False and twilio.writes == []


def test_without_purge_unlisted_entries_stay(twilio):
    number(twilio, 1)
    will_add(twilio, 2)
    result = run(phone_numbers=[num(2)])
    assert result['failed'] is False and [w[0] for w in twilio.writes] == ['POST']
    assert len(result['phone_numbers']) == 2 and result['removed'] == {'phone_numbers': []}


def test_limit_with_kept_entries_fails_after_the_read_before_any_write(twilio):
    for i in range(10):
        number(twilio, i)
    result = run(phone_numbers=[num(i) for i in range(100, 595)])
    assert result['failed'] and 'would hold 505 unreserved numbers' in result['msg']
    assert twilio.writes == []


def test_number_by_sid_and_by_e164_in_two_items_found_after_the_read(twilio):
    number(twilio, 1)
    result = run(phone_numbers=[pn(num(1)), num(1)])
    assert result['failed'] and 'the same number as phone_numbers item 1' in result['msg']
    assert twilio.writes == []


def test_partial_failure_reports_per_item_and_a_rerun_converges(twilio):
    number(twilio, 9)
    will_add(twilio, 1)
    twilio.refuse('POST', POOL, 80601, 'Phone Number Not Available: +14155559999 is not a phone number of this '
                                       'account.')
    will_add(twilio, 2)
    result = run(phone_numbers=[num(1), '+14155559999', num(2)], purge=True)
    assert result['failed'] and result['changed'] is True
    assert result['msg'].startswith('1 of 4 changes to the pool failed, 3 were made')
    assert 'after these writes: added 2 phone_numbers; removed 1 phone_numbers' in result['msg']
    assert [e['phone_number'] for e in result['added']['phone_numbers']] == [num(1), num(2)]
    assert [e['phone_number'] for e in result['removed']['phone_numbers']] == [num(9)]
    failed = result['failures']['phone_numbers']
    assert len(failed) == 1 and failed[0]['error']['code'] == 80601 and failed[0]['item'] == 2
    assert failed[0]['action'] == 'add' and failed[0]['phone_number'] == '+14155559999'
    assert failed[0]['msg'].endswith('(this account does not own it)')
    del twilio.requests[:]
    again = run(phone_numbers=[num(1), num(2)], purge=True)
    assert again['failed'] is False and again['changed'] is False and twilio.writes == []


def test_a_5xx_stops_the_writes_and_reports_the_rest_not_attempted(twilio):
    will_add(twilio, 1)
    twilio.refuse('POST', POOL, 20500, 'Internal Server Error', status=500)
    result = run(phone_numbers=[num(1), num(2), num(3)], max_retries=0)
    assert result['failed']
    failed = result['failures']['phone_numbers']
    assert [f['error'] and f['error']['code'] for f in failed] == [20500, None]
    assert failed[1]['msg'].startswith('not attempted')
    assert len(twilio.writes) == 2


def test_incomplete_read_removes_nothing(twilio):
    for i in range(150):
        number(twilio, i)
    twilio.refuse('GET', POOL, 20503, 'Service Unavailable', status=503, query={'Page': '1'})
    result = run(phone_numbers=[num(0)], purge=True, max_retries=0)
    assert result['failed'] and result['error']['code'] == 20503
    assert not result.get('changed')
    assert twilio.writes == []


def test_drain_reserves_waits_and_removes_those_free_and_reports_the_busy(twilio):
    number(twilio, 1)
    busy = number(twilio, 2, in_use=2)
    later = number(twilio, 3, in_use=1)
    ended = []

    class SessionEnds(Clock):
        def sleep(self, seconds):  # while the module waits, the session on number 3 ends
            super(SessionEnds, self).sleep(seconds)
            for entry in twilio.records(POOL):
                if entry['sid'] == later['sid']:
                    entry['in_use'] = 0
                    ended.append(seconds)
    clock = SessionEnds()
    drain = dict(phone_numbers=[num(1)], purge=True, drain=True, drain_timeout=30, drain_poll_interval=10)
    check = run(check_mode=True, clock=clock, **drain)
    assert check['changed'] and twilio.writes == []
    assert re.search(r'in use by open sessions \(\+14155550002: 2, \+14155550003: 1\)', check['warnings'][0])
    twilio.answer('POST', '%s/%s' % (POOL, busy['sid']), dict(busy, is_reserved=True))
    twilio.answer('POST', '%s/%s' % (POOL, later['sid']), dict(later, is_reserved=True))
    result = run(clock=clock, **drain)
    assert result['failed'] and result['changed'] is True
    assert [w[0] for w in twilio.writes] == ['POST', 'POST', 'DELETE']
    assert [e['phone_number'] for e in result['removed']['phone_numbers']] == [num(3)]
    failed = result['failures']['phone_numbers']
    assert failed[0]['phone_number'] == num(2) and failed[0]['in_use'] == 2 and failed[0]['error'] is None
    assert 'still in use by 2 open session(s) after waiting 30 seconds' in failed[0]['msg']
    assert 'reserved 2 phone_numbers to drain them' in result['msg']
    assert clock.sleeps == [10, 10, 10] and ended


def test_pacer_keeps_under_the_rate():
    clock = Clock()
    pacer = Pacer(rate=25, burst=5, clock=clock.monotonic, sleep=clock.sleep)
    for dummy in range(505):
        pacer.wait()
    # 5 at once, then one every 40 ms: 500 more in 20 s
    assert abs(clock.now - 1000.0 - 20.0) < 1e-6
    assert pacer.calls == 505


def test_apply_writes_goes_on_after_a_refusal():
    def refuse():
        raise TwilioApiError('no', status=400, code=80601)
    batch = apply_writes([Write('add', {'n': 1}, lambda: 1), Write('add', {'n': 2}, refuse),
                          Write('add', {'n': 3}, lambda: 3)])
    assert [w.item['n'] for w, r in batch.done] == [1, 3]
    assert batch.report()['failed'][0]['error']['code'] == 80601


# -- issue 20: a bulk run reports only what happened ------------------------------------------------------------

def processed(twilio, i, **fields):
    """Twilio adds number i, and then the answer is lost (``then`` of FakeTwilio.fail)."""
    return lambda: twilio.put(POOL, record(i, **fields))


def test_an_add_whose_answer_is_lost_is_settled_by_a_read_and_reported_as_made(twilio):
    twilio.fail('POST', POOL, requests.exceptions.ReadTimeout('read timed out'), then=processed(twilio, 1))
    will_add(twilio, 2)
    result = run(phone_numbers=[num(1), num(2)], max_retries=0)
    assert result['failed'] is False and result['changed'] is True
    assert [e['phone_number'] for e in result['added']['phone_numbers']] == [num(1), num(2)]
    assert [m for m, dummy, dummy2 in twilio.writes] == ['POST', 'POST']  # never sent twice


def test_an_add_whose_answer_is_lost_and_did_not_happen_fails_unchanged(twilio):
    twilio.fail('POST', POOL, requests.exceptions.ReadTimeout('read timed out'))
    result = run(phone_numbers=[num(1)], max_retries=0)
    assert result['failed'] and result['changed'] is False
    assert 'outcome' not in result['failures']['phone_numbers'][0]


def test_an_add_that_no_read_can_settle_is_changed_and_named_uncertain(twilio):
    def added_then_reads_fail():
        processed(twilio, 1)()
        twilio.refuse('GET', POOL, 20500, 'Internal Server Error', status=500)  # the settling read fails too
    twilio.fail('POST', POOL, requests.exceptions.ReadTimeout('read timed out'), then=added_then_reads_fail)
    result = run(phone_numbers=[num(1)], max_retries=0)
    assert result['failed'] and result['changed'] is True
    failed = result['failures']['phone_numbers'][0]
    assert failed['outcome'] == 'unknown' and failed['msg'].startswith('may have taken effect')
    assert '1 may have taken effect (%s)' % num(1) in result['msg']


def test_an_add_refused_because_another_run_added_it_meanwhile_is_done(twilio):
    twilio.refuse('POST', POOL, 80104, 'PhoneNumber has already been added to Service.', then=processed(twilio, 1))
    result = run(phone_numbers=[num(1)])
    assert result['failed'] is False and result['changed'] is False
    assert result['added']['phone_numbers'] == [] and [r['phone_number'] for r in result['phone_numbers']] == [num(1)]
    assert 'added to the pool by someone else' in result['warnings'][0]


def test_a_remove_answered_404_is_already_gone_not_removed(twilio):
    gone = number(twilio, 9)
    twilio.refuse('DELETE', '%s/%s' % (POOL, gone['sid']), 20404, 'not found', status=404)
    number(twilio, 1)
    result = run(phone_numbers=[num(1)], purge=True)
    assert result['failed'] is False and result['changed'] is False
    assert result['removed']['phone_numbers'] == []
    assert 'already gone' in result['warnings'][0] and num(9) in result['warnings'][0]


def test_a_remove_whose_answer_is_lost_is_settled_by_a_read(twilio):
    gone = number(twilio, 9)
    number(twilio, 1)

    def delete():
        twilio.collections[POOL].remove(gone)
    twilio.fail('DELETE', '%s/%s' % (POOL, gone['sid']), requests.exceptions.ConnectionError('dropped'), then=delete)
    result = run(phone_numbers=[num(1)], purge=True, max_retries=0)
    assert result['failed'] is False and result['changed'] is True
    assert [e['phone_number'] for e in result['removed']['phone_numbers']] == [num(9)]


@pytest.mark.parametrize('fault', ['repeated sid', 'no list key'])
def test_a_purge_after_an_inconsistent_read_removes_nothing(twilio, fault):
    twilio.page_size = 2
    for i in range(5):
        number(twilio, i)
    if fault == 'repeated sid':
        twilio.put(POOL, record(0))
    else:
        twilio.answer('GET', POOL, {'meta': {'key': 'phone_numbers', 'page': 1, 'page_size': 2}},
                      query={'Page': '1'})
    result = run(phone_numbers=[num(0)], purge=True)
    assert result['failed'] and 'inconsistent' in result['msg'] and twilio.writes == []


@pytest.mark.parametrize('check_mode', [True, False])
def test_a_removal_without_drain_of_numbers_in_use_warns_naming_them(twilio, check_mode):
    number(twilio, 1)
    number(twilio, 2, in_use=3)
    result = run(check_mode=check_mode, phone_numbers=[num(1)], purge=True)
    assert result['failed'] is False and result['changed'] is True
    assert any('in use by open sessions (in use: %s (3))' % num(2) in w for w in result['warnings'])


def test_check_mode_predicts_80601_for_a_number_the_account_does_not_own_at_one_more_get(twilio):
    twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', [
        dict(sid=pn(num(i)), phone_number=num(i)) for i in (8, 9)]), query={'PageSize': '1000'})
    result = run(check_mode=True, phone_numbers=[num(7), num(8), num(9)])
    assert result['failed'] and '80601' in result['msg'] and num(7) in result['msg'] and num(8) not in result['msg']
    assert [f['phone_number'] for f in result['failures']['phone_numbers']] == [num(7)]
    assert twilio.writes == [] and twilio.calls == [('GET', POOL), ('GET', INCOMING)]


def test_check_mode_predicts_80601_for_one_number_through_the_accounts_filter(twilio):
    twilio.answer('GET', INCOMING, account_page('incoming_phone_numbers', []), query={'PhoneNumber': num(7)})
    result = run(check_mode=True, phone_numbers=[num(7)])
    assert result['failed'] and '80601' in result['msg'] and twilio.calls == [('GET', POOL), ('GET', INCOMING)]


def test_a_drained_number_missing_from_a_re_read_list_is_confirmed_gone_by_its_own_get(twilio):
    twilio.page_size = 2
    for i in range(6):
        number(twilio, i, is_reserved=True)
    busy = [number(twilio, i, in_use=1, is_reserved=True) for i in (6, 7, 8)]

    class LastPageLost(Clock):
        def sleep(self, seconds):  # while the module waits, the re-read's last page will come back empty
            super(LastPageLost, self).sleep(seconds)
            twilio.answer('GET', POOL, {'phone_numbers': [], 'meta': {'key': 'phone_numbers', 'page': 4,
                                                                      'page_size': 2}}, query={'Page': '4'})
    clock = LastPageLost()
    result = run(clock=clock, phone_numbers=[num(i) for i in range(6)], purge=True, drain=True, drain_timeout=10,
                 drain_poll_interval=10)
    assert result['failed'] and result['removed']['phone_numbers'] == []
    assert [f['phone_number'] for f in result['failures']['phone_numbers']] == [b['phone_number'] for b in busy]
    assert twilio.writes == []


def test_the_quote_it_hint_appears_once(twilio):
    result = run(phone_numbers=[14155550100])
    assert result['failed'] and result['msg'].count('quote it') == 1 and twilio.requests == []


def test_adds_lost_to_another_run_are_settled_by_one_list_read(twilio):
    def other_run_added_all():
        for i in (1, 2, 3):
            if not any(r['phone_number'] == num(i) for r in twilio.records(POOL)):
                number(twilio, i)
    for dummy in range(3):
        twilio.refuse('POST', POOL, 80104, 'PhoneNumber has already been added to Service.',
                      then=other_run_added_all)
    result = run(phone_numbers=[num(1), num(2), num(3)])
    assert result['failed'] is False and result['changed'] is False
    assert twilio.pages(POOL) == 2  # the plan's read, and one read that settles all three adds
