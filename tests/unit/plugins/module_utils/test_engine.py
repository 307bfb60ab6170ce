# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine's decisions, driven through the real Engine with Twilio replaced by an in-memory fake."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._engine import (
    Engine, EngineError, normalize_e164, parse_instant, format_instant, redact_url)
from ansible_collections.community.twilio.plugins.module_utils._resources import SERVICE, SESSION, SessionStatusField

from .fakes import CREDS, Exit, FakeModule, FakeTwilio, module_params, new_sid


def params(**given):
    return module_params(SERVICE, **given)


def run(fake, check_mode=False, resource=SERVICE, **given):
    module = FakeModule(params(**given), check_mode=check_mode)
    with pytest.raises(Exit) as info:
        Engine(module, resource, client=fake).run()
    info.value.result['warnings'] = module.warnings
    return info.value.kind, info.value.result


def service(fake, name, **fields):
    record = dict(sid=new_sid('KS'), unique_name=name, default_ttl=0, geo_match_level='country',
                  number_selection_behavior='prefer-sticky', callback_url=None, url='/Services/x')
    record.update(fields)
    return fake.add('/Services', record)


# -- lookup --------------------------------------------------------------------------------------------------

def test_lookup_by_name_uses_one_get_when_fetch_by_name_works():
    fake = FakeTwilio()
    service(fake, 'a')
    kind, result = run(fake, unique_name='a')
    assert kind == 'exit' and result['changed'] is False
    assert fake.calls == [('GET', '/Services/a')]


def test_lookup_by_name_lists_every_page_when_fetch_by_name_is_not_supported():
    fake = FakeTwilio(page_size=2)
    fake.fetch_by_key = False
    for i in range(5):
        service(fake, 'svc-%d' % i)
    kind, result = run(fake, unique_name='svc-4')  # on the third and last page
    assert kind == 'exit' and result['changed'] is False
    assert result['service']['unique_name'] == 'svc-4'
    assert fake.pages_read == 3 and fake.writes == []


def test_lookup_with_no_match_creates_once():
    fake = FakeTwilio()
    fake.fetch_by_key = False
    service(fake, 'other')
    kind, result = run(fake, unique_name='new', default_ttl=60)
    assert kind == 'exit' and result['changed'] is True
    assert fake.writes == [('POST', '/Services')]
    assert [s['unique_name'] for s in fake.collections['/Services']] == ['other', 'new']


def test_two_matches_fail_naming_both_sids():
    fake = FakeTwilio()
    fake.fetch_by_key = False
    one, two = service(fake, 'dup'), service(fake, 'dup')
    kind, result = run(fake, unique_name='dup')
    assert kind == 'fail'
    assert one['sid'] in result['msg'] and two['sid'] in result['msg'] and 'pass sid' in result['msg']
    assert fake.writes == []


def test_fetch_by_name_answering_another_resource_falls_back_to_the_list():
    # A unique name that happens to be another service's SID must not be taken for that service.
    fake = FakeTwilio()
    other = service(fake, 'x')
    kind, result = run(fake, unique_name=other['sid'], check_mode=True)
    assert result['changed'] is True and result['service']['sid'] is None


def test_missing_sid_is_an_error_never_a_create():
    fake = FakeTwilio()
    kind, result = run(fake, sid='KS' + 'a' * 32, unique_name='x')
    assert kind == 'fail' and result['msg'].startswith('sid: no Proxy Service')
    assert fake.writes == []


# -- compare -------------------------------------------------------------------------------------------------

def test_omitted_options_are_not_managed():
    fake = FakeTwilio()
    service(fake, 'a', default_ttl=3600, callback_url='https://example.com/cb')
    kind, result = run(fake, unique_name='a')
    assert result['changed'] is False and fake.writes == []


def test_normalised_compare_needs_no_write():
    fake = FakeTwilio()
    service(fake, 'a', default_ttl=3600, geo_match_level='country')
    kind, result = run(fake, unique_name='a', default_ttl='3600', geo_match_level='COUNTRY')
    assert result['changed'] is False and fake.writes == []


