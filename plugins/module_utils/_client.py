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

import ipaddress
import json
import math
import os
import re
import socket
import threading
import time

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.warnings import get_warning_messages, warn
from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible.module_utils.six.moves.urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ansible_collections.community.twilio.plugins.module_utils._retry import FAILURES, RetryPolicy

try:
    import requests
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
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
DEFAULT_API_URL = 'https://proxy.twilio.com'
PROXY_VERSION_PREFIX = '/v1'
API_2010_PREFIX = '/2010-04-01'  # the account's own resources (numbers it owns, buys and releases)
# A list read stops with an error after this many pages (a million records at the page size the client asks for).
MAX_PAGES = 10000

# \Z, not $: '$' also matches before a trailing newline, which would then be sent.
ACCOUNT_SID_RE = re.compile(r'^AC[0-9a-fA-F]{32}\Z')
API_KEY_RE = re.compile(r'^SK[0-9a-fA-F]{32}\Z')
ROUTING_RE = re.compile(r'^[a-z0-9][a-z0-9-]*\Z')
SECRET_RE = re.compile(r'^[\x21-\x7e]+\Z')  # printable ASCII, no blanks: nothing that could split a header

# The credential options and the variables they are read from when the task gives no credential (see
# resolve_connection: the task's credentials win over the environment's, and are never mixed with them).
CREDENTIAL_ENV = dict(account_sid='TWILIO_ACCOUNT_SID', auth_token='TWILIO_AUTH_TOKEN', api_key='TWILIO_API_KEY',
                      api_secret='TWILIO_API_SECRET')


def _read_by_validate_connection(*names):
    """The ``fallback`` of a credential option: names its variable, never fills the option.

    AnsibleModule's env_fallback would fill each option from the environment one by one, so that a module could no
    longer tell the task's credentials from the environment's. resolve_connection() reads these variables instead.
    """
    raise AnsibleFallbackNotFound(names[0] if names else '')


