# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The examples stage: the installed collection, one emulator per worker (reset before every block), and the count
of blocks found, run, real-Twilio-only, not run and checked without running, printed at the end."""

import importlib.util
import os

import pytest
import yaml

import blocks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SETUPS = os.path.join(HERE, 'setups.yml')


def load_system_helpers():
    """The emulator process and its control API as the system tests drive them (tests/system/conftest.py), loaded
    under a name of its own so that it is one code for both stages and not a second conftest."""
    spec = importlib.util.spec_from_file_location('system_helpers', os.path.join(ROOT, 'tests', 'system',
                                                                                 'conftest.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SYSTEM = load_system_helpers()


def collection_dir():
    """community.twilio as installed in $ANSIBLE_COLLECTIONS_PATH (what users get), or None."""
    for path in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        candidate = os.path.join(path, 'ansible_collections', 'community', 'twilio')
        if path and os.path.isfile(os.path.join(candidate, 'MANIFEST.json')):
            return candidate
    return None


def load_setups():
    with open(SETUPS) as f:
        return yaml.safe_load(f)


def discovered():
    installed = collection_dir()
    if installed is None:
        return None, []
    return installed, blocks.all_blocks(installed, ROOT)


def category(block, setups):
    """run, real_twilio_only, not_run or checked (kinds with no runner here, checked without running)."""
    declared = (setups.get('blocks') or {}).get(block.id) or {}
    for name in ('real_twilio_only', 'not_run'):
        if declared.get(name):
            return name
    if block.kind in ('rulebook', 'inventory'):
        return 'checked'
    return 'run'


def pytest_generate_tests(metafunc):
    if 'block' in metafunc.fixturenames:
        installed, found = discovered()
        if installed is None:
            pytest.fail('community.twilio is not installed in $ANSIBLE_COLLECTIONS_PATH (%r): run `make examples`'
                        % os.environ.get('ANSIBLE_COLLECTIONS_PATH', ''))
        metafunc.parametrize('block', found, ids=[b.id for b in found])


@pytest.fixture(scope='session')
def installed():
    path = collection_dir()
    if path is None:
        pytest.fail('community.twilio is not installed in $ANSIBLE_COLLECTIONS_PATH')
    return path


@pytest.fixture(scope='session')
def setups():
    return load_setups()


@pytest.fixture(scope='session')
def emulator(tmp_path_factory):
    emu = SYSTEM.Emulator(tmp_path_factory.mktemp('emulator'), '--quiet')
    yield emu
    emu.stop()


def pytest_terminal_summary(terminalreporter):
    installed, found = discovered()
    if installed is None:
        return
    setups = load_setups()
    counts, reasons = {}, []
    for block in found:
        cat = category(block, setups)
        counts[cat] = counts.get(cat, 0) + 1
        if cat != 'run':
            declared = (setups.get('blocks') or {}).get(block.id) or {}
            reasons.append('  %-17s %s: %s' % (cat, block.id, declared.get(cat) or 'no runner for a %s here: '
                                               'checked without running' % block.kind))
    plugins = sum(1 for b in found if b.id.startswith(('plugins/', 'extensions/')))
    playbooks = sum(1 for b in found if b.id.startswith('examples/'))
    terminalreporter.section('examples')
    terminalreporter.write_line('examples: %d blocks found (%d plugin EXAMPLES, %d in Markdown, %d playbooks of '
                                'examples/): %d run, %d real Twilio only, %d not run, %d checked without running'
                                % (len(found), plugins, len(found) - plugins - playbooks, playbooks,
                                   counts.get('run', 0),
                                   counts.get('real_twilio_only', 0), counts.get('not_run', 0),
                                   counts.get('checked', 0)))
    for line in reasons:
        terminalreporter.write_line(line)
