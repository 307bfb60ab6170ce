# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input, across every module: each case fails naming the option, and the emulator receives no request at all.

The table below becomes one playbook (one task per case, ``ignore_errors``), run by one ansible-playbook process
against an emulator listening on loopback only (its control API has no authentication: never on the network). The
``api_url`` cases point at ``0.0.0.0``, an address that is not loopback (plain http to it must be refused) yet reaches
this machine's loopback emulator when connected to, so anything sent there would show up in the request log."""

import json
import re

import yaml

from conftest import ACCOUNT_SID, Ansible, pn_sid

KS = 'KS' + 'a' * 32
KC = 'KC' + 'b' * 32
HEX31 = 'c' * 31
LONG = 'x' * 192
PHONE = dict(service_sid=KS)
SESSION = dict(service_sid=KS)
PARTICIPANT = dict(service_sid=KS, session_sid=KC)
TWO = [dict(identifier='+15105550100'), dict(identifier='+15105550101')]

# (module, options, the option the error must name). {API} is replaced with 0.0.0.0 and the emulator's port.
CASES = [
    # connection options (every module shares them)
    ('proxy_service', dict(unique_name='s', account_sid='AC123'), 'account_sid'),
    ('proxy_service', dict(unique_name='s', account_sid='XY' + '0' * 32), 'account_sid'),
    ('proxy_service', dict(unique_name='s', api_key='SK123', api_secret='secretsecret'), 'api_key'),
    ('proxy_service', dict(unique_name='s', api_key='SK' + '0' * 32), 'api_secret'),
    ('proxy_service', dict(unique_name='s', auth_token='has a blank'), 'auth_token'),
    ('proxy_service_info', dict(auth_token='tab\there'), 'auth_token'),
    ('proxy_service', dict(unique_name='s', api_url='http://{API}'), 'api_url'),
    ('proxy_session_info', dict(service_sid=KS, api_url='http://{API}'), 'api_url'),
    ('proxy_service', dict(unique_name='s', api_url='ftp://{API}'), 'api_url'),
    ('proxy_service', dict(unique_name='s', api_url='https://user:pw@{API}'), 'api_url'),
    ('proxy_service', dict(unique_name='s', api_url='https://{API}/v1'), 'api_url'),
    ('proxy_service', dict(unique_name='s', timeout=0), 'timeout'),
    ('proxy_service', dict(unique_name='s', timeout='soon'), 'timeout'),
    ('proxy_service', dict(unique_name='s', max_retries=-1), 'max_retries'),
    ('proxy_service', dict(unique_name='s', max_retry_time=0), 'max_retry_time'),
    ('proxy_service', dict(unique_name='s', region='EU 1'), 'region'),
    ('proxy_service', dict(unique_name='s', edge='Dublin!'), 'edge'),
    ('proxy_service', dict(unique_name='s', validate_certs='perhaps'), 'validate_certs'),
    ('proxy_service', dict(unique_name='s', state='gone'), 'state'),
    ('proxy_service', dict(unique_name='s', colour='blue'), 'colour'),
    # proxy_service
    ('proxy_service', dict(), 'unique_name'),
    ('proxy_service', dict(unique_name=''), 'unique_name'),
    ('proxy_service', dict(unique_name=LONG), 'unique_name'),
    ('proxy_service', dict(sid='KS123'), 'sid'),
    ('proxy_service', dict(sid='KC' + 'a' * 32), 'sid'),
    ('proxy_service', dict(unique_name='s', default_ttl=-1), 'default_ttl'),
    ('proxy_service', dict(unique_name='s', default_ttl='a day'), 'default_ttl'),
    ('proxy_service', dict(unique_name='s', geo_match_level='continent'), 'geo_match_level'),
    ('proxy_service', dict(unique_name='s', number_selection_behavior='sticky'), 'number_selection_behavior'),
    ('proxy_service', dict(unique_name='s', callback_url='ftp://example.com/cb'), 'callback_url'),
    ('proxy_service', dict(unique_name='s', intercept_callback_url='not a url'), 'intercept_callback_url'),
    ('proxy_service', dict(unique_name='s', out_of_session_callback_url='https://'), 'out_of_session_callback_url'),
    ('proxy_service', dict(unique_name='s', chat_instance_sid='IS' + HEX31), 'chat_instance_sid'),
    # proxy_phone_number
    ('proxy_phone_number', dict(PHONE, phone_number='4155550100'), 'phone_number'),
    ('proxy_phone_number', dict(PHONE, phone_number='+0155550100'), 'phone_number'),
    ('proxy_phone_number', dict(PHONE, phone_number='+1 415 555 01000000000'), 'phone_number'),
    ('proxy_phone_number', dict(PHONE, sid='PN' + HEX31 + 'g'), 'sid'),
    ('proxy_phone_number', dict(PHONE), 'phone_number'),
    ('proxy_phone_number', dict(phone_number='+14155550100'), 'service_sid'),
    ('proxy_phone_number', dict(service_sid=LONG, phone_number='+14155550100'), 'service_sid'),
    ('proxy_phone_number', dict(PHONE, phone_number='+14155550100', is_reserved='perhaps'), 'is_reserved'),
    ('proxy_phone_number', dict(PHONE, phone_number='+14155550100', state='absent', drain=True,
                                drain_timeout=-5), 'drain_timeout'),
    ('proxy_phone_number', dict(PHONE, phone_number='+14155550100', drain_poll_interval=0), 'drain_poll_interval'),
    # proxy_short_code
    ('proxy_short_code', dict(PHONE), 'sid'),
    ('proxy_short_code', dict(PHONE, sid='SC12'), 'sid'),
    ('proxy_short_code', dict(PHONE, sid=pn_sid('+14155550100')), 'sid'),
    # proxy_session
    ('proxy_session', dict(SESSION), 'unique_name'),
    ('proxy_session', dict(SESSION, unique_name=LONG), 'unique_name'),
    ('proxy_session', dict(SESSION, sid='KC' + HEX31), 'sid'),
    ('proxy_session', dict(SESSION, unique_name='r', ttl=-60), 'ttl'),
    ('proxy_session', dict(SESSION, unique_name='r', date_expiry='tomorrow'), 'date_expiry'),
    ('proxy_session', dict(SESSION, unique_name='r', date_expiry='2026-13-45T00:00:00Z'), 'date_expiry'),
    ('proxy_session', dict(SESSION, unique_name='r', date_expiry='2026-12-31T25:00:00Z'), 'date_expiry'),
    ('proxy_session', dict(SESSION, unique_name='r', mode='text-only'), 'mode'),
    ('proxy_session', dict(SESSION, unique_name='r', status='finished'), 'status'),
    ('proxy_session', dict(SESSION, unique_name='r', participants=TWO + [dict(identifier='+15105550102')]),
     'participants'),
    ('proxy_session', dict(SESSION, unique_name='r', participants=[dict(identifier='12345')]), 'participants'),
    ('proxy_session', dict(SESSION, unique_name='r', participants=[TWO[0], TWO[0]]), 'participants'),
    ('proxy_session', dict(SESSION, unique_name='r', participants=[dict(identifier='+15105550100',
                                                                        proxy_identifier_sid='PN1')]),
     'participants'),
    ('proxy_session', dict(SESSION, unique_name='r', participants=[dict(friendly_name='rider')]), 'identifier'),
    ('proxy_session', dict(SESSION, unique_name='r', purge_participants=True), 'participants'),
    # proxy_participant
    ('proxy_participant', dict(PARTICIPANT), 'identifier'),
    ('proxy_participant', dict(PARTICIPANT, identifier='call me'), 'identifier'),
    ('proxy_participant', dict(PARTICIPANT, identifier='+1' + '5' * 190), 'identifier'),
    ('proxy_participant', dict(PARTICIPANT, identifier='+15105550100', proxy_identifier='555'), 'proxy_identifier'),
    ('proxy_participant', dict(PARTICIPANT, identifier='+15105550100', proxy_identifier_sid='PN0'),
     'proxy_identifier_sid'),
    ('proxy_participant', dict(PARTICIPANT, identifier='+15105550100', friendly_name='f' * 256), 'friendly_name'),
    ('proxy_participant', dict(service_sid=KS, session_sid='', identifier='+15105550100'), 'session_sid'),
    # the _info modules
    ('proxy_service_info', dict(sid='KS'), 'sid'),
    ('proxy_service_info', dict(unique_name=LONG), 'unique_name'),
    ('proxy_phone_number_info', dict(PHONE, phone_number='0800 FLOWERS'), 'phone_number'),
    ('proxy_phone_number_info', dict(PHONE, is_reserved='sometimes'), 'is_reserved'),
    ('proxy_short_code_info', dict(PHONE, sid='SC' + 'z' * 32), 'sid'),
    ('proxy_session_info', dict(SESSION, sid='KC'), 'sid'),
    ('proxy_session_info', dict(), 'service_sid'),
    ('proxy_participant_info', dict(PARTICIPANT, identifier='nobody'), 'identifier'),
    ('proxy_participant_info', dict(PARTICIPANT, include_deleted='maybe'), 'include_deleted'),
    ('proxy_interaction_info', dict(PARTICIPANT, sid='KI0'), 'sid'),
    ('proxy_interaction_info', dict(PARTICIPANT, type='fax'), 'type'),
]
# No credentials anywhere (no options, no TWILIO_* variables): every module refuses before a request.
NO_CREDENTIALS = [
    ('proxy_service', dict(unique_name='s'), 'auth_token'),
    ('proxy_phone_number_info', dict(PHONE), 'auth_token'),
    ('proxy_participant', dict(PARTICIPANT, identifier='+15105550100'), 'auth_token'),
    ('proxy_service', dict(unique_name='s', account_sid='AC' + '0' * 32), 'auth_token'),
    ('proxy_service', dict(unique_name='s', auth_token='x' * 32), 'account_sid'),
]


