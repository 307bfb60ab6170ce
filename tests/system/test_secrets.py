# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets: every module at -vvvv with --diff and ANSIBLE_LOG_PATH, with an auth token given as options and with
an API key secret from the environment, plus refused wrong credentials. Neither secret (nor its HTTP Basic form)
may appear in the output, the log file, the emulator's access log or its request log. And validate_certs
defaults to true."""

import base64
import json
import os
import secrets
import ssl
import subprocess
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ACCOUNT_SID, API_KEY, BIN, Ansible


def basic(user, password):
    return base64.b64encode(('%s:%s' % (user, password)).encode()).decode()


@pytest.mark.parametrize('credentials', ['auth_token', 'api_key'])
def test_no_secret_appears_anywhere(credentials, start_emulator, tmp_path, figure):
    token, secret = secrets.token_hex(16), secrets.token_hex(16)
    wrong_token, wrong_secret = secrets.token_hex(16), secrets.token_hex(16)
    emulator = start_emulator(auth_token=token, api_secret=secret)  # with its access log on stderr
    ansible = Ansible(emulator, tmp_path)
    if credentials == 'auth_token':  # options, through module_defaults, from a vars file
        extravars = dict(twilio_connection=dict(account_sid=ACCOUNT_SID, auth_token=token, api_url=emulator.url),
                         wrong_credentials=dict(account_sid=ACCOUNT_SID, auth_token=wrong_token))
        env_credentials = None
    else:  # TWILIO_API_KEY / TWILIO_API_SECRET
        extravars = dict(wrong_credentials=dict(api_key=API_KEY, api_secret=wrong_secret))
        env_credentials = 'api_key'
    extravars['prefix'] = credentials
    varsfile = tmp_path / 'vars.json'
    varsfile.write_text(json.dumps(extravars))
    log = tmp_path / 'ansible.log'
    run = ansible.run('every_module.yml', credentials=env_credentials, env=dict(ANSIBLE_LOG_PATH=str(log)),
                      args=['-e', '@%s' % varsfile, '-vvvv', '--diff'])
    assert run.rc == 0, run
    assert run.recap['localhost']['failed'] == 0 and run.recap['localhost']['ignored'] == 2
    requests = emulator.requests()
    emulator.stop()  # flushes its access log
    places = {'ansible-playbook output': run.stdout, 'ANSIBLE_LOG_PATH file': log.read_text(),
              'emulator access log': open(emulator.log_path).read(), 'emulator request log': json.dumps(requests)}
    assert len(places['ANSIBLE_LOG_PATH file']) > 10000 and 'ESTABLISH LOCAL CONNECTION' in run.stdout  # -vvvv
    forbidden = {'auth token': token, 'API secret': secret, 'wrong auth token': wrong_token,
                 'wrong API secret': wrong_secret, 'Basic auth (token)': basic(ACCOUNT_SID, token),
                 'Basic auth (secret)': basic(API_KEY, secret)}
    leaks = ['%s in %s' % (what, where) for where, text in places.items()
             for what, value in forbidden.items() if value in text]
    assert not leaks, leaks
    assert any(r['status'] == 401 for r in requests)  # the wrong credentials really were sent, and refused
    figure('secrets (%s): characters of -vvvv output and log searched, leaks found'
           % credentials.replace('_', ' '), '%d, 0' % sum(len(text) for text in places.values()))


class Recorder(BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        self.seen.append(self.path)
        body = json.dumps({'services': [], 'meta': {'key': 'services', 'next_page_url': None, 'page': 0,
                                                    'page_size': 100}}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_validate_certs_defaults_to_true(ansible, tmp_path):
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', str(key), '-out',
                    str(cert), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server = ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = ansible.run('tls.yml', dict(tls_url='https://127.0.0.1:%d' % server.server_address[1]),
                          env=dict(TWILIO_MAX_RETRIES='0'))
    finally:
        server.shutdown()
        server.server_close()
    assert run.rc == 0, run
    assert Recorder.seen == ['/v1/Services?PageSize=100']  # only the run with validate_certs: false got through


CALLBACK_PLAYBOOK = '''---
- name: Callback URLs that carry a password
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/community.twilio.proxy:
      account_sid: "{{ account }}"
      auth_token: "{{ token }}"
      api_url: "{{ url }}"
  tasks:
    - name: A service whose callback URL has a password
      community.twilio.proxy_service:
        unique_name: hooks
        callback_url: "https://hook:{{ password }}@example.com/proxy"
    - name: The same again, with another URL whose user info is a token
      community.twilio.proxy_service:
        unique_name: hooks
        intercept_callback_url: "https://intercept:{{ other }}@example.com/x"
    - name: A malformed URL carrying a password
      community.twilio.proxy_service:
        unique_name: hooks
        out_of_session_callback_url: "hook:{{ malformed }}@example.com/oos"
      ignore_errors: true
    - name: Read it back
      community.twilio.proxy_service_info:
        unique_name: hooks
'''


def test_callback_url_passwords_never_appear(emulator, tmp_path):
    """Issue 15 item 5: a password in a callback URL (or in a malformed one) is a no-log value before any output:
    not in module_args at -vvvv, not in the log file, not in a validation error."""
    words = dict(password=secrets.token_hex(12), other=secrets.token_hex(12), malformed=secrets.token_hex(12))
    playbook = tmp_path / 'callbacks.yml'
    playbook.write_text(CALLBACK_PLAYBOOK)  # the secrets come from a vars file, as they would in real use
    varsfile = tmp_path / 'vars.json'
    varsfile.write_text(json.dumps(dict(words, account=ACCOUNT_SID, token=emulator.auth_token, url=emulator.url)))
    log = tmp_path / 'ansible.log'
    run = Ansible(emulator, tmp_path).run(str(playbook), env=dict(ANSIBLE_LOG_PATH=str(log)),
                                          args=['-e', '@%s' % varsfile, '-vvvv', '--diff'])
    assert run.rc == 0, run
    assert run.recap['localhost']['ignored'] == 1
    assert 'module_args' in run.stdout and 'is not an http(s) URL' in run.stdout  # what was searched was there
    places = {'ansible-playbook output': run.stdout, 'ANSIBLE_LOG_PATH file': log.read_text()}
    leaks = ['%s in %s' % (what, where) for where, text in places.items()
             for what, value in words.items() if value in text]
    assert not leaks, leaks


SECRET_FORMS_PLAYBOOK = '''---
- name: Secrets in every form (issue 20 item 9)
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/community.twilio.proxy:
      account_sid: "{{ account }}"
      auth_token: "{{ token }}"
      api_url: "{{ url }}"
  tasks:
    - name: Read the service whose URLs were set elsewhere (the modules never saw these secrets)
      community.twilio.proxy_service_info:
        unique_name: forms
      register: read_before
    - name: Converge it with a new password, a new token and a new user info token
      community.twilio.proxy_service:
        unique_name: forms
        callback_url: "https://hook:{{ new_password }}@example.com/proxy?token={{ new_token }}&page=1"
        intercept_callback_url: "https://{{ new_userinfo }}@example.com/intercept?page=2"
      register: converged
    - name: The diff says which secrets changed, and shows none of them
      ansible.builtin.assert:
        that:
          - converged is changed
          - "converged.diff.after.callback_url is search('[(]changed: password, token, not shown[)]$')"
          - "converged.diff.after.intercept_callback_url is search('[(]changed: api_key, user info, not shown[)]$')"
    - name: The masked URL every module prints, given back, is refused naming the option
      community.twilio.proxy_service:
        unique_name: forms
        out_of_session_callback_url: "{{ read_before.services[0].out_of_session_callback_url }}"
      register: masked
      ignore_errors: true
    - name: Refused, before any write
      ansible.builtin.assert:
        that:
          - masked is failed and masked is not changed
          - masked.msg is search('out_of_session_callback_url.*holds the mask')
    - name: Read it back
      community.twilio.proxy_service_info:
        unique_name: forms
'''


def test_secrets_of_every_form_never_appear(emulator, tmp_path):
    """Issue 20 item 9: user info that is a token, credential-like query parameters (token, api_key, access_token,
    auth_token, X-Api-Key, sig, Signature) and passwords, set on Twilio by other means or given to the modules:
    none in the -vvvv output, the log file, a diff, an error or the estate export; a changed one shows in the diff
    without its value; a masked one given back is refused."""
    old = dict((name, 'old%s%s' % (name.replace('_', ''), secrets.token_hex(8))) for name in (
        'password', 'token', 'userinfo', 'sig', 'signature', 'access', 'xkey', 'authtok', 'apikey'))
    new = dict(new_password=secrets.token_hex(12), new_token=secrets.token_hex(12),
               new_userinfo='sk_live_' + secrets.token_hex(12))
    auth = 'Basic ' + basic(ACCOUNT_SID, emulator.auth_token)
    form = urllib.parse.urlencode(dict(
        UniqueName='forms',
        CallbackUrl='https://hook:%(password)s@example.com/proxy?token=%(token)s&page=1' % old,
        InterceptCallbackUrl='https://%(userinfo)s@example.com/intercept?page=2&api_key=%(apikey)s' % old,
        OutOfSessionCallbackUrl=('https://example.com/oos?Signature=%(signature)s&access_token=%(access)s'
                                 '&X-Api-Key=%(xkey)s&auth_token=%(authtok)s#sig=%(sig)s' % old))).encode()
    request = urllib.request.Request(emulator.url + '/v1/Services', data=form, headers={'Authorization': auth})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
    playbook = tmp_path / 'forms.yml'
    playbook.write_text(SECRET_FORMS_PLAYBOOK)
    varsfile = tmp_path / 'vars.json'
    varsfile.write_text(json.dumps(dict(new, account=ACCOUNT_SID, token=emulator.auth_token, url=emulator.url)))
    log = tmp_path / 'ansible.log'
    ansible = Ansible(emulator, tmp_path)
    run = ansible.run(str(playbook), env=dict(ANSIBLE_LOG_PATH=str(log)),
                      args=['-e', '@%s' % varsfile, '-vvvv', '--diff'])
    assert run.rc == 0, run
    assert run.recap['localhost']['ignored'] == 1 and run.recap['localhost']['changed'] == 1
    assert 'holds the mask' in run.stdout and 'changed: password, token, not shown' in run.stdout
    assert run.stdout.count('example.com/oos?Signature=********&access_token=********&X-Api-Key=********'
                            '&auth_token=********#sig=********') >= 2  # what was searched was there
    # the export, through the shipped playbook and the estate role as they are on main
    estate = tmp_path / 'estate.yml'
    export = subprocess.run([os.path.join(BIN, 'ansible-playbook'), 'community.twilio.export_estate', '-e',
                             'estate_file=%s' % estate, '-vvvv', '--diff'], cwd=str(tmp_path),
                            env=ansible.env(extra=dict(ANSIBLE_LOG_PATH=str(log))), capture_output=True, text=True,
                            timeout=600, check=False)
    assert export.returncode == 0, export.stdout[-3000:]
    exported = estate.read_text()
    assert exported.count('is left out: the live URL carries a secret') == 3, exported
    places = {'ansible-playbook output': run.stdout, 'ANSIBLE_LOG_PATH file': log.read_text(),
              'export output': export.stdout + export.stderr, 'estate export': exported}
    leaks = ['%s in %s' % (what, where) for where, text in places.items()
             for what, value in dict(old, **new).items() if value in text]
    assert not leaks, leaks
