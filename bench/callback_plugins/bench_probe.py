# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark probe (bench/ only, not shipped): at every task start, note the wall clock and the emulator's
request-log position; at the end, write them to $BENCH_PROBE_OUT as JSON. Task i then owns the requests logged
between its start and the next task's start, and its duration is the gap between the two starts (the linear
strategy and one host run tasks one after another); a loop's items end at the times noted in ``items``."""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_probe
type: aggregate
short_description: task start times and emulator request-log positions, for bench/
description: Used by bench/run.py only.
"""

import json
import os
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_probe'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.url = os.environ['BENCH_EMULATOR_URL'].rstrip('/') + '/_emulator/requests?since=%d'
        self.out = os.environ['BENCH_PROBE_OUT']
        self.seq = 0
        self.marks = []
        self.failed = []

    def _position(self):
        with urllib.request.urlopen(self.url % self.seq) as response:
            entries = json.load(response)['requests']
        if entries:
            self.seq = entries[-1]['seq']
        return self.seq

    def _mark(self, name):
        seq = self._position()
        self.marks.append({'task': name, 'seq': seq, 'time': time.perf_counter(), 'items': []})

    def _item(self, result):
        self.marks[-1]['items'].append(time.perf_counter())

    v2_runner_item_on_ok = v2_runner_item_on_failed = v2_runner_item_on_skipped = _item

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._mark(task.get_name())

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self.failed.append({'task': result.task_name, 'msg': result._result.get('msg')})

    def v2_playbook_on_stats(self, stats):
        self._mark('(end)')
        with open(self.out, 'w') as handle:
            json.dump({'marks': self.marks, 'failed': self.failed}, handle)
