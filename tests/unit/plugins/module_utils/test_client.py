# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client over real HTTP: a scripted server on loopback answers, the real SDK and transport talk to it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.community.twilio.plugins.module_utils import _client
from ansible_collections.community.twilio.plugins.module_utils._client import (
    COLLECTION_VERSION, RoutingHttpClient, TwilioClient, normalize_exception)
from ansible_collections.community.twilio.plugins.module_utils._connection import (
    connection_argument_spec, validate_connection)
from ansible_collections.community.twilio.plugins.module_utils._errors import ConfigError, TwilioApiError

twilio_exceptions = pytest.importorskip('twilio.base.exceptions')
twilio_response = pytest.importorskip('twilio.http.response')

TOKEN = 'unit-test-token-0123456789abcdef'
ACCOUNT = 'AC' + 'a' * 32


class Script:
    """What the server answers, in order, and what it was asked."""

    def __init__(self):
        self.answers = []
        self.seen = []

    def then(self, status, body=None, headers=None, delay=0, drop=False):
        self.answers.append((status, body, headers or {}, delay, drop))
        return self


def start_script_server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def _answer(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length).decode() if length else ''
            script.seen.append(dict(method=self.command, path=self.path, body=body, host=self.headers.get('Host'),
                                    auth=self.headers.get('Authorization'), agent=self.headers.get('User-Agent')))
            status, payload, headers, delay, drop = script.answers.pop(0) if script.answers else (500, None, {}, 0, 0)
            if delay:
                time.sleep(delay)
            if drop:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            text = json.dumps(payload).replace('{base}', base) if payload is not None else ''
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(text)))
            self.end_headers()
            self.wfile.write(text.encode())

        do_GET = do_POST = do_DELETE = _answer

    httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    httpd.daemon_threads = True
    base = 'http://127.0.0.1:%d' % httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever)
    thread.daemon = True
    thread.start()
    script.base = base
    script.port = httpd.server_address[1]
    script.httpd = httpd
    return script


def stop_script_server(script):
    script.httpd.shutdown()
    script.httpd.server_close()


@pytest.fixture
def server():
    script = start_script_server()
    yield script
    stop_script_server(script)


@pytest.fixture
def other_server():
    """A second loopback server: another host, as far as the client is concerned (another port)."""
    script = start_script_server()
    yield script
    stop_script_server(script)


def make_client(script, **options):
    params = dict(account_sid=ACCOUNT, auth_token=TOKEN, api_key=None, api_secret=None, region=None, edge=None,
                  api_url=script.base, timeout=2.0, validate_certs=True, max_retries=3, max_retry_time=30.0)
    params.update(options)
    sleeps = []
    http = RoutingHttpClient(script.base, timeout=params['timeout'], max_retries=params['max_retries'],
                             max_retry_time=params['max_retry_time'], sleep=sleeps.append)
    client = TwilioClient(params, http_client=http)
    client.sleeps = sleeps
    return client


def page(key, records, next_url=None):
    return {key: records, 'meta': {'key': key, 'next_page_url': next_url, 'page_size': len(records)}}


def test_requests_go_to_api_url_with_basic_auth_and_our_user_agent(server):
    server.then(200, {'sid': 'KS1'})
    client = make_client(server)
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    seen = server.seen[0]
    assert seen['method'] == 'GET' and seen['path'] == '/v1/Services/KS1'
    assert seen['auth'] == 'Basic ' + base64.b64encode(('%s:%s' % (ACCOUNT, TOKEN)).encode()).decode()
    assert 'community.twilio/%s' % COLLECTION_VERSION in seen['agent']


