# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The connection options every module takes, and what they resolve to before any request.

:func:`connection_argument_spec` is their argument spec (documented in the ``community.twilio.connection``
fragment); :func:`resolve_connection` checks them and resolves the credentials (from the task, else from
``TWILIO_*``, never mixed) and the base URL into a :class:`Connection`. A leaf: it imports no transport (requests,
urllib3, the twilio SDK), so that declaring a resource or checking options loads none.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import math
import os
import re

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import urlsplit, urlunsplit

from ansible_collections.community.twilio.plugins.module_utils._errors import ConfigError

DEFAULT_API_URL = 'https://proxy.twilio.com'

# \Z, not $: '$' also matches before a trailing newline, which would then be sent.
ACCOUNT_SID_RE = re.compile(r'^AC[0-9a-fA-F]{32}\Z')
API_KEY_RE = re.compile(r'^SK[0-9a-fA-F]{32}\Z')
ROUTING_RE = re.compile(r'^[a-z0-9][a-z0-9-]*\Z')
SECRET_RE = re.compile(r'^[\x21-\x7e]+\Z')  # printable ASCII, no blanks: nothing that could split a header

# The credential options and the variables they are read from when the task gives no credential. They have no
# env_fallback: it would fill each option from the environment one by one, so that the task's credentials could no
# longer be told from the environment's. _credentials reads these variables itself, as a set (the task's
# credentials win over the environment's and are never mixed with them), and the secrets it reads never pass
# through the module's parameters.
CREDENTIAL_ENV = dict(account_sid='TWILIO_ACCOUNT_SID', auth_token='TWILIO_AUTH_TOKEN', api_key='TWILIO_API_KEY',
                      api_secret='TWILIO_API_SECRET')


def connection_argument_spec():
    """The connection options every module takes (documented in the community.twilio.connection fragment)."""
    return dict(
        account_sid=dict(type='str'),
        auth_token=dict(type='str', no_log=True),
        api_key=dict(type='str', no_log=False),
        api_secret=dict(type='str', no_log=True),
        region=dict(type='str', fallback=(env_fallback, ['TWILIO_REGION'])),
        edge=dict(type='str', fallback=(env_fallback, ['TWILIO_EDGE'])),
        api_url=dict(type='str', fallback=(env_fallback, ['TWILIO_PROXY_API_URL'])),
        timeout=dict(type='float', default=30, fallback=(env_fallback, ['TWILIO_TIMEOUT'])),
        validate_certs=dict(type='bool', default=True),
        max_retries=dict(type='int', default=10, fallback=(env_fallback, ['TWILIO_MAX_RETRIES'])),
        max_retry_time=dict(type='float', default=60, fallback=(env_fallback, ['TWILIO_MAX_RETRY_TIME'])),
    )


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
