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
import random
import re
import time

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import urlsplit, urlunsplit

try:
    import requests
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client
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
DEFAULT_API_URL = 'https://proxy.twilio.com'
PROXY_VERSION_PREFIX = '/v1'

ACCOUNT_SID_RE = re.compile(r'^AC[0-9a-fA-F]{32}$')
API_KEY_RE = re.compile(r'^SK[0-9a-fA-F]{32}$')
ROUTING_RE = re.compile(r'^[a-z0-9][a-z0-9-]*$')
SECRET_RE = re.compile(r'^[\x21-\x7e]+$')  # printable ASCII, no blanks: nothing that could split a header

# Statuses worth another try: 429 and 503 for every method (Twilio did not process the request), the other
# gateway errors only where repeating cannot create a second resource.
RETRY_ANY_METHOD = frozenset([429, 503])
RETRY_IDEMPOTENT = frozenset([500, 502, 504])
IDEMPOTENT_METHODS = frozenset(['GET', 'DELETE'])


def connection_argument_spec():
    """The connection options every module takes (documented in the community.twilio.connection fragment)."""
    return dict(
        account_sid=dict(type='str', fallback=(env_fallback, ['TWILIO_ACCOUNT_SID'])),
        auth_token=dict(type='str', no_log=True, fallback=(env_fallback, ['TWILIO_AUTH_TOKEN'])),
        api_key=dict(type='str', no_log=False, fallback=(env_fallback, ['TWILIO_API_KEY'])),
        api_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['TWILIO_API_SECRET'])),
        region=dict(type='str', fallback=(env_fallback, ['TWILIO_REGION'])),
        edge=dict(type='str', fallback=(env_fallback, ['TWILIO_EDGE'])),
        api_url=dict(type='str', fallback=(env_fallback, ['TWILIO_PROXY_API_URL'])),
        timeout=dict(type='float', default=30, fallback=(env_fallback, ['TWILIO_TIMEOUT'])),
        validate_certs=dict(type='bool', default=True),
        max_retries=dict(type='int', default=10, fallback=(env_fallback, ['TWILIO_MAX_RETRIES'])),
        max_retry_time=dict(type='float', default=60, fallback=(env_fallback, ['TWILIO_MAX_RETRY_TIME'])),
    )


class ConfigError(Exception):
    """Bad connection options, found before any request. ``option`` names the culprit."""

    def __init__(self, option, message):
        super(ConfigError, self).__init__('%s: %s' % (option, message))
        self.option = option


class TwilioApiError(Exception):
    """Every way a request can fail, as one value.

    ``status`` is the HTTP status (None when no response came back), ``code`` Twilio's error code,
    ``outcome_unknown`` is true when a write may or may not have happened (timeout, dropped connection, 5xx).
    """

    def __init__(self, message, status=None, code=None, more_info=None, method=None, url=None,
                 outcome_unknown=False, attempts=1):
        super(TwilioApiError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.more_info = more_info
        self.method = method
        self.url = url
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts

    @property
    def path(self):
        return urlsplit(self.url or '').path or self.url

    def __str__(self):
        where = '%s %s' % (self.method or '', self.path or '')
        if self.status is None:
            head = 'Twilio request failed'
        elif self.code is not None and self.code != self.status:
            head = 'Twilio error %s (HTTP %s)' % (self.code, self.status)
        else:
            head = 'Twilio HTTP %s' % self.status
        text = '%s on %s: %s' % (head, where.strip(), self.message)
        if self.attempts > 1:
            text += ' (after %d attempts)' % self.attempts
        return text

    def as_dict(self):
        return dict(status=self.status, code=self.code, message=self.message, more_info=self.more_info,
                    method=self.method, url=self.path, attempts=self.attempts)


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
                          outcome_unknown=status >= 500)


def normalize_exception(exc, method=None, url=None):
    """Turn any exception the SDK (or requests beneath it) raises into a TwilioApiError."""
    if isinstance(exc, TwilioApiError):
        return exc
    if TwilioServiceException is not None and isinstance(exc, TwilioServiceException):
        return TwilioApiError(exc.detail or exc.title, status=exc.status, code=exc.code, more_info=exc.type,
                              method=method or exc.method, url=url or exc.uri,
                              outcome_unknown=(exc.status or 0) >= 500)
    if HAS_TWILIO and isinstance(exc, TwilioRestException):
        return TwilioApiError(_SDK_PREFIX_RE.sub('', exc.msg or '') or 'error', status=exc.status, code=exc.code,
                              more_info='https://www.twilio.com/docs/errors/%s' % exc.code if exc.code else None,
                              method=method or exc.method, url=url or exc.uri,
                              outcome_unknown=(exc.status or 0) >= 500)
    if HAS_TWILIO and isinstance(exc, TwilioException):
        # A failing list call: TwilioException("Unable to fetch page", <Response>)
        args = getattr(exc, 'args', ())
        response = args[1] if len(args) > 1 else None
        if response is not None and hasattr(response, 'status_code'):
            return error_from_response(method, url, response.status_code, getattr(response, 'text', ''))
        return TwilioApiError(str(args[0]) if args else 'Twilio SDK error', method=method, url=url)
    return TwilioApiError('%s: %s' % (type(exc).__name__, exc), method=method, url=url, outcome_unknown=True)


