# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_phone_number's decisions: E.164 input, identity by SID or number, draining, check mode.

The real engine and the module's PhoneNumberEngine run against the in-memory Twilio of fakes.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib

import pytest

from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._resources import PHONE_NUMBER
from ansible_collections.community.twilio.plugins.modules.proxy_phone_number import DRAIN_OPTIONS, PhoneNumberEngine
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    KS, Exit, FakeModule, FakeTwilio, module_params)

POOL = '/Services/%s/PhoneNumbers' % KS


def pn_sid(number):
    return 'PN' + hashlib.sha256(number.encode()).hexdigest()[:32]


def params(**given):
    return module_params(PHONE_NUMBER, DRAIN_OPTIONS, **given)


class Clock:
    """Time that passes only when the engine sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class PoolTwilio(FakeTwilio):
    """The fake Twilio, with booleans stored as booleans and fresh copies read (as from Twilio's JSON)."""

    def list(self, uri, key, page_size=100):
        for record in super(PoolTwilio, self).list(uri, key, page_size):
            yield dict(record)

    def fetch(self, uri):
        record = super(PoolTwilio, self).fetch(uri)
        return None if record is None else dict(record)

    def _record(self, uri, data):
        record = super(PoolTwilio, self)._record(uri, data)
        for key, value in record.items():
            if value in ('true', 'false'):
                record[key] = value == 'true'
        return record


class DrainingTwilio(PoolTwilio):
    """Sessions end while the module waits: each read of a number shows ``in_use`` from a script."""

    def __init__(self, in_use_reads, **kwargs):
        super(DrainingTwilio, self).__init__(**kwargs)
        self.in_use_reads = list(in_use_reads)

    def fetch(self, uri):
        stored = self._find(uri)[1]
        if stored is not None and self.in_use_reads:
            stored['in_use'] = self.in_use_reads.pop(0)
        return super(DrainingTwilio, self).fetch(uri)


def run(fake, check_mode=False, clock=None, **given):
    module = FakeModule(params(**given), check_mode=check_mode)
    engine = PhoneNumberEngine(module, PHONE_NUMBER, client=fake)
    clock = clock or Clock()
    engine.clock, engine.sleep = clock, clock.sleep
    with pytest.raises(Exit) as info:
        engine.run()
    info.value.result['warnings'] = module.warnings
    return info.value.kind, info.value.result


def number(fake, e164, **fields):
    record = dict(sid=pn_sid(e164), service_sid=KS, phone_number=e164, is_reserved=False, in_use=0,
                  url='%s/%s' % (POOL, pn_sid(e164)))
    record.update(fields)
    return fake.add(POOL, record)


def pool(fake, size):
    return [number(fake, '+1415%07d' % (5550000 + i)) for i in range(size)]


# -- E.164 ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('typed', ['+1 (415) 555-0100', '+1.415.555.0100', '+1-415-555-0100', ' +14155550100 ',
                                   '+1 415/555 0100'])
def test_what_users_type_finds_the_e164_number_without_a_write(typed):
    fake = PoolTwilio()
    number(fake, '+14155550100')
    kind, result = run(fake, phone_number=typed)
    assert kind == 'exit' and result['changed'] is False
    assert result['phone_number']['phone_number'] == '+14155550100'
    assert fake.writes == []


@pytest.mark.parametrize('bad', ['4155550100', '+0415555', '+1 415 CALL NOW', '+1234567890123456', '+', '',
                                 '001 415 555 0100', 'tel:+14155550100'])
def test_what_is_not_e164_fails_before_any_request(bad):
    fake = PoolTwilio()
    kind, result = run(fake, phone_number=bad)
    assert kind == 'fail' and result['msg'].startswith('phone_number: ')
    assert 'E.164' in result['msg']
    assert fake.calls == []


def test_a_new_number_is_added_normalised():
    fake = PoolTwilio()
    kind, result = run(fake, phone_number='+1 (415) 555-0100', is_reserved=True)
    assert kind == 'exit' and result['changed'] is True
    assert fake.writes == [('POST', POOL)]
    added = fake.collections[POOL][0]
    assert added['phone_number'] == '+14155550100' and added['is_reserved'] is True
    assert result['diff'] == dict(before=dict(state='absent'),
                                  after=dict(phone_number='+14155550100', is_reserved=True, state='present'))


# -- identity: SID or number ---------------------------------------------------------------------------------

