# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_service's decisions: look-up by name or SID, what is compared and sent, check mode, bad input, errors.

The module runs as Ansible runs it (its main() with arguments); the fake Twilio answers what each test states.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.community.twilio.plugins.modules import proxy_service
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import CREDS, new_sid, run_module

SERVICES = '/Services'


def run(check_mode=False, diff=True, **given):
    return run_module(proxy_service, dict(CREDS, **given), check_mode=check_mode, diff=diff)


def service(twilio, name, **fields):
    sid = new_sid('KS')
    record = dict(sid=sid, unique_name=name, default_ttl=0, geo_match_level='country',
                  number_selection_behavior='prefer-sticky', callback_url=None, chat_instance_sid=None,
                  url='https://proxy.twilio.com/v1/Services/' + sid)
    record.update(fields)
    return twilio.put(SERVICES, record)


def answered(record, **changes):
    """What Twilio answers to an update of ``record``: the record with the changes."""
    return dict(record, **changes)


# -- look-up ---------------------------------------------------------------------------------------------------

def test_lookup_by_name_is_one_get_when_twilio_fetches_by_name(twilio):
    service(twilio, 'a')
    result = run(unique_name='a')
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', '/Services/a')]


def test_lookup_by_name_reads_every_page_where_twilio_does_not_fetch_by_name(twilio):
    twilio.fetch_by = ()
    twilio.page_size = 2
    for i in range(5):
        service(twilio, 'svc-%d' % i)
    result = run(unique_name='svc-4')  # on the third and last page
    assert result['failed'] is False and result['changed'] is False
    assert result['service']['unique_name'] == 'svc-4'
    # 404 by name; the first page; a listed service by its name, 404 too: this API does not fetch by name; all pages
    assert twilio.calls == [('GET', '/Services/svc-4'), ('GET', SERVICES), ('GET', '/Services/svc-0')] + [
        ('GET', SERVICES)] * 3
    assert twilio.writes == []


def test_a_404_by_name_is_trusted_once_a_listed_service_was_fetched_by_its_name(twilio):
    twilio.page_size = 2
    for i in range(5):
        service(twilio, 'svc-%d' % i)
    twilio.answer('POST', SERVICES, dict(sid=new_sid('KS'), unique_name='new'))
    result = run(unique_name='new')
    assert result['failed'] is False and result['changed'] is True
    assert twilio.calls == [('GET', '/Services/new'), ('GET', SERVICES), ('GET', '/Services/svc-0'),
                            ('POST', SERVICES)]  # the same few requests at any number of services


def test_no_match_creates_once_sending_the_given_options(twilio):
    service(twilio, 'other')
    created = dict(sid=new_sid('KS'), unique_name='new', default_ttl=60, geo_match_level='country')
    twilio.answer('POST', SERVICES, created)
    result = run(unique_name='new', default_ttl=60)
    assert result['failed'] is False and result['changed'] is True
    assert twilio.writes == [
        ('POST', SERVICES, {'UniqueName': 'new', 'DefaultTtl': '60'})]
    assert result['service'] == created


def test_two_services_with_the_name_fail_naming_both_sids(twilio):
    twilio.fetch_by = ()
    one, two = service(twilio, 'dup'), service(twilio, 'dup')
    result = run(unique_name='dup')
    assert result['failed'] is True
    assert one['sid'] in result['msg'] and two['sid'] in result['msg'] and 'pass sid' in result['msg']
    assert twilio.writes == []


def test_a_unique_name_of_the_form_of_a_sid_is_refused_before_any_request(twilio):
    # It could never be used as the service_sid of the other modules: it would be read as a SID.
    result = run(unique_name='KS' + 'b' * 32)
    assert result['failed'] is True and result['msg'].startswith('unique_name: ') and 'SID' in result['msg']
    assert twilio.requests == []


@pytest.mark.parametrize('given, what', [(['a', 'b'], 'list'), ({'name': 'x'}, 'dict'), ([], 'list')])
def test_a_list_or_dict_for_a_string_option_is_refused_naming_it(twilio, given, what):
    # AnsibleModule would turn it into its Python text and that would be sent
    result = run(unique_name=given)
    assert result['failed'] is True and result['msg'] == 'unique_name: a string is expected, got a %s' % what
    assert twilio.requests == []


@pytest.mark.parametrize('name', ['[draft] rides', '{team} rides', "['a' 'b']", '[1,2]'])
def test_a_string_that_merely_looks_like_a_list_is_a_name(twilio, name):
    twilio.answer('POST', SERVICES, dict(sid=new_sid('KS'), unique_name=name))
    result = run(unique_name=name)
    assert result['failed'] is False, result['msg']
    assert result['changed'] is True


