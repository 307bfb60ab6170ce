# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The one Twilio transport of the collection.

Builds a ``twilio.rest.Client`` from the connection options, routes every request to ``api_url`` through a
``TwilioHttpClient`` subclass (the SDK's supported extension point), bounds each request with a timeout, retries
what is safe to retry, and turns every failure into one value: :class:`TwilioApiError`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import socket
import threading
import time

from ansible.module_utils.common.warnings import get_warning_messages, warn
from ansible.module_utils.six.moves.urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ansible_collections.community.twilio.plugins.module_utils._connection import (
    is_loopback, is_twilio_host, resolve_connection)
from ansible_collections.community.twilio.plugins.module_utils._errors import ConfigError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._retry import FAILURES, RetryPolicy

try:
    import requests
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client
    from urllib3.exceptions import NewConnectionError
    HAS_TWILIO = True
    TWILIO_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test
    HAS_TWILIO = False
    TWILIO_IMPORT_ERROR = exc
    TwilioHttpClient = object

try:
    from twilio.base.exceptions import TwilioServiceException
except ImportError:  # older SDKs have no RFC 9457 exception
    TwilioServiceException = None

COLLECTION_VERSION = '0.1.0'
PROXY_VERSION_PREFIX = '/v1'
API_2010_PREFIX = '/2010-04-01'  # the account's own resources (numbers it owns, buys and releases)
# A list read stops with an error after this many pages (a million records at the page size the client asks for).
MAX_PAGES = 10000

_SDK_PREFIX_RE = re.compile(r'^Unable to (?:fetch|create|update|delete) (?:record|page)(?:: )?')


def error_from_response(method, url, status, text):
    """Twilio's error body ``{code, message, more_info, status}``, or whatever came back instead."""
    try:
        body = json.loads(text or '')
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    message = body.get('message') or body.get('detail') or body.get('title') or (text or '').strip()[:200]
    return TwilioApiError(message or 'no error body', status=status, code=body.get('code', status),
                          more_info=body.get('more_info') or body.get('type'), method=method, url=url,
                          outcome_unknown=RetryPolicy.outcome_unknown(method, status))


def normalize_exception(exc, method=None, url=None):
    """Turn any exception the SDK (or requests beneath it) raises into a TwilioApiError."""
    if isinstance(exc, TwilioApiError):
        return exc
    if TwilioServiceException is not None and isinstance(exc, TwilioServiceException):
        return TwilioApiError(exc.detail or exc.title, status=exc.status, code=exc.code, more_info=exc.type,
                              method=method or exc.method, url=url or exc.uri,
                              outcome_unknown=RetryPolicy.outcome_unknown(method, exc.status or 0))
    if HAS_TWILIO and isinstance(exc, TwilioRestException):
        return TwilioApiError(_SDK_PREFIX_RE.sub('', exc.msg or '') or 'error', status=exc.status, code=exc.code,
                              more_info='https://www.twilio.com/docs/errors/%s' % exc.code if exc.code else None,
                              method=method or exc.method, url=url or exc.uri,
                              outcome_unknown=RetryPolicy.outcome_unknown(method, exc.status or 0))
    if HAS_TWILIO and isinstance(exc, TwilioException):
        # A failing list call: TwilioException("Unable to fetch page", <Response>)
        args = getattr(exc, 'args', ())
        response = args[1] if len(args) > 1 else None
        if response is not None and hasattr(response, 'status_code'):
            return error_from_response(method, url, response.status_code, getattr(response, 'text', ''))
        return TwilioApiError(str(args[0]) if args else 'Twilio SDK error', method=method, url=url)
    return TwilioApiError('%s: %s' % (type(exc).__name__, exc), method=method, url=url, outcome_unknown=True)


if HAS_TWILIO:
    class CertificateSession(requests.Session):
        """A session that keeps ``verify`` (validate_certs) and never proxies a loopback address.

        requests replaces a request's unset ``verify`` with REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE before it looks at the
        session's, so with either set, ``validate_certs: false`` would silently be ignored. A CA bundle from them
        still applies when certificates are validated (``verify`` True). HTTP(S)_PROXY still applies to Twilio, as
        users expect, but never to a loopback address such as the emulator's: credentials would travel in clear.
        """

        def merge_environment_settings(self, url, proxies, stream, verify, cert):
            if verify is None:
                verify = self.verify
            settings = super(CertificateSession, self).merge_environment_settings(url, proxies, stream, verify, cert)
            if is_loopback(urlsplit(url).hostname):
                settings['proxies'] = {}
            return settings


def failure_kind(exc):
    """The name (a key of _retry.FAILURES) of a failure that brought no response."""
    if isinstance(exc, requests.exceptions.SSLError):
        return 'tls'
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'connect_timeout'
    if isinstance(exc, requests.exceptions.Timeout):
        return 'timeout'
    reason = getattr(exc.args[0], 'reason', None) if exc.args else None
    if isinstance(exc, requests.exceptions.ConnectionError) and isinstance(reason, NewConnectionError):
        causes, cause = [], reason
        while cause is not None and len(causes) < 5:
            causes.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(isinstance(c, socket.gaierror) for c in causes) or type(reason).__name__ == 'NameResolutionError':
            return 'unresolved'
        if any(isinstance(c, ConnectionRefusedError) for c in causes) or 'refused' in str(reason).lower():
            return 'refused'
        if 'resolve' in str(reason).lower() or 'not known' in str(reason).lower():
            return 'unresolved'
        return 'unreachable'
    return 'dropped'


_CURRENT = threading.local()  # the _Attempt a worker thread runs, for the response hook


def _headers_in(response, **kwargs):
    """requests' response hook: note the response of the running attempt as soon as its headers are in."""
    attempt = getattr(_CURRENT, 'attempt', None)
    if attempt is not None:
        attempt.headers_in = response


class _Attempt:
    """One request run in a daemon worker thread, so that the caller can wait for it no longer than a deadline.

    Only public APIs: the caller joins the thread with a timeout. When it gives up, a response whose headers are in
    (requests' response hook) is shut down, which ends the worker's read at once (urllib3's
    ``HTTPResponse.shutdown()``, urllib3 2.3 and later; earlier, ``close()``). A worker still waiting for the
    headers cannot be interrupted by any public API: it holds its socket until the server stops or the per-read
    timeout passes, and, being a daemon, never keeps the module's process alive.
    """

    def __init__(self, send, kwargs):
        self.send = send
        self.kwargs = kwargs
        self.headers_in = None  # the requests Response, from the hook
        self.response = None    # the SDK's Response, once the body is read
        self.error = None
        self.thread = threading.Thread(target=self._run, name='community.twilio request')
        self.thread.daemon = True

    def _run(self):
        _CURRENT.attempt = self
        try:
            self.response = self.send(**self.kwargs)
        except Exception as exc:  # pylint: disable=broad-except  # handed to the caller's thread
            self.error = exc
        finally:
            _CURRENT.attempt = None

    def finished_within(self, seconds):
        self.thread.start()
        self.thread.join(seconds)
        return not self.thread.is_alive()

    def give_up(self):
        response = self.headers_in
        if response is None:
            return
        raw = response.raw
        try:
            if hasattr(raw, 'shutdown'):
                raw.shutdown()
            else:
                response.close()
        except Exception:  # pylint: disable=broad-except  # the worker may be closing it at the same moment
            pass


class RoutingHttpClient(TwilioHttpClient):
    """Sends every request to ``base_url`` (refusing any other host), each attempt bounded as a whole by
    ``timeout``, and sends it again as the retry policy (_retry.RetryPolicy) says."""

    def __init__(self, base_url, timeout, validate_certs=True, max_retries=10, max_retry_time=60.0,
                 sleep=time.sleep, clock=time.monotonic, policy=None):
        # The response hook (requests' public hooks) sees each response as soon as its headers are in.
        super(RoutingHttpClient, self).__init__(timeout=timeout, request_hooks={'response': [_headers_in]})
        self.base = urlsplit(base_url)
        self.policy = policy or RetryPolicy(max_retries=max_retries, max_retry_time=max_retry_time)
        self.sleep = sleep
        self.clock = clock
        self.requests_sent = 0
        self.validate_certs = validate_certs
        self.session = self._new_session()

    def _new_session(self):
        session = CertificateSession()
        session.verify = self.validate_certs
        return session

    @property
    def max_retries(self):
        return self.policy.max_retries

    @property
    def max_retry_time(self):
        return self.policy.max_retry_time

    def on_api_host(self, url):
        """Is this URL on the API's own host (or a Twilio host, which the client sends to it)?"""
        parts = urlsplit(url)
        if is_twilio_host(parts.hostname):
            return True
        try:
            port = parts.port
        except ValueError:
            return False
        defaults = {'http': 80, 'https': 443}
        return ((parts.scheme, (parts.hostname or '').lower(), port or defaults.get(parts.scheme))
                == (self.base.scheme, self.base.hostname, self.base.port or defaults.get(self.base.scheme)))

    def route(self, url, method='GET'):
        if not self.on_api_host(url):
            raise TwilioApiError('refusing to send a request to %s: credentials are only sent to the API host %s'
                                 % (_host_port(urlsplit(url)), _host_port(self.base)), method=method, url=url)
        parts = urlsplit(url)
        if is_twilio_host(self.base.hostname) and is_twilio_host(parts.hostname) and parts.hostname != 'twilio.com':
            # Twilio itself: each API on its own host (proxy.…, api.… for the account's 2010-04-01 resources), in
            # the region and edge of base_url: the product label of the URL's host, the rest of the base's.
            host = '%s.%s' % (parts.hostname.split('.', 1)[0], self.base.netloc.split('.', 1)[1])
            return urlunsplit(('https', host, parts.path, parts.query, ''))
        return urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, ''))

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        method = method.upper()
        url = self.route(url, method)
        started, tried, processed = self.clock(), [], False
        while True:
            response, outcome = self._attempt(method, url, params, data, headers, auth, timeout or self.timeout)
            retry_after = getattr(response, 'headers', None) and response.headers.get('Retry-After')
            wait, stop = self.policy.next_wait(method, outcome, len(tried), self.clock() - started, retry_after)
            if wait is None:
                return self._final(method, url, response, outcome, tried, stop, processed)
            tried.append(_describe(outcome))
            # may the server have acted on this attempt (a 500 or a dropped answer, not a 429 or 503)?
            processed = processed or (self.policy.outcome_unknown('POST', outcome) and
                                      not self.policy.retryable('POST', outcome))
            self.sleep(wait)

    def _attempt(self, method, url, params, data, headers, auth, timeout):
        """One request, bounded as a whole by ``timeout``: (response, status) or (exception, failure name).

        requests' ``timeout`` bounds each socket operation (connect, and each read), so a server trickling a byte at
        a time could hold a request for ever. The request runs in a worker thread that this one waits for at most
        ``timeout``; past it, the attempt is given up (see :class:`_Attempt`) and the session replaced, so that the
        next attempt shares nothing with it.
        """
        self.requests_sent += 1
        attempt = _Attempt(super(RoutingHttpClient, self).request, dict(
            method=method, url=url, params=params, data=data, headers=headers, auth=auth, timeout=timeout,
            allow_redirects=False))
        if not attempt.finished_within(timeout):
            attempt.give_up()
            stale, self.session = self.session, self._new_session()
            stale.close()  # its idle connections; the given-up one is closed by give_up or by the worker
            return requests.exceptions.ReadTimeout('no complete answer within %g s' % timeout), 'timeout'
        if isinstance(attempt.error, requests.exceptions.RequestException):
            return attempt.error, failure_kind(attempt.error)
        if attempt.error is not None:
            raise attempt.error
        return attempt.response, attempt.response.status_code

    def _final(self, method, url, response, outcome, tried, stop, processed=False):
        """The response to hand to the SDK, or the error that says what was tried and why it stopped.
        ``processed``: an earlier attempt may have been acted on (the error's ``earlier_maybe_processed``)."""
        attempts = len(tried) + 1
        notes = _tried(tried) + ('; not retried: %s' % stop if stop else '')
        if not isinstance(outcome, int):
            error = TwilioApiError(_failure_text(outcome, response, self.base, self.timeout) + notes, method=method,
                                   url=url, outcome_unknown=self.policy.outcome_unknown(method, outcome),
                                   attempts=attempts, kind=outcome)
            error.earlier_maybe_processed = processed
            raise error
        if outcome >= 400 and notes:
            error = error_from_response(method, url, outcome, response.text)
            error.attempts = attempts
            error.message += notes
            error.earlier_maybe_processed = processed
            raise error
        return response


