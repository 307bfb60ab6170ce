# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_capacity_info: list pages only, and the verdicts from the pool and the thresholds."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._capacity import Thresholds, assess
from ansible_collections.community.twilio.plugins.modules import proxy_capacity_info
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import CREDS, KS, run_module

LIMITS = dict(sessions_per_participant=1, in_use_ceiling=100, tight_percent=80, busiest=5)


def pool(count, in_use=0, reserved=0, prefix='+1415555'):
    return [dict(sid='PN%032d' % i, phone_number='%s%04d' % (prefix, i), in_use=in_use, is_reserved=i < reserved)
            for i in range(count)]


def verdict(numbers, **limits):
    return assess(dict(sid=KS), numbers, (0, 0), Thresholds(dict(LIMITS, **limits)))


def test_verdicts_follow_the_busiest_participant_and_the_ceiling():
    assert verdict(pool(3), sessions_per_participant=3)['verdict'] == 'tight'       # 3 < 3 / 80 %
    assert verdict(pool(4), sessions_per_participant=3)['verdict'] == 'ok'
    short = verdict(pool(2), sessions_per_participant=3)
    assert short['verdict'] == 'exhausted' and short['numbers_needed'] == 2
    assert verdict(pool(4, reserved=2), sessions_per_participant=3)['verdict'] == 'exhausted'  # reserved don't count
    loaded = verdict(pool(10, in_use=90))          # 900 participants: 9 numbers at 100, 12 with 80 % margin
    assert loaded['verdict'] == 'tight' and loaded['numbers_needed'] == 2 and loaded['in_use']['spare'] == 100
    assert verdict(pool(8, in_use=120))['verdict'] == 'exhausted'


def test_a_country_short_of_numbers_exhausts_a_mixed_pool():
    mixed = pool(5) + pool(1, prefix='+4477009')
    result = verdict(mixed, sessions_per_participant=2)
    assert result['verdict'] == 'exhausted' and result['by_country']['GB']['numbers'] == 1
    assert any(r.startswith('GB numbers: 1 unreserved') for r in result['reasons'])
    assert result['by_area_code'] == {'415': 5}


def test_only_list_pages_are_read(twilio):
    twilio.put('/Services', dict(sid=KS, unique_name='rides', geo_match_level='country'))
    for record in pool(3, in_use=2):
        twilio.put('/Services/%s/PhoneNumbers' % KS, record)
    for status in ('open', 'in-progress', 'closed'):
        twilio.put('/Services/%s/Sessions' % KS, dict(sid='KC' + status[0] * 32, status=status))
    result = run_module(proxy_capacity_info, dict(CREDS, service_sid='rides'))
    assert result['failed'] is False, result
    service = result['services'][0]
    assert service['sessions'] == dict(open=2, listed=3) and service['in_use']['sum'] == 6
    assert twilio.calls == [('GET', '/Services'), ('GET', '/Services/%s/PhoneNumbers' % KS),
                            ('GET', '/Services/%s/Sessions' % KS)]


def test_an_unknown_service_is_named(twilio):
    result = run_module(proxy_capacity_info, dict(CREDS, service_sid='nope'))
    assert result['failed'] is True and result['msg'] == "service_sid: no Proxy Service with unique_name 'nope'"