def test_list_follows_absolute_next_page_urls_on_twilio_hosts_to_the_end(server):
    server.then(200, page('services', [{'sid': 'KS1'}, {'sid': 'KS2'}],
                          'https://proxy.twilio.com/v1/Services?PageSize=2&Page=1&PageToken=PT1'))
    server.then(200, page('services', [{'sid': 'KS3'}, {'sid': 'KS4'}],
                          'https://proxy.twilio.com/v1/Services?PageSize=2&Page=2&PageToken=PT2'))
    server.then(200, page('services', [{'sid': 'KS5'}]))
    client = make_client(server)
    assert [r['sid'] for r in client.list('/Services', 'services')] == ['KS1', 'KS2', 'KS3', 'KS4', 'KS5']
    assert [s['path'] for s in server.seen] == ['/v1/Services?PageSize=100',
                                                '/v1/Services?PageSize=2&Page=1&PageToken=PT1',
                                                '/v1/Services?PageSize=2&Page=2&PageToken=PT2']


def test_fetch_of_a_missing_record_is_none_and_delete_of_one_is_false(server):
    body = {'code': 20404, 'message': 'not found', 'more_info': 'https://www.twilio.com/docs/errors/20404',
            'status': 404}
    server.then(404, body).then(404, body)
    client = make_client(server)
    assert client.fetch('/Services/KS9') is None
    assert client.delete('/Services/KS9') is False


def test_twilio_rest_exception_is_normalised(server):
    server.then(400, {'code': 80602, 'message': 'Service UniqueName must be unique.',
                      'more_info': 'https://www.twilio.com/docs/errors/80602', 'status': 400})
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'x'})
    error = info.value
    assert (error.status, error.code, error.method, error.path) == (400, 80602, 'POST', '/v1/Services')
    assert error.message == 'Service UniqueName must be unique.'
    assert str(error) == 'Twilio error 80602 (HTTP 400) on POST /v1/Services: Service UniqueName must be unique.'
    assert error.outcome_unknown is False
    assert TOKEN not in str(error) and TOKEN not in json.dumps(error.as_dict())


def test_twilio_service_exception_rfc9457_is_normalised(server):
    server.then(422, {'type': 'https://www.twilio.com/docs/errors/80701', 'title': 'Parameter Validation Failed',
                      'status': 422, 'code': 80701, 'detail': "'Ttl' is invalid."})
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        client.update('/Services/KS1/Sessions/KC1', {'Ttl': '-1'})
    error = info.value
    assert (error.status, error.code, error.message) == (422, 80701, "'Ttl' is invalid.")
    assert error.more_info == 'https://www.twilio.com/docs/errors/80701'


def test_bare_twilio_exception_of_a_failing_page_is_normalised():
    response = twilio_response.Response(403, json.dumps({'code': 20403, 'message': 'Forbidden', 'status': 403}))
    error = normalize_exception(twilio_exceptions.TwilioException('Unable to fetch page', response), 'GET',
                                '/v1/Services')
    assert (error.status, error.code, error.message, error.method) == (403, 20403, 'Forbidden', 'GET')


def test_a_failing_later_page_fails_the_list(server):
    server.then(200, page('sessions', [{'sid': 'KC1'}], 'https://proxy.twilio.com/v1/Services/KS1/Sessions?Page=1'))
    server.then(401, {'code': 20003, 'message': 'Authenticate', 'status': 401})
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        list(client.list('/Services/KS1/Sessions', 'sessions'))
    assert info.value.code == 20003 and info.value.status == 401


def test_429_is_retried_honouring_retry_after(server):
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    server.then(429, busy, {'Retry-After': '2'}).then(429, busy, {'Retry-After': '1'}).then(201, {'sid': 'KS1'})
    client = make_client(server)
    assert client.create('/Services', {'UniqueName': 'x'}) == {'sid': 'KS1'}
    assert len(server.seen) == 3
    assert client.sleeps[0] >= 2 and client.sleeps[1] >= 1
    assert all(s <= 20 for s in client.sleeps)


def test_503_post_is_retried_but_500_post_is_not_and_is_an_unknown_outcome(server):
    server.then(503, {'code': 20503, 'message': 'unavailable', 'status': 503}).then(201, {'sid': 'KS1'})
    client = make_client(server)
    assert client.create('/Services', {'UniqueName': 'x'}) == {'sid': 'KS1'}
    server.then(500, {'code': 20500, 'message': 'Internal Server Error', 'status': 500})
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'y'})
    assert info.value.outcome_unknown is True and info.value.status == 500
    assert len(server.seen) == 3