def is_loopback(host):
    host = (host or '').lower().strip('[]')
    return host == 'localhost' or host == '::1' or host.startswith('127.')


def validate_connection(params):
    """Check the connection options before any request; return (username, password, base_url)."""
    for option, pattern, what in (('account_sid', ACCOUNT_SID_RE, "'AC' followed by 32 hex digits"),
                                  ('api_key', API_KEY_RE, "'SK' followed by 32 hex digits")):
        value = params.get(option)
        if value and not pattern.match(value):
            raise ConfigError(option, 'must be %s' % what)
    for option in ('auth_token', 'api_secret'):
        value = params.get(option)
        if value and not SECRET_RE.match(value):
            raise ConfigError(option, 'contains blanks or characters that are not printable ASCII')
    if params.get('api_key') or params.get('api_secret'):
        if not (params.get('api_key') and params.get('api_secret')):
            missing = 'api_secret' if params.get('api_key') else 'api_key'
            raise ConfigError(missing, 'api_key and api_secret must be given together '
                                       '(options or TWILIO_API_KEY / TWILIO_API_SECRET)')
        username, password = params['api_key'], params['api_secret']
    elif params.get('auth_token'):
        if not params.get('account_sid'):
            raise ConfigError('account_sid', 'is required with auth_token (option or TWILIO_ACCOUNT_SID)')
        username, password = params['account_sid'], params['auth_token']
    else:
        raise ConfigError('auth_token', 'no credentials: set account_sid and auth_token, or api_key and api_secret '
                                        '(options or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, '
                                        'TWILIO_API_KEY / TWILIO_API_SECRET)')
    for option in ('region', 'edge'):
        value = params.get(option)
        if value and not ROUTING_RE.match(value):
            raise ConfigError(option, 'must be a Twilio routing name such as ie1 or dublin')
    for option in ('timeout', 'max_retry_time'):
        if params.get(option) is not None and params[option] <= 0:
            raise ConfigError(option, 'must be greater than 0')
    if params.get('max_retries') is not None and params['max_retries'] < 0:
        raise ConfigError('max_retries', 'must be 0 or more')

    base_url = (params.get('api_url') or DEFAULT_API_URL).rstrip('/')
    parts = urlsplit(base_url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigError('api_url', 'must be an http(s) URL such as https://proxy.twilio.com')
    if parts.username or parts.password:
        raise ConfigError('api_url', 'must not contain credentials; use the credential options')
    if parts.path not in ('', '/') or parts.query or parts.fragment:
        raise ConfigError('api_url', 'must be a scheme and host (and port) only, such as https://proxy.twilio.com')
    if parts.scheme == 'http' and not is_loopback(parts.hostname):
        raise ConfigError('api_url', 'plain http:// is refused for %s: credentials are only sent over http to a '
                                     'loopback address; use https://' % parts.hostname)
    return username, password, urlunsplit((parts.scheme, parts.netloc, '', '', ''))


def backoff_delay(attempt, retry_after=None, base=0.5, cap=20.0):
    """Capped, fully jittered exponential backoff; a server's Retry-After is a floor."""
    delay = random.uniform(0, min(cap, base * (2 ** attempt)))
    if retry_after:
        try:
            delay = max(delay, min(cap, float(retry_after)))
        except ValueError:
            pass
    return delay


if HAS_TWILIO:
    class CertificateSession(requests.Session):
        """A session whose ``verify`` (validate_certs) is not overridden by REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE.

        requests replaces a request's unset ``verify`` with those variables before it looks at the session's, so
        with either set, ``validate_certs: false`` would silently be ignored. A CA bundle from them still applies
        when certificates are validated (``verify`` True).
        """

        def merge_environment_settings(self, url, proxies, stream, verify, cert):
            if verify is None:
                verify = self.verify
            return super(CertificateSession, self).merge_environment_settings(url, proxies, stream, verify, cert)


class RoutingHttpClient(TwilioHttpClient):
    """Sends every ``*.twilio.com`` request to ``base_url``, with a timeout and the retry policy."""

    def __init__(self, base_url, timeout, validate_certs=True, max_retries=10, max_retry_time=60.0,
                 sleep=time.sleep, clock=time.monotonic):
        super(RoutingHttpClient, self).__init__(timeout=timeout)
        self.base = urlsplit(base_url)
        self.max_retries = max_retries
        self.max_retry_time = max_retry_time
        self.sleep = sleep
        self.clock = clock
        self.requests_sent = 0
        if self.session is not None:
            self.session = CertificateSession()
            self.session.verify = validate_certs
            adapter = requests.adapters.HTTPAdapter()  # https, and our loopback http, pooled alike
            self.session.mount('https://', adapter)
            self.session.mount('http://', adapter)

    def route(self, url):
        parts = urlsplit(url)
        host = (parts.hostname or '').lower()
        if host == 'twilio.com' or host.endswith('.twilio.com'):
            return urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, parts.fragment))
        return url

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        url = self.route(url)
        method = method.upper()
        started = self.clock()
        attempt = 0
        tried = []  # what was retried before the attempt under way
        while True:
            self.requests_sent += 1
            try:
                response = super(RoutingHttpClient, self).request(
                    method, url, params=params, data=data, headers=headers, auth=auth, timeout=timeout,
                    allow_redirects=allow_redirects)
            except requests.exceptions.RequestException as exc:
                if isinstance(exc, requests.exceptions.SSLError):
                    # Not transient: a certificate that does not verify will not verify on the next try.
                    raise TwilioApiError('TLS failed (%s); set validate_certs=false only for a test endpoint you '
                                         'trust' % _ssl_reason(exc), method=method, url=url, attempts=attempt + 1)
                reason = 'timed out' if isinstance(exc, requests.exceptions.Timeout) else 'connection failed'
                sent = not _never_sent(exc)
                retry = method in IDEMPOTENT_METHODS or not sent
                if retry and self._may_retry(attempt, started, None):
                    tried.append(reason)
                    attempt += 1
                    continue
                raise TwilioApiError(
                    'request %s (%s)%s' % (reason, type(exc).__name__, _tried(tried)), method=method, url=url,
                    outcome_unknown=method not in IDEMPOTENT_METHODS and sent, attempts=attempt + 1)
            status = response.status_code
            retryable = status in RETRY_ANY_METHOD or (status in RETRY_IDEMPOTENT and method in IDEMPOTENT_METHODS)
            if retryable:
                retry_after = (response.headers or {}).get('Retry-After')
                if self._may_retry(attempt, started, retry_after):
                    tried.append('HTTP %s' % status)
                    attempt += 1
                    continue
            if attempt and status >= 400:
                # Let the error say what was tried before it.
                error = error_from_response(method, url, status, response.text)
                error.attempts = attempt + 1
                error.message += _tried(tried)
                raise error
            return response

    def _may_retry(self, attempt, started, retry_after):
        if attempt >= self.max_retries:
            return False
        delay = backoff_delay(attempt, retry_after)
        if self.clock() - started + delay > self.max_retry_time:
            return False
        self.sleep(delay)
        return True


