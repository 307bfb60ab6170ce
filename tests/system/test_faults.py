# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Retries and faults: ansible-playbook converges a service, a pool number and a session while the emulator
answers with 429 storms, 503s, 500s, slow responses (longer than the timeout) and dropped connections, some of them
after the request was processed (outcome unknown). Every task must end converged, with exactly one of each."""

import pytest

from conftest import pn_sid

SERVICE, NUMBER, SESSION = 'system-service', '+14155550042', 'system-session'
CREATE_SERVICE = '^/v1/Services$'
CREATE_NUMBER = '^/v1/Services/KS[0-9a-f]{32}/PhoneNumbers$'
CREATE_SESSION = '^/v1/Services/KS[0-9a-f]{32}/Sessions$'

# name -> (faults, environment); faults are the control API's fault specs, applied in order.
SCENARIOS = {
    '429 storm on every endpoint': ([dict(status=429, retry_after=1, count=4)], {}),
    '429 on each create, Retry-After 2': ([dict(method='POST', path=p, status=429, retry_after=2, count=2)
                                           for p in (CREATE_SERVICE, CREATE_NUMBER, CREATE_SESSION)], {}),
    '503 on every create': ([dict(method='POST', path=p, status=503, count=2)
                             for p in (CREATE_SERVICE, CREATE_NUMBER, CREATE_SESSION)], {}),
    '500 and 502 on reads': ([dict(method='GET', status=500, count=2), dict(method='GET', status=502, count=1)],
                             {}),
    'reads slower than the timeout': ([dict(method='GET', delay=2.5, count=2)], {'TWILIO_TIMEOUT': '1'}),
    'connection dropped on reads': ([dict(method='GET', drop=True, count=3)], {}),
    'connection dropped before the service create': ([dict(method='POST', path=CREATE_SERVICE, drop=True)], {}),
    'connection dropped after the service create': ([dict(method='POST', path=CREATE_SERVICE, drop=True,
                                                          after=True)], {}),
    '500 after the number was added': ([dict(method='POST', path=CREATE_NUMBER, status=500, after=True)], {}),
    '503 after the session was created': ([dict(method='POST', path=CREATE_SESSION, status=503, after=True)], {}),
    'session create slower than the timeout (processed)': ([dict(method='POST', path=CREATE_SESSION, delay=2.5,
                                                                 after=True)], {'TWILIO_TIMEOUT': '1'}),
}


def converged_state(emulator):
    """Exactly one service, one number, one session (two participants), read through /v1 lists."""
    services = [s for s in emulator.records('/Services', 'services') if s['unique_name'] == SERVICE]
    assert len(services) == 1, services
    service = services[0]
    assert service['default_ttl'] == 3600
    numbers = emulator.records('/Services/%s/PhoneNumbers' % service['sid'], 'phone_numbers')
    assert [(n['sid'], n['is_reserved']) for n in numbers] == [(pn_sid(NUMBER), False)]
    sessions = emulator.records('/Services/%s/Sessions' % service['sid'], 'sessions')
    assert [(s['unique_name'], s['ttl']) for s in sessions] == [(SESSION, 600)]
    participants = emulator.records('/Services/%s/Sessions/%s/Participants' % (service['sid'], sessions[0]['sid']),
                                    'participants')
    assert sorted(p['identifier'] for p in participants) == ['+15105550100', '+15105550101']


@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_faults_are_survived_without_duplicates(name, emulator, ansible, figure):
    faults, env = SCENARIOS[name]
    for spec in faults:
        emulator.fault(**spec)
    run = ansible.run('converge.yml', env=env)
    assert run.rc == 0, run
    assert run.recap['localhost']['failed'] == 0
    assert emulator.control('GET', 'faults')['faults'] == [], 'not every injected fault was hit'
    converged_state(emulator)
    log = emulator.requests()
    faulted = sum(spec.get('count', 1) for spec in faults)
    figure('faults: %s (%d faulted of %d requests)' % (name, faulted, len(log)), '%.1f s' % run.seconds)
