# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_session's decisions: instants, immutable fields, closed sessions, participant reconciliation, check mode.

The real engine and the module's SessionEngine run against an in-memory Twilio that keeps Proxy's session rules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._resources import SESSION
from ansible_collections.community.twilio.plugins.modules.proxy_session import EXTRA_SPEC, SessionEngine
from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import (
    KS, Exit, FakeModule, module_params, new_sid)

SESSIONS = '/Services/%s/Sessions' % KS
A, B, C = '+14155550100', '+14155550101', '+14155550102'


def params(**given):
    return module_params(SESSION, EXTRA_SPEC, **given)


def snake(key):
    return ''.join('_' + c.lower() if c.isupper() else c for c in key).lstrip('_')


class ProxyTwilio:
    """Sessions and participants with Twilio's rules: 80607 for a closed session, 80609, 80612, soft delete."""

    def __init__(self, fetch_by_key=True, page_size=2):
        self.sessions = []
        self.participants = {}  # session sid -> [records]
        self.calls = []  # (method, uri, data)
        self.fetch_by_key = fetch_by_key
        self.page_size = page_size
        self.read_only = False
        self.numbers = iter('+1415555%04d' % i for i in range(1000))

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != 'GET']

    def session(self, name, status='open', ttl=0, mode='voice-and-message', date_expiry=None, participants=()):
        record = dict(sid=new_sid('KC'), service_sid=KS, unique_name=name, status=status, ttl=ttl, mode=mode,
                      date_expiry=date_expiry, url='u')
        self.sessions.append(record)
        self.participants[record['sid']] = []
        for identifier in participants:
            self._add_participant(record, dict(identifier=identifier))
        return record

    def _add_participant(self, session, fields):
        if session['status'] not in ('open', 'in-progress'):
            raise TwilioApiError('Session is closed and cannot be updated.', status=400, code=80607)
        parts = self.participants[session['sid']]
        for part in parts:
            if part['identifier'] == fields['identifier']:
                raise TwilioApiError('Duplicate Entry', status=400, code=80612 if part['date_deleted'] else 80103)
        if len([p for p in parts if not p['date_deleted']]) >= 2:
            raise TwilioApiError('Too Many Added Participants', status=400, code=80609)
        record = dict(sid=new_sid('KP'), session_sid=session['sid'], friendly_name=None, proxy_identifier=None,
                      proxy_identifier_sid=None, date_deleted=None)
        record.update(fields)
        if not record['proxy_identifier']:
            record['proxy_identifier'] = next(self.numbers)
        parts.append(record)
        return record

    def remove(self, session, identifier):
        for part in self.participants[session['sid']]:
            if part['identifier'] == identifier:
                part['date_deleted'] = '2026-01-01T00:00:00Z'

    def _session(self, ident):
        for record in self.sessions:
            if record['sid'] == ident or (self.fetch_by_key and record['unique_name'] == ident):
                return record
        return None

    def _write(self, method, uri, data=None):
        if self.read_only:
            raise RuntimeError('write in check mode: %s %s' % (method, uri))
        self.calls.append((method, uri, data))

    def fetch(self, uri):
        self.calls.append(('GET', uri, None))
        record = self._session(uri.rsplit('/', 1)[1])
        return None if record is None else dict(record)

    def list(self, uri, key, page_size=100):
        if uri == SESSIONS:
            records = self.sessions
        else:
            records = self.participants[uri.split('/')[4]]
        for start in range(0, max(len(records), 1), self.page_size):
            self.calls.append(('GET', uri, None))
            yield from (dict(record) for record in records[start:start + self.page_size])

    def create(self, uri, data):
        self._write('POST', uri, data)
        if uri == SESSIONS:
            if any(s['unique_name'] == data.get('UniqueName') for s in self.sessions):
                raise TwilioApiError('Non Unique Session Name', status=400, code=80603)
            record = self.session(data.get('UniqueName'), status=data.get('Status', 'open'),
                                  ttl=int(data.get('Ttl', 0)), mode=data.get('Mode', 'voice-and-message'),
                                  date_expiry=data.get('DateExpiry'))
            for raw in data.get('Participants', []):
                self._add_participant(record, dict((snake(k), v) for k, v in json.loads(raw).items()))
            return dict(record)
        session = self._session(uri.split('/')[4])
        return dict(self._add_participant(session, dict((snake(k), v) for k, v in data.items())))

    def update(self, uri, data):
        self._write('POST', uri, data)
        record = self._session(uri.rsplit('/', 1)[1])
        active = record['status'] in ('open', 'in-progress')
        if not active and data.get('Status') not in ('open', 'in-progress'):
            raise TwilioApiError('Session is closed and cannot be updated.', status=400, code=80607)
        for key, value in data.items():
            record[snake(key)] = int(value) if key == 'Ttl' else value
        return dict(record)

    def delete(self, uri):
        self._write('DELETE', uri)
        parts = uri.split('/')
        if 'Participants' in parts:
            self.remove(self._session(parts[4]), [p for p in self.participants[parts[4]]
                                                  if p['sid'] == parts[6]][0]['identifier'])
            return True
        self.sessions.remove(self._session(parts[4]))
        return True


