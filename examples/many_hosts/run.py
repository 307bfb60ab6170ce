# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Many hosts, one account: the measured example of docs/awx.md.

Starts the bundled Twilio Proxy emulator with Twilio-like rate limiting, runs examples/many_hosts/playbook.yml
over the 200 hosts of inventory.ini with 50 forks (every host creates its own session in one service), runs it a
second time (nothing may change), and prints how long each run took, how many requests were sent and how many
HTTP 429s the collection's retry policy absorbed (from the emulator's request log).

    python examples/many_hosts/run.py                  # 200 hosts, forks 50, 30 requests/s per endpoint
    python examples/many_hosts/run.py --rps 10         # a tighter limit: more 429s to absorb
    python examples/many_hosts/run.py --hosts 20 --forks 10

Needs ansible-playbook, the installed community.twilio collection and the twilio-proxy-emulator console script (or
its package) on this machine. Exit status 0 only when both runs had no failed host and the second changed nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from twilio_proxy_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, 'playbook.yml')
INVENTORY = os.path.join(HERE, 'inventory.ini')
INVENTORY_HOSTS = 200

RECAP_RE = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)


class Emulator:
    """The bundled emulator as a subprocess on a free loopback port, with its control API."""

    def __init__(self, *args):
        self.args = list(args)
        self.process = None
        self.url = None

    def __enter__(self):
        command = [sys.executable, '-m', 'twilio_proxy_emulator', '--host', '127.0.0.1', '--port', '0', '--quiet']
        self.process = subprocess.Popen(command + self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith('http://'):
            self.process.kill()
            raise RuntimeError('the emulator did not start: %s' % self.process.stderr.read())
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.communicate(timeout=10)

    def control(self, path, body=None, method=None):
        """A request to the emulator's /_emulator/ control API; returns the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + '/_emulator/' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b'{}')

    def requests(self, since=0):
        return self.control('requests?since=%d' % since)['requests']

    def credentials_env(self):
        """The TWILIO_* variables that point the modules at this emulator."""
        return {'TWILIO_PROXY_API_URL': self.url, 'TWILIO_ACCOUNT_SID': DEFAULT_ACCOUNT_SID,
                'TWILIO_AUTH_TOKEN': DEFAULT_AUTH_TOKEN}


def host_limit(hosts):
    """An --limit pattern for the first `hosts` hosts of inventory.ini (rider-001 ...)."""
    return ','.join('rider-%03d' % i for i in range(1, hosts + 1))


def ansible_playbook():
    """ansible-playbook beside this Python (a virtualenv that is not activated), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    return beside if os.access(beside, os.X_OK) else 'ansible-playbook'


def run_playbook(env, forks, hosts):
    command = [ansible_playbook(), '-i', INVENTORY, PLAYBOOK, '--forks', str(forks)]
    if hosts < INVENTORY_HOSTS:
        command += ['--limit', host_limit(hosts)]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    recap = {m.group(1): dict(ok=int(m.group(2)), changed=int(m.group(3)), unreachable=int(m.group(4)),
                              failed=int(m.group(5))) for m in RECAP_RE.finditer(done.stdout)}
    return done, elapsed, recap


def summarize(name, done, elapsed, recap, log):
    statuses = [r['status'] for r in log]
    row = dict(run=name, seconds=round(elapsed, 1), rc=done.returncode, hosts=len(recap),
               failed_hosts=sum(1 for r in recap.values() if r['failed'] or r['unreachable']),
               changed_tasks=sum(r['changed'] for r in recap.values()),
               requests=len(log), http_429=statuses.count(429),
               writes=sum(1 for r in log if r['method'] != 'GET' and r['status'] < 400))
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--hosts', type=int, default=INVENTORY_HOSTS, help='hosts of inventory.ini to use (max 200)')
    parser.add_argument('--forks', type=int, default=50)
    parser.add_argument('--rps', type=int, default=30, help="the emulator's rate limit per endpoint (Twilio's: 30)")
    parser.add_argument('--burst', type=int, default=5, help='burst factor of the rate limit (Twilio: 5)')
    parser.add_argument('--max-retries', type=int, help='TWILIO_MAX_RETRIES for the modules (default: theirs, 10)')
    args = parser.parse_args(argv)
    if not 1 <= args.hosts <= INVENTORY_HOSTS:
        parser.error('--hosts must be between 1 and %d' % INVENTORY_HOSTS)

    rows = []
    load_before = os.getloadavg()[0]
    with Emulator('--rate-limit') as emulator:
        emulator.control('settings', {'rate_limit': True, 'rate_limit_rps': args.rps,
                                      'rate_limit_burst': args.burst})
        env = {k: v for k, v in os.environ.items() if not k.startswith('TWILIO_')}
        env.update(emulator.credentials_env(), ANSIBLE_NOCOLOR='1')
        if args.max_retries is not None:
            env['TWILIO_MAX_RETRIES'] = str(args.max_retries)
        since = 0
        for name in ('first', 'second'):
            done, elapsed, recap = run_playbook(env, args.forks, args.hosts)
            log = emulator.requests(since)
            since = log[-1]['seq'] if log else since
            rows.append(summarize(name, done, elapsed, recap, log))
            if done.returncode:
                failures = [line for line in done.stdout.splitlines() if line.startswith('fatal:')]
                sys.stderr.write('\n'.join(failures[:3]) + '\n' + done.stderr[-2000:])

    print('many hosts, one account: %d hosts, forks %d, rate limit %d req/s per endpoint (bursts %dx), '
          'max_retries %s' % (args.hosts, args.forks, args.rps, args.burst,
                              'default' if args.max_retries is None else args.max_retries))
    print('controller: %d CPUs, load average %.1f before, %.1f after'
          % (os.cpu_count(), load_before, os.getloadavg()[0]))
    columns = ('run', 'seconds', 'rc', 'hosts', 'failed_hosts', 'changed_tasks', 'requests', 'http_429', 'writes')
    print(' | '.join(columns))
    for row in rows:
        print(' | '.join(str(row[c]) for c in columns))
    first, second = rows
    ok = (first['rc'] == 0 and second['rc'] == 0 and first['hosts'] == second['hosts'] == args.hosts
          and second['changed_tasks'] == 0 and second['writes'] == 0)
    print('result: %s' % ('every task green, second run changed nothing' if ok else 'FAILED'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