def test_update_sends_only_what_changed_and_diff_has_only_those_keys():
    fake = FakeTwilio()
    record = service(fake, 'a', default_ttl=0, callback_url='https://example.com/old')
    kind, result = run(fake, unique_name='a', default_ttl=60, callback_url='https://example.com/old')
    assert result['changed'] is True
    assert fake.writes == [('POST', '/Services/' + record['sid'])]
    assert result['diff'] == {'before': {'default_ttl': 0}, 'after': {'default_ttl': 60}}
    assert result['service']['default_ttl'] == 60


def test_empty_string_clears_a_field_and_is_then_stable():
    fake = FakeTwilio()
    service(fake, 'a', callback_url='https://example.com/cb')
    kind, result = run(fake, unique_name='a', callback_url='')
    assert result['changed'] is True and result['diff']['after'] == {'callback_url': ''}
    fake.collections['/Services'][0]['callback_url'] = None  # what Twilio returns for a cleared field
    kind, result = run(fake, unique_name='a', callback_url='')
    assert result['changed'] is False


def test_rename_by_sid():
    fake = FakeTwilio()
    record = service(fake, 'old')
    kind, result = run(fake, sid=record['sid'], unique_name='new')
    assert result['changed'] is True
    assert result['diff'] == {'before': {'unique_name': 'old'}, 'after': {'unique_name': 'new'}}
    assert fake.calls[0] == ('GET', '/Services/' + record['sid'])


def test_changed_is_never_reported_with_an_empty_diff():
    fake = FakeTwilio()
    service(fake, 'a')
    for given in (dict(default_ttl=5), dict(unique_name='b', state='absent'), dict(unique_name='c')):
        kind, result = run(fake, **dict(dict(unique_name='a'), **given))
        if result['changed']:
            assert result['diff']['before'] != result['diff']['after']
            assert result['diff']['after'] or result['diff']['before']


# -- check mode ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('given', [dict(unique_name='new', default_ttl=5), dict(unique_name='a', default_ttl=5),
                                   dict(unique_name='a', state='absent')])
def test_check_mode_predicts_the_real_run_and_writes_nothing(given):
    results = {}
    existing = service(FakeTwilio(), 'a')
    for check_mode in (True, False):
        fake = FakeTwilio()
        fake.add('/Services', dict(existing))
        fake.read_only = check_mode
        kind, results[check_mode] = run(fake, check_mode=check_mode, **given)
        if check_mode:
            assert fake.writes == []
        else:
            assert fake.writes
    assert results[True]['changed'] is True and results[False]['changed'] is True
    assert results[True]['diff'] == results[False]['diff']


def test_check_mode_create_returns_no_invented_sid():
    fake = FakeTwilio()
    kind, result = run(fake, check_mode=True, unique_name='new', default_ttl=5)
    assert result['service'] == {'sid': None, 'unique_name': 'new', 'default_ttl': 5}
    assert result['diff'] == {'before': {'state': 'absent'},
                              'after': {'unique_name': 'new', 'default_ttl': 5, 'state': 'present'}}


def test_absent_when_missing_is_unchanged():
    fake = FakeTwilio()
    kind, result = run(fake, unique_name='gone', state='absent')
    assert result['changed'] is False and result['service'] == {} and fake.writes == []


# -- bad input fails before any request ----------------------------------------------------------------------

@pytest.mark.parametrize('given, option', [
    (dict(sid='KS123'), 'sid'),
    (dict(unique_name='x' * 192), 'unique_name'),
    (dict(unique_name='a', default_ttl=-1), 'default_ttl'),
    (dict(unique_name='a', chat_instance_sid='IS1'), 'chat_instance_sid'),
    (dict(unique_name='a', callback_url='ftp://x'), 'callback_url'),
    (dict(unique_name=''), 'unique_name'),
    (dict(unique_name='a', account_sid='AC1'), 'account_sid'),
    (dict(unique_name='a', auth_token=None), 'auth_token'),
    (dict(unique_name='a', api_key='SK' + '1' * 32), 'api_secret'),
    (dict(unique_name='a', api_url='http://example.com'), 'api_url'),
    (dict(unique_name='a', api_url='https://user:pw@example.com'), 'api_url'),
])
def test_bad_input_names_the_option_and_sends_nothing(given, option):
    fake = FakeTwilio()
    kind, result = run(fake, **given)
    assert kind == 'fail' and result['msg'].startswith(option + ':')
    assert fake.calls == []
    assert CREDS['auth_token'] not in result['msg']