def run(fake, check_mode=False, **given):
    module = FakeModule(params(**given), check_mode=check_mode)
    fake.read_only = check_mode
    with pytest.raises(Exit) as info:
        SessionEngine(module, SESSION, client=fake).run()
    fake.read_only = False
    info.value.result['warnings'] = module.warnings
    return info.value.kind, info.value.result


def identifiers(result):
    return [p['identifier'] for p in result['session']['participants']]


# -- look-up ---------------------------------------------------------------------------------------------------

def test_no_change_by_name_is_one_fetch_and_one_participant_list():
    fake = ProxyTwilio()
    fake.session('s', ttl=60, participants=[A, B])
    kind, result = run(fake, unique_name='s', ttl=60, participants=[dict(identifier=A), dict(identifier=B)])
    assert kind == 'exit' and result['changed'] is False
    assert [c[0] for c in fake.calls] == ['GET', 'GET'] and fake.writes == []
    assert identifiers(result) == [A, B]


def test_without_fetch_by_name_every_page_is_read_and_nothing_is_duplicated():
    fake = ProxyTwilio(fetch_by_key=False, page_size=2)
    for i in range(5):
        fake.session('s%d' % i)
    kind, result = run(fake, unique_name='s4', ttl=0)
    assert kind == 'exit' and result['changed'] is False
    assert result['session']['unique_name'] == 's4' and fake.writes == []
    assert len(fake.sessions) == 5


# -- instants, immutable fields ------------------------------------------------------------------------------

def test_date_expiry_is_compared_as_an_instant():
    fake = ProxyTwilio()
    fake.session('s', date_expiry='2026-12-31T23:00:00Z')
    kind, result = run(fake, unique_name='s', date_expiry='2027-01-01T00:00:00+01:00')
    assert kind == 'exit' and result['changed'] is False and fake.writes == []
    kind, result = run(fake, unique_name='s', date_expiry='2027-01-01T00:00:01+01:00')
    assert result['changed'] is True
    assert fake.writes[-1][2] == {'DateExpiry': '2026-12-31T23:00:01Z'}
    assert result['diff'] == {'before': {'date_expiry': '2026-12-31T23:00:00Z'},
                              'after': {'date_expiry': '2026-12-31T23:00:01Z'}}


def test_unparseable_date_expiry_fails_before_any_request():
    fake = ProxyTwilio()
    kind, result = run(fake, unique_name='s', date_expiry='next tuesday')
    assert kind == 'fail' and result['msg'].startswith('date_expiry: ') and fake.calls == []


@pytest.mark.parametrize('option, value', [('mode', 'message-only'), ('unique_name', 'other')])
def test_an_immutable_difference_fails_naming_the_field(option, value):
    fake = ProxyTwilio()
    record = fake.session('s')
    given = dict(sid=record['sid'], unique_name='s')
    given[option] = value
    kind, result = run(fake, **given)
    assert kind == 'fail' and result['msg'].startswith('%s of Proxy Session %s cannot be changed in place'
                                                       % (option, record['sid']))
    assert 'recreate=true' in result['msg'] and fake.writes == []


def test_recreate_deletes_and_creates_and_shows_it_in_the_diff():
    fake = ProxyTwilio()
    old = fake.session('s', participants=[A])
    kind, result = run(fake, unique_name='s', mode='message-only', recreate=True, participants=[dict(identifier=A)])
    assert kind == 'exit' and result['changed'] is True
    assert [c[0] for c in fake.writes] == ['DELETE', 'POST']
    assert result['diff']['before'] == {'mode': 'voice-and-message', 'sid': old['sid'],
                                        'state': 'present (deleted and created again)'}
    assert result['diff']['after']['mode'] == 'message-only'
    assert result['session']['sid'] != old['sid'] and identifiers(result) == [A]


# -- create --------------------------------------------------------------------------------------------------