def test_get_gives_up_after_max_retries_and_says_what_was_tried(server):
    for dummy in range(4):
        server.then(502, {'code': 20502, 'message': 'Bad Gateway', 'status': 502})
    client = make_client(server, max_retries=3)
    with pytest.raises(TwilioApiError) as info:
        client.fetch('/Services/KS1')
    assert len(server.seen) == 4
    assert info.value.attempts == 4
    assert 'after 4 attempts' in str(info.value)
    assert str(info.value).endswith('Bad Gateway; before that: HTTP 502, HTTP 502, HTTP 502 (after 4 attempts)')


def test_retry_time_is_bounded(server):
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    server.then(429, busy, {'Retry-After': '10'}).then(429, busy, {'Retry-After': '10'})
    client = make_client(server, max_retry_time=5.0)
    with pytest.raises(TwilioApiError) as info:
        client.fetch('/Services/KS1')
    assert len(server.seen) == 1 and info.value.status == 429


def test_dropped_connection_after_a_post_is_not_repeated(server):
    server.then(200, None, drop=True)
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'x'})
    assert info.value.outcome_unknown is True and info.value.status is None
    assert len(server.seen) == 1


def test_timeout_on_get_is_retried(server):
    server.then(200, {'sid': 'KS1'}, delay=0.6).then(200, {'sid': 'KS1'})
    client = make_client(server, timeout=0.3)
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    assert len(server.seen) == 2


def closed_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_a_refused_connection_fails_at_once_naming_host_and_port():
    port = closed_port()
    base = 'http://127.0.0.1:%d' % port
    sleeps = []
    http = RoutingHttpClient(base, timeout=1, max_retries=5, sleep=sleeps.append)
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=base), http_client=http)
    for call in (lambda: client.create('/Services', {'UniqueName': 'x'}), lambda: client.fetch('/Services/KS1')):
        with pytest.raises(TwilioApiError) as info:
            call()
        assert sleeps == [] and info.value.attempts == 1 and info.value.outcome_unknown is False
        assert '127.0.0.1:%d' % port in str(info.value) and 'connection refused' in str(info.value)
    assert http.requests_sent == 2


def test_read_only_client_refuses_writes_before_sending(server):
    client = make_client(server)
    client.read_only = True
    for call in (lambda: client.create('/Services', {}), lambda: client.update('/Services/KS1', {}),
                 lambda: client.delete('/Services/KS1')):
        with pytest.raises(RuntimeError):
            call()
    assert server.seen == []


@pytest.mark.parametrize('options, option', [
    (dict(api_url='http://10.1.2.3:8080'), 'api_url'),
    (dict(api_url='ftp://proxy.twilio.com'), 'api_url'),
    (dict(api_url='https://proxy.twilio.com/v1'), 'api_url'),
    (dict(account_sid=None), 'account_sid'),
    (dict(auth_token='has space'), 'auth_token'),
    (dict(region='EU 1'), 'region'),
    (dict(api_key='SK' + '1' * 32, api_secret=None), 'api_secret'),
])
def test_connection_validation_names_the_option(options, option):
    params = dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url='https://proxy.twilio.com')
    params.update(options)
    with pytest.raises(ConfigError) as info:
        validate_connection(params)
    assert info.value.option == option
    assert TOKEN not in str(info.value)


def test_the_errors_and_the_connection_options_load_no_transport():
    # leaf files: checking options or raising an error must not import requests, urllib3 or the twilio SDK
    code = ('import sys\n'
            'from ansible_collections.community.twilio.plugins.module_utils import _connection, _errors\n'
            'print(sorted(set(m.split(".")[0] for m in sys.modules) & {"requests", "urllib3", "twilio"}))')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.check_output([sys.executable, '-c', code], env=env, universal_newlines=True)
    assert out.strip() == '[]'


