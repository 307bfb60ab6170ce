# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load: many ansible-playbook processes converging the same resources at once, and many forks against the
rate-limited emulator. Everything must succeed and exactly one of each resource must exist."""

import re
import sys

from test_faults import CREATE_NUMBER, CREATE_SERVICE, CREATE_SESSION, converged_state

PROCESSES = 20
HOSTS = 50
# The emulator limits each endpoint to RATE_LIMIT_RPS requests a second: at most RATE_LIMIT_RPS * 5 in its sliding
# 5-second window (and as many in any one second, its bursts being 5x). Whether 50 forks ever send that many
# depends on the machine, so the test does not wait for it to happen: the first BARRIER session creates are held
# by the emulator's wait_for barrier until all BARRIER have arrived, then released together, which puts more
# creates than the window admits in front of the limiter at once. At least BARRIER - RATE_LIMIT_RPS * 5 of them
# are answered 429, on any machine.
RATE_LIMIT_RPS = 5
BARRIER = RATE_LIMIT_RPS * 5 + 10
# How long the barrier waits for its last create at most: a loaded machine starts 50 forks slowly. The modules
# are given a request timeout and a retry budget longer than that hold (a user of a slow API would do the same).
BARRIER_HOLD = 240.0
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
    emulator.fault(method='POST', path=CREATE_SESSION, status=None, wait_for=BARRIER, delay=BARRIER_HOLD,
                   count=BARRIER)
    inventory = tmp_path / 'fleet.ini'
    inventory.write_text('[fleet]\n' + ''.join(
        'host%02d ansible_connection=local ansible_python_interpreter=%s\n' % (i, sys.executable)
        for i in range(HOSTS)))
    budget = dict(TWILIO_TIMEOUT=str(BARRIER_HOLD + 60), TWILIO_MAX_RETRY_TIME=str(BARRIER_HOLD + 300))
    run = ansible.run('fleet.yml', dict(service_name='fleet-service'), inventory=str(inventory),
                      args=['--forks', str(HOSTS)], env=budget)
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
    create = re.compile(CREATE_SESSION)
    refused_creates = [r for r in log if r['method'] == 'POST' and create.search(r['path']) and r['status'] == 429]
    assert len(refused_creates) >= BARRIER - RATE_LIMIT_RPS * 5, 'the released creates were not limited'
    # Each refused create was retried: every host's session exists once, and each host reported one change.
    limited = [r for r in log if r['status'] == 429]
    figure('load: %d forks, emulator limited to %d rps per endpoint (bursts %d), all succeeded'
           % (HOSTS, RATE_LIMIT_RPS, RATE_LIMIT_RPS * 5), '%.1f s wall' % run.seconds)
    figure('load: requests answered 429 and retried (of %d)' % len(log), len(limited))