# Not loopback by its address (ipaddress: is_loopback False), but a connection to it reaches this machine.
NON_LOOPBACK_TO_HERE = '0.0.0.0'


def fill(value, api):
    if isinstance(value, str):
        return value.replace('{API}', api)
    if isinstance(value, list):
        return [fill(v, api) for v in value]
    if isinstance(value, dict):
        return dict((k, fill(v, api)) for k, v in value.items())
    return value


PROCESSES = 3  # the table is split over this many ansible-playbook processes run at once


def play(name, cases, api, defaults):
    tasks = [{'name': '%s: %s %s' % (case_id, module, option), 'community.twilio.' + module: fill(options, api),
              'register': case_id, 'ignore_errors': True} for case_id, (module, options, option) in cases]
    return {'name': name, 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
            'module_defaults': {'group/community.twilio.proxy': defaults}, 'tasks': tasks}


def playbook(cases, api, emulator, outcomes):
    """The cases as tasks (with or without credentials), then one task that writes every registered outcome."""
    ids = [case_id for case_id, case in cases]
    with_credentials = [(i, c) for i, c in cases if c not in NO_CREDENTIALS]
    without = [(i, c) for i, c in cases if c in NO_CREDENTIALS]
    plays = [play('Bad input with valid credentials', with_credentials, api,
                  dict(account_sid=ACCOUNT_SID, auth_token=emulator.auth_token, api_url=emulator.url))]
    if without:
        plays.append(play('Bad input without any credentials', without, api, dict(api_url=emulator.url)))
    plays.append({'name': 'Write every outcome', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
                  'tasks': [{'name': 'Outcomes', 'ansible.builtin.copy': {
                      'dest': str(outcomes), 'mode': '0600',
                      'content': "{{ dict(%s | zip(query('ansible.builtin.vars', *%s))) | to_json }}" % (ids, ids)}}]})
    return plays


