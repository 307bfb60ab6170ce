# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every example a user copies runs (issue 24). What is checked, and how a block's set-up is declared in
setups.yml: docs/testing.md, "The examples stage"."""

import base64
import copy
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import sys
import signal
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml

from conftest import HERE, SYSTEM, category, discovered

BIN = os.path.dirname(sys.executable)
ACCOUNT_SID = SYSTEM.ACCOUNT_SID
# A task whose name says it does something must do it on its first run in its set-up.
EFFECT_RE = re.compile(r'^(create|add|close|remove|delete|take|retire|replace|rename|reserve|clear|re-open|'
                       r'reopen|release|buy|purge)\b', re.I)
WRITE_METHODS = ('POST', 'DELETE')
KNOWN_KEYS = {'seed', 'vars', 'placeholders', 'unchanged_ok', 'not_idempotent', 'before', 'expect', 'inventory',
              'files', 'skip', 'real_twilio_only', 'not_run', 'reason'}


def sc_sid(code):
    return 'SC' + hashlib.sha256(code.encode()).hexdigest()[:32]


class Setup:
    """The declared set-up of one block (setups.yml), over the default one."""

    def __init__(self, setups, block):
        self.setups = setups
        self.declared = (setups.get('blocks') or {}).get(block.id) or {}
        unknown = set(self.declared) - KNOWN_KEYS
        assert not unknown, 'setups.yml, %s: unknown keys %s' % (block.id, sorted(unknown))
        default = setups.get('default') or {}
        self.seed = self.declared.get('seed', default.get('seed')) or {}
        self.placeholders = dict(setups.get('placeholders') or {})
        self.placeholders.update(self.declared.get('placeholders') or {})

    def get(self, key, fallback=None):
        value = self.declared.get(key)
        return fallback if value is None else value


class Api:
    """The emulator's /v1 (read and set up with the account's credentials) and its control API."""

    def __init__(self, emulator):
        self.emu = emulator

    def call(self, method, path, form=None):
        auth = base64.b64encode(('%s:%s' % (ACCOUNT_SID, self.emu.auth_token)).encode()).decode()
        data = urllib.parse.urlencode(form or {}, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(self.emu.url + path, data=data, method=method,
                                         headers={'Authorization': 'Basic ' + auth})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            answer = error.read()[:500]
            raise AssertionError('set-up: %s %s %r answered %s %s' % (method, path, form, error.code, answer))
        return json.loads(body) if body else {}

    def service_sid(self, name):
        for service in self.emu.records('/Services', 'services'):
            if service['unique_name'] == name:
                return service['sid']
        raise AssertionError('no service named %r in the emulator' % name)

    def session_sid(self, service, name):
        for session in self.emu.records('/Services/%s/Sessions' % service, 'sessions'):
            if session['unique_name'] == name:
                return session['sid']
        raise AssertionError('no session named %r in the emulator' % name)

    def seed(self, seed):
        """Reset, then build what the block needs; the request log is cleared afterwards."""
        self.emu.control('POST', 'reset', {})
        for service in seed.get('services') or []:
            form = {'UniqueName': service['unique_name']}
            form.update(service.get('fields') or {})
            sid = self.call('POST', '/v1/Services', form)['sid']
            if service.get('phone_numbers'):
                self.emu.control('POST', 'seed', {'service_sid': sid, 'phone_numbers': service['phone_numbers']})
            for number in service.get('numbers') or []:
                number = number if isinstance(number, dict) else {'phone_number': number}
                form = {'PhoneNumber': number['phone_number']}
                if 'is_reserved' in number:
                    form['IsReserved'] = str(number['is_reserved']).lower()
                self.call('POST', '/v1/Services/%s/PhoneNumbers' % sid, form)
            for code in service.get('short_codes') or []:
                self.call('POST', '/v1/Services/%s/ShortCodes' % sid, {'Sid': sc_sid(str(code))})
            for session in service.get('sessions') or []:
                form = {'UniqueName': session['unique_name']}
                if session.get('participants'):
                    form['Participants'] = [json.dumps({'Identifier': p}) for p in session['participants']]
                for key, field in (('ttl', 'Ttl'), ('mode', 'Mode')):
                    if key in session:
                        form[field] = str(session[key])
                created = self.call('POST', '/v1/Services/%s/Sessions' % sid, form)
                if session.get('status') == 'closed':
                    self.call('POST', '/v1/Services/%s/Sessions/%s' % (sid, created['sid']), {'Status': 'closed'})
            for bulk in service.get('bulk_sessions') or []:
                body = dict(bulk, service_sid=sid)
                self.emu.control('POST', 'seed', body)
        self.emu.control('DELETE', 'requests')

    def resolve(self, reference):
        """A placeholder's value: 'service NAME', 'number +E164', 'short_code CODE', or text as it is."""
        kind, dummy, value = reference.partition(' ')
        if kind == 'service':
            return self.service_sid(value)
        if kind == 'number':
            return SYSTEM.pn_sid(value)
        if kind == 'short_code':
            return sc_sid(value)
        return reference

    def writes(self, start, end):
        return [r for r in self.emu.requests() if start < r['seq'] <= end and r['method'] in WRITE_METHODS]

    def check(self, expect, workdir):
        """One declared effect, read from the emulator's /v1 state (or a file the block wrote)."""
        if 'file' in expect:
            path = os.path.join(workdir, expect['file'])
            assert os.path.isfile(path), 'the block did not write %s in the directory it ran in' % expect['file']
            return
        resources = [k for k in expect if k not in ('service', 'session', 'count')]
        assert len(resources) == 1, 'setups.yml: an expect entry names one resource list: %r' % expect
        resource, where = resources[0], expect[resources[0]] or {}
        if resource == 'services':
            path = '/Services'
        else:
            service = self.service_sid(expect['service'])
            path = '/Services/%s' % service
            if 'session' in expect:
                path += '/Sessions/%s' % self.session_sid(service, expect['session'])
            path += '/' + ''.join(word.capitalize() for word in resource.split('_'))
        records = self.emu.records(path, resource)
        matching = [r for r in records if all(matches(r.get(k), v) for k, v in where.items())]
        want = expect.get('count', 1)
        assert len(matching) == want, 'expected %d of %s matching %r, found %d: %s' % (
            want, path, where, len(matching), json.dumps(matching)[:1500])