def _never_sent(exc):
    """True when the request cannot have reached the server (it failed while connecting)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], 'reason', None) if exc.args else None
    return isinstance(exc, requests.exceptions.ConnectionError) and type(reason).__name__ == 'NewConnectionError'


def _ssl_reason(exc):
    text = str(exc)
    match = re.search(r'(CERTIFICATE_VERIFY_FAILED[^)\]\'"]*|WRONG_VERSION_NUMBER|SSLV3_ALERT[A-Z_]*|hostname mismatch)', text)
    return match.group(1).strip() if match else 'SSLError'


def _tried(tried):
    return '; before that: %s' % ', '.join(tried) if tried else ''


class TwilioClient:
    """The collection's only way to talk to Twilio: URIs relative to ``/v1`` in, parsed JSON out."""

    def __init__(self, params, http_client=None):
        username, password, self.base_url = validate_connection(params)
        self.http = http_client or RoutingHttpClient(
            self.base_url, timeout=params.get('timeout') or 30, validate_certs=params.get('validate_certs', True),
            max_retries=params.get('max_retries', 10), max_retry_time=params.get('max_retry_time') or 60)
        self.sdk = Client(username, password, account_sid=params.get('account_sid'), region=params.get('region'),
                          edge=params.get('edge'), http_client=self.http,
                          environment={'TWILIO_NO_ENVIRONMENT': '1'},  # never read TWILIO_* behind our back
                          user_agent_extensions=['community.twilio/%s' % COLLECTION_VERSION])
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
        """DELETE; True when deleted, False when it was already gone (404)."""
        try:
            self._call('DELETE', uri, self.v1.delete)
        except TwilioApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def list(self, uri, key, page_size=100):
        """Every record of a list endpoint, following ``next_page_url`` to the last page."""
        response = self._call('GET', uri, self.v1.page, params={'PageSize': page_size})
        url = PROXY_VERSION_PREFIX + uri
        while True:
            if not 200 <= response.status_code < 300:
                raise error_from_response('GET', url, response.status_code, response.text)
            try:
                payload = json.loads(response.text)
            except ValueError:
                raise TwilioApiError('list response is not JSON', status=response.status_code, method='GET', url=url)
            meta = payload.get('meta') or {}
            yield from payload.get(meta.get('key') or key) or []
            url = meta.get('next_page_url')
            if not url:
                return
            try:
                response = self.sdk.request('GET', url)
            except Exception as exc:
                raise normalize_exception(exc, 'GET', url)
