"""Bulk modules through a fault proxy of our own: they report only what happened (issue 20).

``FaultProxy`` is a small HTTP proxy on 127.0.0.1 between ``ansible-playbook`` and the emulator. It forwards every
request as it came (the ``Host`` header too, so that the emulator's next-page URLs name the proxy) and, for the
requests a rule matches, does what a flaky network or an inconsistent API would:

- ``drop_after``: the emulator processes the request, and the connection is closed without the answer;
- ``gone_first``: the request is sent twice, the first answer thrown away (someone else deleted it first: 404);
- ``repeat_record`` / ``repeat_page``: a page also holds the last record of the page before / is the page before;
- ``truncate``: a page loses half of its records, and still names its next page;
- ``no_key``: a page comes without its list key.

Each test seeds the emulator through its control API, runs one module through the proxy (playbooks/bulk.yml writes
the module's result to a file) and compares what the module reported with what the emulator holds, read directly.
"""

import base64
import http.client
import json
import os
import re
import socket
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ACCOUNT_SID, Ansible, pn_sid

PAGE_FAULTS = ('repeat_record', 'repeat_page', 'truncate', 'no_key')


class FaultProxy:
    """Forwards to ``upstream`` (host, port); ``rule(action, method, path, query, count)`` adds a fault."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.rules = []
        self.log = []  # (method, path and query, action or None, status or None)
        self.pages = {}  # list path -> the body of the last page served for it, before any fault
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                rule = proxy.match(self.command, self.path)
                action = rule and rule['action']
                if action == 'gone_first':
                    proxy.forward(self.command, self.path, self.headers, body)
                status, headers, payload = proxy.forward(self.command, self.path, self.headers, body)
                proxy.log.append((self.command, self.path, action, None if action == 'drop_after' else status))
                if action == 'drop_after':  # processed; the answer never comes
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = proxy.page(self.path, status, payload, action)
                self.send_response(status)
                for name in ('Content-Type', 'Retry-After'):
                    if headers.get(name):
                        self.send_header(name, headers[name])
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = handle_one

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def rule(self, action, method='*', path='.*', query=None, count=1):
        self.rules.append(dict(action=action, method=method, path=re.compile(path),
                               query=re.compile(query) if query else None, count=count))

    def match(self, method, target):
        path, dummy, query = target.partition('?')
        with self.lock:
            for rule in self.rules:
                if rule['count'] > 0 and rule['method'] in ('*', method) and rule['path'].search(path) and \
                        (rule['query'] is None or rule['query'].search(query)):
                    rule['count'] -= 1
                    return rule
        return None

    def forward(self, method, target, headers, body):
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            sent = dict((name, headers[name]) for name in ('Host', 'Authorization', 'Content-Type', 'User-Agent',
                                                           'Accept') if headers.get(name))
            connection.request(method, target, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def page(self, target, status, payload, action):
        """A list page as the rule makes it (the last page of each list path is kept for the next one)."""
        path = target.partition('?')[0]
        try:
            body = json.loads(payload) if status == 200 and payload else None
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get('meta'), dict):
            return payload
        key = body['meta'].get('key')
        before, self.pages[path] = self.pages.get(path), json.loads(payload)
        if action == 'repeat_record' and before and before.get(key):
            body[key].append(before[key][-1])
        elif action == 'repeat_page' and before:
            body = before
        elif action == 'truncate':
            body[key] = body[key][:len(body[key]) // 2]
        elif action == 'no_key':
            del body[key]
        return json.dumps(body).encode()

    def faulted(self):
        return [entry for entry in self.log if entry[2]]


@pytest.fixture
def proxy(emulator):
    started = FaultProxy(('127.0.0.1', emulator.port))
    yield started
    started.stop()


@pytest.fixture
def through(proxy, emulator, tmp_path):
    """An Ansible whose modules talk to the proxy (TWILIO_PROXY_API_URL), run one bulk module, its result read."""
    ansible = Ansible(emulator, tmp_path)

    def run(**extravars):
        result_file = os.path.join(str(tmp_path), 'result.json')
        extravars.update(result_file=result_file)
        done = ansible.run('bulk.yml', extravars, env=dict(TWILIO_PROXY_API_URL=proxy.url))
        assert done.rc == 0, done  # the module's failure is in the result; the play itself must end
        with open(result_file) as stream:
            return json.load(stream)
    return run


def api(emulator, method, path, form=None):
    """A Proxy API call straight to the emulator, with the account's credentials."""
    data = urllib.parse.urlencode(form or {}).encode() if method == 'POST' else None
    request = urllib.request.Request(emulator.url + '/v1' + path, data=data, method=method)
    token = '%s:%s' % (ACCOUNT_SID, emulator.auth_token)
    request.add_header('Authorization', 'Basic ' + base64.b64encode(token.encode()).decode())
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