def matches(actual, wanted):
    if isinstance(wanted, str) and '*' in wanted:
        return isinstance(actual, str) and fnmatch.fnmatchcase(actual, wanted)
    return actual == wanted


def substitute(text, setup, api):
    for placeholder, reference in setup.placeholders.items():
        if placeholder in text:
            text = text.replace(placeholder, api.resolve(reference))
    return text


def doubled(tasks, setup):
    """Each task of an example wrapped in a block named after it and run twice in a row: the second run must
    change nothing. Declared set-up steps (``before``) run just before a task's first run."""
    result = []
    before = setup.get('before', {})
    for index, task in enumerate(tasks or [], 1):
        for step in before.get(task.get('name'), []):
            result.append({'name': 'set-up before example %d' % index, 'ansible.builtin.uri': {
                'url': '{{ lookup("ansible.builtin.env", "EXAMPLE_EMULATOR_URL") }}/_emulator/%s' % step['path'],
                'method': 'POST', 'body_format': 'json', 'body': step.get('body', {})}})
        for run in (1, 2):
            result.append({'name': 'example %d run %d' % (index, run), 'block': [copy.deepcopy(task)]})
    return result


def names_of(tasks):
    """index -> task name (the top-level tasks of an example, as numbered by doubled())."""
    return dict((i, (t or {}).get('name') or '') for i, t in enumerate(tasks or [], 1))


def playbook_for(block, text, setup):
    data = yaml.safe_load(text)
    if block.kind == 'tasks':
        plays = [{'name': 'example %s' % block.id, 'hosts': 'localhost', 'gather_facts': False, 'tasks': data}]
    else:
        plays = data
    out, names = [], {}
    for play in plays:
        play = dict(play)
        tasks = play.get('tasks') or []
        offset = len(names)
        for i, name in names_of(tasks).items():
            names[offset + i] = name
        wrapped = doubled(tasks, setup)
        # Renumber so that the indexes are unique over every play of the file.
        for entry in wrapped:
            match = re.match(r'^(example|set-up before example) (\d+)(.*)$', entry['name'])
            entry['name'] = '%s %d%s' % (match.group(1), int(match.group(2)) + offset, match.group(3))
        play['tasks'] = wrapped
        out.append(play)
    return out, names


def inventory_for(setup):
    inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                 'ansible_python_interpreter': sys.executable}},
                         'children': {}}}
    for group, hosts in (setup.get('inventory') or {}).items():
        members = {}
        for host, host_vars in hosts.items():
            members[host] = dict(host_vars or {}, ansible_connection='local',
                                 ansible_python_interpreter=sys.executable)
        inventory['all']['children'][group] = {'hosts': members}
    return inventory


