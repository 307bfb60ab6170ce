# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The retry policy as a table, and the connection doc fragment held to it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time
from email.utils import formatdate

import pytest
import yaml

from ansible_collections.community.twilio.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.community.twilio.plugins.module_utils import _client
from ansible_collections.community.twilio.plugins.module_utils._errors import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._retry import (
    FAILURES, RetryPolicy, describe, parse_retry_after)


def no_jitter(low, high):
    return high


@pytest.mark.parametrize('method, outcome, retried, unknown', [
    ('POST', 429, True, False),
    ('POST', 503, True, True),    # not processed, say Twilio; when retries run out the engine looks first all the same
    ('POST', 500, False, True),
    ('POST', 502, False, True),
    ('GET', 500, True, True),
    ('DELETE', 504, True, True),
    ('GET', 404, False, False),
    ('POST', 400, False, False),
    ('POST', 'timeout', False, True),
    ('POST', 'dropped', False, True),
    ('GET', 'timeout', True, False),
    ('DELETE', 'dropped', True, False),
    ('POST', 'connect_timeout', True, False),
    ('POST', 'unreachable', True, False),
    ('POST', 'refused', False, False),
    ('GET', 'refused', False, False),
    ('GET', 'unresolved', False, False),
    ('GET', 'tls', False, False),
])
def test_which_outcome_of_which_method_is_retried_and_which_leaves_a_write_unknown(method, outcome, retried, unknown):
    assert RetryPolicy.retryable(method, outcome) is retried
    assert RetryPolicy.outcome_unknown(method, outcome) is unknown


def test_outcome_unknown_reads_an_error_value_as_the_engine_holds_it():
    policy = RetryPolicy()
    assert policy.outcome_unknown('POST', TwilioApiError('x', status=500)) is True
    assert policy.outcome_unknown('POST', TwilioApiError('x', kind='timeout')) is True
    assert policy.outcome_unknown('POST', TwilioApiError('x', kind='refused')) is False
    assert policy.outcome_unknown('POST', TwilioApiError('x', status=400, code=80602)) is False


def test_backoff_is_capped_and_jittered_from_the_base():
    policy = RetryPolicy(jitter=no_jitter)
    assert [policy.backoff(n) for n in range(8)] == [0.5, 1, 2, 4, 8, 16, 20, 20]
    assert all(0 <= RetryPolicy().backoff(n) <= 20 for n in range(20))


def test_limits_end_the_retries():
    policy = RetryPolicy(max_retries=2, max_retry_time=10, jitter=no_jitter)
    assert policy.next_wait('GET', 502, 0, 0) == (0.5, None)
    assert policy.next_wait('GET', 502, 2, 0) == (None, None)         # the count: "(after 3 attempts)" says it
    assert policy.next_wait('POST', 500, 0, 0) == (None, None)        # not retried at all
    wait, why = policy.next_wait('GET', 502, 1, 9.5)
    assert wait is None and 'max_retry_time' in why


def test_retry_after_is_a_floor_the_cap_does_not_cut_and_a_wait_longer_than_what_is_left_stops_at_once():
    policy = RetryPolicy(max_retry_time=60, jitter=no_jitter)
    assert policy.next_wait('POST', 429, 0, 0, '45') == (45, None)
    assert policy.next_wait('POST', 429, 0, 0, 'soon') == (0.5, None)  # unreadable: backoff alone
    wait, why = policy.next_wait('POST', 429, 0, 30, '45')
    assert wait is None and 'Retry-After' in why and '30 s left' in why


def test_retry_after_reads_seconds_and_http_dates():
    now = time.time()
    assert parse_retry_after('7') == 7
    assert parse_retry_after(' 2.5 ') == 2.5
    assert abs(parse_retry_after(formatdate(now + 30, usegmt=True), now=now) - 30) <= 1
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0
    for bad in (None, '', 'soon', 'nan', 'inf', 'Mon, 99 Foo 2026 99:99:99 GMT'):
        assert parse_retry_after(bad) is None


def _connection_doc():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']


def _flat(text):
    return re.sub(r'\s+', ' ', text).strip()


def test_the_connection_doc_fragment_states_the_policy():
    stated = [_flat(line) for line in _connection_doc()['max_retries']['description']]
    for sentence in describe():
        assert _flat(sentence) in stated, 'the connection doc fragment no longer says: %s' % sentence


def test_every_line_of_the_connection_doc_fragment_is_text():
    # a ": " inside a plain YAML list item makes it a mapping, which ansible-doc and antsibull-docs refuse
    for option, spec in _connection_doc().items():
        assert all(isinstance(line, str) for line in spec['description']), option


def test_the_connection_doc_fragment_states_the_page_limit():
    text = _flat(' '.join(_connection_doc()['api_url']['description']))
    assert 'more than %d pages' % _client.MAX_PAGES in text


def test_every_failure_without_a_response_has_a_rule():
    for name, failure in FAILURES.items():
        assert failure.retry in ('any', 'idempotent', 'never'), name
        assert failure.text
