#!/usr/bin/env python
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmarks of community.twilio: requests, time and scale against the floor.

Run through ``make bench`` (scripts/bench.sh installs the collection and starts the emulator, then calls this with
EMULATOR_URL and EMULATOR_PID set). Prints one table and writes it, with the machine, the versions and the method,
to docs/benchmarks.md. Figures are printed, never asserted.

Playbooks are generated here as data (JSON is YAML) into $BUILD/bench and run with ansible-playbook and the
bench_probe callback (bench/callback_plugins), which notes each task's start time and the emulator's request-log
position: a task owns the requests logged between its start and the next task's start.
"""

import asyncio
import base64
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
URL = os.environ['EMULATOR_URL'].rstrip('/')
EMULATOR_PID = int(os.environ['EMULATOR_PID'])
ACCOUNT_SID = os.environ.get('EMULATOR_ACCOUNT_SID', 'AC00000000000000000000000000000000')
AUTH_TOKEN = os.environ.get('EMULATOR_AUTH_TOKEN', 'emulatorauthtoken000000000000000')
OUT = os.path.join(os.environ.get('BUILD', '/tmp'), 'bench')
DOC = os.path.join(ROOT, 'docs', 'benchmarks.md')

LOOP = int(os.environ.get('BENCH_LOOP', '200'))        # items of each floor loop
RUNS = int(os.environ.get('BENCH_RUNS', '2'))          # floor runs
CHUNK = int(os.environ.get('BENCH_CHUNK', '25'))       # floor loops alternate in chunks of this many items
PING_ITEMS = int(os.environ.get('BENCH_PING', '50'))
SCALE = [int(n) for n in os.environ.get('BENCH_SCALE', '10,100,1000,10000').split(',')]
SCALE_ITEMS = int(os.environ.get('BENCH_SCALE_ITEMS', '3'))  # look-ups per cell
LOAD_SECONDS = float(os.environ.get('BENCH_LOAD_SECONDS', '3'))
BIG = int(os.environ.get('BENCH_BIG', '100000'))
PROFILE_RUNS = int(os.environ.get('BENCH_PROFILE_RUNS', '5'))
POOL = int(os.environ.get('BENCH_POOL', '500'))               # numbers of the pool section
POOL_PURGE = int(os.environ.get('BENCH_POOL_PURGE', '50'))    # of them purged
SESSIONS = int(os.environ.get('BENCH_SESSIONS', '1000'))      # sessions of the sessions section (2 participants)
SESSIONS_LOOP = int(os.environ.get('BENCH_SESSIONS_LOOP', str(SESSIONS)))  # of them, in the per-session loop
MAX_RESERVED, MAX_UNRESERVED = 5000, 500               # a Service's pool limits (Twilio's, the emulator's)

AUTH = 'Basic ' + base64.b64encode(('%s:%s' % (ACCOUNT_SID, AUTH_TOKEN)).encode()).decode()
CONNECTION = dict(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_url=URL)
ROWS = []   # (section, measure, ours, floor, verdict): the one table


def row(section, measure, ours, floor='', verdict=''):
    ROWS.append((section, measure, ours, floor, verdict))
    print('  %-9s %-58s %-28s %-22s %s' % (section, measure, ours, floor, verdict), flush=True)


# ---------------------------------------------------------------------------------------------------------------
# HTTP to the emulator (Proxy API and its control API)

def http(method, path, data=None, control=False):
    body = None
    headers = {}
    if data is not None and control:
        body, headers['Content-Type'] = json.dumps(data).encode(), 'application/json'
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
    if not control:
        headers['Authorization'] = AUTH
    request = urllib.request.Request(URL + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        text = response.read()
    return json.loads(text) if text else None


def emulator(method, name, data=None):
    return http(method, '/_emulator/' + name, data if data is not None else ({} if method == 'POST' else None),
                control=True)


def new_service(name):
    return http('POST', '/v1/Services', {'UniqueName': name})['sid']


def list_all(path, key):
    records, url = [], path + ('&' if '?' in path else '?') + 'PageSize=100'
    while url:
        page = http('GET', url)
        records += page[key]
        url = page['meta']['next_page_url']
        url = url[len(URL):] if url else None
    return records


def seed(service_sid, **counts):
    return emulator('POST', 'seed', dict(counts, service_sid=service_sid))


def rss_kb(pid):
    with open('/proc/%d/status' % pid) as handle:
        for line in handle:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Playbooks

TIMED = '''#!%(python)s -S
# Generated by bench/run.py: the interpreter Ansible runs a measured module with. It runs the real one, then
# appends the module process's wall time, CPU time (user + system) and peak RSS to $BENCH_TIMING_LOG.
import json, os, resource, subprocess, sys, time
started = time.perf_counter()
rc = subprocess.call([%(python)r] + sys.argv[1:])
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(os.environ['BENCH_TIMING_LOG'], 'a') as handle:
    handle.write(json.dumps(dict(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_kb=usage.ru_maxrss)) + '\\n')
sys.exit(rc)
'''


TIMING_LOGS = itertools.count()


def timed(task):
    """The task, run through the timing interpreter: play() returns each item's module wall, CPU and RSS."""
    log = os.path.join(OUT, 'timing-%d.log' % next(TIMING_LOGS))
    wrapper = os.path.join(OUT, 'timed-python')
    if not os.path.exists(wrapper):
        with open(wrapper, 'w') as handle:
            handle.write(TIMED % dict(python=sys.executable))
        os.chmod(wrapper, 0o755)
    return dict(task, vars={'ansible_python_interpreter': wrapper}, environment={'BENCH_TIMING_LOG': log})


