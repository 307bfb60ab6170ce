# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials and transport as a user meets them (issue 15): ``ansible`` ad-hoc runs of the installed collection
against the emulator, or against hostile servers on loopback that this test starts.

Each test passes only when what the user sees (the run's result, its message) and what the servers received agree
with the connection doc fragment. Figures (requests a hostile server got, how long a run was held) are printed in
the "system figures" summary; the only time bounds asserted are generous bounds on how long a hostile server can
hold a run.
"""

import json
import os
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ACCOUNT_SID, API_KEY, BIN

MODULE = 'community.twilio.proxy_service_info'


class Hostile:
    """A loopback HTTP server answering every request with ``answer(handler)`` -> (status, body, headers)."""

    def __init__(self, answer):
        self.seen = []
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                if length:
                    self.rfile.read(length)
                hostile.seen.append(dict(path=self.path, auth=self.headers.get('Authorization')))
                status, body, headers = answer(self)
                text = json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            do_GET = do_POST = do_DELETE = _answer

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hostile():
    started = []

    def start(answer):
        server = Hostile(answer)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def services_page(records, next_url):
    return {'services': records, 'meta': {'key': 'services', 'next_page_url': next_url, 'page_size': 100}}


def adhoc(ansible, module_args, env=None, credentials='auth_token', timeout=300):
    """``ansible localhost -m proxy_service_info -a JSON``: (rc, output, seconds)."""
    cmd = [os.path.join(BIN, 'ansible'), 'localhost', '-m', MODULE] + (['-a', json.dumps(module_args)] if module_args
                                                                       else [])
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ansible.workdir, env=ansible.env(credentials, env), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    return proc.returncode, proc.stdout, time.monotonic() - started


def token_args(ansible, **extra):
    args = dict(account_sid=ACCOUNT_SID, auth_token=ansible.emulator.auth_token)
    args.update(extra)
    return args


def test_a_next_page_on_another_host_gets_nothing_and_the_task_names_it(ansible, hostile, figure):
    attacker = hostile(lambda h: (200, services_page([{'sid': 'KS' + 'f' * 32}], None), {}))
    api = hostile(lambda h: (200, services_page([], attacker.url + '/steal?PageSize=100'), {}))
    rc, out, dummy = adhoc(ansible, token_args(ansible, api_url=api.url))
    assert rc != 0, out
    assert '127.0.0.1:%d' % attacker.port in out and 'refused' in out
    assert attacker.seen == [] and len(api.seen) == 1
    figure('transport: requests a next page on another host received', len(attacker.seen))


def test_a_page_pointing_at_itself_ends_at_once(ansible, hostile, figure):
    api = hostile(lambda h: (200, services_page([], 'https://proxy.twilio.com' + h.path), {}))
    rc, out, seconds = adhoc(ansible, token_args(ansible, api_url=api.url))
    assert rc != 0 and 'already read' in out, out
    assert len(api.seen) == 1
    figure('transport: requests a self-pointing list page received', len(api.seen))
    figure('transport: self-pointing list page, run wall time (s)', round(seconds, 1))


def test_the_task_auth_token_wins_over_an_api_key_in_the_environment(ansible):
    # A key of "another account" left in the environment: before, it silently replaced the task's token (401).
    env = dict(TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET='another-accounts-secret-0000000')
    rc, out, dummy = adhoc(ansible, token_args(ansible), env=env, credentials=None)
    assert rc == 0, out
    assert 'the credentials given in the task are used; TWILIO_API_KEY, TWILIO_API_SECRET in the environment are ' \
        'ignored' in out
    assert 'another-accounts-secret' not in out
    assert ansible.emulator.requests()  # it really went out


def test_with_a_token_and_a_key_in_the_environment_the_key_is_used_and_the_run_says_so(ansible):
    env = dict(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN='a-token-that-is-not-used-000000',
               TWILIO_API_KEY=API_KEY, TWILIO_API_SECRET=ansible.emulator.api_secret)
    rc, out, dummy = adhoc(ansible, {}, env=env, credentials=None)
    assert rc == 0, out
    assert 'both an auth token and an API key are set in the environment: the API key api_key (from ' \
        'TWILIO_API_KEY) is used' in out


def test_api_url_wins_over_region_and_edge_and_the_run_says_so(ansible):
    rc, out, dummy = adhoc(ansible, token_args(ansible, region='ie1', edge='dublin'))
    assert rc == 0, out
    assert 'api_url is set, so region and edge are not used' in out


def test_a_name_that_begins_with_127_is_not_loopback(ansible):
    rc, out, dummy = adhoc(ansible, token_args(ansible, api_url='http://127.0.0.1.nip.io:%d' % ansible.emulator.port))
    assert rc != 0 and 'api_url' in out, out
    assert ansible.emulator.requests() == []


def test_the_emulator_is_never_reached_through_a_proxy(ansible, hostile):
    catcher = hostile(lambda h: (200, services_page([], None), {}))
    env = dict(HTTP_PROXY=catcher.url, http_proxy=catcher.url, HTTPS_PROXY=catcher.url, https_proxy=catcher.url,
               NO_PROXY='', no_proxy='')
    rc, out, dummy = adhoc(ansible, token_args(ansible), env=env)
    assert rc == 0, out
    assert catcher.seen == [] and ansible.emulator.requests()


def test_a_mistyped_port_fails_at_once_naming_host_and_port(ansible, figure):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    rc, out, seconds = adhoc(ansible, token_args(ansible, api_url='http://127.0.0.1:%d' % port))
    assert rc != 0 and '127.0.0.1:%d' % port in out and 'connection refused' in out, out
    assert 'before that' not in out  # not retried
    figure('transport: closed api_url port, run wall time to the error (s)', round(seconds, 1))


@pytest.mark.parametrize('option, variable', [('timeout', 'TWILIO_TIMEOUT'), ('max_retry_time', 'TWILIO_MAX_RETRY_TIME')])
@pytest.mark.parametrize('value', ['nan', 'inf'])
def test_timeouts_that_are_not_finite_fail_before_any_request(ansible, option, variable, value):
    rc, out, dummy = adhoc(ansible, token_args(ansible), env={variable: value})
    assert rc != 0 and option in out, out
    assert ansible.emulator.requests() == []


BODY = json.dumps(services_page([], None)).encode()
TRICKLED = {
    # every byte of the status line and headers one second apart: each socket read still arrives within timeout
    'headers': (b'', b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n'
                % len(BODY) + BODY),
    # the headers at once, then the body one byte a second
    'body': (b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(BODY),
             BODY),
}


@pytest.fixture(params=sorted(TRICKLED))
def trickler(request):
    """Reads a request, sends what comes at once, then trickles the rest one byte a second."""
    at_once, trickled = TRICKLED[request.param]
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    state = dict(stop=False, connections=0, what=request.param,
                 url='http://127.0.0.1:%d' % listener.getsockname()[1])

    def serve():
        while not state['stop']:
            try:
                conn, dummy = listener.accept()
            except OSError:
                return
            state['connections'] += 1
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    def trickle(conn):
        try:
            conn.recv(65536)
            conn.sendall(at_once)
            for index in range(len(trickled)):
                if state['stop']:
                    return
                conn.sendall(trickled[index:index + 1])
                time.sleep(1)
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield state
    state['stop'] = True
    listener.close()


def test_timeout_bounds_a_trickled_answer(ansible, trickler, figure):
    """A server trickling its headers, or its body, one byte a second: each read arrives within ``timeout``, yet
    the task ends within ``timeout`` plus start-up (unbounded, the trickle holds it for 86 s or 157 s)."""
    rc, out, seconds = adhoc(ansible, token_args(ansible, api_url=trickler['url'], timeout=3, max_retries=0))
    assert rc != 0 and 'timed out' in out and 'no complete answer within timeout (3 s)' in out, out
    assert trickler['connections'] == 1
    # A correctness bound, generous for a loaded machine: start-up plus 3 s.
    assert seconds < 40
    figure('transport: %s trickled 1 byte/s, timeout=3, run wall time (s)' % trickler['what'], round(seconds, 1))


def test_a_retry_after_longer_than_max_retry_time_fails_at_once_saying_so(ansible, hostile):
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    api = hostile(lambda h: (429, busy, {'Retry-After': '120'}))
    rc, out, dummy = adhoc(ansible, token_args(ansible, api_url=api.url))
    assert rc != 0 and 'Retry-After' in out and 'max_retry_time' in out, out
    assert len(api.seen) == 1
