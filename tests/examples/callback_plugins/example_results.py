# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Records, for tests/examples, what each task of an example did: its result (changed, failed, skipped) and the
emulator's request log sequence before and after it, so the runner can tell which task sent which write.

Enabled by the runner only (ANSIBLE_CALLBACKS_ENABLED); writes JSON lines to $EXAMPLE_RESULTS_FILE. The runner
wraps each task of an example in a block named ``example <n> run <1|2>``; that name is how a result is tied to
its task and run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: example_results
type: aggregate
short_description: Records each task's result and the emulator's request log position (tests/examples only)
description:
  - Writes one JSON line per task result to the file named by E(EXAMPLE_RESULTS_FILE).
requirements:
  - E(EXAMPLE_RESULTS_FILE) and E(EXAMPLE_EMULATOR_URL) set by the runner of tests/examples.
'''

import json
import os
import re
import urllib.request

from ansible.plugins.callback import CallbackBase

WRAPPER_RE = re.compile(r'^example (\d+) run (\d)$')


def emulator_seq():
    """The sequence number of the emulator's last logged request (0 when there is none or no emulator)."""
    url = os.environ.get('EXAMPLE_EMULATOR_URL')
    if not url:
        return 0
    with urllib.request.urlopen(url + '/_emulator/requests', timeout=30) as response:
        requests = json.loads(response.read())['requests']
    return max([r['seq'] for r in requests] or [0])


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'example_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.path = os.environ.get('EXAMPLE_RESULTS_FILE')
        self.start = 0

    @staticmethod
    def wrapper(task):
        parent = getattr(task, '_parent', None)
        while parent is not None:
            match = WRAPPER_RE.match(getattr(parent, 'name', None) or '')
            if match:
                return int(match.group(1)), int(match.group(2))
            parent = getattr(parent, '_parent', None)
        return None, None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.start = emulator_seq()

    def record(self, result, outcome):
        if not self.path:
            return
        task = result._task
        index, run = self.wrapper(task)
        raw = result._result
        entry = dict(task=task.get_name(), action=task.action, example=index, run=run, outcome=outcome,
                     changed=bool(raw.get('changed')), check_mode=bool(task.check_mode),
                     start=self.start, end=emulator_seq(), msg=str(raw.get('msg', ''))[:2000])
        with open(self.path, 'a') as out:
            out.write(json.dumps(entry) + '\n')

    def v2_runner_on_ok(self, result):
        self.record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self.record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self.record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self.record(result, 'failed')