def test_a_missing_sid_is_an_error_never_a_create(twilio):
    result = run(sid='KS' + 'a' * 32, unique_name='x')
    assert result['failed'] is True and result['msg'].startswith('sid: no Proxy Service')
    assert twilio.writes == []


# -- compare and update -----------------------------------------------------------------------------------------

def test_omitted_options_are_not_managed(twilio):
    service(twilio, 'a', default_ttl=3600, callback_url='https://example.com/cb')
    result = run(unique_name='a')
    assert result['changed'] is False and twilio.writes == []


def test_values_are_compared_as_the_api_means_them(twilio):
    service(twilio, 'a', default_ttl=3600)
    result = run(unique_name='a', default_ttl='3600')  # as a quoted YAML value or a template gives it
    assert result['changed'] is False and twilio.writes == []


def test_update_sends_only_what_changed_and_diff_has_only_those_keys(twilio):
    record = service(twilio, 'a', default_ttl=0, callback_url='https://example.com/old')
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, default_ttl=60))
    result = run(unique_name='a', default_ttl=60, callback_url='https://example.com/old')
    assert result['changed'] is True
    assert twilio.writes == [
        ('POST', '/Services/' + record['sid'], {'DefaultTtl': '60'})]
    assert result['diff'] == {'before': {'default_ttl': 0}, 'after': {'default_ttl': 60}}
    assert result['service']['default_ttl'] == 60


def test_without_diff_mode_there_is_no_diff(twilio):
    record = service(twilio, 'a')
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, default_ttl=60))
    result = run(diff=False, unique_name='a', default_ttl=60)
    assert result['changed'] is True and 'diff' not in result


def test_an_empty_string_clears_a_field_and_is_then_stable(twilio):
    record = service(twilio, 'a', callback_url='https://example.com/cb')
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, callback_url=None))  # Twilio: null
    result = run(unique_name='a', callback_url='')
    assert result['changed'] is True and result['diff']['after'] == {'callback_url': ''}
    assert twilio.writes[0][2] == {'CallbackUrl': ''}
    result = run(unique_name='a', callback_url='')
    assert result['changed'] is False and len(twilio.writes) == 1


def test_rename_by_sid(twilio):
    record = service(twilio, 'old')
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, unique_name='new'))
    result = run(sid=record['sid'], unique_name='new')
    assert result['changed'] is True
    assert result['diff'] == {'before': {'unique_name': 'old'}, 'after': {'unique_name': 'new'}}
    assert twilio.calls == [('GET', '/Services/' + record['sid']), ('POST', '/Services/' + record['sid'])]
    assert twilio.writes[0][2] == {'UniqueName': 'new'}


def test_a_sid_in_capitals_finds_the_service(twilio):
    record = service(twilio, 'a')
    result = run(sid='KS' + record['sid'][2:].upper())
    assert result['failed'] is False and result['changed'] is False
    assert twilio.calls == [('GET', '/Services/' + record['sid'])]


def test_passwords_in_callback_urls_are_masked_in_the_result_and_diff_but_sent(twilio):
    record = service(twilio, 'a', callback_url='https://user:old-pw@example.com/cb')
    twilio.answer('POST', '/Services/' + record['sid'],
                  answered(record, callback_url='https://user:new-pw@example.com/cb'))
    result = run(unique_name='a', callback_url='https://user:new-pw@example.com/cb')
    assert result['changed'] is True
    assert twilio.writes[0][2] == {'CallbackUrl': 'https://user:new-pw@example.com/cb'}
    # issue 20 item 9: the new password shows as a change, without either value
    assert result['diff'] == {'before': {'callback_url': 'https://user:********@example.com/cb'},
                              'after': {'callback_url': 'https://user:********@example.com/cb '
                                                        '(changed: password, not shown)'}}
    assert result['service']['callback_url'] == 'https://user:********@example.com/cb'
    assert 'pw@' not in repr(result)


def test_tokens_in_callback_urls_are_masked_and_their_change_shows(twilio):
    """Issue 20 item 9: a user info that is a token, and credential-like query parameters."""
    record = service(twilio, 'a', callback_url='https://sk_live_old@example.com/cb?token=t-old&page=1')
    wanted = 'https://sk_live_new@example.com/cb?token=t-new&page=1'
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, callback_url=wanted))
    result = run(unique_name='a', callback_url=wanted)
    assert twilio.writes[0][2] == {'CallbackUrl': wanted}
    assert result['diff'] == {'before': {'callback_url': 'https://********@example.com/cb?token=********&page=1'},
                              'after': {'callback_url': 'https://********@example.com/cb?token=********&page=1 '
                                                        '(changed: token, user info, not shown)'}}
    assert result['service']['callback_url'] == 'https://********@example.com/cb?token=********&page=1'
    assert 'sk_live' not in repr(result) and 't-old' not in repr(result) and 't-new' not in repr(result)


