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
from datetime import datetime, timedelta, tzinfo

from ansible.module_utils.six.moves.urllib.parse import unquote, urlsplit, urlunsplit

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


class _UTC(tzinfo):
    def utcoffset(self, dt):
        return timedelta(0)

    def tzname(self, dt):
        return 'UTC'

    def dst(self, dt):
        return timedelta(0)


UTC = _UTC()


def normalize_e164(value):
    """'+1 (415) 555-0100' -> '+14155550100'; anything that is not E.164 raises ValueError."""
    text = E164_PUNCTUATION_RE.sub('', str(value))
    if not E164_RE.match(text):
        hint = ''
        if str(value).strip() == text and text.isdigit() and len(text) > 7 and not text.startswith('0'):
            # only what YAML can have read as an integer: digits alone, without a leading 0 (00 1 415... is not)
            hint = '; if you wrote +%s unquoted, YAML read it as a number: quote it ("+%s")' % (text, text)
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
    """An http(s) URL with a host, as given (never rewritten); ValueError, with the password hidden, otherwise."""
    if CONTROL_RE.search(value):
        raise ValueError('%r contains a control character' % redact_url(value))
    parts = urlsplit(value)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise ValueError('%r is not an http(s) URL' % redact_url(value))
    if not parts.hostname:
        raise ValueError('%r has no host' % redact_url(value))
    try:
        parts.port
    except ValueError:
        raise ValueError('%r has a port that is not a number from 0 to 65535' % redact_url(value))
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


def redact_url(value):
    """Hide the password of a URL with user info (callback URLs may carry credentials)."""
    if isinstance(value, str) and '@' in value and '://' in value:
        parts = urlsplit(value)
        if parts.password:
            netloc = '%s:********@%s' % (parts.username, parts.netloc.rsplit('@', 1)[1])
            return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return value


def url_passwords(value):
    """The passwords in the user info of a URL-like text (also a malformed one), as given and decoded."""
    found = set()
    if isinstance(value, str) and '@' in value:
        text = value.strip()
        match = USERINFO_RE.match(text)
        candidates = [match.group(1)] if match else []
        # a malformed URL too (https//user:pw@host, user:pw@host): the text before each '@', back to a '/' or blank
        candidates.extend(userinfo.group(1) for userinfo in USERINFO_ANYWHERE_RE.finditer(text))
        for userinfo in candidates:
            password = userinfo.split(':', 1)[1] if ':' in userinfo else ''
            if password:
                found.update([password, unquote(password)])
    return found


def redact(record):
    """A record (dicts and lists of any depth) with every URL password hidden."""
    if isinstance(record, dict):
        return dict((k, redact(v)) for k, v in record.items())
    if isinstance(record, list):
        return [redact(v) for v in record]
    return redact_url(record)
