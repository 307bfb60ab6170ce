# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_short_code's decisions: identity by SID only, add by SID, is_reserved in place, Twilio's codes.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.community.twilio.plugins.modules import proxy_short_code
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import CREDS, KS, run_module

SC = 'SC' + 'c' * 32
CODES = '/Services/%s/ShortCodes' % KS
CODE = '%s/%s' % (CODES, SC)


def run(check_mode=False, **given):
    args = dict(CREDS, service_sid=KS, sid=SC)
    args.update(given)
    return run_module(proxy_short_code, args, check_mode=check_mode)


def test_a_short_code_not_in_the_service_is_added_by_sid(twilio):
    twilio.answer('POST', CODES, dict(sid=SC, short_code='89000', is_reserved=True))
    result = run(is_reserved=True)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.calls == [('GET', CODE), ('POST', CODES)]
    assert twilio.writes[0][2] == {'Sid': SC, 'IsReserved': 'true'}
    assert result['diff']['after'] == dict(sid=SC, is_reserved=True, state='present')
    assert result['short_code']['short_code'] == '89000'


def test_check_mode_predicts_the_add_and_writes_nothing(twilio):
    result = run(check_mode=True)
    assert result['failed'] is False
    assert result['changed'] is True and result['short_code']['sid'] == SC
    assert twilio.writes == []


def test_is_reserved_changes_in_place_and_then_is_stable(twilio):
    record = twilio.put(CODES, dict(sid=SC, short_code='89000', is_reserved=False))
    twilio.answer('POST', CODE, dict(record, is_reserved=True))
    result = run(is_reserved=True)
    assert result['changed'] is True
    assert twilio.writes == [('POST', CODE, {'IsReserved': 'true'})]
    assert result['diff'] == dict(before=dict(is_reserved=False), after=dict(is_reserved=True))
    result = run(is_reserved=True)
    assert result['changed'] is False and len(twilio.writes) == 1
    assert twilio.calls[-1] == ('GET', CODE)


def test_absent_removes_it_once(twilio):
    twilio.put(CODES, dict(sid=SC, short_code='89000', is_reserved=False))
    result = run(state='absent')
    assert result['changed'] is True and twilio.writes == [('DELETE', CODE, {})]
    result = run(state='absent')
    assert result['changed'] is False and len(twilio.writes) == 1


@pytest.mark.parametrize('bad', ['SC123', 'PN' + 'c' * 32])
def test_a_malformed_sid_fails_before_any_request(twilio, bad):
    result = run(sid=bad)
    assert result['failed'] is True and result['msg'].startswith('sid: ') and twilio.requests == []


def test_the_sid_is_required(twilio):
    result = run(sid=None, is_reserved=True)
    assert result['failed'] is True and 'sid' in result['msg'] and twilio.requests == []


def test_an_unowned_short_code_fails_with_80303_and_a_hint(twilio):
    twilio.refuse('POST', CODES, 80303, 'Short Code Sid is not associated with your Account.')
    result = run()
    assert result['failed'] is True and result['error']['code'] == 80303
    assert result['msg'].endswith('(this account does not own the short code)')