@pytest.mark.parametrize('url', ['https://user:********@example.com/cb', 'https://********@example.com/cb',
                                 'https://example.com/cb?api_key=********'])
def test_a_masked_url_given_back_is_refused_before_any_request(twilio, url):
    """Issue 20 item 9: the masked URL every module prints, fed back, stored the literal mask on Twilio."""
    result = run(unique_name='a', intercept_callback_url=url)
    assert result['failed'] and 'intercept_callback_url' in result['msg'] and 'holds the mask' in result['msg']
    assert twilio.requests == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_callback_url_password_is_nowhere_in_the_output_not_even_the_invocation(twilio, check_mode):
    record = service(twilio, 'a')
    url = 'https://user:s3cret-pw@example.com/cb'
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, callback_url=url))
    result = run(check_mode=check_mode, unique_name='a', callback_url=url)
    assert result['changed'] is True
    assert 's3cret-pw' not in repr(result)
    assert twilio.writes == ([] if check_mode else [('POST', '/Services/' + record['sid'], {'CallbackUrl': url})])


@pytest.mark.parametrize('url', ['htps://user:s3cret-pw@example.com/cb', 'user:s3cret-pw@example.com/cb',
                                 'ftp://user:s3cret-pw@example.com/cb'])
def test_a_malformed_callback_url_password_is_nowhere_in_the_output(twilio, url):
    result = run(unique_name='a', callback_url=url)
    assert result['failed'] is True and result['msg'].startswith('callback_url: ')
    assert 's3cret-pw' not in repr(result) and twilio.requests == []


@pytest.mark.parametrize('case', ['update', 'create', 'delete', 'absent-missing'])
def test_changed_is_never_reported_with_an_empty_diff(twilio, case):
    record = service(twilio, 'a')
    twilio.answer('POST', '/Services/' + record['sid'], answered(record, default_ttl=5))
    twilio.answer('POST', SERVICES, dict(sid=new_sid('KS'), unique_name='c'))
    given = dict(update=dict(unique_name='a', default_ttl=5), create=dict(unique_name='c'),
                 delete=dict(unique_name='a', state='absent'), missing=dict(unique_name='b', state='absent'))
    result = run(**given[case.split('-')[-1]])
    assert result['failed'] is False
    assert result['changed'] is (case != 'absent-missing')
    if result['changed']:
        assert result['diff']['before'] != result['diff']['after']


# -- check mode ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('given', [dict(unique_name='new', default_ttl=5), dict(unique_name='a', default_ttl=5),
                                   dict(unique_name='a', state='absent')])
def test_check_mode_predicts_the_real_run_and_writes_nothing(twilio, given):
    record = service(twilio, 'a')
    results = {}
    for check_mode in (True, False):
        twilio.answer('POST', SERVICES, dict(sid=new_sid('KS'), unique_name='new', default_ttl=5))
        twilio.answer('POST', '/Services/' + record['sid'], answered(record, default_ttl=5))
        results[check_mode] = run(check_mode=check_mode, **given)
        if check_mode:
            assert twilio.writes == []
    assert len(twilio.writes) == 1
    assert results[True]['changed'] is True and results[False]['changed'] is True
    assert results[True]['diff'] == results[False]['diff']


def test_check_mode_create_returns_no_invented_sid(twilio):
    result = run(check_mode=True, unique_name='new', default_ttl=5)
    assert result['service'] == {'sid': None, 'unique_name': 'new', 'default_ttl': 5}
    assert result['diff'] == {'before': {'state': 'absent'},
                              'after': {'unique_name': 'new', 'default_ttl': 5, 'state': 'present'}}
    assert twilio.writes == []


def test_absent_deletes_once_and_then_is_unchanged(twilio):
    record = service(twilio, 'a')
    result = run(unique_name='a', state='absent')
    assert result['changed'] is True and result['service'] == {}
    assert twilio.writes == [('DELETE', '/Services/' + record['sid'], {})]
    assert result['diff']['before']['sid'] == record['sid'] and result['diff']['after'] == {'state': 'absent'}
    result = run(unique_name='a', state='absent')
    assert result['changed'] is False and result['service'] == {} and len(twilio.writes) == 1


def test_absent_when_missing_is_unchanged(twilio):
    result = run(unique_name='gone', state='absent')
    assert result['changed'] is False and result['service'] == {} and twilio.writes == []


# -- bad input fails before any request ------------------------------------------------------------------------