def test_bad_input_fails_naming_the_option_before_any_request(start_emulator, tmp_path, figure):
    emulator = start_emulator(host='127.0.0.1')
    ansible = Ansible(emulator, tmp_path)
    api = '%s:%d' % (NON_LOOPBACK_TO_HERE, emulator.port)
    table = [('case_%02d' % n, case) for n, case in enumerate(CASES + NO_CREDENTIALS, 1)]
    procs = []
    for chunk in range(PROCESSES):
        cases = table[chunk::PROCESSES]
        path = tmp_path / ('bad_input_%d.yml' % chunk)
        path.write_text(yaml.safe_dump(playbook(cases, api, emulator, tmp_path / ('outcomes_%d.json' % chunk)),
                                       sort_keys=False))
        procs.append(ansible.start(str(path), credentials=None))
    runs = [ansible.wait(proc) for proc in procs]
    for run in runs:
        assert run.rc == 0, run  # every case failed and was ignored; the last play wrote the outcomes
    outcomes = {}
    for chunk in range(PROCESSES):
        outcomes.update(json.loads((tmp_path / ('outcomes_%d.json' % chunk)).read_text()))
    wrong = []
    for case_id, (module, options, option) in table:
        result = outcomes[case_id]
        named = re.search(r'(?<![\w])%s(?![\w])' % re.escape(option), result.get('msg', ''))
        if not result.get('failed') or not named:
            wrong.append((case_id, module, options, option, result.get('msg'), result.get('failed')))
    assert not wrong, '\n'.join(map(repr, wrong))
    assert emulator.requests() == [], 'bad input reached the API'
    figure('bad input: cases across %d modules, each refused naming the option'
           % len(set(module for case_id, (module, o, n) in table)), len(table))
    figure('bad input: requests received by the emulator (also on %s)' % api.split(':')[0], 0)
    figure('bad input: wall time (%d ansible-playbook processes)' % PROCESSES,
           '%.1f s' % max(run.seconds for run in runs))
