# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_pool's decisions and _bulk's machinery: validation before any request, one read, only the needed writes,
purge, drain, pacing, partial failure. The real PoolEngine runs against the in-memory Twilio of fakes.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible_collections.community.twilio.plugins.module_utils._bulk import (
    Pacer, PoolEngine, Write, apply_writes, pool_argument_spec)
from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._resources import PHONE_NUMBER
from ansible_collections.community.twilio.plugins.modules.proxy_pool import MEMBER_LISTS
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    CREDS, KS, Exit, FakeModule, FakeTwilio)

POOL = '/Services/%s/PhoneNumbers' % KS
CODES = '/Services/%s/ShortCodes' % KS


def pn(number):
    return 'PN' + hashlib.sha256(number.encode()).hexdigest()[:32]


def sc(code):
    return 'SC' + hashlib.sha256(code.encode()).hexdigest()[:32]


def num(i):
    return '+1415555%04d' % i


class Clock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class PoolTwilio(FakeTwilio):
    """Twilio's pool endpoints: adds by Sid or PhoneNumber of owned numbers, 80601 otherwise."""

    def __init__(self, owned=200, page_size=100):
        super(PoolTwilio, self).__init__(page_size=page_size)
        self.owned = dict((pn(num(i)), num(i)) for i in range(owned))
        self.refuse = {}  # number -> TwilioApiError for its add

    def number(self, i, reserved=False, in_use=0):
        return self.add(POOL, dict(sid=pn(num(i)), phone_number=num(i), is_reserved=reserved, in_use=in_use))

    def list(self, uri, key, page_size=100):
        for record in super(PoolTwilio, self).list(uri, key, page_size):
            yield dict(record)

    def fetch(self, uri):
        record = super(PoolTwilio, self).fetch(uri)
        return None if record is None else dict(record)

    def create(self, uri, data):
        self._write('POST', uri)
        if uri == CODES:
            return self.add(uri, dict(sid=data['Sid'], short_code='89000',
                                      is_reserved=data.get('IsReserved') == 'true'))
        number = data.get('PhoneNumber') or self.owned.get(data.get('Sid'))
        if number in self.refuse:
            raise self.refuse[number]
        if number not in self.owned.values():
            raise TwilioApiError('Phone Number Not Available', status=400, code=80601, method='POST', url=uri)
        return dict(self.add(uri, dict(sid=pn(number), phone_number=number,
                                       is_reserved=data.get('IsReserved') == 'true', in_use=0)))

    def update(self, uri, data):
        self._write('POST', uri)
        record = self._find(uri)[1]
        record['is_reserved'] = data['IsReserved'] == 'true'
        return dict(record)


def run(twilio, check_mode=False, clock=None, **given):
    params = dict((name, option.get('default')) for name, option in pool_argument_spec(MEMBER_LISTS).items())
    params.update(CREDS, service_sid=KS)
    params.update(given)
    module = FakeModule(params, check_mode=check_mode)
    twilio.read_only = False
    engine = type('E', (PoolEngine,), dict(member_lists=MEMBER_LISTS))(module, PHONE_NUMBER, client=twilio)
    if clock is not None:
        engine.clock, engine.sleep = clock, clock.sleep
    with pytest.raises(Exit) as caught:
        engine.run()
    caught.value.result['warnings'] = module.warnings
    return caught.value.kind, caught.value.result


@pytest.mark.parametrize('numbers, text', [
    (['4155550100'], 'phone_numbers item 1: '),
    ([num(1), '+1 (415) 555-0001'], r"phone_numbers item 2 \(\+14155550001\): \+14155550001 is listed twice"),
    ([{'sid': pn(num(1)), 'phone_number': num(1)}, pn(num(1))], 'is listed twice'),
    ([{'sid': pn(num(1)), 'phone_number': num(1)}, num(1)], 'is listed twice'),
    (['PN123'], 'phone_numbers item 1: '),
    ([{'number': num(1)}], 'phone_numbers item 1: unknown key'),
    ([{'is_reserved': True}], 'phone_numbers item 1: give phone_number or sid'),
    ([{'phone_number': num(1), 'is_reserved': 'maybe'}], 'phone_numbers item 1: is_reserved must be a boolean'),
    ([14155550100], r'quote it'),
    ([{'phone_number': num(i), 'is_reserved': False} for i in range(501)], '501 unreserved numbers listed'),
])
def test_bad_input_fails_before_any_request(numbers, text):
    twilio = PoolTwilio()
    kind, result = run(twilio, phone_numbers=numbers)
    assert kind == 'fail'
    assert __import__('re').search(text, result['msg']), result['msg']
    assert twilio.calls == []