def test_by_sid_is_one_get_and_never_lists():
    fake = PoolTwilio(page_size=2)
    numbers = pool(fake, 7)
    kind, result = run(fake, sid=numbers[6]['sid'])
    assert kind == 'exit' and result['changed'] is False
    assert fake.calls == [('GET', '%s/%s' % (POOL, numbers[6]['sid']))]
    assert fake.pages_read == 0


def test_by_number_reads_every_page_to_the_last():
    fake = PoolTwilio(page_size=2)
    numbers = pool(fake, 7)
    kind, result = run(fake, phone_number=numbers[6]['phone_number'])
    assert kind == 'exit' and result['changed'] is False
    assert result['phone_number']['sid'] == numbers[6]['sid']
    assert fake.pages_read == 4 and fake.writes == []


def test_a_sid_not_in_the_pool_is_added_by_that_sid():
    fake = PoolTwilio()
    sid = pn_sid('+14155550100')
    kind, result = run(fake, sid='PN' + sid[2:].upper())
    assert kind == 'exit' and result['changed'] is True
    assert fake.writes == [('POST', POOL)]
    assert fake.collections[POOL][0]['sid'] == sid  # sent as Sid, hex lower-cased
    assert result['diff']['after'] == dict(sid=sid, state='present')


def test_check_mode_add_by_sid_predicts_that_sid_and_writes_nothing():
    fake = PoolTwilio()
    fake.read_only = True
    sid = pn_sid('+14155550100')
    kind, result = run(fake, check_mode=True, sid=sid, is_reserved=False)
    assert kind == 'exit' and result['changed'] is True
    assert result['phone_number']['sid'] == sid
    assert result['diff']['after'] == dict(sid=sid, is_reserved=False, state='present')
    assert fake.writes == []


def test_check_mode_add_by_number_invents_no_sid():
    fake = PoolTwilio()
    fake.read_only = True
    kind, result = run(fake, check_mode=True, phone_number='+14155550100')
    assert result['changed'] is True and result['phone_number']['sid'] is None
    assert fake.writes == []


def test_a_different_number_for_a_sid_fails_naming_the_field_and_writes_nothing():
    fake = PoolTwilio()
    record = number(fake, '+14155550100')
    kind, result = run(fake, sid=record['sid'], phone_number='+14155550199')
    assert kind == 'fail'
    assert result['msg'].startswith('phone_number of Proxy phone number %s cannot be changed' % record['sid'])
    assert "'+14155550100'" in result['msg'] and "'+14155550199'" in result['msg']
    assert fake.writes == []


def test_the_same_number_for_a_sid_is_fine():
    fake = PoolTwilio()
    record = number(fake, '+14155550100')
    kind, result = run(fake, sid=record['sid'], phone_number='+1 415 555 0100')
    assert kind == 'exit' and result['changed'] is False and fake.writes == []


@pytest.mark.parametrize('given, option', [
    (dict(sid='PN123'), 'sid'),
    (dict(sid='KS' + 'a' * 32), 'sid'),
    (dict(service_sid='', phone_number='+14155550100'), 'service_sid'),
    (dict(phone_number='+14155550100', drain_timeout=-1), 'drain_timeout'),
    (dict(phone_number='+14155550100', drain_poll_interval=0), 'drain_poll_interval'),
])
def test_bad_input_names_the_option_and_sends_nothing(given, option):
    fake = PoolTwilio()
    kind, result = run(fake, **given)
    assert kind == 'fail' and result['msg'].startswith(option + ':')
    assert fake.calls == []


def test_only_is_reserved_changes_in_place():
    fake = PoolTwilio()
    record = number(fake, '+14155550100')
    kind, result = run(fake, phone_number='+14155550100', is_reserved=True)
    assert result['changed'] is True
    assert fake.writes == [('POST', '%s/%s' % (POOL, record['sid']))]
    assert result['diff'] == dict(before=dict(is_reserved=False), after=dict(is_reserved=True))


def test_a_number_in_another_service_fails_with_80601_and_a_hint():
    fake = PoolTwilio()
    fake.fail_next_create = TwilioApiError(
        'Phone Number Not Available: +14155550100 is already associated with another Proxy Service.',
        status=400, code=80601, method='POST', url='/v1' + POOL)
    kind, result = run(fake, phone_number='+14155550100')
    assert kind == 'fail'
    assert result['msg'].startswith('Twilio error 80601 (HTTP 400) on POST /v1%s: ' % POOL)
    assert 'belongs to one service only' in result['msg'] and 'does not own' in result['msg']
    assert result['error']['code'] == 80601
    assert fake.collections.get(POOL, []) == []


# -- removal and draining ------------------------------------------------------------------------------------

