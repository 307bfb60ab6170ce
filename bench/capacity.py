#!/usr/bin/env python
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The capacity benchmarks: what proxy_capacity_info, incoming_phone_number's count form and the grow_pool
playbook cost, in requests and time, against the bundled emulator.

    .venv/bin/python bench/capacity.py        (from a checkout; ansible-playbook and the emulator on PATH)

Uses EMULATOR_URL when set (scripts/bench.sh starts one), else starts the bundled emulator on a free loopback port
and stops it at the end. The collection is used from this checkout (a symlink in a temporary
ansible_collections folder). Seeds through the control API (seed, occupy), never by module runs. Prints one
table; figures are printed, never asserted. Knobs: CAPACITY_SIZES ("numbers:sessions,..."), CAPACITY_BUY.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCOUNT_SID = os.environ.get('EMULATOR_ACCOUNT_SID', 'AC00000000000000000000000000000000')
AUTH_TOKEN = os.environ.get('EMULATOR_AUTH_TOKEN', 'emulatorauthtoken000000000000000')
SIZES = [tuple(int(n) for n in size.split(':'))
         for size in os.environ.get('CAPACITY_SIZES', '50:1000,400:20000,500:50000').split(',')]
BUY = int(os.environ.get('CAPACITY_BUY', '50'))


def tool(name):
    """An Ansible command beside this Python (a venv's bin), else from PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else name


def control(url, name, body):
    request = urllib.request.Request('%s/_emulator/%s' % (url, name), data=json.dumps(body).encode(),
                                     headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def log_position(url):
    with urllib.request.urlopen('%s/_emulator/requests' % url, timeout=60) as response:
        entries = json.loads(response.read())['requests']
    return max([e['seq'] for e in entries] or [0])


def requests_since(url, mark):
    with urllib.request.urlopen('%s/_emulator/requests?since=%d' % (url, mark), timeout=60) as response:
        return json.loads(response.read())['requests']


def api(url, method, path, data=None):
    auth = base64.b64encode(('%s:%s' % (ACCOUNT_SID, AUTH_TOKEN)).encode()).decode()
    body = urllib.parse.urlencode(data).encode() if data else None
    request = urllib.request.Request(url + path, data=body, method=method, headers={'Authorization': 'Basic ' + auth})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b'{}')


class Runner:
    def __init__(self, url, collections):
        self.url = url
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, TWILIO_PROXY_API_URL=url,
                        TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, ANSIBLE_LOCALHOST_WARNING='false',
                        ANSIBLE_INVENTORY_UNPARSED_WARNING='false')

    def measure(self, argv):
        """(seconds, requests, writes, output) of one command."""
        mark = log_position(self.url)
        started = time.monotonic()
        done = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              check=False)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            sys.exit('%s failed:\n%s' % (' '.join(argv), done.stdout[-3000:]))
        logged = requests_since(self.url, mark)
        return seconds, len(logged), sum(1 for e in logged if e['method'] != 'GET'), done.stdout

    def module(self, name, args, check=False):
        argv = [tool('ansible'), 'localhost', '-m', 'community.twilio.' + name, '-a', json.dumps(args)]
        return self.measure(argv + (['--check'] if check else []))


def row(measure, value, requests, seconds):
    print('  %-62s %-22s %6s req %7.2f s' % (measure, value, requests, seconds), flush=True)


def bench(url, collections):
    runner = Runner(url, collections)
    print('capacity benchmarks against %s' % url)
    for numbers, sessions in SIZES:
        control(url, 'reset', {})
        name = 'cap-%d' % numbers
        api(url, 'POST', '/v1/Services', {'UniqueName': name})
        control(url, 'seed', {'service_unique_name': name, 'phone_numbers': numbers})
        control(url, 'occupy', {'service_unique_name': name, 'sessions': sessions})
        seconds, count, dummy, out = runner.module('proxy_capacity_info', {'service_sid': name})
        verdict = json.loads(out[out.index('{'):])['services'][0]['verdict']
        row('proxy_capacity_info, %d numbers, %d open sessions' % (numbers, sessions), verdict, count, seconds)
    control(url, 'reset', {})
    for check in (True, False, False):
        seconds, count, writes, dummy = runner.module('incoming_phone_number', {
            'count': BUY, 'friendly_name': 'bench', 'area_code': '646'}, check=check)
        row('incoming_phone_number count=%d%s' % (BUY, ' (check mode)' if check else ''), '%d writes' % writes, count,
            seconds)
    control(url, 'reset', {})
    service = api(url, 'POST', '/v1/Services', {'UniqueName': 'grow'})
    control(url, 'seed', {'service_unique_name': 'grow', 'phone_numbers': 2})
    control(url, 'occupy', {'service_unique_name': 'grow', 'sessions': 2, 'identifier': '+14155550123'})
    playbook = [tool('ansible-playbook'), 'community.twilio.grow_pool', '-e', 'service=%s' % service['sid'],
                '-e', 'sessions_per_participant=20']
    for extra, what in ((['--check'], 'check mode'), ([], 'real'), ([], 're-run')):
        seconds, count, writes, dummy = runner.measure(playbook + extra)
        row('grow_pool 2 -> 25 numbers (%s)' % what, '%d writes' % writes, count, seconds)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        collections = os.path.join(tmp, 'collections')
        os.makedirs(os.path.join(collections, 'ansible_collections', 'community'))
        os.symlink(ROOT, os.path.join(collections, 'ansible_collections', 'community', 'twilio'))
        url = os.environ.get('EMULATOR_URL')
        if url:
            bench(url.rstrip('/'), collections)
            return
        emulator = subprocess.Popen([sys.executable, '-m', 'twilio_proxy_emulator', '--host', '127.0.0.1', '--port',
                                     '0', '--quiet'], stdout=subprocess.PIPE, text=True)
        try:
            bench(emulator.stdout.readline().strip(), collections)
        finally:
            emulator.terminate()
            emulator.wait(timeout=30)


if __name__ == '__main__':
    main()