def _host_port(parts):
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {'http': 80, 'https': 443}.get(parts.scheme)
    return '%s:%s' % (parts.hostname, port) if port else str(parts.hostname)


def _failure_text(kind, exc, base, timeout):
    where = _host_port(base)
    if kind == 'refused':
        return 'cannot connect to %s: connection refused (is api_url right, and is the server running?)' % where
    if kind == 'unresolved':
        return 'cannot connect to %s: host name not found (check api_url, region and edge)' % where
    if kind == 'tls':
        return ('TLS failed (%s) with %s; set validate_certs=false only for a test endpoint you trust'
                % (_ssl_reason(exc), where))
    if kind == 'timeout':
        return 'request to %s timed out: no complete answer within timeout (%g s) (%s)' % (
            where, timeout, type(exc).__name__)
    return 'request to %s failed: %s (%s)' % (where, FAILURES[kind].text, type(exc).__name__)


def _describe(outcome):
    return 'HTTP %s' % outcome if isinstance(outcome, int) else FAILURES[outcome].text


def _ssl_reason(exc):
    text = str(exc)
    match = re.search(r'(CERTIFICATE_VERIFY_FAILED[^)\]\'"]*|WRONG_VERSION_NUMBER|SSLV3_ALERT[A-Z_]*|hostname mismatch)', text)
    return match.group(1).strip() if match else 'SSLError'