def test_loopback_http_and_api_keys_are_accepted():
    params = dict(api_key='SK' + '1' * 32, api_secret='s3cret', api_url='http://localhost:8080/')
    assert validate_connection(params) == ('SK' + '1' * 32, 's3cret', 'http://localhost:8080')
    assert validate_connection(dict(account_sid=ACCOUNT, auth_token=TOKEN))[2] == 'https://proxy.twilio.com'


def test_validate_certs_false_reaches_the_session():
    http = RoutingHttpClient('https://proxy.twilio.com', timeout=1, validate_certs=False)
    assert http.session.verify is False
    assert RoutingHttpClient('https://proxy.twilio.com', timeout=1).session.verify is True


def test_a_ca_bundle_variable_does_not_override_validate_certs_false(monkeypatch, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    monkeypatch.setenv('CURL_CA_BUNDLE', str(bundle))
    url = 'https://proxy.twilio.com/v1/Services'
    off = RoutingHttpClient('https://proxy.twilio.com', timeout=1, validate_certs=False).session
    assert off.merge_environment_settings(url, {}, None, None, None)['verify'] is False
    on = RoutingHttpClient('https://proxy.twilio.com', timeout=1).session
    assert on.merge_environment_settings(url, {}, None, None, None)['verify'] == str(bundle)  # still honoured


# -- issue 15: credentials and transport ------------------------------------------------------------------------


def test_a_next_page_on_another_host_is_refused_and_gets_no_credentials(server, other_server):
    server.then(200, page('services', [{'sid': 'KS1'}], other_server.base + '/v1/Services?Page=1&steal=1'))
    other_server.then(200, page('services', [{'sid': 'KSstolen'}]))
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        list(client.list('/Services', 'services'))
    assert other_server.seen == []  # not one request, so never an Authorization header
    assert '127.0.0.1:%d' % other_server.port in str(info.value) and 'refused' in str(info.value)
    assert len(server.seen) == 1


@pytest.mark.parametrize('next_url', ['http://attacker.example/v1/Services?Page=1',
                                      'https://proxy.twilio.com.attacker.example/v1/Services?Page=1',
                                      'ftp://proxy.twilio.com/v1/Services?Page=1',
                                      'https://proxy.twilio.com/steal?Page=1'])
def test_a_next_page_anywhere_but_the_api_is_refused_before_any_request(server, next_url):
    server.then(200, page('services', [{'sid': 'KS1'}], next_url))
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        list(client.list('/Services', 'services'))
    assert len(server.seen) == 1 and 'refused' in str(info.value)


def test_a_next_page_on_the_api_host_itself_and_relative_ones_are_followed(server):
    server.then(200, page('services', [{'sid': 'KS1'}], server.base + '/v1/Services?Page=1'))
    server.then(200, page('services', [{'sid': 'KS2'}], '/v1/Services?Page=2'))
    server.then(200, page('services', [{'sid': 'KS3'}]))
    client = make_client(server)
    assert [r['sid'] for r in client.list('/Services', 'services')] == ['KS1', 'KS2', 'KS3']


def test_a_page_pointing_at_itself_ends_at_once_with_a_clear_error(server):
    for dummy in range(50):
        server.then(200, page('services', [{'sid': 'KS1'}], server.base + '/v1/Services?PageSize=100'))
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        list(client.list('/Services', 'services'))
    assert len(server.seen) == 1
    assert 'already read' in str(info.value)


def test_pages_that_loop_over_several_urls_end_when_one_repeats(server):
    for number in (1, 2, 1, 2, 1, 2):
        server.then(200, page('services', [{'sid': 'KS%d' % number}], '/v1/Services?Page=%d' % number))
    client = make_client(server)
    with pytest.raises(TwilioApiError):
        list(client.list('/Services', 'services'))
    assert len(server.seen) == 3


def test_a_list_read_is_bounded_in_pages(server, monkeypatch):
    monkeypatch.setattr(_client, 'MAX_PAGES', 5)
    for number in range(1, 20):
        server.then(200, page('services', [{'sid': 'KS%d' % number}], '/v1/Services?Page=%d' % number))
    client = make_client(server)
    with pytest.raises(TwilioApiError) as info:
        list(client.list('/Services', 'services'))
    assert len(server.seen) == 5 and 'more than 5 pages' in str(info.value)


def test_requests_to_a_host_other_than_the_api_are_refused_by_the_transport(server, other_server):
    http = RoutingHttpClient(server.base, timeout=1)
    with pytest.raises(TwilioApiError):
        http.request('GET', other_server.base + '/v1/Services', auth=(ACCOUNT, TOKEN))
    assert other_server.seen == []


@pytest.mark.parametrize('api_url', ['http://127.0.0.1.nip.io', 'http://127.0.0.1.nip.io:8080',
                                     'http://127.evil.example', 'http://localhost.evil.example',
                                     'http://0x7f.1', 'http://[::2]:8080', 'http://10.0.0.1'])
def test_plain_http_is_refused_unless_the_address_is_loopback(api_url):
    with pytest.raises(ConfigError) as info:
        validate_connection(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=api_url))
    assert info.value.option == 'api_url'