def environment(emulator, workdir):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('TWILIO_', 'ANSIBLE_CALLBACK')))
    env.update(ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', ANSIBLE_DEPRECATION_WARNINGS='0',
               ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_RETRY_FILES_ENABLED='0',
               ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
               ANSIBLE_CALLBACKS_ENABLED='example_results',
               EXAMPLE_RESULTS_FILE=os.path.join(str(workdir), 'results.jsonl'),
               EXAMPLE_EMULATOR_URL=emulator.url,
               TWILIO_PROXY_API_URL=emulator.url, TWILIO_ACCOUNT_SID=ACCOUNT_SID,
               TWILIO_AUTH_TOKEN=emulator.auth_token,
               PATH=BIN + os.pathsep + os.environ.get('PATH', ''))
    return env


def results(workdir):
    path = os.path.join(str(workdir), 'results.jsonl')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    os.remove(path)
    return entries


def run(cmd, cwd, env, timeout=300):
    """Runs a command in a process group of its own, its output into a file (a background process it leaves, such
    as an emulator a failed script never stopped, cannot hold the test up); what it leaves running is ended."""
    log = os.path.join(str(cwd), 'output.log')
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = 'killed after %d s' % timeout
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            proc.wait()
    with open(log) as out:
        return rc, out.read()


def tree(path):
    """The installed collection's files: no example may write into it."""
    listing = set()
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        listing.update(os.path.relpath(os.path.join(folder, f), path) for f in files if not f.endswith('.pyc'))
    return listing


def console_commands(block, setup):
    """The commands of a console block, joined over line continuations; prompts and output lines dropped; the
    commands a declaration skips (each with its reason) left out."""
    lines = block.text.splitlines()
    prompted = any(line.startswith('$ ') for line in lines)
    commands, current = [], ''
    for line in lines:
        if prompted and not current:
            if not line.startswith('$ '):
                continue
            line = line[2:]
        if not current and (not line.strip() or line.strip().startswith('#')):
            continue
        current += line
        if current.endswith('\\'):
            current = current[:-1] + ' '
            continue
        commands.append(current)
        current = ''
    skip = setup.get('skip', {})
    return [c for c in commands if not any(re.search(pattern, c) for pattern in skip)]


def effect_failures(entries, names, setup, api):
    """What the per-task results say is wrong: failures, a second run that changed something or wrote, check mode
    that wrote, a task named for an effect that had none."""
    problems = []
    unchanged_ok = setup.get('unchanged_ok', {})
    not_idempotent = setup.get('not_idempotent', {})
    for entry in entries:
        label = 'task %r (example task %s, run %s)' % (entry['task'], entry['example'], entry['run'])
        if entry['outcome'] == 'failed':
            problems.append('%s failed: %s' % (label, entry['msg']))
            continue
        writes = api.writes(entry['start'], entry['end'])
        name = names.get(entry['example'], entry['task'])
        if entry['check_mode'] and writes:
            problems.append('%s ran in check mode and wrote: %s' % (label, [(w['method'], w['path']) for w in writes]))
        if entry['run'] == 2 and not entry['check_mode'] and name not in not_idempotent:
            if entry['changed'] or writes:
                problems.append('%s: the second run changed something (changed=%s, writes %s)' % (
                    label, entry['changed'], [(w['method'], w['path']) for w in writes]))
        if (entry['run'] == 1 and not entry['check_mode'] and entry['action'].startswith('community.twilio.')
                and not entry['action'].endswith('_info') and EFFECT_RE.match(name or '')
                and name not in unchanged_ok and not entry['changed']):
            problems.append('%s says it acts, but changed nothing in its set-up' % label)
    return problems


def run_playbook_block(block, setup, api, emulator, workdir):
    text = substitute(block.text, setup, api)
    plays, names = playbook_for(block, text, setup)
    with open(os.path.join(str(workdir), 'example.yml'), 'w') as f:
        yaml.safe_dump(plays, f, sort_keys=False)
    with open(os.path.join(str(workdir), 'inventory.yml'), 'w') as f:
        yaml.safe_dump(inventory_for(setup), f)
    with open(os.path.join(str(workdir), 'vars.yml'), 'w') as f:
        yaml.safe_dump(setup.get('vars', {}), f)
    rc, out = run([os.path.join(BIN, 'ansible-playbook'), '-i', 'inventory.yml', '-e', '@vars.yml', 'example.yml'],
                  workdir, environment(emulator, workdir))
    entries = results(workdir)
    problems = effect_failures(entries, names, setup, api)
    for key in ('before', 'unchanged_ok', 'not_idempotent'):
        for name in setup.get(key, {}):
            if name not in names.values():
                problems.append('setups.yml, %s: %s names a task the block does not have: %r'
                                % (block.id, key, name))
    ran = set((e['example'], e['run']) for e in entries if e['example'] is not None)
    for index in names:
        for again in (1, 2):
            if (index, again) not in ran:
                problems.append('example task %d (%r) has no result for run %d' % (index, names[index], again))
    if rc != 0 and not problems:
        problems.append('ansible-playbook exited %d' % rc)
    return problems, out


