"""Jobs as AWX runs them: the example playbooks through ansible_runner.run() with the environment the Twilio
credential type injects, against the emulator. The job events must show every community.twilio task changed on the
first run and unchanged on the second, the second run must send no write, and no secret may appear in the events,
stdout or artifacts."""

import subprocess
import sys

import pytest
import yaml

from conftest import (MANY_HOSTS, ROOT, api_key_inputs, events_of, render_injectors, run_job, secret_places,
                      token_inputs, twilio_task_results)

EXAMPLES = [
    ('demo.yml', token_inputs),  # the demo's playbook, with an auth token credential
    ('session.yml', api_key_inputs),  # with an API key credential routed to a region and edge
]


def twilio_tasks_of(playbook):
    """The names of the playbook's community.twilio tasks, read from the playbook itself."""
    plays = yaml.safe_load((ROOT / 'examples' / playbook).read_text())
    return {task['name'] for play in plays for task in play.get('tasks', [])
            if any(key.startswith('community.twilio.') for key in task)}


@pytest.mark.parametrize('playbook, inputs', EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_converges_then_changes_nothing(credential_type, fresh_emulator, tmp_path, playbook, inputs):
    tasks = twilio_tasks_of(playbook)
    assert tasks
    env = render_injectors(credential_type, inputs(fresh_emulator.url))
    runs = []
    for dummy in range(2):
        since = (fresh_emulator.requests() or [{'seq': 0}])[-1]['seq']
        runner = run_job(tmp_path, env, project_dir=str(ROOT / 'examples'), playbook=playbook)
        assert runner.status == 'successful' and runner.rc == 0, runner.stdout.read()
        assert events_of(runner, 'runner_on_failed') == []
        assert secret_places(runner) == [], 'a secret leaked'
        runs.append((runner, fresh_emulator.requests(since)))

    (first, first_log), (second, second_log) = runs
    assert {result[0] for result in twilio_task_results(first)} == tasks
    assert [result[2] for result in twilio_task_results(first)] == [True] * len(tasks)
    assert [result[2] for result in twilio_task_results(second)] == [False] * len(tasks)
    assert any(r['method'] == 'POST' for r in first_log)
    assert [r for r in second_log if r['method'] != 'GET'] == [], 'the second run wrote'
    assert second.stats['changed'] == {}


def test_many_hosts_absorb_rate_limiting(credential_type, fresh_emulator, tmp_path):
    """A reduced many-hosts job: 30 hosts, 30 forks, one session each, while the emulator answers 429 (with
    Retry-After: 1) to 25 session creates. The retry policy must absorb every one of them: no failed host."""
    hosts = 30
    fresh_emulator.control('faults', {'method': 'POST', 'path': '^/v1/Services/KS[0-9a-f]{32}/Sessions$',
                                      'count': 25, 'status': 429, 'retry_after': 1}, method='POST')
    env = render_injectors(credential_type, token_inputs(fresh_emulator.url))
    runner = run_job(tmp_path, env, project_dir=str(MANY_HOSTS), playbook='playbook.yml',
                     inventory=str(MANY_HOSTS / 'inventory.ini'), forks=30,
                     limit=','.join('rider-%03d' % i for i in range(1, hosts + 1)))
    assert runner.status == 'successful', runner.stdout.read()[-3000:]
    assert events_of(runner, 'runner_on_failed') == []

    sessions = [(host, changed) for task, host, changed in twilio_task_results(runner) if task.startswith('This host')]
    assert sorted(sessions) == [('rider-%03d' % i, True) for i in range(1, hosts + 1)]
    creates = [r['status'] for r in fresh_emulator.requests()
               if r['method'] == 'POST' and r['path'].endswith('/Sessions')]
    assert creates.count(429) == 25 and creates.count(201) == hosts and len(creates) == hosts + 25
    assert fresh_emulator.control('faults')['faults'] == []
    assert secret_places(runner) == []


def test_the_secret_check_sees_a_leak(credential_type, fresh_emulator, tmp_path):
    """The check above can fail: a task that prints the injected token is caught in the events and stdout."""
    env = render_injectors(credential_type, token_inputs(fresh_emulator.url))
    runner = run_job(tmp_path, env, host_pattern='localhost', module='ansible.builtin.debug',
                     module_args="msg={{ lookup('ansible.builtin.env', 'TWILIO_AUTH_TOKEN') }}")
    assert runner.status == 'successful'
    places = secret_places(runner)
    assert 'stdout' in places and any(p.startswith('event ') for p in places)
    assert any(p.startswith('artifacts/') and '/job_events/' in p for p in places)


def test_the_measured_example_runs(tmp_path):
    """examples/many_hosts/run.py (the figures of docs/awx.md), on 3 hosts so that it stays quick."""
    done = subprocess.run([sys.executable, str(MANY_HOSTS / 'run.py'), '--hosts', '3', '--forks', '3'],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split(' | ') for line in done.stdout.splitlines() if line.startswith(('first |', 'second |'))]
    header = done.stdout.splitlines()[2].split(' | ')
    first, second = [dict(zip(header, row)) for row in rows]
    assert (first['hosts'], first['failed_hosts'], first['changed_tasks']) == ('3', '0', '5')
    assert (second['hosts'], second['failed_hosts'], second['changed_tasks'], second['writes']) == ('3', '0', '0', '0')
    assert done.stdout.rstrip().endswith('result: every task green, second run changed nothing')