def _tried(tried):
    return '; before that: %s' % ', '.join(tried) if tried else ''


def _page(response, url, key):
    """(the records, the next page's URL or None, the page's meta) of one list response; TwilioApiError for
    anything else, a page without its list key included (taking it for an empty page would hide records)."""
    if not 200 <= response.status_code < 300:
        raise error_from_response('GET', url, response.status_code, response.text)
    try:
        payload = json.loads(response.text)
    except ValueError:
        raise TwilioApiError('list response is not JSON', status=response.status_code, method='GET', url=url)
    if not isinstance(payload, dict):
        raise TwilioApiError('list response is not a JSON object', status=response.status_code, method='GET', url=url)
    meta = payload.get('meta')
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get('key') or key
    records = payload.get(name)
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise _inconsistent(url, 'the page has no list of records under %r' % name)
    _check_announced(url, payload, records)
    return records, meta.get('next_page_url'), meta


def _inconsistent(url, what):
    return TwilioApiError('%s: the list read is inconsistent, so nothing is decided from it' % what,
                          method='GET', url=url)


def _check_announced(url, payload, records):
    """A 2010-04-01 page announces the positions it holds (``start``, ``end``): it must hold that many."""
    start, end = payload.get('start'), payload.get('end')
    if isinstance(start, int) and isinstance(end, int) and records and end - start + 1 != len(records):
        raise _inconsistent(url, 'the page announces records %d to %d but holds %d' % (start, end, len(records)))


