# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's metadata agrees with its code (nothing in ansible-test checks these)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.community.twilio.plugins.module_utils._client import COLLECTION_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if name.endswith('.py') and not name.startswith('_'))


def source(name):
    with open(os.path.join(ROOT, 'plugins', 'modules', name + '.py')) as handle:
        return handle.read()


# The modules that talk to Twilio (they take the connection options); the others (estate_file, an action on the
# controller's files) are outside the action group, whose defaults are connection options they would refuse.
API_MODULES = [name for name in MODULES if 'community.twilio.connection' in source(name)]


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def test_action_group_names_every_module_and_nothing_else():
    group = load('meta', 'runtime.yml')['action_groups']['proxy']
    assert sorted(group) == API_MODULES


def test_every_module_documents_the_action_group():
    for name in API_MODULES:
        assert 'community.twilio.attributes' in source(name), name


def test_user_agent_version_is_the_collection_version():
    manifest = os.path.join(ROOT, 'MANIFEST.json')
    if os.path.exists(manifest):  # an installed collection
        import json
        with open(manifest) as handle:
            version = json.load(handle)['collection_info']['version']
    else:
        version = load('galaxy.yml')['version']
    assert COLLECTION_VERSION == version
