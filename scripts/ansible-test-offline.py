# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one workaround the environment forces: ansible-test offline.

ansible-test --venv bootstraps pip in every venv it makes with get-pip-<version>.py, downloaded from an Ansible CI
host (ci-files.testing.ansible.com) that is not reachable from every machine (not from ours, nor from CI), unless
~/.ansible/test/cache/get_pip_<version>.py is there already. This writes that file under $HOME (the noxfile gives
each ansible-test session a HOME of its own), a stand-in that uses ensurepip and then PyPI, for each pip version
the ansible-test of the running venv pins. The versions come from ansible-test itself: get_venv_packages(), the
function its bootstrap calls, asked for every Python it supports. That is a private import of ansible-test, and the
only one in the project; delete this file when the host is reachable.
"""

import os
import types

from ansible_test._internal.python_requirements import get_venv_packages
from ansible_test._util.target.common.constants import CONTROLLER_PYTHON_VERSIONS, REMOTE_ONLY_PYTHON_VERSIONS

STAND_IN = '''# Written by community.twilio scripts/ansible-test-offline.py: get-pip.py offline (ensurepip, then PyPI).
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--disable-pip-version-check'] + args)
'''


def main():
    cache = os.path.expanduser('~/.ansible/test/cache')
    os.makedirs(cache, exist_ok=True)
    for python_version in CONTROLLER_PYTHON_VERSIONS + REMOTE_ONLY_PYTHON_VERSIONS:
        pip = get_venv_packages(types.SimpleNamespace(version=python_version))['pip']
        path = os.path.join(cache, 'get_pip_%s.py' % pip.replace('.', '_'))
        with open(path + '.tmp', 'w') as stand_in:
            stand_in.write(STAND_IN)
        os.replace(path + '.tmp', path)  # atomic: a reader never sees half a file


if __name__ == '__main__':
    main()
