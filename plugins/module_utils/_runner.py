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
- ``execute(client)``: does the work through ``client`` and returns the result dict.

In check mode (and for a read-only job) the client is read-only: a write would be a bug, never a request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.community.twilio.plugins.module_utils._client import (
    HAS_TWILIO, TWILIO_IMPORT_ERROR, ConfigError, TwilioApiError, TwilioClient)
from ansible_collections.community.twilio.plugins.module_utils._model import EngineError


def build_module(argument_spec, **module_kwargs):
    """The AnsibleModule of a module (check mode supported unless said otherwise)."""
    module_kwargs.setdefault('supports_check_mode', True)
    return AnsibleModule(argument_spec=argument_spec, **module_kwargs)


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
        _fail(module, job, msg=str(exc) + (error_hints or {}).get(exc.code, ''), error=exc.as_dict())
    _warn(module, job)
    module.exit_json(**result)


def _warn(module, job):
    for warning in getattr(job, 'warnings', ()):
        module.warn(warning)


def _fail(module, job, **result):
    _warn(module, job)
    module.fail_json(**result)