@pytest.mark.parametrize('api_url', ['http://127.0.0.1:8080', 'http://127.1.2.3', 'http://localhost:1',
                                     'http://[::1]:8080', 'http://LOCALHOST'])
def test_plain_http_to_a_loopback_address_is_accepted(api_url):
    assert validate_connection(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=api_url))[2] == api_url


KEY = 'SK' + 'b' * 32


def module_params(task, monkeypatch, env=None):
    """The parameters a module gets for these task options, with these TWILIO_* variables (as AnsibleModule)."""
    for name in ('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_REGION',
                 'TWILIO_EDGE', 'TWILIO_PROXY_API_URL'):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(connection_argument_spec()).validate(dict(task))
    assert result.error_messages == [], result.error_messages
    return result.validated_parameters


def basic(username, password):
    return 'Basic ' + base64.b64encode(('%s:%s' % (username, password)).encode()).decode()


def test_the_task_auth_token_wins_over_an_api_key_in_the_environment(server, monkeypatch):
    params = module_params(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=server.base), monkeypatch,
                           dict(TWILIO_API_KEY=KEY, TWILIO_API_SECRET='other-account-secret'))
    server.then(200, {'sid': 'KS1'})
    client = TwilioClient(params)
    client.fetch('/Services/KS1')
    assert server.seen[0]['auth'] == basic(ACCOUNT, TOKEN)
    assert client.credential_source == 'task' and client.credential_kind == 'auth_token'
    assert any('TWILIO_API_KEY' in note and 'ignored' in note for note in client.notes)
    assert all('other-account-secret' not in note for note in client.notes)


def test_a_task_api_key_wins_over_an_auth_token_in_the_environment(monkeypatch):
    params = module_params(dict(api_key=KEY, api_secret='task-secret'), monkeypatch,
                           dict(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN='env-token'))
    assert validate_connection(params)[:2] == (KEY, 'task-secret')


def test_the_task_is_never_completed_with_the_other_kind_of_environment_credential(monkeypatch):
    # a task API key without its secret does not quietly fall back to the environment's auth token
    params = module_params(dict(api_key=KEY), monkeypatch,
                           dict(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN='env-token'))
    with pytest.raises(ConfigError) as info:
        validate_connection(params)
    assert info.value.option == 'api_secret'


def test_environment_credentials_are_used_when_the_task_gives_none(monkeypatch):
    params = module_params(dict(), monkeypatch, dict(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN=TOKEN))
    assert validate_connection(params)[:2] == (ACCOUNT, TOKEN)
    assert params['auth_token'] is None  # the environment's secret never passes through the module's parameters
    # the task's account_sid with the environment's token is one account's pair
    params = module_params(dict(account_sid=ACCOUNT), monkeypatch, dict(TWILIO_AUTH_TOKEN=TOKEN))
    assert validate_connection(params)[:2] == (ACCOUNT, TOKEN)
    # the account SID is an identifier: the environment's serves a task's token, as the option serves the
    # environment's token
    params = module_params(dict(auth_token=TOKEN), monkeypatch, dict(TWILIO_ACCOUNT_SID=ACCOUNT))
    assert validate_connection(params)[:2] == (ACCOUNT, TOKEN)


