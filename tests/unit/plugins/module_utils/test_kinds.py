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
    with pytest.raises(ValueError, match='quote it') as caught:
        _kinds.normalize_e164(14155550100)
    assert str(caught.value).count('quote it') == 1


def test_an_international_prefix_gets_a_hint_about_the_plus():
    """Issue 20 item 11: "00 1 415 555 0330" was quoted already; the hint was about +0014155550330."""
    with pytest.raises(ValueError) as caught:
        _kinds.normalize_e164('00 1 415 555 0330')
    assert 'quote' not in str(caught.value) and '+0014155550330' not in str(caught.value)
    assert '+14155550330' in str(caught.value)


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
    assert 's3cret' in _kinds.url_secrets(text)


def test_url_secrets_of_text_without_any():
    assert _kinds.url_secrets('https://example.com/cb?a=b&monitor=1') == set()
    assert _kinds.url_secrets(None) == set()
    assert _kinds.url_secrets('bob@example.com') == set()  # a name with an @ is no URL: nothing masked
    assert _kinds.url_secrets('what? key=3 is fine') == set()  # text, not a URL


# Issue 20 item 9: secrets that are not URL passwords.
@pytest.mark.parametrize('url, masked', [
    ('https://sk_live_s3cret@example.com/cb', 'https://********@example.com/cb'),
    ('https://example.com/cb?token=s3cret', 'https://example.com/cb?token=********'),
    ('https://example.com/cb?a=1&api_key=s3cret&b=2', 'https://example.com/cb?a=1&api_key=********&b=2'),
    ('https://example.com/cb?Access_Token=s3cret', 'https://example.com/cb?Access_Token=********'),
    ('https://example.com/cb?x-api-key=s3cret#sig=s3cret', 'https://example.com/cb?x-api-key=********#sig=********'),
    ('https://example.com/cb?AUTH_TOKEN=s3cret;Signature=s3cret',
     'https://example.com/cb?AUTH_TOKEN=********;Signature=********'),
    ('https://example.com/cb?apikey=s3cret&password=s3cret&client_secret=s3cret&auth=s3cret',
     'https://example.com/cb?apikey=********&password=********&client_secret=********&auth=********'),
    ('https://u:s3cret@example.com/cb?key=s3cret', 'https://u:********@example.com/cb?key=********'),
    ('https://example.com/s3cret?token=', 'https://example.com/s3cret?token='),  # nothing to hide
])
def test_every_secret_part_of_a_url_is_masked_and_found(url, masked):
    assert _kinds.redact_url(url) == masked and _kinds.redact([url]) == [masked]
    if 's3cret' in masked:  # nothing secret in it
        assert _kinds.url_secrets(url) == set()
    else:
        assert _kinds.url_secrets(url) and all('s3cret' in secret for secret in _kinds.url_secrets(url))


@pytest.mark.parametrize('name', ['token', 'KEY', 'api_key', 'access_token', 'auth_token', 'x-api-key', 'X.Api.Key',
                                  'sig', 'signature', 'secret', 'client_secret', 'password', 'passwd', 'auth',
                                  'oauth', 'apiKey', 'accesstoken', 'tokens', 'key_id', 'credentials'])
def test_credential_like_parameter_names(name):
    assert _kinds.secret_param(name)


@pytest.mark.parametrize('name', ['a', 'page', 'monitor', 'signal', 'design', 'service', 'id', 'format', 'tokenizer'])
def test_ordinary_parameter_names(name):
    assert not _kinds.secret_param(name)


@pytest.mark.parametrize('url, part', [
    ('https://user:********@example.com/cb', 'password'), ('https://********@example.com/cb', 'user info'),
    ('https://example.com/cb?token=********', 'token'),
    ('https://example.com/cb?api_key=%2A%2A%2A%2A%2A%2A%2A%2A', 'api_key'),
    ('https://u:pre-********-post@example.com/cb', 'password'),
])
def test_a_masked_secret_given_as_input_is_refused(url, part):
    with pytest.raises(ValueError, match=r'holds the mask \*{8} as its %s' % part):
        _kinds.check_url(url)


def test_a_mask_outside_the_secret_parts_is_a_url_like_any_other():
    url = 'https://example.com/********?page=********'
    assert _kinds.check_url(url) == url


def test_errors_about_a_url_hide_its_secrets():
    with pytest.raises(ValueError) as caught:
        _kinds.check_url('https://example.com:99999/cb?token=s3cret')
    assert 's3cret' not in str(caught.value) and 'token=********' in str(caught.value)


def test_a_changed_secret_shows_in_the_diff_without_its_value():
    before = dict(callback_url='https://u:old-s3cret@example.com/cb?token=t0ken', default_ttl=1)
    after = dict(callback_url='https://u:new-s3cret@example.com/cb?token=t0ken', default_ttl=2)
    diff = _kinds.redact_diff(before, after)
    assert diff == dict(before=dict(callback_url='https://u:********@example.com/cb?token=********', default_ttl=1),
                        after=dict(callback_url='https://u:********@example.com/cb?token=******** '
                                                '(changed: password, not shown)', default_ttl=2))
    new_token = dict(callback_url='https://sk_other@example.com/cb?token=another')
    diff = _kinds.redact_diff(dict(callback_url='https://sk_live@example.com/cb?token=t0ken'), new_token)
    assert diff['after']['callback_url'] == ('https://********@example.com/cb?token=******** '
                                             '(changed: token, user info, not shown)')
    unchanged = _kinds.redact_diff(dict(callback_url='https://u:s@example.com/a'),
                                   dict(callback_url='https://u:s@example.com/b'))
    assert unchanged['after']['callback_url'] == 'https://u:********@example.com/b'


def test_redact_masks_inside_lists_and_dicts():
    record = dict(callback_url='https://u:pw@example.com/a', nested=[dict(url='https://u:pw@example.com/b')], n=1)
    assert _kinds.redact(record) == dict(callback_url='https://u:********@example.com/a',
                                         nested=[dict(url='https://u:********@example.com/b')], n=1)


def test_the_quote_it_hint_only_for_what_yaml_can_have_read_as_an_integer():
    with pytest.raises(ValueError) as info:
        _kinds.normalize_e164("00 1 415 555 0330")
    assert 'quote it' not in str(info.value) and '+0014155550330' not in str(info.value)
