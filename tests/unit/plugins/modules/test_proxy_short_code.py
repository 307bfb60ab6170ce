# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_short_code's decisions: identity by SID only, add by SID, is_reserved in place, Twilio's codes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._engine import Engine
from ansible_collections.community.twilio.plugins.module_utils._resources import SHORT_CODE
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    KS, Exit, FakeModule, FakeTwilio, module_params)

SC = 'SC' + 'c' * 32
CODES = '/Services/%s/ShortCodes' % KS


def run(fake, check_mode=False, **given):
    module = FakeModule(module_params(SHORT_CODE, **dict(dict(sid=SC), **given)), check_mode=check_mode)
    with pytest.raises(Exit) as info:
        Engine(module, SHORT_CODE, client=fake).run()
    return info.value.kind, info.value.result


def test_a_short_code_not_in_the_service_is_added_by_sid():
    fake = FakeTwilio()
    kind, result = run(fake, is_reserved=True)
    assert kind == 'exit' and result['changed'] is True
    assert fake.calls == [('GET', '%s/%s' % (CODES, SC)), ('POST', CODES)]
    assert result['diff']['after'] == dict(sid=SC, is_reserved=True, state='present')


def test_check_mode_predicts_the_add_and_writes_nothing():
    fake = FakeTwilio()
    kind, result = run(fake, check_mode=True)
    assert result['changed'] is True and result['short_code']['sid'] == SC
    assert fake.writes == []


def test_is_reserved_changes_in_place_and_then_is_stable():
    fake = FakeTwilio()
    fake.add(CODES, dict(sid=SC, short_code='89000', is_reserved=False, url=CODES + '/' + SC))
    kind, result = run(fake, is_reserved=True)
    assert result['changed'] is True
    assert result['diff'] == dict(before=dict(is_reserved=False), after=dict(is_reserved=True))
    fake.collections[CODES][0]['is_reserved'] = True
    fake.calls = []
    kind, result = run(fake, is_reserved=True)
    assert result['changed'] is False and fake.writes == [] and len(fake.calls) == 1


@pytest.mark.parametrize('bad', ['SC123', 'PN' + 'c' * 32])
def test_a_malformed_sid_fails_before_any_request(bad):
    fake = FakeTwilio()
    kind, result = run(fake, sid=bad)
    assert kind == 'fail' and result['msg'].startswith('sid: ') and fake.calls == []


def test_an_unowned_short_code_fails_with_80303_and_a_hint():
    fake = FakeTwilio()
    fake.fail_next_create = TwilioApiError('Short Code Sid is not associated with your Account.', status=400,
                                           code=80303, method='POST', url='/v1' + CODES)
    kind, result = run(fake)
    assert kind == 'fail' and result['error']['code'] == 80303
    assert result['msg'].endswith('(this account does not own the short code)')