@pytest.mark.parametrize('task, env, where', [
    (dict(account_sid=ACCOUNT, auth_token=TOKEN, api_key=KEY, api_secret='s3cret'), {}, 'in the task'),
    ({}, dict(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_API_KEY=KEY, TWILIO_API_SECRET='s3cret'),
     'in the environment'),
])
def test_with_both_a_token_and_a_key_the_key_is_used_and_a_note_says_so(task, env, where, monkeypatch):
    params = module_params(dict(task, api_url='http://127.0.0.1:1'), monkeypatch, env)
    client = TwilioClient(params)
    assert client.credential_kind == 'api_key' and validate_connection(params)[:2] == (KEY, 's3cret')
    assert [n for n in client.notes if 'API key' in n and 'is used' in n and where in n]
    assert all(TOKEN not in n and 's3cret' not in n for n in client.notes)
    assert client.no_log_values == [TOKEN, 's3cret']


def test_malformed_environment_credentials_name_the_option_and_the_variable(monkeypatch):
    params = module_params(dict(), monkeypatch, dict(TWILIO_ACCOUNT_SID='ACnope', TWILIO_AUTH_TOKEN=TOKEN))
    with pytest.raises(ConfigError) as info:
        validate_connection(params)
    assert info.value.option == 'account_sid' and 'TWILIO_ACCOUNT_SID' in str(info.value)


@pytest.mark.parametrize('region, edge, host', [
    ('ie1', 'dublin', 'proxy.dublin.ie1.twilio.com'),
    ('au1', None, 'proxy.au1.twilio.com'),
    (None, 'sydney', 'proxy.sydney.us1.twilio.com'),  # the SDK's rule: an edge alone means us1
    (None, None, 'proxy.twilio.com'),
])
def test_region_and_edge_choose_the_twilio_host_as_the_sdk_does(region, edge, host):
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, region=region, edge=edge))
    assert client.base_url == 'https://' + host
    assert client.http.route('https://proxy.twilio.com/v1/Services?PageSize=1') == \
        'https://%s/v1/Services?PageSize=1' % host
    request = client.sdk.proxy.v1.services.list  # the SDK does not rewrite the host a second time
    assert callable(request) and client.sdk.region is None and client.sdk.edge is None
    assert client.notes == []


def test_other_twilio_apis_keep_the_region_and_edge():
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, region='ie1', edge='dublin'))
    url = 'https://api.twilio.com/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json' % ACCOUNT
    assert client.http.route(url) == url.replace('api.twilio.com', 'api.dublin.ie1.twilio.com')
    assert client.http.route('https://api.dublin.ie1.twilio.com/x') == 'https://api.dublin.ie1.twilio.com/x'


def test_api_url_wins_over_region_and_edge_and_a_note_says_so(server):
    server.then(200, {'sid': 'KS1'})
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, region='ie1', edge='dublin',
                               api_url=server.base))
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    assert server.seen[0]['host'] == '127.0.0.1:%d' % server.port
    assert client.notes == ['api_url is set, so region and edge are not used: requests go to api_url']


