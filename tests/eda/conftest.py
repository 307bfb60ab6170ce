# Copyright (c) community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the EDA tests: the event source loaded from its file, free ports, Twilio-style signing."""

import importlib.util
import pathlib
import socket

import pytest
from twilio.request_validator import RequestValidator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = ROOT / "extensions" / "eda" / "plugins" / "event_source" / "proxy_webhook.py"
TOKEN = "0123456789abcdef0123456789abcdef"   # a test auth token, not a secret of anyone's


def load_source():
    spec = importlib.util.spec_from_file_location("proxy_webhook", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sign(url, fields, token=TOKEN):
    return RequestValidator(token).compute_signature(url, fields)


@pytest.fixture(scope="session")
def source():
    return load_source()