def run_console_block(block, setup, api, emulator, workdir, found):
    kept = console_commands(block, setup)
    for name, source in (setup.get('files') or {}).items():
        source_block = [b for b in found if b.id == source]
        assert source_block, 'setups.yml, %s: files: %s names no block (%s)' % (block.id, name, source)
        with open(os.path.join(str(workdir), name), 'w') as f:
            f.write(substitute(source_block[0].text, setup, api))
    assert kept, ('%s: every command is skipped; declare the block real_twilio_only or not_run instead'
                  % block.id)
    script = 'set -eo pipefail\n' + '\n'.join(substitute(c, setup, api) for c in kept) + '\n'
    problems, outputs, env = [], [], environment(emulator, workdir)
    for again in (1, 2):
        mark = max([r['seq'] for r in emulator.requests()] or [0])
        rc, out = run(['bash', '-c', script], workdir, env)
        outputs.append(out)
        entries = results(workdir)
        for entry in entries:
            if entry['outcome'] == 'failed':
                problems.append('run %d: task %r failed: %s' % (again, entry['task'], entry['msg']))
            if entry['check_mode'] and api.writes(entry['start'], entry['end']):
                problems.append('run %d: task %r ran in check mode and wrote' % (again, entry['task']))
        if rc != 0:
            problems.append('run %d: the commands exited %d' % (again, rc))
            break
        if again == 2:
            end = max([r['seq'] for r in emulator.requests()] or [0])
            writes = api.writes(mark, end)
            if writes:
                sent = [(w['method'], w['path']) for w in writes]
                problems.append('the second run of the commands wrote: %s' % sent)
    return problems, '\n'.join(outputs)


def check_static(block, installed):
    """A kind with no runner here (a rulebook needs ansible-rulebook and Java): it parses, and every
    community.twilio plugin it names exists in the installed collection."""
    data = yaml.safe_load(block.text)
    names = set(re.findall(r'community\.twilio\.(\w+)', block.text))
    assert data, '%s: the example is empty' % block.where
    for name in names:
        hits = [p for p in ('plugins/modules', 'plugins/inventory', 'extensions/eda/plugins/event_source')
                if os.path.isfile(os.path.join(installed, p, name + '.py'))]
        assert hits, '%s: names community.twilio.%s, which the collection does not have' % (block.where, name)


def test_example(block, installed, setups, emulator, tmp_path):
    setup = Setup(setups, block)
    cat = category(block, setups)
    if cat in ('real_twilio_only', 'not_run'):
        assert str(setup.get(cat)).strip(), 'setups.yml, %s: %s needs its reason' % (block.id, cat)
        pytest.skip('%s: %s' % (cat, setup.get(cat)))
    if cat == 'checked':
        check_static(block, installed)
        return
    assert block.kind in ('tasks', 'playbook', 'console'), (
        '%s (%s): a %s block has no runner; declare it not_run or real_twilio_only with the reason in '
        'tests/examples/setups.yml' % (block.id, block.where, block.kind))
    api = Api(emulator)
    api.seed(setup.seed)
    before = tree(installed)
    if block.kind == 'console':
        problems, out = run_console_block(block, setup, api, emulator, tmp_path, discovered()[1])
    else:
        problems, out = run_playbook_block(block, setup, api, emulator, tmp_path)
    written = sorted(tree(installed) - before)
    if written:
        problems.append('wrote into the installed collection: %s' % written)
        for rel in written:  # so that the next blocks find the collection as installed
            try:
                os.remove(os.path.join(installed, rel))
            except FileNotFoundError:  # removed by the other worker, which saw it too
                pass
    for expect in setup.get('expect', []):
        try:
            api.check(expect, str(tmp_path))
        except AssertionError as error:
            problems.append('stated effect not found: %s' % error)
    assert not problems, '%s (%s):\n  %s\n--- output (tail) ---\n%s' % (
        block.id, block.where, '\n  '.join(problems), out[-4000:])


def test_declarations_name_blocks(setups):
    """A declaration whose block is gone (renamed heading, removed example) is stale: it would silently apply to
    nothing."""
    ids = set(b.id for b in discovered()[1])
    stale = sorted(set((setups.get('blocks') or {})) - ids)
    assert not stale, 'setups.yml declares blocks that do not exist: %s' % stale