def play(name, tasks, hostvars=None):
    """Run one generated playbook; return [{task, seconds, items (durations), requests (log entries)}]."""
    path = os.path.join(OUT, name + '.yml')
    probe = os.path.join(OUT, name + '.probe.json')
    playbook = [{
        'name': name, 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
        'vars': dict({'ansible_python_interpreter': sys.executable}, **(hostvars or {})),
        'module_defaults': {'group/community.twilio.proxy': CONNECTION},
        'tasks': tasks,
    }]
    with open(path, 'w') as handle:
        json.dump(playbook, handle, indent=1)
    env = dict(os.environ, BENCH_EMULATOR_URL=URL, BENCH_PROBE_OUT=probe,
               ANSIBLE_CALLBACK_PLUGINS=os.path.join(ROOT, 'bench', 'callback_plugins'),
               ANSIBLE_CALLBACKS_ENABLED='bench_probe', ANSIBLE_STDOUT_CALLBACK='ansible.builtin.minimal',
               ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0')
    first = last_seq()
    done = subprocess.run(['ansible-playbook', '-i', 'localhost,', path], env=env, capture_output=True, text=True,
                          check=False)
    probed = {'failed': ['no probe output']}
    if os.path.exists(probe):
        with open(probe) as handle:
            probed = json.load(handle)
        os.remove(probe)
    if done.returncode or probed['failed']:
        sys.exit('benchmark playbook %s failed: %s\n%s%s' % (name, probed['failed'], done.stdout[-3000:],
                                                             done.stderr[-2000:]))
    log = list(emulator('GET', 'requests?since=%d' % first)['requests'])
    marks = probed['marks']
    out = []
    for mark, following in zip(marks, marks[1:]):
        starts = [mark['time']] + mark['items'][:-1]
        out.append(dict(task=mark['task'], seconds=following['time'] - mark['time'],
                        items=[end - start for start, end in zip(starts, mark['items'])],
                        requests=[e for e in log if mark['seq'] < e['seq'] <= following['seq']]))
    for task, result in zip(tasks, out):
        log = task.get('environment', {}).get('BENCH_TIMING_LOG')
        if log:
            with open(log) as handle:
                result['module'] = [json.loads(line) for line in handle]
            os.remove(log)
    return out


def last_seq():
    entries = emulator('GET', 'requests?since=0')['requests']
    return entries[-1]['seq'] if entries else 0


def counts(requests):
    """'2 GET + 1 POST' from log entries."""
    by = {}
    for entry in requests:
        by[entry['method']] = by.get(entry['method'], 0) + 1
    return ' + '.join('%d %s' % (by[m], m) for m in ('GET', 'POST', 'DELETE') if m in by) or '0'


def writes(requests):
    return sum(1 for e in requests if e['method'] != 'GET')


def ms(seconds):
    return '%.0f ms' % (seconds * 1000)


# ---------------------------------------------------------------------------------------------------------------
# 1. Requests per task

def bench_requests():
    print('\n== 1. requests per task (emulator request log)', flush=True)
    emulator('POST', 'reset')
    svc = new_service('bench-parent')
    seed(svc, phone_numbers=2)                       # the pool the session's participants draw from
    part_session = http('POST', '/v1/Services/%s/Sessions' % svc, {'UniqueName': 'bench-part-session'})['sid']
    number = '+14155550100'
    short_code = http('GET', '/2010-04-01/Accounts/%s/SMS/ShortCodes.json?ShortCode=89000'
                      % ACCOUNT_SID)['short_codes'][0]['sid']
    under = dict(service_sid=svc)
    peers = [dict(identifier='+15105550100', friendly_name='rider'),
             dict(identifier='+15105550101', friendly_name='driver')]
    # (module, operation, args, floor): args may use {sid}, the SID the create returned.
    cases = [
        ('proxy_service', 'create', dict(unique_name='bench-svc', default_ttl=3600), '1 GET + 1 POST'),
        ('proxy_service', 'no change, by unique_name', dict(unique_name='bench-svc', default_ttl=3600), '1 GET'),
        ('proxy_service', 'no change, by sid', dict(sid='{sid}', default_ttl=3600), '1 GET'),
        ('proxy_service', 'update', dict(unique_name='bench-svc', default_ttl=7200), '1 GET + 1 POST'),
        ('proxy_service', 'delete', dict(unique_name='bench-svc', state='absent'), '1 GET + 1 DELETE'),
        ('proxy_phone_number', 'create', dict(under, phone_number=number), '1 GET + 1 POST'),
        ('proxy_phone_number', 'no change, by phone_number', dict(under, phone_number=number), '1 GET'),
        ('proxy_phone_number', 'no change, by sid', dict(under, sid='{sid}'), '1 GET'),
        ('proxy_phone_number', 'update', dict(under, phone_number=number, is_reserved=True), '1 GET + 1 POST'),
        ('proxy_phone_number', 'delete', dict(under, phone_number=number, state='absent'), '1 GET + 1 DELETE'),
        ('proxy_short_code', 'create', dict(under, sid=short_code), '1 GET + 1 POST'),
        ('proxy_short_code', 'no change, by sid', dict(under, sid=short_code), '1 GET'),
        ('proxy_short_code', 'update', dict(under, sid=short_code, is_reserved=True), '1 GET + 1 POST'),
        ('proxy_short_code', 'delete', dict(under, sid=short_code, state='absent'), '1 GET + 1 DELETE'),
        ('proxy_session', 'create (2 participants)', dict(under, unique_name='bench-session', ttl=3600,
                                                          participants=peers), '1 GET + 1 POST'),
        ('proxy_session', 'no change, by unique_name', dict(under, unique_name='bench-session', ttl=3600,
                                                            participants=peers), '2 GET'),
        ('proxy_session', 'no change, by sid', dict(under, sid='{sid}', ttl=3600), '2 GET'),
        ('proxy_session', 'no change, service by unique_name', dict(
            service_sid='bench-parent', unique_name='bench-session', ttl=3600), '3 GET'),
        ('proxy_session', 'update', dict(under, unique_name='bench-session', ttl=7200), '2 GET + 1 POST'),
        ('proxy_session', 'delete', dict(under, unique_name='bench-session', state='absent'), '1 GET + 1 DELETE'),
        ('proxy_participant', 'create', dict(under, session_sid=part_session, identifier='+15105550200'),
         '1 GET + 1 POST'),
        ('proxy_participant', 'no change, by identifier', dict(under, session_sid=part_session,
                                                               identifier='+15105550200'), '1 GET'),
        ('proxy_participant', 'no change, by sid', dict(under, session_sid=part_session, sid='{sid}'), '1 GET'),
        ('proxy_participant', 'delete', dict(under, session_sid=part_session, identifier='+15105550200',
                                             state='absent'), '1 GET + 1 DELETE'),
    ]
    tasks = []
    for module, operation, args, floor in cases:
        register = 'made_' + module
        args = dict((k, '{{ %s.%s.sid }}' % (register, module[len('proxy_'):]) if v == '{sid}' else v)
                    for k, v in args.items())
        for check in (True, False):
            task = {'name': '%s | %s | %s' % (module, operation, 'check' if check else 'run'),
                    'community.twilio.' + module: args, 'check_mode': check}
            if operation.startswith('create') and not check:
                task['register'] = register
            tasks.append(task)
    results = play('requests', tasks)
    for (module, operation, args, floor), check, real in zip(cases, results[::2], results[1::2]):
        ours = '%s | check: %s' % (counts(real['requests']), counts(check['requests']))
        verdict = 'check mode WROTE' if writes(check['requests']) else ''
        gets = sum(1 for e in real['requests'] if e['method'] == 'GET')
        floor_gets = int(floor.split()[0])
        if gets > floor_gets or writes(real['requests']) > (0 if 'no change' in operation else 1):
            verdict = (verdict + ' ' if verdict else '') + 'above floor'
        row('requests', '%s: %s' % (module, operation), ours, floor, verdict or 'at floor')


# ---------------------------------------------------------------------------------------------------------------
# 2. Time against the floor

def bench_floor():
    print('\n== 2. time against the floor (%d-item loops, %d runs) and 5. peak RSS' % (LOOP, RUNS), flush=True)
    emulator('POST', 'reset')
    svc = new_service('bench-floor')
    seed(svc, sessions=LOOP, prefix='floor-')
    sids = [s['sid'] for s in list_all('/v1/Services/%s/Sessions' % svc, 'sessions')]
    ours = {'community.twilio.proxy_session': {'service_sid': svc, 'sid': '{{ item }}'}}
    floor = {'ansible.builtin.uri': {'url': URL + '/v1/Services/%s/Sessions/{{ item }}' % svc,
                                     'url_username': ACCOUNT_SID, 'url_password': AUTH_TOKEN,
                                     'force_basic_auth': True}}
    # Each run loops over all LOOP sessions with each module, in alternating chunks (session, uri, uri, session,
    # ...): a change in the machine's load then weighs on both sides alike.
    tasks = []
    chunks = [(start, min(start + CHUNK, LOOP)) for start in range(0, LOOP, CHUNK)]
    for run in range(RUNS):
        for number, (start, end) in enumerate(chunks):
            pair = [('session', ours), ('uri', floor)]
            for kind, task in (pair if (run * len(chunks) + number) % 2 == 0 else pair[::-1]):
                tasks.append(timed(dict(task, name='%s %d %d' % (kind, run, number),
                                        loop='{{ sids[%d:%d] }}' % (start, end))))
    tasks.append(timed({'name': 'ping', 'ansible.builtin.ping': {}, 'loop': '{{ range(%d) | list }}' % PING_ITEMS}))
    results = play('floor', tasks, {'sids': sids})
    pooled = {'session': dict(task=[], wall=[], cpu=[], rss=[]), 'uri': dict(task=[], wall=[], cpu=[], rss=[])}
    median = statistics.median
    for run in range(RUNS):
        this = {}
        for kind in pooled:
            mine = [r for r in results if r['task'].startswith('%s %d ' % (kind, run))]
            this[kind] = dict(items=[i for r in mine for i in r['items']],
                              requests=sum(len(r['requests']) for r in mine))
            pooled[kind]['task'] += this[kind]['items']
            for r in mine:
                pooled[kind]['wall'] += [m['wall'] for m in r['module']]
                pooled[kind]['cpu'] += [m['cpu'] for m in r['module']]
                pooled[kind]['rss'] += [m['rss_kb'] for m in r['module']]
        a, b = this['session'], this['uri']
        row('time', 'run %d: proxy_session no-change by sid, task time, median of %d' % (run + 1, LOOP),
            '%s (%s req/item)' % (ms(median(a['items'])), a['requests'] / LOOP),
            'uri GET %s (%s req/item)' % (ms(median(b['items'])), b['requests'] / LOOP),
            '%+.1f %%' % ((median(a['items']) / median(b['items']) - 1) * 100))
    results = dict((r['task'], r) for r in results)
    ours, base = pooled['session'], pooled['uri']
    ratios = {}
    for key, label in (('task', 'task time (controller + module)'), ('wall', 'module process wall time'),
                       ('cpu', 'module process CPU time (user + sys)')):
        ratios[key] = median(ours[key]) / median(base[key])
        row('time', 'proxy_session / uri: %s, ratio of medians (minimums)' % label,
            '%s / %s = %.3f (%s / %s = %.3f)' % (
                ms(median(ours[key])), ms(median(base[key])), ratios[key],
                ms(min(ours[key])), ms(min(base[key])), min(ours[key]) / min(base[key])),
            '1.000 (+15 % allowed)', 'within 15 %' if ratios[key] <= 1.15 else 'OVER 15 %')
    ping = results['ping']
    row('time', 'ansible.builtin.ping (zero-HTTP floor), median of %d' % PING_ITEMS,
        'task %s, module wall %s, CPU %s' % (ms(median(ping['items'])), ms(median(m['wall'] for m in ping['module'])),
                                             ms(median(m['cpu'] for m in ping['module']))))
    for label, rss in (('community.twilio.proxy_session', ours['rss']), ('ansible.builtin.uri', base['rss']),
                       ('ansible.builtin.ping', [m['rss_kb'] for m in ping['module']])):
        row('memory', 'peak RSS of one %s run (median, max)' % label,
            '%.1f MB, %.1f MB' % (median(rss) / 1024, max(rss) / 1024))
    return ratios


# ---------------------------------------------------------------------------------------------------------------
# 3. Scale

def bench_scale():
    print('\n== 3. scale: requests and time per look-up', flush=True)
    loop = {'loop': '{{ range(%d) | list }}' % SCALE_ITEMS}
    off = {'name': 'fetch by name off', 'ansible.builtin.uri': {
        'url': URL + '/_emulator/settings', 'method': 'POST', 'body_format': 'json',
        'body': {'fetch_by_unique_name': False}}}
    for size in SCALE:
        emulator('POST', 'reset')
        svc = new_service('bench-scale')
        seed(svc, sessions=size, prefix='s-')
        numbers = min(size, MAX_RESERVED + MAX_UNRESERVED)
        made = seed(svc, phone_numbers=min(numbers, MAX_RESERVED), is_reserved=True)['phone_numbers']
        if numbers > made:
            made += seed(svc, phone_numbers=numbers - made, is_reserved=False)['phone_numbers']
        session = http('GET', '/v1/Services/%s/Sessions/s-%d' % (svc, size - 1))   # the last: the last page
        last_number = '+1415%07d' % (5550000 + made - 1)
        number_sid = [p for p in list_all('/v1/Services/%s/PhoneNumbers' % svc, 'phone_numbers')
                      if p['phone_number'] == last_number][0]['sid']
        session_module = 'community.twilio.proxy_session'
        number_module = 'community.twilio.proxy_phone_number'
        tasks = [
            dict(loop, name='session by sid', **{session_module: dict(service_sid=svc, sid=session['sid'])}),
            dict(loop, name='session by unique_name, fetch by name on', **{session_module: dict(
                service_sid=svc, unique_name=session['unique_name'])}),
            dict(loop, name='new session (check mode), fetch by name on', check_mode=True, **{session_module: dict(
                service_sid=svc, unique_name='not-there')}),
            off,
            dict(loop, name='session by unique_name, fetch by name off', **{session_module: dict(
                service_sid=svc, unique_name=session['unique_name'])}),
            dict(loop, name='new session (check mode), fetch by name off', check_mode=True, **{session_module: dict(
                service_sid=svc, unique_name='not-there')}),
            dict(loop, name='number by sid', **{number_module: dict(service_sid=svc, sid=number_sid)}),
            dict(loop, name='number by E.164', **{number_module: dict(service_sid=svc, phone_number=last_number)}),
        ]
        for result in play('scale-%d' % size, [timed(t) if 'loop' in t else t for t in tasks]):
            if not result['items']:
                continue
            label = result['task'].replace('session', 'session of %d' % size).replace(
                'number ', 'number of %d ' % made)
            row('scale', label, '%.0f req, task %s, module %s' % (
                len(result['requests']) / SCALE_ITEMS, ms(statistics.median(result['items'])),
                ms(statistics.median(m['wall'] for m in result['module']))), 'per look-up')
        emulator('POST', 'settings', {'fetch_by_unique_name': True})
    if max(SCALE) > MAX_RESERVED + MAX_UNRESERVED:
        row('scale', 'note: a Service holds at most %d reserved + %d unreserved numbers' % (
            MAX_RESERVED, MAX_UNRESERVED), 'pool capped at %d' % (MAX_RESERVED + MAX_UNRESERVED))


# ---------------------------------------------------------------------------------------------------------------
# 3b. A whole pool: community.twilio.proxy_pool (one task) against the same pool as POOL proxy_phone_number tasks.
# The emulator's Twilio-like rate limit (30 requests/s per endpoint, 5 s window) is on for both sides.

def bench_pool():
    print('\n== 3b. a %d-number pool: one proxy_pool task against %d proxy_phone_number tasks' % (POOL, POOL),
          flush=True)
    numbers = ['+1415%07d' % (5550000 + i) for i in range(POOL)]
    kept = numbers[:POOL - POOL_PURGE]
    floor = POOL / 30.0  # what Twilio's 30 requests per second allow for POOL adds

    def measure(name, tasks, svc):
        results = play(name, tasks, {'numbers': numbers, 'kept': kept, 'gone': numbers[len(kept):], 'svc': svc})
        return dict((r['task'], r) for r in results)

    def said(result):
        limited = sum(1 for e in result['requests'] if e['status'] == 429)
        return '%.1f s, %s%s' % (result['seconds'], counts(result['requests']),
                                 ', %d answered 429' % limited if limited else '')

    emulator('POST', 'reset')
    emulator('POST', 'settings', {'rate_limit': True})
    svc = new_service('bench-pool')
    pool = 'community.twilio.proxy_pool'
    single = measure('pool-single', [
        {'name': 'create', pool: {'service_sid': '{{ svc }}', 'phone_numbers': '{{ numbers }}'}},
        {'name': 'no change', pool: {'service_sid': '{{ svc }}', 'phone_numbers': '{{ numbers }}'}},
        {'name': 'purge', pool: {'service_sid': '{{ svc }}', 'phone_numbers': '{{ kept }}', 'purge': True}},
    ], svc)
    emulator('POST', 'reset')
    emulator('POST', 'settings', {'rate_limit': True})
    svc = new_service('bench-pool-loop')
    number = 'community.twilio.proxy_phone_number'
    loop = measure('pool-loop', [
        {'name': 'create', number: {'service_sid': '{{ svc }}', 'phone_number': '{{ item }}'},
         'loop': '{{ numbers }}'},
        {'name': 'no change', number: {'service_sid': '{{ svc }}', 'phone_number': '{{ item }}'},
         'loop': '{{ numbers }}'},
        {'name': 'purge', number: {'service_sid': '{{ svc }}', 'phone_number': '{{ item }}', 'state': 'absent'},
         'loop': '{{ gone }}'},
    ], svc)
    emulator('POST', 'settings', {'rate_limit': False})
    for step, label in (('create', 'create %d numbers' % POOL), ('no change', 'no change, %d numbers' % POOL),
                        ('purge', 'purge %d of %d (loop: %d tasks, state=absent)' % (POOL_PURGE, POOL, POOL_PURGE))):
        one, many = single[step], loop[step]
        verdict = 'loop / single = %.1fx' % (many['seconds'] / one['seconds'])
        reference = 'loop: %s' % said(many)
        if step == 'create':
            reference += '; 30 req/s allow %.1f s' % floor
            verdict += '; single / 30-rps time = %.2f (target <= 1.5)' % (one['seconds'] / floor)
        if step == 'no change':
            verdict += ' (target >= 50)'
        row('pool', label, 'single task: %s' % said(one), reference, verdict)


# ---------------------------------------------------------------------------------------------------------------
# 3c. The sessions of a service, with their participants: one proxy_session_info (participants=true) read and one
# proxy_sessions no-change converge, against today's estate role way (proxy_session_info + one
# proxy_participant_info per session to read; one proxy_session per session to converge). Twilio's rate limit
# (30 requests/s per endpoint) is on for both; the floor is the reads needed (pages of sessions, one participant
# list per session) at 30 requests/s. The loop may be shortened (BENCH_SESSIONS_LOOP): it is then scaled up.

def bench_sessions():
    print('\n== 3c. %d sessions of two participants: one task against a per-session loop (%d sessions)'
          % (SESSIONS, SESSIONS_LOOP), flush=True)
    emulator('POST', 'reset')
    emulator('POST', 'settings', {'rate_limit': True})
    svc = new_service('bench-sessions')
    seed(svc, phone_numbers=2, sessions=SESSIONS, participants=2, prefix='r-')
    declared = [dict(unique_name='r-%d' % i, status='open', participants=[
        dict(identifier='+15551%06d' % i), dict(identifier='+15552%06d' % i)]) for i in range(SESSIONS)]
    pages = -(-SESSIONS // 100)
    floor = (pages + SESSIONS) / 30.0
    info = 'community.twilio.proxy_session_info'
    results = play('sessions', [
        {'name': 'read', info: {'service_sid': svc, 'status': 'open', 'participants': True}, 'register': 'read'},
        {'name': 'converge', 'community.twilio.proxy_sessions': {'service_sid': svc, 'sessions': '{{ declared }}'},
         'register': 'converged'},
        {'name': 'check', 'ansible.builtin.assert': {'that': [
            'read.sessions | length == %d' % SESSIONS, 'converged is not changed']}},
        {'name': 'read loop: sessions', info: {'service_sid': svc, 'status': 'open'}, 'register': 'listed'},
        {'name': 'read loop: participants', 'community.twilio.proxy_participant_info': {
            'service_sid': svc, 'session_sid': '{{ item.sid }}'}, 'loop': '{{ listed.sessions[:%d] }}' % SESSIONS_LOOP},
        {'name': 'converge loop', 'community.twilio.proxy_session': {
            'service_sid': svc, 'unique_name': '{{ item.unique_name }}', 'status': '{{ item.status }}',
            'participants': '{{ item.participants }}'}, 'loop': '{{ declared[:%d] }}' % SESSIONS_LOOP},
    ], {'declared': declared})
    emulator('POST', 'settings', {'rate_limit': False})
    by = dict((r['task'], r) for r in results)
    scale = SESSIONS / float(SESSIONS_LOOP)

    def said(result):
        limited = sum(1 for e in result['requests'] if e['status'] == 429)
        return '%.1f s, %s%s' % (result['seconds'], counts(result['requests']),
                                 ', %d answered 429' % limited if limited else '')

    loop_read = by['read loop: sessions']['seconds'] + by['read loop: participants']['seconds'] * scale
    loop_converge = by['converge loop']['seconds'] * scale
    for label, one, loop_seconds, loop_parts in (
            ('read %d sessions with participants' % SESSIONS, by['read'], loop_read,
             [by['read loop: sessions'], by['read loop: participants']]),
            ('no-change converge of %d sessions' % SESSIONS, by['converge'], loop_converge,
             [by['converge loop']])):
        loop_requests = [e for r in loop_parts for e in r['requests']]
        reference = 'loop%s: %.0f s (%s); 30 req/s allow %.1f s for %d reads' % (
            ' (%d measured, scaled x%.1f)' % (SESSIONS_LOOP, scale) if SESSIONS_LOOP != SESSIONS else '',
            loop_seconds, counts(loop_requests), floor, pages + SESSIONS)
        row('sessions', label, 'single task: %s' % said(one), reference,
            'single / 30-rps time = %.2f (target <= 1.5); loop / single = %.1fx'
            % (one['seconds'] / floor, loop_seconds / one['seconds']))


# ---------------------------------------------------------------------------------------------------------------
# 4. The emulator under load

async def _client(host, port, path, deadline, latencies):
    reader, writer = await asyncio.open_connection(host, port)
    request = ('GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: %s\r\n\r\n' % (path, host, port, AUTH)).encode()
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b'\r\n\r\n')
        length = int([line.split(b':')[1] for line in head.split(b'\r\n')
                      if line.lower().startswith(b'content-length')][0])
        await reader.readexactly(length)
        if not head.startswith(b'HTTP/1.1 200'):
            raise RuntimeError(head[:40])
        latencies.append(time.perf_counter() - started)
    writer.close()


async def _load(path, clients, seconds):
    host, port = URL.split('//')[1].split(':')
    latencies = []
    started = time.perf_counter()
    await asyncio.gather(*[_client(host, int(port), path, started + seconds, latencies) for dummy in range(clients)])
    return latencies, time.perf_counter() - started


def bench_emulator():
    print('\n== 4. the emulator', flush=True)
    emulator('POST', 'reset')
    svc = new_service('bench-load')
    session = http('POST', '/v1/Services/%s/Sessions' % svc, {'UniqueName': 'load'})['sid']
    path = '/v1/Services/%s/Sessions/%s' % (svc, session)
    for clients in (1, 8, 32):
        latencies, elapsed = asyncio.run(_load(path, clients, LOAD_SECONDS))
        cuts = statistics.quantiles(latencies, n=100)
        row('emulator', 'GET session, %d concurrent keep-alive clients, %.0f s' % (clients, LOAD_SECONDS),
            '%.0f req/s' % (len(latencies) / elapsed), 'p50 %.1f ms, p99 %.1f ms' % (cuts[49] * 1000, cuts[98] * 1000))
    emulator('POST', 'reset')
    before = rss_kb(EMULATOR_PID)
    svc = new_service('bench-big')
    started = time.perf_counter()
    seed(svc, sessions=BIG, prefix='big-')
    seeded = time.perf_counter() - started
    after = rss_kb(EMULATOR_PID)
    row('emulator', 'RSS with %d sessions (seeded in %.1f s)' % (BIG, seeded), '%.0f MB' % (after / 1024),
        'empty: %.0f MB' % (before / 1024), '%.2f KB/session' % ((after - before) / BIG))
    emulator('POST', 'reset')


# ---------------------------------------------------------------------------------------------------------------
# Profile: where one module run's CPU time goes. Process CPU time (user + system) of cumulative import steps and of
# the whole module run, medians of PROFILE_RUNS: CPU time, unlike wall time, holds still on a busy machine.

def cpu_of(argv, env):
    times = []
    for dummy in range(PROFILE_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode or '"failed": true' in done.stdout:
            sys.exit('profile step %s failed: %s%s' % (argv[-1][:80], done.stdout[-500:], done.stderr[-1500:]))
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times)


def bench_profile():
    print('\n== profile: CPU time of one module run, outside Ansible (%d runs each, medians)' % PROFILE_RUNS,
          flush=True)
    emulator('POST', 'reset')
    svc = new_service('bench-profile')
    session = http('POST', '/v1/Services/%s/Sessions' % svc, {'UniqueName': 'profile'})['sid']
    env = dict(os.environ, PYTHONPATH=os.environ['ANSIBLE_COLLECTIONS_PATH'])
    ours = 'ansible_collections.community.twilio.plugins.'
    basic = 'import ansible.module_utils.basic'
    modules = [
        ('community.twilio.proxy_session', ours + 'modules.proxy_session',
         dict(CONNECTION, service_sid=svc, sid=session), [
             ('ansible-core basic', basic),
             ('requests stack', basic + '; import requests'),
             ('twilio SDK', basic + '; import requests, twilio.rest, twilio.rest.proxy.v1'),
             ('community.twilio', basic + '; import requests, twilio.rest, twilio.rest.proxy.v1, '
              + ours + 'modules.proxy_session')]),
        ('ansible.builtin.uri', 'ansible.modules.uri',
         dict(url=URL + '/v1/Services/%s/Sessions/%s' % (svc, session), url_username=ACCOUNT_SID,
              url_password=AUTH_TOKEN, force_basic_auth=True), [
             ('ansible-core basic', basic),
             ('module_utils.urls', basic + '; import ansible.module_utils.urls'),
             ('uri module', basic + '; import ansible.module_utils.urls, ansible.modules.uri')]),
        ('ansible.builtin.ping', 'ansible.modules.ping', {}, [
            ('ansible-core basic', basic),
            ('ping module', basic + '; import ansible.modules.ping')]),
    ]
    start = cpu_of([sys.executable, '-c', 'pass'], env)
    for label, module, args, steps in modules:
        path = os.path.join(OUT, 'args-%s.json' % module)
        with open(path, 'w') as handle:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
        total = cpu_of([sys.executable, '-m', module, path], env)
        parts, previous = ['python start %s' % ms(start)], start
        for name, code in steps:
            spent = cpu_of([sys.executable, '-c', code], env)
            parts.append('%s %s' % (name, ms(spent - previous)))
            previous = spent
        parts.append('the run itself (arguments, HTTP, JSON) %s' % ms(total - previous))
        row('profile', '%s: CPU of one run, by step' % label, ms(total), '', ', '.join(parts))


# ---------------------------------------------------------------------------------------------------------------

def versions():
    def version(dist):
        try:
            from importlib.metadata import version as get
            return get(dist)
        except Exception:
            return '?'
    cpu = ''
    try:
        with open('/proc/cpuinfo') as handle:
            cpu = [line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')][0]
    except (OSError, IndexError):
        pass
    load = os.getloadavg()
    return [
        ('machine', '%s, %d CPUs (%s), %s' % (platform.machine(), os.cpu_count(), cpu or '?', platform.platform())),
        ('load average at the start', '%.2f %.2f %.2f' % load),
        ('python', platform.python_version()),
        ('ansible-core', version('ansible-core')),
        ('twilio (SDK)', version('twilio')),
        ('requests', version('requests')),
        ('twilio-proxy-emulator', version('twilio-proxy-emulator')),
        ('settings', 'BENCH_LOOP=%d BENCH_RUNS=%d BENCH_CHUNK=%d BENCH_PING=%d BENCH_SCALE=%s BENCH_SCALE_ITEMS=%d '
                     'BENCH_LOAD_SECONDS=%g BENCH_BIG=%d BENCH_PROFILE_RUNS=%d BENCH_POOL=%d BENCH_POOL_PURGE=%d '
                     'BENCH_SESSIONS=%d BENCH_SESSIONS_LOOP=%d' % (
                         LOOP, RUNS, CHUNK, PING_ITEMS, ','.join(map(str, SCALE)), SCALE_ITEMS, LOAD_SECONDS, BIG,
                         PROFILE_RUNS, POOL, POOL_PURGE, SESSIONS, SESSIONS_LOOP)),
    ]


def table():
    lines = ['| section | measure | ours | floor / reference | verdict |', '|---|---|---|---|---|']
    lines += ['| %s |' % ' | '.join(cell.replace('|', '\\|') for cell in r) for r in ROWS]
    return '\n'.join(lines)


def write_doc(env, seconds):
    with open(DOC) as handle:
        text = handle.read()
    start, end = '<!-- bench:begin -->', '<!-- bench:end -->'
    block = '\n'.join([
        start,
        'Last run: %s, %.0f s in all.' % (time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), seconds),
        '',
        '| | |', '|---|---|'] + ['| %s | %s |' % pair for pair in env] + ['', table(), end])
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    with open(DOC, 'w') as handle:
        handle.write(before + block + after)


def main():
    started = time.perf_counter()
    os.makedirs(OUT, exist_ok=True)
    env = versions()
    only = sys.argv[1:] or ['requests', 'floor', 'profile', 'scale', 'pool', 'sessions', 'emulator']
    for name in only:
        globals()['bench_' + name]()
    seconds = time.perf_counter() - started
    print('\n' + table())
    print('\n%.0f s in all' % seconds)
    if only == ['requests', 'floor', 'profile', 'scale', 'pool', 'sessions', 'emulator']:
        write_doc(env, seconds)
        print('written to %s' % os.path.relpath(DOC, ROOT))


if __name__ == '__main__':
    main()
