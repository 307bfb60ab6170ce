# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The estate file's writer and reader: text as text, values that stay values, the same bytes every time."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest
import yaml

from ansible.errors import AnsibleActionFail

from ansible_collections.community.twilio.plugins.action.estate_file import read, render, resolve, scalar, write

PAYLOAD = u"{{ lookup('pipe', 'touch /tmp/x') }}"
AWKWARD = [u'東京', u'Taxi 🚕', u'שלום\u200f עולם', u'a, b', PAYLOAD, u'{{ customer.name }}', u'line\nbreak # x: "y"',
           u'back\\slash', u'\ufeffbom', u'\x85nel', u'\u2028ls', u'\x00\x7f\x1b', u'- a', u'!unsafe x', u'*ref', u'',
           u'null', u'yes', u'0123', u'%TAG']


@pytest.mark.parametrize('value', AWKWARD)
def test_a_scalar_is_one_line_that_loads_back_to_the_same_string(value):
    text = scalar(value)
    assert '\n' not in text and text.startswith('"') and text.endswith('"')
    assert yaml.safe_load('key: %s  # comment' % text) == {'key': value}


def test_text_is_written_as_text():
    assert scalar(u'Taxi 🚕 東京') == u'"Taxi 🚕 東京"'
    assert scalar(None) == u'null' and scalar(True) == u'true' and scalar(3600) == u'3600'


def entry(name, sid, **extra):
    service = dict(unique_name=name, sid=sid, default_ttl=3600, geo_match_level=None, callback_url=None)
    service.update(extra)
    return dict(service=service, phone_numbers=[{'phone_number': '+14155550101', 'is_reserved': True},
                                                {'phone_number': '+14155550100', 'is_reserved': False}],
                short_codes=[], sessions=[
                    {'sid': 'KC2', 'unique_name': None, 'mode': 'voice-only', 'ttl': 0, 'date_expiry': None,
                     'participants': []},
                    {'sid': 'KC1', 'unique_name': PAYLOAD, 'mode': 'voice-and-message', 'ttl': 60,
                     'date_expiry': '2026-12-05T10:00:00Z',
                     'participants': [{'identifier': '+15105550101', 'friendly_name': u'🚕 ' + PAYLOAD,
                                       'proxy_identifier': '+14155550100'},
                                      {'identifier': '+15105550100', 'friendly_name': None,
                                       'proxy_identifier': None}]}])


def test_the_file_loads_to_the_data_in_the_shape_converge_takes():
    text = render([entry(u'rides, 東京 ' + PAYLOAD, 'KS1', callback_url=u'https://h.example.com/' + PAYLOAD)], True)
    doc = yaml.safe_load(text)
    assert doc['missing_sessions'] == 'skip'
    service = doc['services'][0]
    assert service['unique_name'] == u'rides, 東京 ' + PAYLOAD
    assert service['callback_url'] == u'https://h.example.com/' + PAYLOAD
    assert 'geo_match_level' not in service and 'sid' not in service
    assert service['pool'] == {'purge': False, 'short_codes': [], 'phone_numbers': [
        {'phone_number': '+14155550100', 'is_reserved': False}, {'phone_number': '+14155550101', 'is_reserved': True}]}
    named, by_sid = service['sessions']
    assert by_sid == {'sid': 'KC2', 'mode': 'voice-only', 'ttl': 0}
    assert named['unique_name'] == PAYLOAD and 'status' not in named
    assert named['participants'] == [{'identifier': '+15105550100'},
                                     {'identifier': '+15105550101', 'friendly_name': u'🚕 ' + PAYLOAD,
                                      'proxy_identifier': '+14155550100'}]


def test_the_same_estate_gives_the_same_bytes_whatever_the_order_read():
    first = [entry('b', 'KS2'), entry('a', 'KS1')]
    second = [dict(e, phone_numbers=list(reversed(e['phone_numbers'])), sessions=list(reversed(e['sessions'])))
              for e in reversed(first)]
    assert render(first, True) == render(second, True)
    assert [s['unique_name'] for s in yaml.safe_load(render(first, False))['services']] == ['a', 'b']


@pytest.mark.parametrize('url', ['https://user:********@h.example.com/x', 'https://token@h.example.com/x',
                                 'https://h.example.com/x?auth_token=abc', 'https://h.example.com/x?Signature=1'])
def test_a_url_with_a_secret_is_left_out_with_a_comment_naming_a_variable(url):
    text = render([entry(u'rides\n# injected: true', 'KS1', callback_url=url)], False)
    service = yaml.safe_load(text)['services'][0]
    assert 'callback_url' not in service and 'injected' not in service
    assert u'# callback_url: {var: "vault_rides___injected__true_callback_url"}' in text
    assert 'abc' not in text and '********' not in text


def test_short_codes_twilio_did_not_answer_for_are_left_out_with_a_comment():
    text = render([dict(entry('a', 'KS1'), short_codes=None, short_codes_status=404)], False)
    assert 'short_codes' not in yaml.safe_load(text)['services'][0]['pool']
    assert '# short_codes are left out: Twilio answered 404' in text


def test_a_relative_path_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve('estates/e.yml') == os.path.join(str(tmp_path), 'estates', 'e.yml')
    assert resolve('/abs/e.yml') == '/abs/e.yml'


def test_write_is_0600_and_leaves_an_unchanged_file_alone(tmp_path):
    path = str(tmp_path / 'estate.yml')
    text = render([entry(u'東京', 'KS1')], True)
    assert write(path, text, check_mode=True) is True and not os.path.exists(path)
    assert write(path, text, check_mode=False) is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = os.stat(path).st_mtime_ns
    assert write(path, text, check_mode=False) is False
    assert os.stat(path).st_mtime_ns == before
    assert read(path)['services'][0]['unique_name'] == u'東京'


def test_read_names_the_file_that_is_missing_or_not_an_estate(tmp_path):
    with pytest.raises(AnsibleActionFail, match='no such file on the controller: .*nowhere.yml'):
        read(str(tmp_path / 'nowhere.yml'))
    (tmp_path / 'list.yml').write_text(u'- a\n')
    with pytest.raises(AnsibleActionFail, match='does not hold an estate'):
        read(str(tmp_path / 'list.yml'))
    (tmp_path / 'bad.yml').write_text(u'services: [\n')
    with pytest.raises(AnsibleActionFail, match='is not valid YAML'):
        read(str(tmp_path / 'bad.yml'))


def test_read_never_templates_or_constructs_tags(tmp_path):
    (tmp_path / 'e.yml').write_text(u'services:\n  - unique_name: "%s"\n' % PAYLOAD.replace('"', '\\"'))
    assert read(str(tmp_path / 'e.yml'))['services'][0]['unique_name'] == PAYLOAD
    (tmp_path / 'tag.yml').write_text(u'services: !!python/object/apply:os.system ["true"]\n')
    with pytest.raises(AnsibleActionFail, match='is not valid YAML'):
        read(str(tmp_path / 'tag.yml'))
