# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load: many ansible-playbook processes converging the same resources at once, and many forks against the
rate-limited emulator. Everything must succeed and exactly one of each resource must exist."""

import sys

from test_faults import CREATE_NUMBER, CREATE_SERVICE, CREATE_SESSION, converged_state

PROCESSES = 20
HOSTS = 50
# Twilio allows 30 requests per second per endpoint with bursts to 5x; 50 forks on a 2-core machine do not reach
# that, so the emulator is set to a sixth of it (5 rps: 25 requests per 5 s window) to make the limit bite.
RATE_LIMIT_RPS = 5
# The first create of each resource is held until a second one arrives (at most this long): while it is held,
# the resource does not exist, so every run looks it up as absent and the creates race for certain.
CREATE_HOLD = 30.0


def test_simultaneous_playbooks_converge_one_service_number_and_session(emulator, ansible, figure):
    for path in (CREATE_SERVICE, CREATE_NUMBER, CREATE_SESSION):
        emulator.fault(method='POST', path=path, status=None, wait_for=2, delay=CREATE_HOLD, count=PROCESSES)
    procs = [ansible.start('converge.yml') for dummy in range(PROCESSES)]
    runs = [ansible.wait(proc) for proc in procs]
    failed = [run for run in runs if run.rc != 0 or run.recap['localhost']['failed']]
    assert not failed, failed[0]
    converged_state(emulator)
    log = emulator.requests()
    creates = [r for r in log if r['method'] == 'POST' and r['status'] == 201]
    refused = [r for r in log if r['method'] == 'POST' and r['status'] == 400]
    assert len(creates) == 3  # the service, the number, the session: once each
    assert refused, 'no create race happened: the test did not test what it claims'
    # A run that lost a create race was told so (80602/80104/80603) and converged what the winner created.
    assert sum(run.stdout.count('meanwhile') for run in runs) == len(refused)
    changed = sum(run.recap['localhost']['changed'] for run in runs)
    assert changed == 3, 'each resource is reported created by exactly one run'
    figure('load: %d simultaneous ansible-playbook runs, all succeeded' % PROCESSES,
           '%.1f s wall, %d requests' % (max(run.seconds for run in runs), len(log)))
    figure('load: creates that lost a race and converged instead of failing', len(refused))


def test_fifty_forks_against_the_rate_limited_emulator(emulator, ansible, tmp_path, figure):
    emulator.settings(rate_limit=True, rate_limit_rps=RATE_LIMIT_RPS)
    inventory = tmp_path / 'fleet.ini'
    inventory.write_text('[fleet]\n' + ''.join(
        'host%02d ansible_connection=local ansible_python_interpreter=%s\n' % (i, sys.executable)
        for i in range(HOSTS)))
    run = ansible.run('fleet.yml', dict(service_name='fleet-service'), inventory=str(inventory),
                      args=['--forks', str(HOSTS)])
    assert run.rc == 0, run
    assert len(run.recap) == HOSTS + 1
    assert all(counts['failed'] == 0 and counts['unreachable'] == 0 for counts in run.recap.values()), run
    assert all(run.recap['host%02d' % i]['changed'] == 1 for i in range(HOSTS))
    log = emulator.requests()
    emulator.settings(rate_limit=False)  # our own reads below are not part of the load
    service = [s for s in emulator.records('/Services', 'services') if s['unique_name'] == 'fleet-service']
    assert len(service) == 1
    sessions = emulator.records('/Services/%s/Sessions' % service[0]['sid'], 'sessions')
    assert sorted(s['unique_name'] for s in sessions) == ['session-host%02d' % i for i in range(HOSTS)]
    limited = [r for r in log if r['status'] == 429]
    assert limited, 'the rate limit was never reached: the test did not test retries under it'
    figure('load: %d forks, emulator limited to %d rps per endpoint (bursts %d), all succeeded'
           % (HOSTS, RATE_LIMIT_RPS, RATE_LIMIT_RPS * 5), '%.1f s wall' % run.seconds)
    figure('load: requests answered 429 and retried (of %d)' % len(log), len(limited))