def service(emulator, name='bulk-faults'):
    return api(emulator, 'POST', '/Services', {'UniqueName': name})['sid']


def number(i):
    return '+1415%07d' % (5550000 + i)


def pool_of(emulator, sid):
    return sorted(r['phone_number'] for r in emulator.records('/Services/%s/PhoneNumbers' % sid, 'phone_numbers'))


def writes(emulator):
    """The writes the module sent (the test's own set-up, a service create, left out)."""
    return [r for r in emulator.requests() if r['method'] != 'GET' and r['path'] != '/v1/Services']


def page_of(fault):
    """Which page a fault acts on: a cut-short page is the first (a last page cut short looks like a shorter list,
    as Proxy lists announce no count: what is not seen is then only left alone); the others the second."""
    return r'^PageSize=100$' if fault == 'truncate' else r'PageToken'


def names(entries):
    return sorted(e['phone_number'] for e in entries)


# -- proxy_pool ---------------------------------------------------------------------------------------------------

def test_pool_adds_and_removals_whose_answers_are_lost_are_reported_as_made(emulator, proxy, through, figure):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, phone_numbers=3))  # numbers 0, 1, 2
    proxy.rule('drop_after', 'POST', r'/PhoneNumbers$')  # the first add happens, its answer is lost
    proxy.rule('drop_after', 'DELETE', r'/PhoneNumbers/PN')  # the first removal too (retried: 404)
    proxy.rule('drop_after', 'POST', r'/PhoneNumbers/PN')  # and the first update (not retried: a POST)
    wanted = [number(0), {'phone_number': number(1), 'is_reserved': True}, number(3), number(4), number(5)]
    result = through(bulk='pool', service=sid, phone_numbers=wanted, purge=True)
    pool = pool_of(emulator, sid)
    assert result.get('failed') is not True, result['msg']
    assert result['changed'] is True
    assert pool == sorted([number(0), number(1), number(3), number(4), number(5)])
    assert names(result['added']['phone_numbers']) == [number(3), number(4), number(5)]
    assert names(result['removed']['phone_numbers']) == [number(2)]
    assert names(result['updated']['phone_numbers']) == [number(1)]
    assert len(proxy.faulted()) == 3
    figure('bulk faults: pool, answers lost after processing (add, remove, update), reported as made', '3 of 3')


def test_pool_that_found_its_changes_made_by_someone_else_reports_no_change_of_its_own(emulator, proxy, through):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, phone_numbers=3))
    proxy.rule('gone_first', 'DELETE', r'/PhoneNumbers/PN')  # someone else removes number 2 first: 404
    result = through(bulk='pool', service=sid, phone_numbers=[number(0), number(1)], purge=True)
    assert result.get('failed') is not True, result['msg']
    assert result['changed'] is False and result['removed']['phone_numbers'] == []
    assert any('already gone' in w and number(2) in w for w in result.get('warnings', []))
    assert pool_of(emulator, sid) == [number(0), number(1)]


@pytest.mark.parametrize('fault', PAGE_FAULTS)
def test_pool_purge_after_an_inconsistent_read_removes_nothing(emulator, proxy, through, figure, fault):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, phone_numbers=150))  # two pages of 100
    proxy.rule(fault, 'GET', r'/PhoneNumbers$', query=page_of(fault))
    result = through(bulk='pool', service=sid, phone_numbers=[number(i) for i in range(50)], purge=True)
    assert result['failed'] is True and 'inconsistent' in result['msg']
    assert not result.get('changed')
    assert writes(emulator) == [] and len(pool_of(emulator, sid)) == 150
    figure('bulk faults: pool purge after an inconsistent page (%s): removals' % fault, 0)


def test_drain_with_a_lost_reservation_and_a_lost_removal_reports_what_happened(emulator, proxy, through, figure):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, phone_numbers=6))
    proxy.rule('drop_after', 'POST', r'/PhoneNumbers/PN')  # a reservation made, its answer lost
    proxy.rule('drop_after', 'DELETE', r'/PhoneNumbers/PN')  # a removal made, its answer lost
    proxy.rule('gone_first', 'DELETE', r'/PhoneNumbers/%s$' % pn_sid(number(5)))  # removed by someone else first
    result = through(bulk='pool', service=sid, phone_numbers=[number(0), number(1)], purge=True, drain=True,
                     drain_timeout=5, drain_poll_interval=1)
    assert result.get('failed') is not True, result['msg']
    assert result['changed'] is True and pool_of(emulator, sid) == [number(0), number(1)]
    removed = names(result['removed']['phone_numbers'])
    deleted = [r for r in emulator.requests() if r['method'] == 'DELETE' and r['status'] == 204]
    gone = [w for w in result.get('warnings', []) if 'already gone' in w]
    assert len(removed) == 3 and len(gone) == 1  # 4 left the pool: 3 by this run, 1 by "someone else"
    assert len(deleted) == 4
    figure('bulk faults: drain, reported removed / really removed by the run', '%d / 3' % len(removed))