@pytest.mark.parametrize('given, option', [
    (dict(sid='KS123'), 'sid'),
    (dict(unique_name='x' * 192), 'unique_name'),
    (dict(unique_name='a', default_ttl=-1), 'default_ttl'),
    (dict(unique_name='a', chat_instance_sid='IS1'), 'chat_instance_sid'),
    (dict(unique_name='a', callback_url='ftp://x'), 'callback_url'),
    (dict(unique_name='a', callback_url='https://'), 'callback_url'),
    (dict(unique_name='a', callback_url='https://example.com:99999/cb'), 'callback_url'),
    (dict(unique_name='a\x07'), 'unique_name'),
    (dict(sid='KS' + 'a' * 32 + '\n'), 'sid'),
    (dict(unique_name=''), 'unique_name'),
    (dict(unique_name='a', account_sid='AC1'), 'account_sid'),
    (dict(unique_name='a', auth_token=None), 'auth_token'),
    (dict(unique_name='a', api_key='SK' + '1' * 32), 'api_secret'),
    (dict(unique_name='a', api_url='http://example.com'), 'api_url'),
    (dict(unique_name='a', api_url='https://user:pw@example.com'), 'api_url'),
])
def test_bad_input_names_the_option_and_sends_nothing(twilio, given, option):
    result = run(**given)
    assert result['failed'] is True and result['msg'].startswith(option + ':')
    assert twilio.requests == []
    assert CREDS['auth_token'] not in result['msg']


def test_a_bad_callback_url_is_named_without_its_password(twilio):
    result = run(unique_name='a', callback_url='ftp://user:s3cret@example.com/cb')
    assert result['failed'] is True and result['msg'].startswith('callback_url: ')
    assert 's3cret' not in result['msg'] and twilio.requests == []


def test_neither_sid_nor_unique_name_is_refused_before_any_request(twilio):
    result = run(default_ttl=5)
    assert result['failed'] is True and 'sid' in result['msg'] and 'unique_name' in result['msg']
    assert twilio.requests == []


# -- Twilio's errors -------------------------------------------------------------------------------------------

def test_an_api_error_is_reported_with_code_status_and_method(twilio):
    twilio.refuse('POST', SERVICES, 80602, 'Service UniqueName must be unique.')
    result = run(unique_name='new')
    assert result['failed'] is True
    assert result['msg'] == 'Twilio error 80602 (HTTP 400) on POST /v1/Services: Service UniqueName must be unique.'
    assert result['error']['code'] == 80602 and result['error']['status'] == 400
    assert result['error']['method'] == 'POST' and result['error']['url'] == '/v1/Services'
    assert CREDS['auth_token'] not in repr(result)


def test_a_create_whose_outcome_is_unknown_is_looked_up_and_not_repeated_when_it_happened(twilio):
    created = dict(sid=new_sid('KS'), unique_name='new', default_ttl=0)
    twilio.fail('POST', SERVICES, requests.exceptions.ReadTimeout('read timed out'),
                then=lambda: twilio.put(SERVICES, created))  # Twilio created it; the answer was lost
    result = run(unique_name='new')
    assert result['failed'] is False and result['changed'] is True
    assert [m for m, uri in twilio.calls] == ['GET', 'GET', 'POST', 'GET']  # look-up, create, look-up again
    assert len(twilio.writes) == 1
    assert result['service']['sid'] == created['sid']
    assert any('it was created' in w for w in result['warnings'])


def test_a_create_whose_outcome_is_unknown_is_sent_again_when_it_did_not_happen(twilio):
    created = dict(sid=new_sid('KS'), unique_name='new', default_ttl=0)
    twilio.fail('POST', SERVICES, requests.exceptions.ReadTimeout('read timed out'))
    twilio.answer('POST', SERVICES, created)
    result = run(unique_name='new')
    assert result['failed'] is False and result['changed'] is True
    assert [m for m, uri in twilio.calls] == ['GET', 'GET', 'POST', 'GET', 'GET', 'POST']  # looked before the repeat
    assert result['service']['sid'] == created['sid']


def test_a_create_that_loses_a_race_converges_the_service_the_other_run_created(twilio):
    # Both runs saw "absent"; the other run's POST landed first, so ours is refused as a duplicate (80602).
    theirs = dict(sid=new_sid('KS'), unique_name='raced', default_ttl=0)
    twilio.refuse('POST', SERVICES, 80602, 'Service UniqueName must be unique.',
                  then=lambda: twilio.put(SERVICES, theirs))
    twilio.answer('POST', '/Services/' + theirs['sid'], answered(theirs, default_ttl=60))
    result = run(unique_name='raced', default_ttl=60)
    assert result['failed'] is False, result
    assert twilio.writes == [
        ('POST', SERVICES, {'UniqueName': 'raced', 'DefaultTtl': '60'}),
        ('POST', '/Services/' + theirs['sid'], {'DefaultTtl': '60'})]
    assert result['service']['default_ttl'] == 60 and result['service']['sid'] == theirs['sid']
    assert result['diff'] == dict(before=dict(default_ttl=0), after=dict(default_ttl=60))
    assert any('80602' in w and 'meanwhile' in w for w in result['warnings'])
