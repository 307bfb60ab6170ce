#!/usr/bin/env python
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The estate role at size, side by side with the per-session loop it replaced (issue 19).

    ANSIBLE_COLLECTIONS_PATH=<where community.twilio is installed> python bench/estate.py [SESSIONS [OLD_SESSIONS]]

Starts its own emulator with Twilio's rate limit on (30 requests per second per endpoint), seeds one service with
SESSIONS active sessions of two participants each (1,000 by default) through the control API, then times
export_estate (include_sessions=true) and a no-change converge_estate of its file, and counts their requests. The
floor is what Twilio's 30 requests per second allow for the reads they need: one list of services, numbers and
short codes, the session pages (100 a page) and one participant list per session, all on one endpoint each.

The per-session loop (the role as it was before: one proxy_participant_info run per session to export, one
proxy_session run per session to converge; from git, `git show REV:roles/estate`, REV=$ESTATE_OLD_REV, default
a52fa71) runs on OLD_SESSIONS sessions (100 by default: at about a second a session, 1,000 would take 40 minutes);
its time per session is given beside ours. Figures are printed, never asserted.
"""

import base64
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCOUNT_SID, AUTH_TOKEN = 'AC00000000000000000000000000000000', 'emulatorauthtoken000000000000000'
AUTH = 'Basic ' + base64.b64encode(('%s:%s' % (ACCOUNT_SID, AUTH_TOKEN)).encode()).decode()
RPS = 30


def call(url, method='GET', data=None, form=None, auth=False):
    headers = {}
    body = None
    if data is not None:
        body, headers['Content-Type'] = json.dumps(data).encode(), 'application/json'
    if form is not None:
        body, headers['Content-Type'] = urllib.parse.urlencode(form).encode(), 'application/x-www-form-urlencoded'
    if auth:
        headers['Authorization'] = AUTH
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b'{}')


def log_position(base):
    requests = call(base + '/_emulator/requests')['requests']
    return max([r['seq'] for r in requests] or [0])


def requests_since(base, mark):
    return call(base + '/_emulator/requests?since=%d' % mark)['requests']


def run(base, argv, cwd, env):
    mark = log_position(base)
    start = time.monotonic()
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    seconds = time.monotonic() - start
    if done.returncode:
        sys.stdout.write(done.stdout[-3000:])
        raise SystemExit('%s failed' % ' '.join(argv[:2]))
    requests = requests_since(base, mark)
    changed = [line for line in done.stdout.splitlines() if line.startswith('localhost') and 'changed=' in line]
    return dict(seconds=seconds, requests=len(requests), writes=sum(r['method'] != 'GET' for r in requests),
                throttled=sum(r['status'] == 429 for r in requests),
                changed=changed[-1].split('changed=')[1].split()[0] if changed else '?')


def seed(base, name, sessions):
    call(base + '/_emulator/reset', 'POST', data={})
    call(base + '/v1/Services', 'POST', form={'UniqueName': name}, auth=True)
    call(base + '/_emulator/seed', 'POST', data={'service_unique_name': name, 'phone_numbers': 4,
                                                 'sessions': sessions, 'participants': 2, 'prefix': 'ride-'})


def floor(sessions):
    """Seconds Twilio's rate allows for the reads needed: the participant lists (one per session, one endpoint)
    dominate; the other lists (services, numbers, short codes, session pages) are on other endpoints."""
    return max(sessions, 1 + math.ceil(sessions / 100.0)) / float(RPS)


def main():
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    old_sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    work = tempfile.mkdtemp(prefix='estate-bench-')
    emulator = subprocess.Popen([shutil.which('twilio-proxy-emulator') or 'twilio-proxy-emulator', '--host',
                                 '127.0.0.1', '--port', '0', '--quiet', '--rate-limit'],
                                stdout=subprocess.PIPE, text=True)
    try:
        base = emulator.stdout.readline().strip().rstrip('/')
        env = dict(os.environ, TWILIO_PROXY_API_URL=base, TWILIO_ACCOUNT_SID=ACCOUNT_SID,
                   TWILIO_AUTH_TOKEN=AUTH_TOKEN, ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='0')
        # The role as it was: a role of its own (estate_old), run by playbooks written here.
        rev = os.environ.get('ESTATE_OLD_REV', 'a52fa71')
        old = os.path.join(work, 'roles', 'estate_old')
        archive = subprocess.run(['git', '-C', ROOT, 'archive', rev, 'roles/estate'], stdout=subprocess.PIPE,
                                 check=True).stdout
        subprocess.run(['tar', '-x', '-C', work], input=archive, check=True)
        os.rename(os.path.join(work, 'roles', 'estate'), old)
        for entry, extra in (('export', {'estate_include_sessions': True}), ('converge', {})):
            play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False, 'tasks': [
                {'ansible.builtin.include_role': {'name': 'estate_old', 'tasks_from': entry},
                 'vars': dict(extra, estate_file=os.path.join(work, 'old.yml'))}]}]
            with open(os.path.join(work, 'old_%s.yml' % entry), 'w') as handle:
                json.dump(play, handle)
        env_old = dict(env, ANSIBLE_ROLES_PATH=os.path.join(work, 'roles'))

        rows = []
        seed(base, 'bench-estate', sessions)
        new_export = run(base, ['ansible-playbook', 'community.twilio.export_estate', '-e', 'estate_file=new.yml',
                                '-e', 'include_sessions=true'], work, env)
        new_converge = run(base, ['ansible-playbook', 'community.twilio.converge_estate', '-e',
                                  'estate_file=new.yml'], work, env)
        rows.append(('export, this role', sessions, new_export))
        rows.append(('no-change converge, this role', sessions, new_converge))

        seed(base, 'bench-estate', old_sessions)
        old_export = run(base, ['ansible-playbook', 'old_export.yml'], work, env_old)
        old_converge = run(base, ['ansible-playbook', 'old_converge.yml'], work, env_old)
        rows.append(('export, per-session loop', old_sessions, old_export))
        rows.append(('no-change converge, per-session loop', old_sessions, old_converge))

        print('\n%-38s %8s %9s %9s %8s %6s %9s %8s %s' % ('run', 'sessions', 'seconds', 's/session', 'requests',
                                                          'writes', '429s', 'floor s', 'vs floor'))
        for name, count, result in rows:
            print('%-38s %8d %9.1f %9.3f %8d %6d %9d %8.1f %.2fx  changed=%s' % (
                name, count, result['seconds'], result['seconds'] / count, result['requests'], result['writes'],
                result['throttled'], floor(count), result['seconds'] / floor(count), result['changed']))
    finally:
        emulator.terminate()
        emulator.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
