# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The AnsibleModule wiring every module of the collection shares (resource, _info and bulk modules alike).

``build_module`` makes the AnsibleModule; ``run(module, job)`` validates, connects and runs a job, and turns
every failure into ``fail_json``. A job is any object with:

- ``warnings``: a list of sentences, emitted as warnings (also when the job fails);
- ``validate()``: checks every option, raising EngineError or ConfigError, before any request;
- ``execute(client)``: does the work through ``client`` and returns the result dict;
- ``done`` (optional): sentences saying which writes were made. When a job fails after a write, the failure
  says ``changed: true`` and lists them under ``done``.

The secrets of URLs (user info, credential-like query parameters; callback URLs, also malformed ones) are no-log
values before any output, and a list or dict given for a string option is refused (AnsibleModule would send its
Python text; see _not_a_string).
In check mode (and for a read-only job) the client is read-only: a write would be a bug, never a request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.community.twilio.plugins.module_utils._client import (
    HAS_TWILIO, TWILIO_IMPORT_ERROR, TwilioClient)
from ansible_collections.community.twilio.plugins.module_utils._errors import ConfigError, EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import url_secrets


def build_module(argument_spec, **module_kwargs):
    """The AnsibleModule of a module (check mode supported unless said otherwise), its URL secrets registered
    as no-log values and its string options checked for a list or dict the task gave."""
    module_kwargs.setdefault('supports_check_mode', True)
    module = AnsibleModule(argument_spec=argument_spec, **module_kwargs)
    for secret in _secrets(module.params):
        module.no_log_values.add(secret)
    problem = _not_a_string(argument_spec, module.params)
    if problem:
        module.fail_json(msg=problem)
    return module


def _secrets(value):
    found = set()
    if isinstance(value, dict):
        for item in value.values():
            found.update(_secrets(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            found.update(_secrets(item))
    else:
        found.update(url_secrets(value))
    return found


def _not_a_string(spec, params, prefix=''):
    """The first string option given a list or a dict, as an error sentence naming it; None when there is none.

    AnsibleModule turns a list or dict given for a string option into its Python text (``['a', 'b']``), which would
    be sent. That text is recognised exactly: a value that Python's literal syntax reads back as a list or dict
    whose text it is. (A string that is itself such a text, such as ``['a']``, is refused too.)
    """
    for name, option in spec.items():
        value = params.get(name)
        if option.get('type', 'str') == 'str':
            given = _python_text_of(value)
            if given:
                return '%s%s: a string is expected, got a %s' % (prefix, name, given)
        if option.get('options') and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    problem = _not_a_string(option['options'], item, '%s%s: item %d, ' % (prefix, name, index + 1))
                    if problem:
                        return problem
    return None


def _python_text_of(value):
    """'list' or 'dict' when ``value`` is the Python text of a list or a dict, else None."""
    if not isinstance(value, str) or value[:1] not in ('[', '{'):
        return None
    try:
        read = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(read, (list, dict)) and str(read) == value:
        return 'list' if isinstance(read, list) else 'dict'
    return None


def connect(module, client=None, read_only=False):
    """The client of a run: ``client`` when given (tests), else one built from the connection options.
    Read-only in check mode and when ``read_only``."""
    if client is None:
        if not HAS_TWILIO:
            module.fail_json(msg=missing_required_lib('twilio'), exception=str(TWILIO_IMPORT_ERROR))
        client = TwilioClient(module.params)
    client.read_only = bool(module.check_mode or read_only)  # a guard under the guard: check mode cannot write
    return client


def run(module, job, client=None, read_only=False, error_hints=None):
    """validate -> connect -> execute; exit_json with the result, or fail_json naming what went wrong.
    ``error_hints`` maps a Twilio error code to a sentence appended to Twilio's message."""
    try:
        job.validate()
        client = connect(module, client, read_only)
        result = job.execute(client)
    except ConfigError as exc:
        _fail(module, job, msg=str(exc))
    except EngineError as exc:
        _fail(module, job, msg=str(exc), **exc.extra)
    except TwilioApiError as exc:
        _fail(module, job, msg=str(exc) + hint(error_hints, exc), error=exc.as_dict())
    _warn(module, job)
    module.exit_json(**result)


def hint(error_hints, exc):
    """The sentence appended to Twilio's message: ``error_hints[code]`` is a sentence, or a list of
    (words of Twilio's message, sentence) pairs where the first pair whose words appear wins (None: any)."""
    entry = (error_hints or {}).get(exc.code, '')
    if isinstance(entry, str):
        return entry
    for words, sentence in entry:
        if words is None or words.lower() in (exc.message or '').lower():
            return sentence
    return ''


def _warn(module, job):
    for warning in getattr(job, 'warnings', ()):
        module.warn(warning)


def _fail(module, job, **result):
    _warn(module, job)
    done = list(getattr(job, 'done', None) or [])
    if done:  # a write happened before the failure: say so, and what it was
        result['changed'] = True
        result['done'] = done
        result['msg'] = '%s (after these writes: %s)' % (result['msg'], '; '.join(done))
    module.fail_json(**result)
