# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one Twilio of the unit tests, and a way to run a module as Ansible does.

:class:`FakeTwilio` is a recording transport with none of Twilio's rules. It replaces the last step before the
network (requests' ``HTTPAdapter.send``), so the module, the engine, the collection's client and the Twilio SDK
under test are all the real ones. It answers from what the test put in it:

- records the test ``put`` at a collection URI are listed in pages (``meta.next_page_url``) and fetched at
  ``<collection>/<sid>``, or at ``<collection>/<value>`` of a field named in ``fetch_by`` (the API fetching a
  Service or Session by its unique name);
- a request to the account's 2010-04-01 API (recorded by its whole path) is answered only as the test queued;
- answers the test queues for a method and URI (``answer`` a record, ``refuse`` with Twilio's error code,
  ``fail`` with a transport error) are served first, in order; a POST answer becomes the stored state;
- a DELETE removes a stored record (204), anything else answers 404 (20404);
- a POST nobody answered is a mistake of the test: it raises :class:`UnexpectedRequest` out of the module.

Where a Twilio rule matters to a module's decision (a closed session refuses updates: 80607), the test states
the state or queues Twilio's refusal. Twilio's rules themselves are tested against the emulator (integration).
Every request is recorded as ``Request(method, uri, data, query)``, the URI below ``/v1`` and unquoted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import contextlib
import hashlib
import itertools
import json
import time

import requests

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.six.moves.urllib.parse import parse_qsl, quote, unquote, urlsplit

try:
    from unittest import mock
except ImportError:  # pragma: no cover
    import mock

KS = 'KS' + 'a' * 32
# Connection options of every unit test: a loopback URL nothing listens on, no retries, a token to look for.
CREDS = dict(account_sid='AC' + '0' * 32, auth_token='secrettoken0000000000000000000000', api_url='http://127.0.0.1:1',
             timeout=5.0, max_retries=0, max_retry_time=1.0)
API_HOST = '127.0.0.1:1'
ACCOUNT_API = '/2010-04-01/'  # the account's own resources (IncomingPhoneNumbers); recorded by their whole path
TWILIO_BASE = 'https://proxy.twilio.com/v1'

Request = collections.namedtuple('Request', 'method uri data query')

_counter = itertools.count()


def new_sid(prefix):
    """A fresh, well-formed SID: prefix + 32 hex digits."""
    return prefix + hashlib.sha256(str(next(_counter)).encode()).hexdigest()[:32]


class UnexpectedRequest(BaseException):
    """A request the test gave no answer for; a BaseException so that no ``except Exception`` turns it into a
    module failure a test might take for the expected one."""


class ModuleExit(BaseException):
    """exit_json or fail_json was called (as SystemExit would leave the real one)."""

    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


def snake(name):
    """'PhoneNumbers' -> 'phone_numbers', the key of a list response."""
    return ''.join('_' + c.lower() if c.isupper() else c for c in name).lstrip('_')


def form(body):
    """A form body as {key: value}; a key sent more than once (Participants) as a list of its values."""
    if isinstance(body, bytes):
        body = body.decode('utf-8')
    data = {}
    for key, value in parse_qsl(body or '', keep_blank_values=True):
        if key in data:
            data[key] = (data[key] if isinstance(data[key], list) else [data[key]]) + [value]
        else:
            data[key] = value
    return data


def is_collection(uri):
    """/Services, /Services/KS.../Sessions: an odd number of path segments."""
    return len(uri.strip('/').split('/')) % 2 == 1


def account_page(key, records):
    """A one-page list of the 2010-04-01 API ({key: records, next_page_uri: null}), for a test to answer."""
    return {key: list(records), 'next_page_uri': None, 'page': 0, 'page_size': 50}


def error_body(status, code, message):
    return dict(code=code, message=message, more_info='https://www.twilio.com/docs/errors/%s' % code, status=status)


class FakeTwilio:
    """The API's state as the test states it, and every request the module sent."""

    def __init__(self, page_size=None, fetch_by=()):
        self.collections = {}  # collection URI -> [record]
        self.answers = {}  # (method, URI) -> [(query, (status, body, exception, then))], served in order
        self.requests = []
        self.page_size = page_size  # None: the PageSize the client asks for
        self.fetch_by = tuple(fetch_by)

    # -- what the test states ----------------------------------------------------------------------------------

    def put(self, uri, record):
        """A record in the collection ``uri``; returned, so that the test can use (or change) it."""
        self.collections.setdefault(uri, []).append(record)
        return record

    def records(self, uri):
        return self.collections.get(uri, [])

    def answer(self, method, uri, record=None, status=None, then=None, query=None):
        """The next ``method`` on ``uri`` answers ``record``; ``then`` runs first (another client's write).
        With ``query`` ({'Page': '1'}), only a request whose query string has those values."""
        if status is None:
            status = 204 if method == 'DELETE' else 201 if method == 'POST' and is_collection(uri) else 200
        self._queue(method, uri, query, (status, record, None, then))

    def refuse(self, method, uri, code, message, status=400, then=None, query=None):
        """The next ``method`` on ``uri`` is refused with Twilio's error ``code``."""
        self._queue(method, uri, query, (status, error_body(status, code, message), None, then))

    def fail(self, method, uri, exception, then=None, query=None):
        """The next ``method`` on ``uri`` fails in transport (``requests.exceptions.ReadTimeout()``...)."""
        self._queue(method, uri, query, (None, None, exception, then))

    def _queue(self, method, uri, query, answer):
        self.answers.setdefault((method, uri), []).append((dict(query or {}), answer))

    def _next_answer(self, request):
        queue = self.answers.get((request.method, request.uri), [])
        for index, (query, answer) in enumerate(queue):
            if all(request.query.get(k) == str(v) for k, v in query.items()):
                del queue[index]
                return answer
        return None

    # -- what the test asserts ---------------------------------------------------------------------------------

    @property
    def calls(self):
        return [(r.method, r.uri) for r in self.requests]

    @property
    def writes(self):
        """(method, URI, form data) of every request that was not a GET."""
        return [(r.method, r.uri, r.data) for r in self.requests if r.method != 'GET']

    def pages(self, uri):
        """How many pages of the collection ``uri`` were read."""
        return len([r for r in self.requests if r.method == 'GET' and r.uri == uri])

    # -- the transport -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def installed(self):
        fake = self

        def send(adapter, request, **kwargs):
            return fake.send(request)

        with mock.patch.object(requests.adapters.HTTPAdapter, 'send', send):
            yield self

    def send(self, prepared):
        parts = urlsplit(prepared.url)
        path = unquote(parts.path)
        if parts.netloc != API_HOST or not path.startswith(('/v1/', ACCOUNT_API)):
            raise UnexpectedRequest('%s %s: not a request to api_url for Proxy v1 or the account (2010-04-01)'
                                    % (prepared.method, prepared.url))
        uri = path[3:] if path.startswith('/v1/') else path
        request = Request(prepared.method, uri, form(prepared.body), dict(parse_qsl(parts.query)))
        self.requests.append(request)
        answer = self._next_answer(request)
        if answer is not None:
            status, body, exception, then = answer
            if then is not None:
                then()
            if exception is not None:
                raise exception
            if request.method == 'POST' and 200 <= status < 300 and body is not None:
                self._store(uri, body)
        else:
            status, body = self._default(request)
        return self._response(prepared, status, body)

    def _store(self, uri, record):
        if is_collection(uri):
            self.put(uri, record)
            return
        collection, ident = uri.rsplit('/', 1)
        records = self.records(collection)
        for index, stored in enumerate(records):
            if stored.get('sid') == ident:
                records[index] = record

    def _find(self, uri):
        collection, ident = uri.rsplit('/', 1)
        for record in self.records(collection):
            if record.get('sid') == ident or any(record.get(name) == ident for name in self.fetch_by):
                return collection, record
        return collection, None

    def _default(self, request):
        uri = request.uri
        if uri.startswith(ACCOUNT_API):
            raise UnexpectedRequest('%s %s %r: the test queued no answer for it' % (request.method, uri, request.query))
        if request.method == 'GET' and is_collection(uri):
            return 200, self._page(uri, request.query)
        if request.method in ('GET', 'DELETE') and not is_collection(uri):
            collection, record = self._find(uri)
            if record is None:
                return 404, error_body(404, 20404, 'The requested resource %s was not found' % ('/v1' + uri))
            if request.method == 'GET':
                return 200, record
            self.collections[collection].remove(record)
            return 204, None
        raise UnexpectedRequest('%s %s %r: the test queued no answer for it' % (request.method, uri, request.data))

    def _page(self, uri, query):
        size = self.page_size or int(query.get('PageSize') or 50)
        number = int(query.get('Page') or 0)
        records = self.records(uri)
        key = snake(uri.rsplit('/', 1)[1])
        url = '%s%s?PageSize=%d&Page=%%d' % (TWILIO_BASE, quote(uri), size)
        more = (number + 1) * size < len(records)
        meta = dict(key=key, page=number, page_size=size, first_page_url=url % 0, url=url % number,
                    previous_page_url=url % (number - 1) if number else None,
                    next_page_url=url % (number + 1) + '&PageToken=PT%d' % (number + 1) if more else None)
        return {key: records[number * size:(number + 1) * size], 'meta': meta}

    @staticmethod
    def _response(prepared, status, body):
        response = requests.Response()
        response.status_code = status
        response._content = b'' if body is None else json.dumps(body).encode('utf-8')
        response.headers['Content-Type'] = 'application/json'
        response.encoding = 'utf-8'
        response.url = prepared.url
        response.request = prepared
        return response


class Clock:
    """Time that passes only when the module sleeps (drain waits): its ``sleeps`` are what it waited."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    @contextlib.contextmanager
    def installed(self, *modules):
        """Stand in for the clock of each of ``modules``: ``sleep``/``clock`` attributes of its classes, and its
        ``time``."""
        patches = []
        for module in modules:
            found = len(patches)
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == module.__name__:
                    if 'sleep' in vars(value):
                        patches.append(mock.patch.object(value, 'sleep', staticmethod(self.sleep)))
                    if 'clock' in vars(value):
                        patches.append(mock.patch.object(value, 'clock', staticmethod(self.monotonic)))
            if getattr(module, 'time', None) is time:
                patches.append(mock.patch.object(module, 'time', _FakeTime(self)))
            if len(patches) == found:
                raise AssertionError('%s has no clock to stand in for: update Clock.installed' % module.__name__)
        with contextlib.ExitStack() as stack:
            for patch in patches:
                stack.enter_context(patch)
            yield self


class _FakeTime:
    """The time module, with the clock's sleep and monotonic."""

    def __init__(self, clock):
        self.sleep = clock.sleep
        self.monotonic = clock.monotonic

    def __getattr__(self, name):
        return getattr(time, name)


# ---------------------------------------------------------------------------------------------------------------
# Running a module as Ansible does: its arguments in, its result (or failure) out.

@contextlib.contextmanager
def set_module_args(args):
    """The module arguments of the next AnsibleModule, on every ansible-core from 2.16 on."""
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19+ (data tagging)
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    serialized = json.dumps(dict(ANSIBLE_MODULE_ARGS=args)).encode('utf-8')
    with mock.patch.object(basic, '_ANSIBLE_ARGS', serialized):
        yield


def as_output(module, result):
    """What Ansible prints of a result (-v shows it all): with ``invocation`` (the module's arguments), and every
    value the module registered as no_log masked, as exit_json and fail_json do."""
    result = dict(result)
    result.setdefault('invocation', dict(module_args=module.params))
    preserved = dict((k, v) for k, v in result.items() if v is None or isinstance(v, bool))
    result = remove_values(result, module.no_log_values)
    result.update(preserved)
    return result


def run_module(module, args, check_mode=False, diff=True):
    """Call ``module.main()`` with ``args``; the result of exit_json or fail_json, as a playbook sees it.

    An option given as None is left out (as ``omit`` leaves it out of a task). ``failed`` is always set (True
    from fail_json, which overrides a ``failed`` the module gives), ``warnings`` is the list of the module's
    warnings, ``invocation`` the arguments, no_log values masked (see :func:`as_output`).
    """
    warnings = []

    def exit_json(self, **result):
        raise ModuleExit(as_output(self, dict(result, failed=False)))

    def fail_json(self, msg=None, **result):
        result.pop('exception', None)
        raise ModuleExit(as_output(self, dict(result, msg=msg, failed=True)))

    def warn(self, warning, *args, **kwargs):
        warnings.append(warning)

    args = dict(dict((k, v) for k, v in args.items() if v is not None), _ansible_check_mode=check_mode, _ansible_diff=diff, _ansible_remote_tmp='/tmp',
                _ansible_keep_remote_files=False)
    with set_module_args(args), \
            mock.patch.object(basic.AnsibleModule, 'exit_json', exit_json), \
            mock.patch.object(basic.AnsibleModule, 'fail_json', fail_json), \
            mock.patch.object(basic.AnsibleModule, 'warn', warn):
        try:
            module.main()
        except ModuleExit as exc:
            result = exc.result
        else:
            result = None
    if result is None:
        raise AssertionError('%s.main() returned without exit_json or fail_json' % module.__name__)
    result['warnings'] = warnings
    return result
