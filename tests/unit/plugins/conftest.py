# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the module tests: ``twilio``, the one fake Twilio, installed under the real client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.community.twilio.tests.unit.plugins.module_utils.fakes import FakeTwilio


@pytest.fixture
def twilio(monkeypatch):
    """A :class:`FakeTwilio` answering every request of the test; no TWILIO_* variable of the machine leaks in.

    It fetches a record by its unique_name as by its SID, as Twilio does for Services and Sessions; a test of the
    other case sets ``twilio.fetch_by = ()``.
    """
    for name in list(os.environ):
        if name.startswith('TWILIO_'):
            monkeypatch.delenv(name)
    fake = FakeTwilio(fetch_by=('unique_name',))
    with fake.installed():
        yield fake