def test_bad_short_code_and_drain_options():
    twilio = PoolTwilio()
    assert run(twilio, short_codes=['SC1'])[1]['msg'].startswith('short_codes item 1: ')
    assert run(twilio, phone_numbers=[], drain_timeout=-1)[1]['msg'].startswith('drain_timeout: ')
    assert twilio.calls == []


def test_no_change_is_one_read_per_list():
    twilio = PoolTwilio()
    for i in range(120):
        twilio.number(i)
    twilio.add(CODES, dict(sid=sc('89000'), short_code='89000', is_reserved=False))
    kind, result = run(twilio, phone_numbers=[num(i) for i in range(120)], short_codes=[sc('89000')], purge=True)
    assert kind == 'exit' and result['changed'] is False
    assert result['diff'] == {'before': {}, 'after': {}}
    assert [c[0] for c in twilio.calls] == ['GET', 'GET', 'GET']
    assert len(result['phone_numbers']) == 120


def test_check_mode_then_real_run_agree_and_converge():
    twilio = PoolTwilio()
    twilio.number(1)
    twilio.number(2, reserved=True)
    twilio.number(3)
    wanted = dict(phone_numbers=[num(1), {'phone_number': num(2), 'is_reserved': False},
                                 {'sid': pn(num(4)), 'is_reserved': True}, num(5)], purge=True)
    kind, check = run(twilio, check_mode=True, **wanted)
    assert kind == 'exit' and check['changed'] and twilio.writes == []
    kind, real = run(twilio, **wanted)
    assert kind == 'exit' and real['changed']
    assert check['diff'] == real['diff'] == {
        'before': {'phone_numbers': {num(2): 'reserved', num(3): 'unreserved', pn(num(4)): 'absent',
                                     num(5): 'absent'}},
        'after': {'phone_numbers': {num(2): 'unreserved', num(3): 'absent', pn(num(4)): 'reserved',
                                    num(5): 'unreserved'}}}
    assert [c[0] for c in twilio.writes] == ['DELETE', 'POST', 'POST', 'POST']
    assert sorted(r['phone_number'] for r in real['phone_numbers']) == [num(1), num(2), num(4), num(5)]
    assert sorted((r['phone_number'] or r['sid']) for r in check['phone_numbers']) == sorted(
        [num(1), num(2), pn(num(4)), num(5)])
    assert [e['phone_number'] for e in real['removed']['phone_numbers']] == [num(3)]
    assert [e['phone_number'] for e in real['updated']['phone_numbers']] == [num(2)]
    assert [e['phone_number'] for e in real['added']['phone_numbers']] == [num(4), num(5)]
    twilio.calls[:] = []
    kind, again = run(twilio, **wanted)
    assert again['changed'] is False and twilio.writes == []


def test_without_purge_unlisted_entries_stay():
    twilio = PoolTwilio()
    twilio.number(1)
    kind, result = run(twilio, phone_numbers=[num(2)])
    assert kind == 'exit' and [c[0] for c in twilio.writes] == ['POST']
    assert len(result['phone_numbers']) == 2 and result['removed'] == {'phone_numbers': []}


def test_limit_with_kept_entries_fails_after_the_read_before_any_write():
    twilio = PoolTwilio(owned=600)
    for i in range(10):
        twilio.number(i)
    kind, result = run(twilio, phone_numbers=[num(i) for i in range(100, 595)])
    assert kind == 'fail' and 'would hold 505 unreserved numbers' in result['msg']
    assert twilio.writes == []


