# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test doubles for the engine's unit tests: a module that records its exit, and an in-memory Twilio.

The fake Twilio stands in for the network only; the engine under test is the real one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import itertools

from ansible_collections.community.twilio.plugins.module_utils._client import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._engine import argument_spec

_counter = itertools.count()

KS = 'KS' + 'a' * 32
# Connection options of every unit test: a loopback URL nothing listens on, no retries, a token to look for.
CREDS = dict(account_sid='AC' + '0' * 32, auth_token='secrettoken0000000000000000000000', api_url='http://127.0.0.1:1',
             timeout=5.0, max_retries=0, max_retry_time=1.0)


def module_params(resource, extra_spec=None, **given):
    """What AnsibleModule would hand the engine: every option at its default, then CREDS, then ``given``."""
    spec = argument_spec(resource, extra_spec)
    result = dict((name, option.get('default')) for name, option in spec.items())
    result.update(CREDS)
    if 'service_sid' in spec:
        result['service_sid'] = KS
    result.update(given)
    return result


class Exit(Exception):
    def __init__(self, kind, result):
        super(Exit, self).__init__(kind)
        self.kind = kind
        self.result = result


class FakeModule:
    def __init__(self, params, check_mode=False, diff=True):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []

    def fail_json(self, **result):
        raise Exit('fail', result)

    def exit_json(self, **result):
        raise Exit('exit', result)

    def warn(self, text):
        self.warnings.append(text)


def new_sid(prefix):
    return prefix + hashlib.sha256(str(next(_counter)).encode()).hexdigest()[:32]


class FakeTwilio:
    """Collections keyed by URI; every call is recorded as (method, uri)."""

    def __init__(self, page_size=2):
        self.collections = {}
        self.calls = []
        self.page_size = page_size
        self.pages_read = 0
        self.fetch_by_key = True
        self.read_only = False
        self.fail_next_create = None

    def add(self, uri, record):
        self.collections.setdefault(uri, []).append(record)
        return record

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != 'GET']

    def _find(self, uri):
        collection, ident = uri.rsplit('/', 1)
        for record in self.collections.get(collection, []):
            if record['sid'] == ident or (self.fetch_by_key and record.get('unique_name') == ident):
                return collection, record
        return collection, None

    def _write(self, method, uri):
        if self.read_only:
            raise RuntimeError('write in check mode: %s %s' % (method, uri))
        self.calls.append((method, uri))

    def fetch(self, uri):
        self.calls.append(('GET', uri))
        return self._find(uri)[1]

    def list(self, uri, key, page_size=100):
        records = list(self.collections.get(uri, []))
        for start in range(0, max(len(records), 1), self.page_size):
            self.calls.append(('GET', uri))
            self.pages_read += 1
            yield from records[start:start + self.page_size]

    def create(self, uri, data):
        self._write('POST', uri)
        if self.fail_next_create is not None:
            error, self.fail_next_create = self.fail_next_create, None
            if error.outcome_unknown:  # the write happened; the client did not see it
                self.collections.setdefault(uri, []).append(self._record(uri, data))
            raise error
        return self.add(uri, self._record(uri, data))

    def _record(self, uri, data):
        record = dict(sid=new_sid('KS'), url=uri)
        for key, value in data.items():
            name = ''.join('_' + c.lower() if c.isupper() else c for c in key).lstrip('_')
            record[name] = int(value) if name in ('default_ttl', 'ttl') else value
        return record

    def update(self, uri, data):
        self._write('POST', uri)
        record = self._find(uri)[1]
        if record is None:
            raise TwilioApiError('not found', status=404, code=20404, method='POST', url=uri)
        record.update(self._record(uri, data), sid=record['sid'], url=record['url'])
        return dict(record)

    def delete(self, uri):
        self._write('DELETE', uri)
        collection, record = self._find(uri)
        if record is None:
            return False
        self.collections[collection].remove(record)
        return True
