# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client over real HTTP: a scripted server on loopback answers, the real SDK and transport talk to it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import socket
import threading
import time

import pytest

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ansible_collections.community.twilio.plugins.module_utils._client import (
    COLLECTION_VERSION, ConfigError, RoutingHttpClient, TwilioApiError, TwilioClient, normalize_exception,
    validate_connection)

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


@pytest.fixture
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def _answer(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length).decode() if length else ''
            script.seen.append(dict(method=self.command, path=self.path, body=body,
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
    yield script
    httpd.shutdown()
    httpd.server_close()


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


def test_connection_refused_post_is_retried_because_it_was_never_sent():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    base = 'http://127.0.0.1:%d' % port
    sleeps = []
    http = RoutingHttpClient(base, timeout=1, max_retries=2, sleep=sleeps.append)
    client = TwilioClient(dict(account_sid=ACCOUNT, auth_token=TOKEN, api_url=base), http_client=http)
    with pytest.raises(TwilioApiError) as info:
        client.create('/Services', {'UniqueName': 'x'})
    assert len(sleeps) == 2 and info.value.outcome_unknown is False and info.value.attempts == 3
    assert str(info.value).count('connection failed') == 3  # the last failure, then the two retried before it
    assert 'after 3 attempts' in str(info.value)


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