def test_plain_http_to_loopback_never_goes_through_a_proxy(server, other_server, monkeypatch):
    for name in ('NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)
    for name in ('HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'):
        monkeypatch.setenv(name, other_server.base)  # a proxy that would see the credentials in clear
    server.then(200, {'sid': 'KS1'})
    other_server.then(200, {'sid': 'KS1'})
    client = make_client(server)
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    assert other_server.seen == [] and len(server.seen) == 1
    # Twilio itself still goes through the proxy the user set, as users expect
    settings = client.http.session.merge_environment_settings('https://proxy.twilio.com/v1/Services', {}, None,
                                                              None, None)
    assert settings['proxies'].get('https') == other_server.base


@pytest.mark.parametrize('option', ['timeout', 'max_retry_time'])
@pytest.mark.parametrize('value', [float('nan'), float('inf'), float('-inf'), 0.0, -1.0])
def test_timeouts_that_are_not_finite_positive_numbers_are_refused(option, value):
    with pytest.raises(ConfigError) as info:
        validate_connection({'account_sid': ACCOUNT, 'auth_token': TOKEN, option: value})
    assert info.value.option == option


@pytest.mark.parametrize('option, value', [('account_sid', ACCOUNT + '\n'), ('api_key', KEY + '\n'),
                                           ('auth_token', TOKEN + '\n'), ('region', 'ie1\n'), ('edge', 'dublin\n')])
def test_a_trailing_newline_never_passes_a_pattern(option, value):
    params = dict(account_sid=ACCOUNT, auth_token=TOKEN, api_key=KEY, api_secret='s3cret')
    params[option] = value
    with pytest.raises(ConfigError) as info:
        validate_connection(params)
    assert info.value.option == option


@pytest.fixture
def trickler():
    """A hostile server: reads the request, then answers one byte every 0.8 s (each read arrives in time)."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    state = dict(stop=False, connections=0)
    answer = (b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n'
              b'{"sid": "KS1"} ')

    def serve():
        while not state['stop']:
            try:
                conn, dummy = listener.accept()
            except OSError:
                return
            state['connections'] += 1
            try:
                conn.recv(65536)
                for index in range(len(answer)):
                    if state['stop']:
                        break
                    conn.sendall(answer[index:index + 1])
                    time.sleep(0.8)
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    state['base'] = 'http://127.0.0.1:%d' % listener.getsockname()[1]
    yield state
    state['stop'] = True
    listener.close()


def test_timeout_bounds_the_whole_request_not_each_read(trickler):
    timeout = 2.0
    http = RoutingHttpClient(trickler['base'], timeout=timeout, max_retries=0)
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=trickler['base']), http_client=http)
    started = time.monotonic()
    with pytest.raises(TwilioApiError) as info:
        client.fetch('/Services/KS1')
    held = time.monotonic() - started
    assert held < 3 * timeout  # a correctness bound: unbounded, the trickle holds it for about 60 s
    assert 'timed out' in str(info.value) and info.value.kind == 'timeout'
    # a POST cut short this way may have been processed
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'x'})
    assert info.value.outcome_unknown is True


def test_a_body_trickle_is_cut_off_when_the_request_is_given_up():
    """The headers at once, then the body one byte every 0.2 s (40 s in all): the request fails after its timeout,
    and the connection the given-up request held is shut down then (the server's next sends fail), not left to the
    end of the trickle."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    cut = threading.Event()

    def serve():
        conn, dummy = listener.accept()
        try:
            conn.recv(65536)
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n')
            for dummy in range(200):
                conn.sendall(b' ')
                time.sleep(0.2)
        except OSError:
            cut.set()
        finally:
            conn.close()

    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    base = 'http://127.0.0.1:%d' % listener.getsockname()[1]
    http = RoutingHttpClient(base, timeout=1.0, max_retries=0)
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=base), http_client=http)
    try:
        with pytest.raises(TwilioApiError) as info:
            client.fetch('/Services/KS1')
        assert info.value.kind == 'timeout'
        assert cut.wait(20), 'the server could trickle on: the given-up response was not shut down'
    finally:
        listener.close()


def test_retry_after_above_the_backoff_cap_is_honoured(server):
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    server.then(429, busy, {'Retry-After': '30'}).then(200, {'sid': 'KS1'})
    client = make_client(server, max_retry_time=60.0)
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    assert client.sleeps[0] >= 30


def test_an_http_date_retry_after_is_understood(server):
    from email.utils import formatdate
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    server.then(429, busy, {'Retry-After': formatdate(time.time() + 25, usegmt=True)}).then(200, {'sid': 'KS1'})
    client = make_client(server, max_retry_time=60.0)
    assert client.fetch('/Services/KS1') == {'sid': 'KS1'}
    assert 20 <= client.sleeps[0] <= 26