def test_drain_after_an_inconsistent_read_removes_and_reserves_nothing(emulator, proxy, through):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, phone_numbers=150))
    proxy.rule('truncate', 'GET', r'/PhoneNumbers$', query=page_of('truncate'))
    result = through(bulk='pool', service=sid, phone_numbers=[number(0)], purge=True, drain=True, drain_timeout=5,
                     drain_poll_interval=1)
    assert result['failed'] is True and not result.get('changed') and writes(emulator) == []


def test_two_identical_pool_runs_at_once_both_succeed(emulator, ansible, tmp_path, figure):
    sid = service(emulator)
    # each add is held until the other run's add of the same number arrives: the race happens for certain
    emulator.fault(method='POST', path=r'/PhoneNumbers$', status=None, wait_for=2, delay=10, count=6)
    wanted = [number(0), number(1), number(2)]
    procs = []
    for index in range(2):
        result_file = os.path.join(str(tmp_path), 'result-%d.json' % index)
        procs.append((result_file, ansible.start('bulk.yml', dict(bulk='pool', service=sid, phone_numbers=wanted,
                                                                  result_file=result_file))))
    results = []
    for result_file, proc in procs:
        done = ansible.wait(proc)
        assert done.rc == 0, done
        with open(result_file) as stream:
            results.append(json.load(stream))
    assert [r.get('failed') is True for r in results] == [False, False], [r.get('msg') for r in results]
    assert pool_of(emulator, sid) == sorted(wanted)
    added = sum(len(r['added']['phone_numbers']) for r in results)
    assert added == 3  # each number counted once, by the run whose add made it
    figure('bulk faults: two identical proxy_pool runs at once, succeeded', '2 of 2')


# -- proxy_session_cleanup ----------------------------------------------------------------------------------------

def seed_sessions(emulator, sid):
    emulator.control('POST', 'seed', dict(service_sid=sid, sessions=8, prefix='done-', status='closed',
                                          age_days=40))
    emulator.control('POST', 'seed', dict(service_sid=sid, sessions=4, prefix='live-', age_days=40))


def sessions_of(emulator, sid):
    return emulator.records('/Services/%s/Sessions' % sid, 'sessions')


def test_cleanup_deletes_whose_answers_are_lost_or_that_someone_else_made_are_reported_as_they_happened(
        emulator, proxy, through, figure):
    sid = service(emulator)
    seed_sessions(emulator, sid)
    last = [s['sid'] for s in sessions_of(emulator, sid) if s['status'] == 'closed'][-1]
    proxy.rule('drop_after', 'DELETE', r'/Sessions/KC')  # deleted, answer lost (retried: 404)
    proxy.rule('gone_first', 'DELETE', r'/Sessions/%s$' % last)  # deleted by someone else first
    result = through(bulk='cleanup', service=sid, action='delete', status=['closed'])
    left = sessions_of(emulator, sid)
    assert result.get('failed') is not True, result['msg']
    assert sorted(s['unique_name'] for s in left) == ['live-%d' % i for i in range(4)]
    assert result['counts']['acted'] == 7 and len(result['sessions']) == 7  # 8 gone, 1 by someone else
    assert result['counts']['unchanged'] == 1
    figure('bulk faults: cleanup delete, reported deleted / deleted by the run', '%d / 7' % result['counts']['acted'])


def test_cleanup_close_whose_answer_is_lost_is_reported_as_made(emulator, proxy, through):
    sid = service(emulator)
    seed_sessions(emulator, sid)
    proxy.rule('drop_after', 'POST', r'/Sessions/KC')
    result = through(bulk='cleanup', service=sid, action='close', status=['open'], older_than='30d')
    assert result.get('failed') is not True, result['msg']
    assert result['changed'] is True and result['counts']['acted'] == 4
    assert all(s['status'] == 'closed' for s in sessions_of(emulator, sid))


@pytest.mark.parametrize('fault', PAGE_FAULTS)
def test_cleanup_after_an_inconsistent_read_deletes_nothing(emulator, proxy, through, fault):
    sid = service(emulator)
    emulator.control('POST', 'seed', dict(service_sid=sid, sessions=150, prefix='done-', status='closed'))
    proxy.rule(fault, 'GET', r'/Sessions$', query=page_of(fault))
    result = through(bulk='cleanup', service=sid, action='delete', status=['closed'])
    assert result['failed'] is True and 'inconsistent' in result['msg'] and not result.get('changed')
    assert writes(emulator) == [] and len(sessions_of(emulator, sid)) == 150
