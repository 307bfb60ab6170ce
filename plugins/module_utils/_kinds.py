# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""Kinds of values: what users type and what the API returns, made comparable; and redaction of secrets.

Pure functions, no Ansible and no HTTP. A normaliser takes a value and returns its canonical text, or raises
ValueError with a sentence that does not name the option (the caller names it). ``KINDS`` maps the ``kind`` of a
:class:`Field` to its normaliser.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

from ansible.module_utils.six.moves.urllib.parse import unquote, urlsplit

MAX_NAME_LENGTH = 191
# \Z, never $: $ also matches before a trailing newline, which would then be sent.
E164_RE = re.compile(r'^\+[1-9][0-9]{1,14}\Z')
E164_PUNCTUATION_RE = re.compile(r'[\s().\-/]')
CHANNEL_RE = re.compile(r'^[a-z][a-z0-9_-]*:\S+\Z')
CONTROL_RE = re.compile(r'[\x00-\x1f\x7f]')
# The user info of a URL, also of a malformed one without a scheme: user:password@
USERINFO_RE = re.compile(r'^(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#@\s]*)@')
USERINFO_ANYWHERE_RE = re.compile(r'([^/?#@\s]*)@')
ISO8601_RE = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?\Z', re.I)


UTC = timezone.utc


def normalize_e164(value):
    """'+1 (415) 555-0100' -> '+14155550100'; anything that is not E.164 raises ValueError."""
    text = E164_PUNCTUATION_RE.sub('', str(value))
    if not E164_RE.match(text):
        hint, given = '', str(value).strip()
        if given.isdigit() and not given.startswith('0') and len(given) > 7:  # what YAML makes of +14155550100
            hint = '; if you wrote +%s unquoted, YAML read it as a number: quote it ("+%s")' % (given, given)
        elif text.startswith('00') and E164_RE.match('+' + text[2:]):
            hint = '; the international prefix 00 is written + in E.164: %s' % ('+' + text[2:])
        raise ValueError('%r is not an E.164 number (a + followed by 2 to 15 digits, such as +14155550100)%s'
                         % (value, hint))
    return text


def normalize_identifier(value):
    """A participant identifier: an E.164 number, or a channel address such as messenger:123 (kept as is)."""
    text = str(value).strip()
    if CHANNEL_RE.match(text):
        return text
    return normalize_e164(text)