def test_create_sends_the_participants_as_repeated_json_objects():
    fake = ProxyTwilio()
    kind, result = run(fake, unique_name='s', ttl=60, participants=[
        dict(identifier='+1 (415) 555-0100', friendly_name='rider'), dict(identifier='messenger:42')])
    assert kind == 'exit' and result['changed'] is True
    method, uri, data = fake.writes[0]
    assert (method, uri) == ('POST', SESSIONS) and len(fake.writes) == 1
    assert [json.loads(p) for p in data['Participants']] == [
        {'Identifier': A, 'FriendlyName': 'rider'}, {'Identifier': 'messenger:42'}]
    assert data['UniqueName'] == 's' and data['Ttl'] == '60'
    assert identifiers(result) == [A, 'messenger:42']
    assert all(p['proxy_identifier'] for p in result['session']['participants'])


def test_check_mode_create_predicts_the_participants_and_writes_nothing():
    fake = ProxyTwilio()
    wanted = dict(unique_name='s', ttl=60,
                  participants=[dict(identifier=A, friendly_name='rider'), dict(identifier=B)])
    kind, check = run(fake, check_mode=True, **wanted)
    assert kind == 'exit' and check['changed'] is True and fake.writes == []
    assert check['session']['sid'] is None
    assert [(p['sid'], p['identifier'], p['proxy_identifier']) for p in check['session']['participants']] == [
        (None, A, None), (None, B, None)]
    kind, real = run(fake, **wanted)
    assert real['diff'] == check['diff']
    assert real['diff']['after']['participants'] == [{'identifier': A, 'friendly_name': 'rider'},
                                                     {'identifier': B}]


@pytest.mark.parametrize('participants, text', [
    ([dict(identifier=A), dict(identifier=B), dict(identifier=C)], 'at most 2 participants (Twilio error 80609)'),
    ([dict(identifier=A), dict(identifier='+1 415 555 0100')], 'given twice'),
    ([dict(identifier='12345')], 'item 1, identifier'),
    ([dict(identifier=A, proxy_identifier_sid='PN1')], 'item 1, proxy_identifier_sid'),
])
def test_bad_participants_fail_before_any_request(participants, text):
    fake = ProxyTwilio()
    kind, result = run(fake, unique_name='s', participants=participants)
    assert kind == 'fail' and result['msg'].startswith('participants: ') and text in result['msg']
    assert fake.calls == []


# -- participants on an existing session ----------------------------------------------------------------------

def test_a_missing_participant_is_added():
    fake = ProxyTwilio()
    record = fake.session('s', participants=[A])
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A), dict(identifier=B, friendly_name='b')])
    assert kind == 'exit' and result['changed'] is True
    assert fake.writes == [('POST', '%s/%s/Participants' % (SESSIONS, record['sid']),
                            {'Identifier': B, 'FriendlyName': 'b'})]
    assert identifiers(result) == [A, B]
    assert result['diff']['before'] == {'participants': [
        {'identifier': A, 'proxy_identifier': result['session']['participants'][0]['proxy_identifier']}]}
    assert result['diff']['after']['participants'][1] == {'identifier': B, 'friendly_name': 'b'}
    kind, again = run(fake, unique_name='s', participants=[dict(identifier=A), dict(identifier=B, friendly_name='b')])
    assert again['changed'] is False and len(fake.writes) == 1


def test_an_unlisted_participant_is_kept_unless_purge_is_asked():
    fake = ProxyTwilio()
    record = fake.session('s', participants=[A, B])
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A)])
    assert kind == 'exit' and result['changed'] is False and fake.writes == []
    assert identifiers(result) == [A, B]
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A)], purge_participants=True)
    assert result['changed'] is True
    assert [(c[0], c[1].rsplit('/', 1)[0]) for c in fake.writes] == [
        ('DELETE', '%s/%s/Participants' % (SESSIONS, record['sid']))]
    assert identifiers(result) == [A]
    assert result['diff']['after'] == {'participants': [
        {'identifier': A, 'proxy_identifier': result['session']['participants'][0]['proxy_identifier']}]}


def test_a_third_participant_is_refused_before_any_write_unless_purge():
    fake = ProxyTwilio()
    fake.session('s', participants=[A, B])
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A), dict(identifier=C)])
    assert kind == 'fail' and '80609' in result['msg'] and 'purge_participants' in result['msg']
    assert fake.writes == []
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A), dict(identifier=C)],
                       purge_participants=True)
    assert kind == 'exit' and identifiers(result) == [A, C]
    assert [c[0] for c in fake.writes] == ['DELETE', 'POST']  # removal first, so the session never holds three


def test_a_differing_participant_fails_because_there_is_no_update():
    fake = ProxyTwilio()
    fake.session('s', participants=[A])
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A, friendly_name='new')])
    assert kind == 'fail' and result['msg'].startswith('participants: friendly_name of participant %s' % A)
    assert 'cannot update a participant' in result['msg'] and fake.writes == []


