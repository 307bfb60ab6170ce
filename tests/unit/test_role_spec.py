# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/role_spec.py: a field in a module's spec is in the estate role's spec, converged, and exported or said not
to be. The docs stage runs the generator on the modules' real documentation (ansible-doc) and compares the committed
files byte for byte; here the modules' options are the ones the committed spec holds, so that a field can be added."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import importlib.util
import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load_generator():
    spec = importlib.util.spec_from_file_location('role_spec', os.path.join(ROOT, 'scripts', 'role_spec.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


role_spec = _load_generator()


def load(*path):
    with open(os.path.join(ROOT, *path), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def services_of(spec):
    return spec['argument_specs']['converge']['options']['estate_data']['options']['services']['options']


def as_module(options, from_var=()):
    """The role's options as a module documents them: suboptions, str for a URL the role takes as {var: NAME}."""
    out = {}
    for name, entry in options.items():
        entry = dict(entry)
        if 'options' in entry:
            entry['suboptions'] = as_module(entry.pop('options'))
        if name in from_var:
            entry['type'] = 'str'
        out[name] = entry
    return out


@pytest.fixture
def options():
    """{module: options} as ansible-doc would give them, rebuilt from the committed spec, with a connection option
    that every module has (and a module of the action group that has only that)."""
    source_services = services_of(load(role_spec.SOURCE))
    services = services_of(load(role_spec.SPEC))
    own = set(source_services) - {'_model'}
    connection = {'account_sid': {'type': 'str', 'description': 'The account.'}}
    service = as_module({k: v for k, v in services.items() if k not in own},
                        source_services['_model']['from_var'])
    pool = as_module(services['pool']['options'])
    pool['service_sid'] = {'type': 'str', 'required': True}
    sessions = {'sessions': {'type': 'list', 'elements': 'dict', 'required': True,
                             'suboptions': as_module(services['sessions']['options'])},
                'service_sid': {'type': 'str', 'required': True}}
    modules = {'community.twilio.proxy_service': service, 'community.twilio.proxy_pool': pool,
               'community.twilio.proxy_sessions': sessions, 'community.twilio.proxy_service_info': {}}
    for opts in modules.values():
        opts.update(copy.deepcopy(connection))
    return modules


def committed(path):
    with open(os.path.join(ROOT, path), encoding='utf-8') as handle:
        return handle.read()


def test_the_committed_files_are_what_the_modules_options_give(options):
    files = role_spec.generated(options)
    assert sorted(files) == sorted((role_spec.SPEC, role_spec.EXPORT) + role_spec.TASK_FILES)
    for path, text in files.items():
        assert text == committed(path), path
    assert 'account_sid' not in services_of(yaml.safe_load(files[role_spec.SPEC]))


def export_line(files, name):
    return [line for line in files[role_spec.EXPORT].splitlines() if line.startswith(name + ' = ')]


def test_a_new_field_is_specified_converged_and_exported(options):
    options['community.twilio.proxy_service']['hold_music_url'] = {'type': 'str', 'description': 'Music.'}
    options['community.twilio.proxy_sessions']['sessions']['suboptions']['priority'] = {
        'type': 'int', 'choices': [1, 2, 3], 'description': 'How urgent.'}
    files = role_spec.generated(options)
    services = services_of(yaml.safe_load(files[role_spec.SPEC]))
    assert services['hold_music_url'] == {
        'description': 'As O(community.twilio.proxy_service#module:hold_music_url).', 'type': 'str'}
    assert services['sessions']['options']['priority']['choices'] == [1, 2, 3]
    assert ('    hold_music_url: "{{ estate_service.hold_music_url | default(omit) }}"'
            in files['roles/estate/tasks/service.yml'].splitlines())
    # Sessions are passed whole to proxy_sessions: the spec is what lets the new key through.
    assert export_line(files, 'SERVICE_FIELDS') == [
        "SERVICE_FIELDS = ('chat_instance_sid', 'default_ttl', 'geo_match_level', 'hold_music_url', "
        "'number_selection_behavior')"]
    assert export_line(files, 'SESSION_FIELDS') == ["SESSION_FIELDS = ('date_expiry', 'mode', 'priority', 'ttl')"]
    # a URL the role takes from a variable is exported only where it carries no secret: its own list
    assert export_line(files, 'URL_FIELDS') == [
        "URL_FIELDS = ('callback_url', 'intercept_callback_url', 'out_of_session_callback_url')"]


def test_a_removed_field_the_source_still_names_is_an_error(options):
    del options['community.twilio.proxy_service']['state']
    with pytest.raises(role_spec.Problem, match='override names state, not an option of community.twilio.proxy_service'):
        role_spec.generated(options)


def test_a_field_no_module_has_is_no_longer_exported(options):
    del options['community.twilio.proxy_service']['default_ttl']
    files = role_spec.generated(options)
    assert export_line(files, 'SERVICE_FIELDS') == [
        "SERVICE_FIELDS = ('chat_instance_sid', 'geo_match_level', 'number_selection_behavior')"]