def test_number_by_sid_and_by_e164_in_two_items_found_after_the_read():
    twilio = PoolTwilio()
    twilio.number(1)
    kind, result = run(twilio, phone_numbers=[pn(num(1)), num(1)])
    assert kind == 'fail' and 'the same number as phone_numbers item 1' in result['msg']
    assert twilio.writes == []


def test_partial_failure_reports_per_item_and_a_rerun_converges():
    twilio = PoolTwilio()
    twilio.number(9)
    wanted = dict(phone_numbers=[num(1), '+14155559999', num(2)], purge=True)
    kind, result = run(twilio, **wanted)
    assert kind == 'fail' and result['changed'] is True
    assert '1 of 4 changes to the pool failed' in result['msg']
    assert [e['phone_number'] for e in result['added']['phone_numbers']] == [num(1), num(2)]
    assert [e['phone_number'] for e in result['removed']['phone_numbers']] == [num(9)]
    failed = result['failures']['phone_numbers']
    assert len(failed) == 1 and failed[0]['error']['code'] == 80601 and failed[0]['item'] == 2
    assert failed[0]['action'] == 'add' and failed[0]['phone_number'] == '+14155559999'
    twilio.calls[:] = []
    kind, again = run(twilio, phone_numbers=[num(1), num(2)], purge=True)
    assert kind == 'exit' and again['changed'] is False and twilio.writes == []


def test_a_5xx_stops_the_writes_and_reports_the_rest_not_attempted():
    twilio = PoolTwilio()
    twilio.refuse[num(2)] = TwilioApiError('down', status=503, code=20503, method='POST', url=POOL)
    kind, result = run(twilio, phone_numbers=[num(1), num(2), num(3)])
    assert kind == 'fail'
    failed = result['failures']['phone_numbers']
    assert [f['error'] and f['error']['code'] for f in failed] == [20503, None]
    assert failed[1]['msg'].startswith('not attempted')
    assert len(twilio.writes) == 2


def test_incomplete_read_removes_nothing():
    class Broken(PoolTwilio):
        def list(self, uri, key, page_size=100):
            for index, record in enumerate(super(Broken, self).list(uri, key, page_size)):
                if index == 100:
                    raise TwilioApiError('Service Unavailable', status=503, code=20503, method='GET', url=uri)
                yield record
    twilio = Broken()
    for i in range(150):
        twilio.number(i)
    kind, result = run(twilio, phone_numbers=[num(0)], purge=True)
    assert kind == 'fail' and result['error']['code'] == 20503
    assert twilio.writes == []


def test_drain_reserves_waits_and_removes_those_free_and_reports_the_busy():
    twilio = PoolTwilio()
    twilio.number(1)
    busy = twilio.number(2, in_use=2)
    free_later = twilio.number(3, in_use=1)
    clock = Clock()
    sleep = clock.sleep

    def later(seconds):  # the session on number 3 ends during the first wait
        sleep(seconds)
        free_later['in_use'] = 0
    clock.sleep = later
    kind, check = run(twilio, check_mode=True, clock=clock, phone_numbers=[num(1)], purge=True, drain=True,
                      drain_timeout=30, drain_poll_interval=10)
    assert check['changed'] and twilio.writes == []
    assert 'in use by open sessions' in check['warnings'][0]
    kind, result = run(twilio, clock=clock, phone_numbers=[num(1)], purge=True, drain=True, drain_timeout=30,
                       drain_poll_interval=10)
    assert kind == 'fail' and result['changed'] is True
    assert [c[0] for c in twilio.writes] == ['POST', 'POST', 'DELETE']
    assert [e['phone_number'] for e in result['removed']['phone_numbers']] == [num(3)]
    failed = result['failures']['phone_numbers']
    assert failed[0]['phone_number'] == num(2) and failed[0]['in_use'] == 2 and failed[0]['error'] is None
    assert 'still in use by 2 open session(s) after waiting 30 seconds' in failed[0]['msg']
    assert busy['is_reserved'] is True
    assert clock.sleeps == [10, 10, 10]


def test_pacer_keeps_under_the_rate():
    clock = Clock()
    pacer = Pacer(rate=25, burst=5, clock=clock, sleep=clock.sleep)
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