class _PageCheck:
    """What the pages of one list read must agree on: no SID twice, page numbers that follow one another, and no
    page short of the page size it announces while another page follows (a page cut short)."""

    def __init__(self, url):
        self.url = url
        self.sids = set()
        self.page = None

    def check(self, records, meta, more):
        page, size = meta.get('page'), meta.get('page_size')
        if isinstance(page, int) and self.page is not None and page != self.page + 1:
            raise _inconsistent(self.url, 'page %d follows page %d' % (page, self.page))
        self.page = page if isinstance(page, int) else None
        if more and isinstance(size, int) and len(records) < size:
            raise _inconsistent(self.url, 'a page holds %d records, fewer than its page size %d, yet names a next '
                                          'page' % (len(records), size))
        for record in records:
            sid = record.get('sid')
            if sid in self.sids:
                raise _inconsistent(self.url, 'the list holds %s twice' % sid)
            if sid is not None:
                self.sids.add(sid)


class TwilioClient:
    """The collection's only way to talk to Twilio: URIs relative to ``/v1`` in, parsed JSON out.

    ``notes`` are sentences for the user (which credentials are used when several are set; api_url over region and
    edge); the client records each as a module warning (ansible's warnings list, returned with the module's result),
    so a module need not. ``no_log_values`` are the secrets in use, for a module to register (credentials from the
    environment never pass through the module's parameters).
    """

    def __init__(self, params, http_client=None):
        connection = resolve_connection(params)
        self.base_url = connection.base_url
        self.notes = list(connection.notes)
        for note in self.notes:
            if note not in get_warning_messages():
                warn(note)
        self.credential_source = connection.source
        self.credential_kind = connection.kind
        self.no_log_values = list(connection.secrets)
        self.http = http_client or RoutingHttpClient(
            self.base_url, timeout=params.get('timeout') or 30, validate_certs=params.get('validate_certs', True),
            max_retries=params.get('max_retries', 10), max_retry_time=params.get('max_retry_time') or 60)
        # region and edge are already in base_url; the SDK must not rewrite hosts a second time.
        self.sdk = Client(connection.username, connection.password,
                          account_sid=connection.account_sid,
                          http_client=self.http,
                          environment={'TWILIO_NO_ENVIRONMENT': '1'},  # never read TWILIO_* behind our back
                          user_agent_extensions=['community.twilio/%s' % COLLECTION_VERSION])
        self.account_sid = connection.account_sid
        self.v1 = self.sdk.proxy.v1
        self.read_only = False  # the engine sets it in check mode: then a write is a bug, never a request

    @property
    def requests_sent(self):
        return getattr(self.http, 'requests_sent', None)

    def _call(self, method, uri, func, **kwargs):
        url = PROXY_VERSION_PREFIX + uri
        if self.read_only and method != 'GET':
            raise RuntimeError('refusing %s %s: the client is read-only (check mode)' % (method, url))
        try:
            return func(method=method, uri=uri, **kwargs)
        except Exception as exc:  # every failure leaves as one error value
            raise normalize_exception(exc, method, url)

    def fetch(self, uri):
        """GET one record; None when Twilio says it does not exist (404)."""
        try:
            return self._call('GET', uri, self.v1.fetch)
        except TwilioApiError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, uri, data):
        return self._call('POST', uri, self.v1.create, data=data)

    def update(self, uri, data):
        return self._call('POST', uri, self.v1.update, data=data)

    def delete(self, uri):
        """DELETE; True when deleted, False when it was already gone (404). A 404 after an earlier attempt that
        the server may have acted on (a 500, a dropped answer) is True: that attempt may have deleted it."""
        try:
            self._call('DELETE', uri, self.v1.delete)
        except TwilioApiError as exc:
            if exc.status == 404:
                return exc.earlier_maybe_processed
            raise
        return True

    def list(self, uri, key, page_size=100):
        """Every record of a list endpoint, following ``next_page_url`` to the last page.

        A next page is followed only on the API's host and under /v1, never twice, and at most MAX_PAGES pages.
        A list whose pages disagree (a SID twice, a page repeated or skipped, a page cut short, a page without its
        list key) raises a TwilioApiError: a caller never decides anything from an inconsistent read.
        """
        response = self._call('GET', uri, self.v1.page, params={'PageSize': page_size})
        url = PROXY_VERSION_PREFIX + uri
        seen = set([(url, urlencode({'PageSize': page_size}))])  # the first page, as the SDK asks for it
        pages = 1
        consistent = _PageCheck(url)
        while True:
            records, next_url, meta = _page(response, url, key)
            # where the next page points is checked first: a page naming another host or itself is refused as such
            following = self._next_page(url, next_url, seen, pages) if next_url else None
            consistent.check(records, meta, bool(next_url))
            yield from records
            if not following:
                return
            url = following
            pages += 1
            try:
                response = self.sdk.request('GET', url)
            except Exception as exc:
                raise normalize_exception(exc, 'GET', url)

    def first_page(self, uri, key, page_size=100):
        """The first page of a list endpoint, one GET: (its records, whether more pages follow)."""
        response = self._call('GET', uri, self.v1.page, params={'PageSize': page_size})
        url = PROXY_VERSION_PREFIX + uri
        records, next_url, meta = _page(response, url, key)
        _PageCheck(url).check(records, meta, bool(next_url))
        return records, bool(next_url)

    def account_url(self, path):
        """The URL of ``path`` below the account in Twilio's 2010-04-01 API (``IncomingPhoneNumbers.json``): on
        ``api.<edge>.<region>.twilio.com`` beside a Twilio base URL (proxy.…), else on ``api_url`` itself."""
        host = urlsplit(self.base_url)
        if is_twilio_host(host.hostname):  # proxy.<edge>.<region>.twilio.com -> api.<edge>.<region>.twilio.com
            base = 'https://api.%s' % host.netloc.split('.', 1)[1]
        else:
            base = self.base_url
        return '%s%s/Accounts/%s/%s' % (base, API_2010_PREFIX, self.account_sid, path)

    def account_list(self, path, key, params):
        """The first page of one of the account's own resources in Twilio's 2010-04-01 API, read-only (such as
        ``IncomingPhoneNumbers.json`` with its ``PhoneNumber`` filter); None when the account SID is not known (an
        API key given without account_sid), so that the caller reads another way."""
        page = self.account_page(path, key, params)
        return None if page is None else page[0]

    def account_page(self, path, key, params):
        """As :meth:`account_list`: (the first page's records, whether more pages follow), or None."""
        if not self.account_sid:
            return None
        url = self.account_url(path)
        response = self._account_send('GET', url, params=params)
        records, dummy, meta = _page(response, url, key)
        _PageCheck(url).check(records, meta, False)
        try:
            more = bool(json.loads(response.text).get('next_page_uri'))
        except (AttributeError, ValueError):
            more = True
        return records, more

    def account_pages(self, path, key, params=None):
        """Every record of a 2010-04-01 list of the account, following its relative ``next_page_uri`` (on the
        same host, under the same account, never a page twice, at most MAX_PAGES pages)."""
        self.require_account('reading the account\'s %s' % path)
        url = self.account_url(path)
        response = self._account_send('GET', url, params=params)
        prefix = '%s/Accounts/%s/' % (API_2010_PREFIX, self.account_sid)
        seen, pages, check = set(), 1, _PageCheck(url)
        while True:
            records, dummy, meta = _page(response, url, key)
            check.check(records, meta, False)
            yield from records
            next_uri = json.loads(response.text).get('next_page_uri')
            if not next_uri:
                return
            parts = urlsplit(str(next_uri))
            if parts.netloc or not parts.path.startswith(prefix) or (parts.path, parts.query) in seen \
                    or pages >= MAX_PAGES:
                raise TwilioApiError('the page names %s as its next page: refused (not a page of this list of the '
                                     'account, or one already read)' % parts.path, method='GET', url=url)
            seen.add((parts.path, parts.query))
            pages += 1
            url = self.account_url(parts.path[len(prefix):]) + '?' + parts.query
            response = self._account_send('GET', url)

    def account_fetch(self, path, params=None):
        """GET one resource of the account (2010-04-01): parsed JSON, None when Twilio says 404."""
        self.require_account('reading the account\'s %s' % path)
        return self._account_json('GET', self.account_url(path), params=params)

    def account_create(self, path, data):
        """POST to a 2010-04-01 list of the account (a purchase): the new resource."""
        return self._account_json('POST', self.account_url(path), data=data)

    def account_update(self, path, data):
        return self._account_json('POST', self.account_url(path), data=data)

    def account_delete(self, path):
        """DELETE a resource of the account (a release); True when deleted, False when it was already gone."""
        return self._account_json('DELETE', self.account_url(path)) is not None

    def require_account(self, what):
        if not self.account_sid:
            raise ConfigError('account_sid', 'is required for %s (an API key alone does not name the account)'
                              % what)

    def _account_send(self, method, url, params=None, data=None):
        if self.read_only and method != 'GET':
            raise RuntimeError('refusing %s %s: the client is read-only (check mode)' % (method, url))
        try:
            return self.sdk.request(method, url, params=params, data=data)
        except Exception as exc:  # every failure leaves as one error value
            raise normalize_exception(exc, method, url)

    def _account_json(self, method, url, params=None, data=None):
        response = self._account_send(method, url, params=params, data=data)
        if response.status_code == 404 and method in ('GET', 'DELETE'):
            return None
        if not 200 <= response.status_code < 300:
            raise error_from_response(method, url, response.status_code, response.text)
        if not (response.text or '').strip():
            return {}
        try:
            return json.loads(response.text)
        except ValueError:
            raise TwilioApiError('response is not JSON', status=response.status_code, method=method, url=url)

    def _next_page(self, url, next_url, seen, pages):
        """The absolute URL of the next page, or an error: another host, a page seen before, too many pages."""
        absolute = urljoin(self.base_url + '/', str(next_url))
        parts = urlsplit(absolute)
        on_host = getattr(self.http, 'on_api_host', None)
        if (on_host is not None and not on_host(absolute)) or parts.scheme not in ('http', 'https'):
            raise TwilioApiError('the page says its next page is on %s, not on the API host %s: refused (credentials '
                                 'are only sent to the API host)' % (_host_port(parts), _host_port(urlsplit(
                                     self.base_url))), method='GET', url=url)
        if not parts.path.startswith(PROXY_VERSION_PREFIX + '/'):
            raise TwilioApiError('the page says its next page is %s, outside %s: refused'
                                 % (parts.path, PROXY_VERSION_PREFIX), method='GET', url=url)
        where = (parts.path, parts.query)
        if where in seen:
            raise _inconsistent(url, 'the page names a page already read as its next page (%s): the list does not '
                                     'end; stopped after %d pages' % (parts.path, pages))
        if pages >= MAX_PAGES:
            raise TwilioApiError('the list has more than %d pages: stopped' % MAX_PAGES, method='GET', url=url)
        seen.add(where)
        return absolute