# -- errors --------------------------------------------------------------------------------------------------

def test_api_error_is_reported_with_code_status_and_method():
    fake = FakeTwilio()
    fake.fail_next_create = TwilioApiError('Service UniqueName must be unique.', status=400, code=80602,
                                           more_info='https://www.twilio.com/docs/errors/80602', method='POST',
                                           url='/v1/Services')
    kind, result = run(fake, unique_name='new')
    assert kind == 'fail'
    assert result['msg'] == 'Twilio error 80602 (HTTP 400) on POST /v1/Services: Service UniqueName must be unique.'
    assert result['error']['code'] == 80602 and result['error']['status'] == 400


def test_create_with_unknown_outcome_looks_up_before_trying_again():
    fake = FakeTwilio()
    fake.fail_next_create = TwilioApiError('request timed out', method='POST', url='/v1/Services',
                                           outcome_unknown=True)
    kind, result = run(fake, unique_name='new')
    assert kind == 'exit' and result['changed'] is True
    assert len([s for s in fake.collections['/Services'] if s['unique_name'] == 'new']) == 1
    assert fake.writes == [('POST', '/Services')]
    assert any('it was created' in w for w in result['warnings'])


def test_create_that_loses_a_race_converges_the_resource_the_other_run_created():
    # Two runs both saw "absent"; the other one's POST landed first, so ours is refused as a duplicate (80602).
    fake = FakeTwilio()
    fake.fail_next_create = TwilioApiError('Service UniqueName must be unique.', status=400, code=80602,
                                           method='POST', url='/v1/Services')
    real_create = fake.create

    def create_after_the_other_run(uri, data):
        service(fake, 'raced', default_ttl=0)  # the other run's service, not yet at our default_ttl
        fake.create = real_create
        return real_create(uri, data)

    fake.create = create_after_the_other_run
    kind, result = run(fake, unique_name='raced', default_ttl=60)
    assert kind == 'exit', result
    assert [s['unique_name'] for s in fake.collections['/Services']] == ['raced']
    assert result['service']['default_ttl'] == 60
    assert fake.writes == [('POST', '/Services'), ('POST', '/Services/%s' % result['service']['sid'])]
    assert result['diff'] == dict(before=dict(default_ttl=0), after=dict(default_ttl=60))
    assert any('80602' in w and 'meanwhile' in w for w in result['warnings'])


# -- normalisers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize('typed, e164', [('+1 (415) 555-0100', '+14155550100'), ('+44 7700 900123', '+447700900123'),
                                         ('+1.415.555.0100', '+14155550100')])
def test_e164_normalisation(typed, e164):
    assert normalize_e164(typed) == e164


@pytest.mark.parametrize('bad', ['4155550100', '+0123', '+1415555010012345', 'tel:+1415', '+1 415 CALL ME'])
def test_e164_rejects_what_is_not_e164(bad):
    with pytest.raises(ValueError):
        normalize_e164(bad)


def test_instants_compare_as_instants():
    assert format_instant(parse_instant('2026-12-31T23:00:00Z')) == '2026-12-31T23:00:00Z'
    assert format_instant(parse_instant('2027-01-01T01:00:00+02:00')) == '2026-12-31T23:00:00Z'
    assert format_instant(parse_instant('2026-12-31 23:00:00.5')) == '2026-12-31T23:00:00Z'
    field = SESSION.field('date_expiry')
    assert field.same(field.validate('2027-01-01T00:30:00+01:30'), '2026-12-31T23:00:00Z')
    with pytest.raises(EngineError, match='^date_expiry: '):
        field.validate('next tuesday')


def test_session_status_open_and_in_progress_are_both_active():
    field = SESSION.field('status')
    assert isinstance(field, SessionStatusField)
    assert field.same('open', 'in-progress') and field.same('in-progress', 'open')
    assert not field.same('closed', 'open') and not field.same('in-progress', 'closed')


def test_urls_with_passwords_are_masked():
    assert redact_url('https://user:s3cret@example.com/cb') == 'https://user:********@example.com/cb'
    assert redact_url('https://example.com/cb') == 'https://example.com/cb'
