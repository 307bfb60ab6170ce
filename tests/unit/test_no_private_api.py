# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/sanity/extra/no-private-api.py finds each use of a library's private API, and nothing else."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, 'tests', 'sanity', 'extra', 'no-private-api.py')

OFFENDING = {
    'the private _load_params of ansible': '''
        from ansible.module_utils import basic
        raw = basic._load_params()
        ''',
    'a private name imported': '''
        from ansible.module_utils.basic import _load_params
        ''',
    'a private module imported': '''
        import urllib3._collections
        ''',
    'from a private module': '''
        from ansible.module_utils._text import to_text
        ''',
    'an attribute chain of an imported library': '''
        import requests
        requests.adapters._x = 1
        ''',
    'an aliased import': '''
        import requests.adapters as adapters
        adapters.HTTPAdapter._pool = None
        ''',
    'an overridden private hook that calls the base': '''
        from urllib3.connection import HTTPConnection
        class Watched(HTTPConnection):
            def _new_conn(self):
                return super(Watched, self)._new_conn()
        ''',
    "a base's private attribute through self": '''
        from twilio.http.http_client import TwilioHttpClient
        class Client(TwilioHttpClient):
            def last(self):
                return self._test_only_last_response
        ''',
    'a private attribute named to getattr': '''
        import urllib3
        pools = getattr(urllib3, '_pools', None)
        ''',
    'the pool classes replaced through a private attribute': '''
        from requests.adapters import HTTPAdapter
        class Adapter(HTTPAdapter):
            def init_poolmanager(self, *args, **kwargs):
                super().init_poolmanager(*args, **kwargs)
                self.poolmanager._pools = {}
        ''',
}

CLEAN = {
    "the collection's own private module_utils": '''
        from ansible_collections.community.twilio.plugins.module_utils._client import TwilioClient
        from ansible_collections.community.twilio.plugins.module_utils import _kinds
        _kinds.UTC
        ''',
    'dunders': '''
        import requests
        class Session(requests.Session):
            def __init__(self):
                super(Session, self).__init__()
        name = requests.__name__
        ''',
    "a derived class's own private helpers and attributes": '''
        from twilio.http.http_client import TwilioHttpClient
        class Client(TwilioHttpClient):
            def __init__(self):
                super(Client, self).__init__()
                self._sent = 0
            def _attempt(self):
                self._sent += 1
                return self._attempt_again()
            def _attempt_again(self):
                return self._sent
        ''',
    'public APIs only': '''
        import requests
        from urllib3.exceptions import NewConnectionError
        session = requests.Session()
        response = session.get('https://proxy.twilio.com', timeout=(3, 3), hooks={'response': [print]})
        response.raw.shutdown()
        ''',
    'private attributes of things that are not a library': '''
        import os
        os._exit
        class Mine(object):
            def run(self):
                return self._state
        ''',
    "an action plugin's task": '''
        from ansible.plugins.action import ActionBase
        class ActionModule(ActionBase):
            def run(self, tmp=None, task_vars=None):
                return self._task.check_mode
        ''',
}


def run_check(tmp_path, files, *args):
    """Run the check from a repository root holding ``files`` ({path: source}): (exit status, output lines)."""
    for path, text in files.items():
        target = tmp_path.joinpath(*path.split('/'))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    proc = subprocess.run([sys.executable, CHECK] + list(args), cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    return proc.returncode, proc.stdout.splitlines()


@pytest.mark.parametrize('case', sorted(OFFENDING))
def test_each_use_of_a_private_api_is_reported(tmp_path, case):
    status, lines = run_check(tmp_path, {'plugins/module_utils/_x.py': OFFENDING[case]})
    assert status == 1, case
    assert lines and all(line.startswith('plugins/module_utils/_x.py:') for line in lines), lines
    path, line, col, message = lines[0].split(':', 3)
    assert int(line) >= 1 and int(col) >= 1 and message.strip()


@pytest.mark.parametrize('case', sorted(CLEAN))
def test_clean_code_passes(tmp_path, case):
    assert run_check(tmp_path, {'plugins/modules/x.py': CLEAN[case]}) == (0, [])


def test_findings_name_the_place_and_the_attribute(tmp_path):
    status, lines = run_check(tmp_path, {'extensions/eda/plugins/event_source/x.py': OFFENDING[
        'the private _load_params of ansible']})
    assert (status, lines) == (1, ['extensions/eda/plugins/event_source/x.py:3:7: private attribute _load_params '
                                   'of ansible.module_utils.basic'])


def test_only_plugins_and_extensions_are_walked_unless_files_are_named(tmp_path):
    files = {'tests/unit/x.py': OFFENDING['a private name imported'], 'plugins/modules/y.py': CLEAN['dunders']}
    assert run_check(tmp_path, files) == (0, [])
    status, lines = run_check(tmp_path, {}, 'tests/unit/x.py')
    assert status == 1 and lines[0].startswith('tests/unit/x.py:2:1: import of the private name _load_params')


def test_the_collection_itself_is_clean():
    proc = subprocess.run([sys.executable, CHECK], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, '')