def parse_instant(value):
    """An ISO 8601 date-time (with Z, an offset, or none meaning UTC) as an aware UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    else:
        match = ISO8601_RE.match(str(value).strip())
        if not match:
            raise ValueError('%r is not an ISO 8601 date-time such as 2026-12-31T23:00:00Z' % (value,))
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        if fraction and int(fraction):
            raise ValueError('%r has a fraction of a second (.%s), which Twilio does not keep: leave it out'
                             % (value, fraction))
        try:
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        except ValueError as exc:
            raise ValueError('%r is not a valid date-time (%s)' % (value, exc))
        if zone and zone.upper() != 'Z':
            sign = 1 if zone[0] == '+' else -1
            digits = zone[1:].replace(':', '')
            if int(digits[:2]) > 23 or int(digits[2:]) > 59:
                raise ValueError('%r has the offset %s, which is not a time zone offset (at most 23:59)'
                                 % (value, zone))
            try:
                moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            except OverflowError:
                raise ValueError('%r is out of range: in UTC it falls after the year 9999' % (value,))
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - moment.utcoffset()
    return moment.replace(tzinfo=UTC)


def format_instant(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def normalize_instant(value):
    return format_instant(parse_instant(value))


def sid_pattern(prefix):
    return re.compile(r'^%s[0-9a-fA-F]{32}\Z' % prefix)


def normalize_sid(prefix, value):
    """'KSABC…' -> 'KSabc…' (Twilio's SIDs are case-insensitive hex); anything else raises ValueError."""
    if not sid_pattern(prefix).match(value):
        raise ValueError('%r is not a %s SID (%s followed by 32 hex digits)' % (value, prefix, prefix))
    return prefix + value[2:].lower()


def check_url(value):
    """An http(s) URL with a host, as given (never rewritten); ValueError, with its secrets hidden, otherwise.
    A secret part that holds the mask (a URL copied from the modules' output) is refused: it would be stored."""
    shown = mask_secrets(value, value)
    if CONTROL_RE.search(value):
        raise ValueError('%r contains a control character' % shown)
    parts = urlsplit(value)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise ValueError('%r is not an http(s) URL' % shown)
    if not parts.hostname:
        raise ValueError('%r has no host' % shown)
    try:
        parts.port
    except ValueError:
        raise ValueError('%r has a port that is not a number from 0 to 65535' % shown)
    masked = masked_secret(value)
    if masked:
        raise ValueError('%r holds the mask %s as its %s: that is the text shown instead of a secret, never the '
                         'secret itself; give the real value (from a vault variable, for example)'
                         % (shown, MASK, masked))
    return value


def check_text(value):
    """Text sent as it is (names): no control characters, which Twilio would store and show."""
    match = CONTROL_RE.search(value)
    if match:
        raise ValueError('contains the control character %r at position %d' % (match.group(), match.start() + 1))
    return value


# kind -> normaliser (strict: used on what the user gave; the API's values go through the same, leniently).
# ``sid:XX`` kinds are handled by normalize_sid; ``url`` is only checked on what the user gave.
KINDS = {
    'e164': normalize_e164,
    'identifier': normalize_identifier,
    'instant': normalize_instant,
}


# Redaction. A secret part of a URL is its user info (a password, or a user name alone, which is then a token:
# https://sk_live_x@host) and the value of a credential-like query (or fragment) parameter: one whose name,
# case-insensitive, is or ends with one of SECRET_PARAM_WORDS (separators - _ . ignored), or holds one of them as
# a word: token, api_key, access_token, auth_token, X-Api-Key, sig, Signature, client_secret, key_id, ...
MASK = '********'
SECRET_PARAM_WORDS = ('token', 'key', 'secret', 'password', 'passwd', 'pwd', 'auth', 'authorization', 'sig',
                      'signature', 'credential', 'credentials')
_PARAM_WORD_RE = re.compile(r'[^a-z0-9]+')
_SECRET_PARAM_END_RE = re.compile(r'(?:%s)s?\Z' % '|'.join(SECRET_PARAM_WORDS))
_PARAM_RE = re.compile(r'([^&;=]*)=([^&;]*)')
_URL_LIKE_RE = re.compile(r'^[^\s?#]*[/.][^\s?#]*[?#]\S*\Z')


def secret_param(name):
    """Whether a query parameter's name says that its value is a credential."""
    lowered = unquote(name).lower()
    words = [word for word in _PARAM_WORD_RE.split(lowered) if word]
    return any(word.rstrip('s') in SECRET_PARAM_WORDS or word in SECRET_PARAM_WORDS for word in words) or \
        bool(_SECRET_PARAM_END_RE.search(''.join(words)))


def _query_secrets(text):
    """[(name, value)] of the credential-like parameters in the query and fragment of a URL-like text, as given."""
    found = []
    for part in re.split(r'[?#]', text)[1:]:
        for match in _PARAM_RE.finditer(part):
            if match.group(2) and secret_param(match.group(1)):
                found.append((match.group(1), match.group(2)))
    return found


def _userinfo(text):
    """The user info of a URL (scheme://user info@host), as given, or None."""
    if '://' not in text:
        return None
    netloc = text.split('://', 1)[1]
    netloc = re.split(r'[/?#]', netloc, 1)[0]
    return netloc.rsplit('@', 1)[0] if '@' in netloc else None


def secret_parts(value):
    """{label: text as given} of the secret parts of a URL: 'password' (or 'user info' when it is a name alone)
    and each credential-like parameter by its name. Empty for anything that is not a string looking like a URL."""
    parts = {}
    if not isinstance(value, str):
        return parts
    text = value.strip()
    userinfo = _userinfo(text)
    if userinfo:
        user, colon, password = userinfo.partition(':')
        if colon and password:
            parts['password'] = password
        elif not colon and user:
            parts['user info'] = user
    if ('://' in text or _URL_LIKE_RE.match(text)) and not any(c.isspace() for c in text):
        for name, secret in _query_secrets(text):
            parts.setdefault(unquote(name), secret)
    return parts


def redact_url(value):
    """A URL with its secret parts masked (callback URLs may carry credentials): the password of its user info,
    a user info that is a name alone, and credential-like query parameters. Anything else is returned as is."""
    if not isinstance(value, str) or '://' not in value:
        return value
    scheme, rest = value.split('://', 1)
    netloc = re.split(r'[/?#]', rest, 1)[0]
    tail = rest[len(netloc):]
    if '@' in netloc:
        userinfo, host = netloc.rsplit('@', 1)
        user, colon, password = userinfo.partition(':')
        if colon and password:
            netloc = '%s:%s@%s' % (user, MASK, host)
        elif not colon and user:
            netloc = '%s@%s' % (MASK, host)
    if '?' in tail or '#' in tail:
        cut = min(i for i in (tail.find('?'), tail.find('#')) if i >= 0)
        tail = tail[:cut] + re.sub(r'[^?#]+', lambda m: _PARAM_RE.sub(_mask_param, m.group()), tail[cut:])
    return '%s://%s%s' % (scheme, netloc, tail)


def _mask_param(match):
    if match.group(2) and secret_param(match.group(1)):
        return '%s=%s' % (match.group(1), MASK)
    return match.group()


def url_secrets(value):
    """The secrets in a URL-like text (also a malformed one), as given and decoded: passwords of user info, user
    info that is a name alone, credential-like query parameters. What the modules register as no-log values."""
    found = set()
    if not isinstance(value, str):
        return found
    text = value.strip()
    secrets = list(secret_parts(text).values())
    if '@' in text:
        match = USERINFO_RE.match(text)
        candidates = [match.group(1)] if match else []
        # a malformed URL too (https//user:pw@host, user:pw@host): the text before each '@', back to a '/' or blank
        candidates.extend(userinfo.group(1) for userinfo in USERINFO_ANYWHERE_RE.finditer(text))
        secrets.extend(userinfo.split(':', 1)[1] for userinfo in candidates if ':' in userinfo)
    for secret in secrets:
        if secret:
            found.update([secret, unquote(secret)])
    return found


def masked_secret(value):
    """The label of the first secret part of a URL that holds the mask (the text the modules print instead of a
    secret, given back as input), or None."""
    for label, secret in secret_parts(value).items():
        if MASK in unquote(secret):
            return label
    return None


def mask_secrets(text, value):
    """``text`` (a message) with the secrets of ``value`` replaced by the mask."""
    for secret in sorted(url_secrets(value), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def redact(record):
    """A record (dicts and lists of any depth) with every secret part of a URL masked."""
    if isinstance(record, dict):
        return dict((k, redact(v)) for k, v in record.items())
    if isinstance(record, list):
        return [redact(v) for v in record]
    return redact_url(record)


def redact_diff(before, after):
    """The ``before``/``after`` of a diff, redacted; where a value's secret parts changed, ``after`` says which
    (without either value), so that a new password or token shows as a change."""
    before, after = before or {}, after or {}
    shown_before, shown_after = redact(before), redact(after)
    for key in set(before) & set(after):
        old, new = secret_parts(before[key]), secret_parts(after[key])
        changed = sorted(label for label in set(old) | set(new) if old.get(label) != new.get(label))
        if changed and before[key] != after[key]:
            shown_after[key] = '%s (changed: %s, not shown)' % (shown_after[key], ', '.join(changed))
    return dict(before=shown_before, after=shown_after)