def test_absent_without_drain_deletes_at_once_even_in_use():
    fake = PoolTwilio()
    record = number(fake, '+14155550100', in_use=3)
    kind, result = run(fake, phone_number='+14155550100', state='absent')
    assert result['changed'] is True and result['phone_number'] == {}
    assert fake.writes == [('DELETE', '%s/%s' % (POOL, record['sid']))]
    assert result['diff']['after'] == dict(state='absent')


def test_drain_reserves_waits_until_no_session_uses_it_then_removes():
    fake = DrainingTwilio(in_use_reads=[2, 1, 0])
    record = number(fake, '+14155550100', in_use=2)
    clock = Clock()
    kind, result = run(fake, clock=clock, phone_number='+14155550100', state='absent', drain=True,
                       drain_timeout=60, drain_poll_interval=5)
    assert kind == 'exit' and result['changed'] is True and result['phone_number'] == {}
    uri = '%s/%s' % (POOL, record['sid'])
    assert fake.writes == [('POST', uri), ('DELETE', uri)]
    assert [c for c in fake.calls if c == ('GET', uri)] == [('GET', uri)] * 3
    assert clock.sleeps == [5, 5, 5]
    assert fake.collections[POOL] == []
    assert result['diff']['before']['is_reserved'] is False and result['diff']['before']['state'] == 'present'
    assert result['diff']['after'] == dict(is_reserved=True, state='absent')


def test_drain_timeout_leaves_the_number_reserved_and_says_how_many_sessions_use_it():
    fake = DrainingTwilio(in_use_reads=[2] * 100)
    record = number(fake, '+14155550100', in_use=2)
    clock = Clock()
    kind, result = run(fake, clock=clock, phone_number='+14155550100', state='absent', drain=True,
                       drain_timeout=12, drain_poll_interval=5)
    assert kind == 'fail'
    assert '+14155550100 is still in use by 2 open session(s) after waiting 12 seconds' in result['msg']
    assert 'reserved' in result['msg']
    assert result['in_use'] == 2 and result['changed'] is True
    assert result['phone_number']['is_reserved'] is True
    uri = '%s/%s' % (POOL, record['sid'])
    assert fake.writes == [('POST', uri)]  # reserved, never deleted
    assert fake.collections[POOL] == [record] and record['is_reserved'] is True
    assert clock.sleeps == [5, 5, 2] and sum(clock.sleeps) == 12


def test_drain_with_zero_timeout_checks_once():
    fake = DrainingTwilio(in_use_reads=[])
    number(fake, '+14155550100', in_use=1, is_reserved=True)
    clock = Clock()
    kind, result = run(fake, clock=clock, phone_number='+14155550100', state='absent', drain=True, drain_timeout=0)
    assert kind == 'fail' and 'in use by 1 open session(s)' in result['msg']
    assert fake.writes == [] and clock.sleeps == [] and result['changed'] is False


def test_drain_of_an_idle_reserved_number_is_just_the_delete():
    fake = PoolTwilio()
    record = number(fake, '+14155550100', is_reserved=True, in_use=0)
    kind, result = run(fake, phone_number='+14155550100', state='absent', drain=True)
    assert result['changed'] is True
    assert fake.writes == [('DELETE', '%s/%s' % (POOL, record['sid']))]
    assert result['diff']['after'] == dict(state='absent')


def test_drain_in_check_mode_writes_nothing_waits_for_nothing_and_shows_the_reservation():
    fake = PoolTwilio()
    fake.read_only = True
    number(fake, '+14155550100', in_use=2)
    clock = Clock()
    kind, result = run(fake, check_mode=True, clock=clock, phone_number='+14155550100', state='absent', drain=True)
    assert kind == 'exit' and result['changed'] is True
    assert fake.writes == [] and clock.sleeps == []
    assert result['diff']['after'] == dict(is_reserved=True, state='absent')
    assert any('in use by 2 open session(s)' in w for w in result['warnings'])
    assert len(fake.collections[POOL]) == 1


def test_drain_when_someone_else_removed_the_number_meanwhile():
    fake = PoolTwilio()
    record = number(fake, '+14155550100', in_use=1, is_reserved=True)
    uri = '%s/%s' % (POOL, record['sid'])

    def vanished(u):
        fake.calls.append(('GET', u))
        fake.collections[POOL] = []
        return None

    fake.fetch = vanished
    kind, result = run(fake, phone_number='+14155550100', state='absent', drain=True, drain_poll_interval=1)
    assert kind == 'exit' and result['changed'] is True and result['phone_number'] == {}
    assert fake.writes == [('DELETE', uri)]