def test_a_retry_after_longer_than_the_time_left_fails_at_once_saying_so(server):
    busy = {'code': 20429, 'message': 'Too Many Requests', 'status': 429}
    server.then(429, busy, {'Retry-After': '120'})
    client = make_client(server, max_retry_time=60.0)
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'x'})
    assert len(server.seen) == 1 and client.sleeps == []
    assert 'Retry-After' in str(info.value) and 'max_retry_time' in str(info.value)


# -- issue 20: a list read whose pages disagree decides nothing --------------------------------------------------


def numbered(key, sids, number, size, next_url=None):
    return {key: [{'sid': sid} for sid in sids],
            'meta': {'key': key, 'page': number, 'page_size': size, 'next_page_url': next_url}}


def test_a_sid_repeated_across_pages_fails_the_list(server):
    server.then(200, numbered('phone_numbers', ['PN1', 'PN2'], 0, 2, '/v1/Services/KS1/PhoneNumbers?Page=1'))
    server.then(200, numbered('phone_numbers', ['PN2', 'PN3'], 1, 2))
    with pytest.raises(TwilioApiError) as info:
        list(make_client(server).list('/Services/KS1/PhoneNumbers', 'phone_numbers'))
    assert 'PN2 twice' in str(info.value) and 'inconsistent' in str(info.value)


def test_a_repeated_page_fails_the_list_by_its_page_number(server):
    server.then(200, numbered('phone_numbers', ['PN1', 'PN2'], 0, 2, '/v1/Services/KS1/PhoneNumbers?Page=1'))
    server.then(200, numbered('phone_numbers', ['PN3', 'PN4'], 0, 2))  # page 0 again, other records
    with pytest.raises(TwilioApiError) as info:
        list(make_client(server).list('/Services/KS1/PhoneNumbers', 'phone_numbers'))
    assert 'page 0 follows page 0' in str(info.value)


@pytest.mark.parametrize('body', [{'meta': {'key': 'sessions', 'next_page_url': None}},
                                  {'sessions': None, 'meta': {'key': 'sessions'}},
                                  {'sessions': 'KC1', 'meta': {}},
                                  {'meta': {'next_page_url': None}}])
def test_a_page_without_its_list_key_fails_instead_of_reading_as_empty(server, body):
    server.then(200, body)
    with pytest.raises(TwilioApiError) as info:
        list(make_client(server).list('/Services/KS1/Sessions', 'sessions'))
    assert "no list of records under 'sessions'" in str(info.value)


def test_a_page_cut_short_before_a_next_page_fails_the_list(server):
    server.then(200, numbered('sessions', ['KC1'], 0, 2, '/v1/Services/KS1/Sessions?Page=1'))
    with pytest.raises(TwilioApiError) as info:
        list(make_client(server).list('/Services/KS1/Sessions', 'sessions'))
    assert 'fewer than its page size 2' in str(info.value) and len(server.seen) == 1


def test_an_account_page_holding_fewer_records_than_it_announces_fails(server):
    server.then(200, {'incoming_phone_numbers': [{'sid': 'PN1'}], 'start': 0, 'end': 1, 'page': 0,
                      'page_size': 50, 'next_page_uri': None})
    with pytest.raises(TwilioApiError) as info:
        make_client(server).account_list('IncomingPhoneNumbers.json', 'incoming_phone_numbers', {})
    assert 'announces records 0 to 1 but holds 1' in str(info.value)


def test_a_delete_answered_404_after_a_dropped_attempt_may_be_ours(server):
    body = {'code': 20404, 'message': 'not found', 'status': 404}
    server.then(204, None, drop=True).then(404, body)
    client = make_client(server)
    assert client.delete('/Services/KS1/PhoneNumbers/PN1') is True  # the dropped attempt may have deleted it
    server.then(429, {'code': 20429, 'message': 'slow down', 'status': 429}).then(404, body)
    assert client.delete('/Services/KS1/PhoneNumbers/PN2') is False  # a 429 was not acted on: already gone
