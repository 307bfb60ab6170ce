# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_participant's decisions: no update, soft-deleted participants are gone and cannot come back, check mode."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.community.twilio.plugins.module_utils._engine import Engine
from ansible_collections.community.twilio.plugins.module_utils._resources import PARTICIPANT
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import Exit, FakeModule, module_params

from .test_proxy_session import A, B, C, SESSIONS, ProxyTwilio


def params(**given):
    return module_params(PARTICIPANT, **given)


def run(fake, check_mode=False, **given):
    module = FakeModule(params(**given), check_mode=check_mode)
    fake.read_only = check_mode
    with pytest.raises(Exit) as info:
        Engine(module, PARTICIPANT, client=fake).run()
    fake.read_only = False
    return info.value.kind, info.value.result


def test_add_by_session_name_returns_the_proxy_number_given():
    fake = ProxyTwilio()
    record = fake.session('s')
    kind, check = run(fake, check_mode=True, session_sid='s', identifier='+1 415 555 0100', friendly_name='a')
    assert kind == 'exit' and check['changed'] is True and fake.writes == []
    assert check['participant']['sid'] is None and check['participant']['session_sid'] == record['sid']
    kind, result = run(fake, session_sid='s', identifier='+1 415 555 0100', friendly_name='a')
    assert result['changed'] is True and result['diff'] == check['diff']
    assert result['participant']['identifier'] == A and result['participant']['proxy_identifier']
    assert fake.writes == [('POST', '%s/%s/Participants' % (SESSIONS, record['sid']),
                            {'Identifier': A, 'FriendlyName': 'a'})]
    calls = len(fake.calls)
    kind, again = run(fake, session_sid='s', identifier=A, friendly_name='a')
    assert again['changed'] is False and len(fake.writes) == 1
    assert [c[0] for c in fake.calls[calls:]] == ['GET', 'GET']  # the session by name, its participants


def test_a_differing_field_fails_saying_there_is_no_update():
    fake = ProxyTwilio()
    record = fake.session('s', participants=[A])
    kind, result = run(fake, session_sid=record['sid'], identifier=A, friendly_name='other')
    assert kind == 'fail' and result['msg'].startswith('friendly_name of Proxy Participant KP')
    assert 'Twilio cannot update a participant' in result['msg'] and fake.writes == []


def test_a_removed_participant_is_absent_and_cannot_be_added_again():
    fake = ProxyTwilio()
    record = fake.session('s', participants=[A, B])
    kind, result = run(fake, session_sid='s', identifier=B, state='absent')
    assert result['changed'] is True and [c[0] for c in fake.writes] == ['DELETE']
    kind, result = run(fake, session_sid='s', identifier=B, state='absent')
    assert result['changed'] is False and result['participant'] == {} and len(fake.writes) == 1
    for check_mode in (True, False):
        kind, result = run(fake, check_mode=check_mode, session_sid=record['sid'], identifier=B)
        assert kind == 'fail' and 'was deleted' in result['msg'] and '80612' in result['msg']
    assert len(fake.writes) == 1


def test_a_third_participant_is_twilios_80609():
    fake = ProxyTwilio()
    fake.session('s', participants=[A, B])
    kind, result = run(fake, session_sid='s', identifier=C)
    assert kind == 'fail' and result['error']['code'] == 80609


def test_a_missing_session_fails_naming_the_option_and_check_mode_assumes_it_comes():
    fake = ProxyTwilio()
    kind, result = run(fake, session_sid='nope', identifier=A)
    assert kind == 'fail' and result['msg'].startswith('session_sid: no Proxy Session')
    kind, result = run(fake, check_mode=True, session_sid='nope', identifier=A)
    assert kind == 'exit' and result['changed'] is True and fake.writes == []
