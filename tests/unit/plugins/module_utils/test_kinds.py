# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The normalisers and redaction of ``_kinds``: what users type and what Twilio returns, made comparable.

Their effect on the modules is tested through the modules (tests/unit/plugins/modules); here, their edge cases.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

try:
    from ansible_collections.community.twilio.plugins.module_utils import _kinds
except ImportError:  # SHIM until the engine branch (issue 11) lands: then _kinds exists; remove this fallback
    from ansible_collections.community.twilio.plugins.module_utils import _engine as _kinds


@pytest.mark.parametrize('typed, e164', [('+1 (415) 555-0100', '+14155550100'), ('+44 7700 900123', '+447700900123'),
                                         ('+1.415.555.0100', '+14155550100'), ('+1-415/555 0100', '+14155550100')])
def test_e164_normalisation(typed, e164):
    assert _kinds.normalize_e164(typed) == e164


@pytest.mark.parametrize('bad', ['4155550100', '+0123', '+1415555010012345', 'tel:+1415', '+1 415 CALL ME', '+'])
def test_e164_rejects_what_is_not_e164(bad):
    with pytest.raises(ValueError, match='E.164'):
        _kinds.normalize_e164(bad)


@pytest.mark.parametrize('typed, identifier', [(' messenger:42 ', 'messenger:42'), ('whatsapp:+14155550100',
                                                                                    'whatsapp:+14155550100'),
                                               ('+1 415 555 0100', '+14155550100')])
def test_identifiers_are_channel_addresses_or_e164(typed, identifier):
    assert _kinds.normalize_identifier(typed) == identifier


def test_an_unquoted_number_gets_a_hint_to_quote_it():
    with pytest.raises(ValueError, match='quote it'):
        _kinds.normalize_e164(14155550100)


@pytest.mark.parametrize('typed', ['2026-12-31T23:00:00Z', '2027-01-01T01:00:00+02:00', '2027-01-01T01:00:00+0200',
                                   '2026-12-31 23:00:00.000', '2026-12-31T23:00:00', '2026-12-31t18:00:00-05:00'])
def test_instants_compare_as_instants(typed):
    assert _kinds.format_instant(_kinds.parse_instant(typed)) == '2026-12-31T23:00:00Z'


@pytest.mark.parametrize('bad, why', [
    ('next tuesday', 'ISO 8601'), ('2026-12-31', 'ISO 8601'), ('31/12/2026 23:00', 'ISO 8601'),
    ('2026-12-31 23:00:00.5', 'fraction of a second'),  # Twilio keeps whole seconds: never dropped silently
    ('2026-12-31T23:00:00+99:99', 'offset'),
    ('9999-12-31T23:30:00-01:00', 'year 9999'),
    ('2026-02-30T00:00:00Z', 'not a valid date-time'),
])
def test_what_is_not_an_instant_is_refused_saying_why(bad, why):
    with pytest.raises(ValueError, match=why):
        _kinds.parse_instant(bad)


def test_urls_with_passwords_are_masked():
    assert _kinds.redact_url('https://user:s3cret@example.com/cb') == 'https://user:********@example.com/cb'
    assert _kinds.redact_url('https://example.com/cb') == 'https://example.com/cb'
    assert _kinds.redact_url(None) is None


@pytest.mark.parametrize('text', [
    'https://user:s3cret@example.com/cb',
    'https//user:s3cret@example.com/cb',  # a colon missing: malformed, yet the password is still a password
    'user:s3cret@example.com',
    ' ftp://user:s3cret@example.com ',
])
def test_url_passwords_are_found_in_malformed_urls_too(text):
    assert 's3cret' in _kinds.url_passwords(text)


def test_url_passwords_of_text_without_user_info():
    assert _kinds.url_passwords('https://example.com/cb?a=b') == set()
    assert _kinds.url_passwords(None) == set()


def test_redact_masks_inside_lists_and_dicts():
    record = dict(callback_url='https://u:pw@example.com/a', nested=[dict(url='https://u:pw@example.com/b')], n=1)
    assert _kinds.redact(record) == dict(callback_url='https://u:********@example.com/a',
                                         nested=[dict(url='https://u:********@example.com/b')], n=1)


def test_the_quote_it_hint_only_for_what_yaml_can_have_read_as_an_integer():
    with pytest.raises(ValueError) as info:
        _kinds.normalize_e164("00 1 415 555 0330")
    assert 'quote it' not in str(info.value) and '+0014155550330' not in str(info.value)
