# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Whole-system tests: the installed collection, driven by real ``ansible-playbook`` processes, against the
bundled emulator started as a subprocess on a free port (one emulator per test, so tests can run in parallel).

Run from the repository root after installing the collection (``make system`` does both). Figures the tests
measure are printed at the end of the run under "system figures" (docs/reliability.md quotes them).
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, 'playbooks')
BIN = os.path.dirname(sys.executable)
ACCOUNT_SID = 'AC00000000000000000000000000000000'
API_KEY = 'SK00000000000000000000000000000000'
RECAP_RE = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)'
                      r'\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)', re.M)


def pn_sid(number):
    """The SID of an emulator inventory number (docs/emulator.md)."""
    return 'PN' + hashlib.sha256(number.encode()).hexdigest()[:32]


class Emulator:
    """A running ``twilio-proxy-emulator`` subprocess and its control API (``/_emulator/``)."""

    def __init__(self, workdir, *args, auth_token='emulatorauthtoken000000000000000',
                 api_secret='emulatorapisecret000000000000000', host='127.0.0.1'):
        self.auth_token = auth_token
        self.api_secret = api_secret
        self.log_path = os.path.join(str(workdir), 'emulator.log')
        self.stderr = open(self.log_path, 'w')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'twilio_proxy_emulator', '--host', host, '--port', '0',
             '--auth-token', auth_token, '--api-secret', api_secret] + list(args),
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith('http://'):
            self.stop()
            raise RuntimeError('the emulator did not start: %r, %s' % (line, open(self.log_path).read()))
        self.port = int(line.rsplit(':', 1)[1])
        self.url = 'http://127.0.0.1:%d' % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()

    def control(self, method, path, body=None):
        """A call to the control API: JSON in (``Content-Type: application/json``, which it requires), JSON out."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + '/_emulator/' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b'{}')

    def requests(self):
        return self.control('GET', 'requests')['requests']

    def fault(self, **spec):
        return self.control('POST', 'faults', spec)

    def settings(self, **values):
        return self.control('POST', 'settings', values)

    def records(self, path, key):
        """Every record of a /v1 list (all pages), read as a user would, with the account's credentials."""
        auth = base64.b64encode(('%s:%s' % (ACCOUNT_SID, self.auth_token)).encode()).decode()
        url, records = self.url + '/v1' + path + '?PageSize=100', []
        while url:
            request = urllib.request.Request(url, headers={'Authorization': 'Basic ' + auth})
            with urllib.request.urlopen(request, timeout=30) as response:
                page = json.loads(response.read())
            records.extend(page[key])
            url = page['meta']['next_page_url']
        return records


class Run:
    def __init__(self, proc, stdout, seconds):
        self.rc = proc.returncode
        self.stdout = stdout
        self.seconds = seconds
        self.recap = dict((m[0], dict(zip(('ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued',
                                           'ignored'), map(int, m[1:]))))
                          for m in RECAP_RE.findall(stdout))

    def __repr__(self):
        failures = [line[:3000] for line in self.stdout.splitlines() if line.startswith(('fatal:', 'failed:', '[ERROR]'))]
        return 'ansible-playbook exited %s; failures:\n%s\n--- output tail ---\n%s' % (
            self.rc, '\n'.join(failures), self.stdout[-3000:])


class Ansible:
    """Starts ``ansible-playbook`` processes with the installed collection and the emulator's address."""

    def __init__(self, emulator, workdir):
        self.emulator = emulator
        self.workdir = str(workdir)

    def env(self, credentials='auth_token', extra=None):
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith('TWILIO_'))
        env.update(ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_DEPRECATION_WARNINGS='0',
                   ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED='0',
                   TWILIO_PROXY_API_URL=self.emulator.url)
        if credentials == 'auth_token':
            env.update(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=self.emulator.auth_token)
        elif credentials == 'api_key':
            env.update(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=self.emulator.api_secret)
        env.update(extra or {})
        return env

    def command(self, playbook, extravars=None, inventory='localhost,', args=()):
        cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(PLAYBOOKS, playbook)]
        if extravars:
            cmd += ['-e', json.dumps(extravars)]
        return cmd + list(args)

    def start(self, playbook, extravars=None, credentials='auth_token', env=None, inventory='localhost,', args=()):
        proc = subprocess.Popen(self.command(playbook, extravars, inventory, args), cwd=self.workdir,
                                env=self.env(credentials, env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        proc.started = time.monotonic()
        return proc

    @staticmethod
    def wait(proc, timeout=600):
        try:
            stdout, dummy = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, dummy = proc.communicate()
            raise AssertionError('ansible-playbook ran longer than %d s:\n%s' % (timeout, stdout[-6000:]))
        return Run(proc, stdout, time.monotonic() - proc.started)

    def run(self, playbook, extravars=None, **kwargs):
        return self.wait(self.start(playbook, extravars, **kwargs))


@pytest.fixture(scope='session', autouse=True)
def installed_collection():
    paths = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')
    for path in paths.split(os.pathsep):
        if path and os.path.isfile(os.path.join(path, 'ansible_collections', 'community', 'twilio', 'MANIFEST.json')):
            return path
    pytest.fail('community.twilio is not installed in $ANSIBLE_COLLECTIONS_PATH (%r): run `make system` '
                '(the nox session installs it first)' % paths)


@pytest.fixture
def start_emulator(tmp_path):
    started = []

    def start(*args, **kwargs):
        emulator = Emulator(tmp_path, *args, **kwargs)
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(start_emulator):
    return start_emulator()


@pytest.fixture
def ansible(emulator, tmp_path):
    return Ansible(emulator, tmp_path)


@pytest.fixture
def figure(record_property):
    """figure(name, value): a measured figure, printed in the run's summary (with xdist too)."""
    def record(name, value):
        record_property('figure', (name, value))
    return record


def pytest_terminal_summary(terminalreporter):
    rows = []
    for report in terminalreporter.stats.get('passed', []):
        if report.when == 'call':
            rows.extend(value for key, value in report.user_properties if key == 'figure')
    if rows:
        terminalreporter.section('system figures')
        for name, value in sorted(rows):
            terminalreporter.write_line('%-72s %s' % (name, value))