def connection_argument_spec():
    """The connection options every module takes (documented in the community.twilio.connection fragment)."""
    return dict(
        account_sid=dict(type='str', fallback=(_read_by_validate_connection, ['TWILIO_ACCOUNT_SID'])),
        auth_token=dict(type='str', no_log=True, fallback=(_read_by_validate_connection, ['TWILIO_AUTH_TOKEN'])),
        api_key=dict(type='str', no_log=False, fallback=(_read_by_validate_connection, ['TWILIO_API_KEY'])),
        api_secret=dict(type='str', no_log=True, fallback=(_read_by_validate_connection, ['TWILIO_API_SECRET'])),
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
    ``outcome_unknown`` is true when a write may or may not have happened (timeout, dropped connection, 5xx): the
    retry policy's ``outcome_unknown(method, error)`` decides it.
    """

    def __init__(self, message, status=None, code=None, more_info=None, method=None, url=None,
                 outcome_unknown=False, attempts=1, kind=None):
        super(TwilioApiError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.more_info = more_info
        self.method = method
        self.url = url
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts
        self.kind = kind  # the failure without a response (_retry.FAILURES), None when a status came back
        self.earlier_maybe_processed = False  # an earlier attempt of this request may have been acted on

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


def is_loopback(host):
    """Is this host name or address one that only this machine answers? Decided from the address, never the text."""
    host = (host or '').lower()
    if host.startswith('[') and host.endswith(']'):
        host = host[1:-1]
    if host == 'localhost':
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a name: 127.0.0.1.nip.io resolves wherever its owner likes
        return False
    mapped = getattr(address, 'ipv4_mapped', None)
    return (mapped or address).is_loopback


def is_twilio_host(host):
    host = (host or '').lower()
    return host == 'twilio.com' or host.endswith('.twilio.com')


def _finite_positive(params, option):
    value = params.get(option)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(option, 'must be a number of seconds')
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(option, 'must be a finite number of seconds greater than 0, not %s' % value)


class Connection:
    """What the connection options resolve to: the credentials used, the base URL, and notes for the user."""

    def __init__(self, username, password, base_url, kind, source, notes, secrets, account_sid=None):
        self.account_sid = account_sid
        self.username = username
        self.password = password
        self.base_url = base_url
        self.kind = kind        # 'api_key' or 'auth_token'
        self.source = source    # 'task' or 'environment'
        self.notes = notes      # sentences a module shows as warnings
        self.secrets = secrets  # values a module registers as no_log values


def _credentials(params, environ):
    """The credentials to use, from the task or, when the task gives no auth token, API key or secret, from the
    environment: the two are never mixed, so that a key left in the environment cannot override the task's token.
    The account SID is an identifier, not a credential: the option's, else TWILIO_ACCOUNT_SID, whatever the source."""
    task = dict((o, params.get(o)) for o in CREDENTIAL_ENV if params.get(o) not in (None, ''))
    env = dict((o, environ.get(v)) for o, v in CREDENTIAL_ENV.items() if environ.get(v) not in (None, ''))
    notes = []
    if set(task) & set(['auth_token', 'api_key', 'api_secret']):
        chosen, source = task, 'task'
        ignored = sorted(CREDENTIAL_ENV[o] for o in env if o != 'account_sid' and env[o] != task.get(o))
        if ignored:
            notes.append('the credentials given in the task are used; %s in the environment %s ignored'
                         % (', '.join(ignored), 'is' if len(ignored) == 1 else 'are'))
    else:
        chosen, source = env, 'environment'
    for sid_source in (env, task):
        if 'account_sid' in sid_source:
            chosen['account_sid'] = sid_source['account_sid']
    origin = (lambda o: o) if source == 'task' else (lambda o: '%s (from %s)' % (o, CREDENTIAL_ENV[o]))

    for option, pattern, what in (('account_sid', ACCOUNT_SID_RE, "'AC' followed by 32 hex digits"),
                                  ('api_key', API_KEY_RE, "'SK' followed by 32 hex digits")):
        if option in chosen and not pattern.match(chosen[option]):
            culprit = '' if chosen[option] == task.get(option) else ' (%s is not)' % CREDENTIAL_ENV[option]
            raise ConfigError(option, 'must be %s%s' % (what, culprit))
    for option in ('auth_token', 'api_secret'):
        if option in chosen and not SECRET_RE.match(chosen[option]):
            raise ConfigError(option, 'contains blanks or characters that are not printable ASCII%s'
                              % ('' if source == 'task' else ' (%s)' % CREDENTIAL_ENV[option]))
    where = 'in the task' if source == 'task' else 'in the environment'
    if 'api_key' in chosen or 'api_secret' in chosen:
        if not ('api_key' in chosen and 'api_secret' in chosen):
            missing = 'api_secret' if 'api_key' in chosen else 'api_key'
            raise ConfigError(missing, 'api_key and api_secret must be given together, both %s (%s)'
                              % (where, 'options' if source == 'task' else 'TWILIO_API_KEY / TWILIO_API_SECRET'))
        if 'auth_token' in chosen:
            notes.append('both an auth token and an API key are set %s: the API key %s is used'
                         % (where, origin('api_key')))
        return chosen['api_key'], chosen['api_secret'], 'api_key', source, notes, chosen
    if 'auth_token' in chosen:
        if 'account_sid' not in chosen:
            raise ConfigError('account_sid', 'is required with auth_token (option or TWILIO_ACCOUNT_SID)')
        return chosen['account_sid'], chosen['auth_token'], 'auth_token', source, notes, chosen
    raise ConfigError('auth_token', 'no credentials: set account_sid and auth_token, or api_key and api_secret '
                                    '(options or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, '
                                    'TWILIO_API_KEY / TWILIO_API_SECRET)')


def _base_url(params, notes):
    """api_url, else Twilio's host for the region and edge (proxy.<edge>.<region>.twilio.com, as the SDK builds it)."""
    region, edge = params.get('region') or None, params.get('edge') or None
    for option, value in (('region', region), ('edge', edge)):
        if value is not None and not ROUTING_RE.match(value):
            raise ConfigError(option, 'must be a Twilio routing name such as %s'
                              % ('ie1 or au1' if option == 'region' else 'dublin or sydney'))
    if params.get('api_url'):
        if region or edge:
            notes.append('api_url is set, so %s %s not used: requests go to api_url'
                         % (' and '.join(o for o, v in (('region', region), ('edge', edge)) if v),
                            'is' if not (region and edge) else 'are'))
        base_url = params['api_url'].rstrip('/')
    elif region or edge:
        # The SDK's rule: an edge without a region means us1.
        base_url = 'https://%s.twilio.com' % '.'.join(p for p in ('proxy', edge, region or 'us1') if p)
    else:
        base_url = DEFAULT_API_URL
    parts = urlsplit(base_url)
    try:
        parts.port
    except ValueError:
        raise ConfigError('api_url', 'has a port that is not a number from 1 to 65535')
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigError('api_url', 'must be an http(s) URL such as https://proxy.twilio.com')
    if parts.username or parts.password:
        raise ConfigError('api_url', 'must not contain credentials; use the credential options')
    if parts.path not in ('', '/') or parts.query or parts.fragment:
        raise ConfigError('api_url', 'must be a scheme and host (and port) only, such as https://proxy.twilio.com')
    if parts.scheme == 'http' and not is_loopback(parts.hostname):
        raise ConfigError('api_url', 'plain http:// is refused for %s: credentials are only sent over http to a '
                                     'loopback address (127.0.0.0/8, ::1, localhost); use https://' % parts.hostname)
    return urlunsplit((parts.scheme, parts.netloc, '', '', ''))


def resolve_connection(params, environ=None):
    """Check the connection options before any request and resolve them into a :class:`Connection`.

    The credentials come from the task (options, module_defaults) when it gives an auth token, an API key or an API
    secret, and from TWILIO_* otherwise; see _credentials. ``environ`` defaults to ``os.environ``.
    """
    environ = os.environ if environ is None else environ
    username, password, kind, source, notes, chosen = _credentials(params, environ)
    for option in ('timeout', 'max_retry_time'):
        _finite_positive(params, option)
    if params.get('max_retries') is not None and params['max_retries'] < 0:
        raise ConfigError('max_retries', 'must be 0 or more')
    base_url = _base_url(params, notes)
    secrets = [chosen[o] for o in ('auth_token', 'api_secret') if chosen.get(o)]
    return Connection(username, password, base_url, kind, source, notes, secrets, chosen.get('account_sid'))


def validate_connection(params):
    """Check the connection options before any request; return (username, password, base_url)."""
    connection = resolve_connection(params)
    return connection.username, connection.password, connection.base_url


if HAS_TWILIO:
    _WATCHED = threading.local()

    class Deadline:
        """Bounds one attempt as a whole: when ``seconds`` pass, the sockets it used are shut down.

        requests' ``timeout`` bounds each socket operation, so a server trickling a byte at a time could hold a
        request for ever. The adapter below registers every socket an attempt connects or reuses here.
        """

        def __init__(self, seconds):
            self.seconds = seconds
            self.fired = False
            self.sockets = []
            self.lock = threading.Lock()
            self.timer = threading.Timer(seconds, self.fire)
            self.timer.daemon = True

        def __enter__(self):
            _WATCHED.deadline = self
            self.timer.start()
            return self

        def __exit__(self, *exc_info):
            self.timer.cancel()
            _WATCHED.deadline = None
            with self.lock:
                for sock in self.sockets:
                    sock.close()
                self.sockets = []
            return False

        def watch(self, sock):
            if sock is None:
                return
            try:
                # A duplicate descriptor: shutting it down ends the connection, and it keeps the descriptor number
                # from being reused by an unrelated socket before the deadline is cancelled.
                dup = socket.socket(fileno=os.dup(sock.fileno()))
            except (OSError, ValueError):
                return
            with self.lock:
                self.sockets.append(dup)
                if self.fired:
                    self._shut(dup)

        def fire(self):
            with self.lock:
                self.fired = True
                for sock in self.sockets:
                    self._shut(sock)

        @staticmethod
        def _shut(sock):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _watch(sock):
        deadline = getattr(_WATCHED, 'deadline', None)
        if deadline is not None:
            deadline.watch(sock)

    class _WatchedHTTPConnection(HTTPConnection):
        def _new_conn(self):
            sock = super(_WatchedHTTPConnection, self)._new_conn()
            _watch(sock)
            return sock

    class _WatchedHTTPSConnection(HTTPSConnection):
        def _new_conn(self):
            sock = super(_WatchedHTTPSConnection, self)._new_conn()
            _watch(sock)
            return sock

    class _WatchedHTTPPool(HTTPConnectionPool):
        ConnectionCls = _WatchedHTTPConnection

        def _get_conn(self, timeout=None):
            conn = super(_WatchedHTTPPool, self)._get_conn(timeout)
            _watch(getattr(conn, 'sock', None))  # a kept-alive connection: its socket exists already
            return conn

    class _WatchedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _WatchedHTTPSConnection

        def _get_conn(self, timeout=None):
            conn = super(_WatchedHTTPSPool, self)._get_conn(timeout)
            _watch(getattr(conn, 'sock', None))
            return conn

    _WATCHED_POOLS = {'http': _WatchedHTTPPool, 'https': _WatchedHTTPSPool}

    class WatchedAdapter(requests.adapters.HTTPAdapter):
        """An HTTPAdapter whose connections register their sockets with the attempt's :class:`Deadline`."""

        def init_poolmanager(self, *args, **kwargs):
            super(WatchedAdapter, self).init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(_WATCHED_POOLS)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super(WatchedAdapter, self).proxy_manager_for(proxy, **proxy_kwargs)
            if not proxy.lower().startswith('socks'):
                manager.pool_classes_by_scheme = dict(_WATCHED_POOLS)
            return manager

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


def failure_kind(exc, deadline_fired=False):
    """The name (a key of _retry.FAILURES) of a failure that brought no response."""
    if deadline_fired:
        return 'timeout'
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


class RoutingHttpClient(TwilioHttpClient):
    """Sends every request to ``base_url`` (refusing any other host), each attempt bounded as a whole by
    ``timeout``, and sends it again as the retry policy (_retry.RetryPolicy) says."""

    def __init__(self, base_url, timeout, validate_certs=True, max_retries=10, max_retry_time=60.0,
                 sleep=time.sleep, clock=time.monotonic, policy=None):
        super(RoutingHttpClient, self).__init__(timeout=timeout)
        self.base = urlsplit(base_url)
        self.policy = policy or RetryPolicy(max_retries=max_retries, max_retry_time=max_retry_time)
        self.sleep = sleep
        self.clock = clock
        self.requests_sent = 0
        if self.session is not None:
            self.session = CertificateSession()
            self.session.verify = validate_certs
            adapter = WatchedAdapter()  # https, and our loopback http, pooled alike
            self.session.mount('https://', adapter)
            self.session.mount('http://', adapter)

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
        """One request, bounded as a whole by ``timeout``: (response, status) or (exception, failure name)."""
        self.requests_sent += 1
        with Deadline(timeout) as deadline:
            try:
                response = super(RoutingHttpClient, self).request(
                    method, url, params=params, data=data, headers=headers, auth=auth, timeout=timeout,
                    allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                return exc, failure_kind(exc, deadline.fired)
        if deadline.fired:  # the answer was cut short (a body without a length ends when the socket does)
            self.session.close()
            return requests.exceptions.ReadTimeout('no complete answer within %g s' % timeout), 'timeout'
        return response, response.status_code

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