def test_a_removed_participant_cannot_come_back():
    fake = ProxyTwilio()
    record = fake.session('s', participants=[A, B])
    fake.remove(record, B)
    kind, result = run(fake, unique_name='s', participants=[dict(identifier=A), dict(identifier=B)])
    assert kind == 'fail' and '80612' in result['msg'] and 'was removed' in result['msg']
    assert fake.writes == []


def test_check_mode_predicts_added_and_removed_participants_without_writes():
    fake = ProxyTwilio()
    fake.session('s', participants=[A, B])
    wanted = dict(unique_name='s', participants=[dict(identifier=A), dict(identifier=C)], purge_participants=True)
    kind, check = run(fake, check_mode=True, **wanted)
    assert kind == 'exit' and check['changed'] is True and fake.writes == []
    assert identifiers(check) == [A, C] and check['session']['participants'][1]['sid'] is None
    kind, real = run(fake, **wanted)
    assert real['diff'] == check['diff'] and identifiers(real) == [A, C]


# -- closed sessions ------------------------------------------------------------------------------------------

def test_a_closed_session_is_not_updated_on_a_no_change_run():
    fake = ProxyTwilio()
    fake.session('s', status='closed', ttl=60, participants=[])
    for status in (None, 'closed'):
        kind, result = run(fake, unique_name='s', ttl=60, status=status)
        assert kind == 'exit' and result['changed'] is False
    assert fake.writes == []


def test_changing_ttl_of_a_closed_session_without_reopening_fails_clearly():
    fake = ProxyTwilio()
    fake.session('s', status='closed', ttl=60)
    for check_mode in (True, False):
        kind, result = run(fake, check_mode=check_mode, unique_name='s', ttl=120)
        assert kind == 'fail' and '80607' in result['msg'] and 'status: in-progress' in result['msg']
    assert fake.writes == []


def test_reopen_comes_first_then_the_other_changes():
    fake = ProxyTwilio()
    record = fake.session('s', status='closed', ttl=60)
    kind, result = run(fake, unique_name='s', ttl=120, status='in-progress')
    assert kind == 'exit' and result['changed'] is True
    uri = '%s/%s' % (SESSIONS, record['sid'])
    assert fake.writes == [('POST', uri, {'Status': 'in-progress'}), ('POST', uri, {'Ttl': '120'})]
    assert result['session']['status'] == 'in-progress' and result['session']['ttl'] == 120
    assert result['diff'] == {'before': {'status': 'closed', 'ttl': 60}, 'after': {'status': 'in-progress', 'ttl': 120}}


def test_open_is_satisfied_by_in_progress_and_reopens_a_closed_session():
    fake = ProxyTwilio()
    fake.session('s', status='in-progress')
    kind, result = run(fake, unique_name='s', status='open')
    assert result['changed'] is False and fake.writes == []
    fake.session('t', status='closed')
    kind, result = run(fake, unique_name='t', status='open')
    assert result['changed'] is True and fake.writes[0][2] == {'Status': 'in-progress'}


def test_close_sends_status_closed_once():
    fake = ProxyTwilio()
    fake.session('s', ttl=60)
    kind, result = run(fake, unique_name='s', status='closed', ttl=60)
    assert kind == 'exit' and result['changed'] is True and [c[2] for c in fake.writes] == [{'Status': 'closed'}]
    kind, result = run(fake, unique_name='s', status='closed', ttl=60)
    assert result['changed'] is False and len(fake.writes) == 1


def test_participants_cannot_be_added_to_a_session_that_is_or_becomes_closed():
    fake = ProxyTwilio()
    fake.session('s', status='closed')
    fake.session('t')
    for name, status in (('s', None), ('t', 'closed')):
        kind, result = run(fake, unique_name=name, status=status, participants=[dict(identifier=A)])
        assert kind == 'fail' and '80607' in result['msg']
    assert fake.writes == []


def test_failed_can_be_matched_but_not_set():
    fake = ProxyTwilio()
    fake.session('s', status='failed')
    fake.session('t')
    kind, result = run(fake, unique_name='s', status='failed')
    assert result['changed'] is False
    kind, result = run(fake, unique_name='t', status='failed')
    assert kind == 'fail' and result['msg'].startswith('status: ') and fake.writes == []


def test_absent_deletes_once():
    fake = ProxyTwilio()
    record = fake.session('s')
    kind, result = run(fake, unique_name='s', state='absent')
    assert result['changed'] is True and fake.writes == [('DELETE', '%s/%s' % (SESSIONS, record['sid']), None)]
    kind, result = run(fake, unique_name='s', state='absent')
    assert result['changed'] is False and result['session'] == {} and len(fake.writes) == 1
