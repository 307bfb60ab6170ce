# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The one idempotency engine of the collection.

Given a resource description (:class:`Resource`, pure data), it validates the options before any request,
resolves parents given by SID or unique name, looks the resource up, compares normalised values, and creates,
updates or deletes it, with honest check mode and a key-level diff. Nothing here knows a resource by name.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta, tzinfo

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import quote, urlsplit, urlunsplit
from ansible_collections.community.twilio.plugins.module_utils._client import (
    HAS_TWILIO, TWILIO_IMPORT_ERROR, ConfigError, TwilioApiError, TwilioClient, connection_argument_spec,
    validate_connection)

MAX_NAME_LENGTH = 191
E164_RE = re.compile(r'^\+[1-9][0-9]{1,14}$')
E164_PUNCTUATION_RE = re.compile(r'[\s().\-/]')
CHANNEL_RE = re.compile(r'^[a-z][a-z0-9_-]*:\S+$')
ISO8601_RE = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}:?\d{2})?$', re.I)


class EngineError(Exception):
    """A failure the engine reports to the user; ``extra`` goes into the result beside ``msg``."""

    def __init__(self, msg, **extra):
        super(EngineError, self).__init__(msg)
        self.extra = extra


class _UTC(tzinfo):
    def utcoffset(self, dt):
        return timedelta(0)

    def tzname(self, dt):
        return 'UTC'

    def dst(self, dt):
        return timedelta(0)


UTC = _UTC()


# ---------------------------------------------------------------------------------------------------------------
# Normalisers: what users type and what the API returns, made comparable.

def normalize_e164(value):
    """'+1 (415) 555-0100' -> '+14155550100'; anything that is not E.164 raises ValueError."""
    text = E164_PUNCTUATION_RE.sub('', str(value))
    if not E164_RE.match(text):
        raise ValueError('%r is not an E.164 number (a + followed by 2 to 15 digits, such as +14155550100)' % value)
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
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                          int((fraction or '0').ljust(6, '0')))
        if zone and zone.upper() != 'Z':
            sign = 1 if zone[0] == '+' else -1
            digits = zone[1:].replace(':', '')
            moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - moment.utcoffset()
    return moment.replace(tzinfo=UTC)


def format_instant(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def sid_pattern(prefix):
    return re.compile(r'^%s[0-9a-fA-F]{32}$' % prefix)


def redact_url(value):
    """Hide the password of a URL with user info (callback URLs may carry credentials)."""
    if isinstance(value, str) and '@' in value and '://' in value:
        parts = urlsplit(value)
        if parts.password:
            netloc = '%s:********@%s' % (parts.username, parts.netloc.rsplit('@', 1)[1])
            return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return value


def redact(record):
    if isinstance(record, dict):
        return dict((k, redact(v)) for k, v in record.items())
    if isinstance(record, list):
        return [redact(v) for v in record]
    return redact_url(record)


# ---------------------------------------------------------------------------------------------------------------
# Resource descriptions: data.

class Field:
    """One option of a resource: how it is typed, validated, sent and compared.

    ``name`` is the option and the response key (Twilio's snake_case), ``api`` the form field (CamelCase).
    ``kind`` adds meaning to the type: ``sid:XX``, ``e164``, ``identifier``, ``instant``, ``url``.
    ``updatable`` False makes a difference on an existing resource an error (or a recreate, where allowed);
    ``compare`` False sends the option on create only and never compares it (no response field).
    """

    def __init__(self, name, api, type='str', kind=None, choices=None, updatable=True, compare=True,
                 max_length=None, minimum=None, elements=None, options=None, managed=True, clearable=True):
        self.name = name
        self.api = api
        self.type = type
        self.kind = kind
        self.choices = choices
        self.updatable = updatable
        self.compare = compare
        self.max_length = max_length
        self.minimum = minimum
        self.elements = elements
        self.options = options
        self.managed = managed  # False: a hook handles it, the engine only declares it
        self.clearable = clearable  # an explicit '' clears the field on the API

    def argspec(self):
        spec = dict(type=self.type)
        if self.choices:
            spec['choices'] = list(self.choices)
        if self.elements:
            spec['elements'] = self.elements
        if self.options:
            spec['options'] = self.options
        return spec

    def validate(self, value, option=None):
        """Return the normalised value; raise EngineError naming the option when it is malformed."""
        option = option or self.name
        if value is None:
            return None
        try:
            return self._normalize(value, strict=True)
        except ValueError as exc:
            raise EngineError('%s: %s' % (option, exc))

    def normalize(self, value):
        """Normalise a value the API returned (lenient: unexpected shapes compare as they are)."""
        if value is None:
            return None
        try:
            return self._normalize(value, strict=False)
        except ValueError:
            return value

    def _normalize(self, value, strict):
        kind = self.kind or ''
        if self.type == 'int':
            value = int(value)
            if strict and self.minimum is not None and value < self.minimum:
                raise ValueError('must be %s or more, got %s' % (self.minimum, value))
            return value
        if self.type == 'bool':
            return bool(value)
        if self.type != 'str':
            return value
        value = str(value)
        if value == '' and self.clearable:
            return ''  # an explicit empty string clears the field
        if strict and self.max_length is not None and len(value) > self.max_length:
            raise ValueError('must be %d characters or fewer, got %d' % (self.max_length, len(value)))
        if kind.startswith('sid:'):
            prefix = kind[4:]
            if not sid_pattern(prefix).match(value):
                raise ValueError('%r is not a %s SID (%s followed by 32 hex digits)' % (value, prefix, prefix))
            return prefix + value[2:].lower()
        if kind == 'e164':
            return normalize_e164(value)
        if kind == 'identifier':
            return normalize_identifier(value)
        if kind == 'instant':
            return format_instant(parse_instant(value))
        if kind == 'url' and strict:
            parts = urlsplit(value)
            if parts.scheme not in ('http', 'https') or not parts.netloc:
                raise ValueError('%r is not an http(s) URL' % redact_url(value))
        if self.choices:
            return value.lower()
        return value

    def serialize(self, value):
        """The form value Twilio expects; '' stays '' (clears the field)."""
        if self.type == 'bool':
            return 'true' if value else 'false'
        if self.type == 'int':
            return str(value)
        return value

    def same(self, want, have):
        """Whether the live value ``have`` already satisfies ``want`` (both as the API would express them)."""
        have = self.normalize(have)
        if want == '':
            return have in (None, '')
        return want == have


class Resource:
    """A Twilio Proxy resource, described as data for the engine.

    ``path`` is the collection URI below /v1 with ``{parent_option}`` placeholders; ``key`` the natural key
    field (``unique_name``, ``phone_number``, ``identifier``) or None; ``fetch_by_key`` whether the API may
    answer a GET with the natural key in place of the SID (then one GET; else every page is listed and matched).
    """

    def __init__(self, name, title, path, list_key, sid_prefix, fields, key=None, parents=(), fetch_by_key=False,
                 updatable=True, hint=None, create_by_sid=False, error_hints=None, conflict_codes=()):
        self.name = name
        self.title = title
        self.path = path
        self.list_key = list_key
        self.sid_prefix = sid_prefix
        self.fields = fields
        self.key = key
        self.parents = parents  # ((option, Resource), ...), outermost first
        self.fetch_by_key = fetch_by_key
        self.updatable = updatable
        self.hint = hint  # appended to the error for an immutable difference
        self.create_by_sid = create_by_sid  # a sid names an account resource to add (numbers, short codes)
        self.error_hints = error_hints or {}  # Twilio error code -> a sentence appended to the API's message
        # Twilio error codes of a create that lost a race: another client created the same key meanwhile
        self.conflict_codes = frozenset(conflict_codes)
        self.sid_field = Field('sid', 'Sid', kind='sid:' + sid_prefix, clearable=False)

    def field(self, name):
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)

    @property
    def key_field(self):
        return self.field(self.key) if self.key else None

    def collection_uri(self, parent_sids):
        return self.path.format(**dict((k, quote(v, safe='')) for k, v in parent_sids.items()))

    def instance_uri(self, parent_sids, ident):
        return '%s/%s' % (self.collection_uri(parent_sids), quote(ident, safe=''))

    def is_sid(self, value):
        return bool(value) and bool(sid_pattern(self.sid_prefix).match(value))


def identity_spec(resource):
    """Connection options + parents + sid: what every module of a resource takes, resource or _info."""
    spec = connection_argument_spec()
    for option, dummy in resource.parents:
        spec[option] = dict(type='str', required=True)
    spec['sid'] = dict(type='str')
    return spec


def form_data(resource, values):
    """{option: value} as the form Twilio expects: CamelCase fields, serialised values, None left out."""
    return dict((resource.field(name).api, resource.field(name).serialize(value))
                for name, value in values.items() if value is not None)


def argument_spec(resource, extra=None):
    """identity_spec + state + the resource's fields (+ a module's own extras)."""
    spec = identity_spec(resource)
    spec['state'] = dict(type='str', default='present', choices=['present', 'absent'])
    for field in resource.fields:
        spec[field.name] = field.argspec()
    spec.update(extra or {})
    return spec


# ---------------------------------------------------------------------------------------------------------------
# The engine.

def is_live(record):
    """Soft-deleted records (participants) still show in lists, with date_deleted set: they are gone."""
    return not record.get('date_deleted')


class Engine:
    """lookup -> compare -> create/update/delete, check mode and diff, for any :class:`Resource`.

    Modules with special behaviour subclass it and override a hook: ``before_delete``, ``delete_diff``,
    ``update_steps``, ``after_present``, ``extra_diff``; nothing else.
    """

    def __init__(self, module, resource, client=None):
        self.module = module
        self.resource = resource
        self.params = module.params
        self.check_mode = module.check_mode
        self.client = client
        self.warnings = []
        self.parent_sids = None  # set by converge(): the parents as SIDs (None when a parent is missing)
        self.deleted_matches = []  # soft-deleted records that carry the wanted natural key (set by find())

    # -- entry points ----------------------------------------------------------------------------------------

    def run(self):
        try:
            self.desired = self.validate()
            self.connect()
            result = self.converge()
        except ConfigError as exc:
            self.module.fail_json(msg=str(exc))
        except EngineError as exc:
            self.module.fail_json(msg=str(exc), **exc.extra)
        except TwilioApiError as exc:
            self.module.fail_json(msg=str(exc) + self.resource.error_hints.get(exc.code, ''), error=exc.as_dict())
        for warning in self.warnings:
            self.module.warn(warning)
        self.module.exit_json(**result)

    def connect(self):
        if self.client is None:
            if not HAS_TWILIO:
                self.module.fail_json(msg=missing_required_lib('twilio'), exception=str(TWILIO_IMPORT_ERROR))
            self.client = TwilioClient(self.params)
        self.client.read_only = self.check_mode  # a guard under the guard: check mode cannot write

    # -- validation: everything that can be known before a request --------------------------------------------

    def validate(self):
        """Normalised desired values of the options the user gave; EngineError naming the option otherwise."""
        res = self.resource
        desired = self.validate_options(res.fields)
        if not self.params.get('sid') and res.key and desired.get(res.key) in (None, ''):
            raise EngineError('%s: must not be empty (or give sid)' % res.key)
        return desired

    def validate_options(self, fields):
        """Connection, parents, sid and the given fields, checked and normalised; no request is made."""
        validate_connection(self.params)
        res = self.resource
        for option, parent in res.parents:
            value = self.params[option]
            if not value or len(value) > MAX_NAME_LENGTH:
                raise EngineError('%s: must be a %s SID or unique name of 1 to %d characters'
                                  % (option, parent.title, MAX_NAME_LENGTH))
        if self.params.get('sid') is not None:
            res.sid_field.validate(self.params['sid'])
        desired = {}
        for field in fields:
            if field.managed:
                value = field.validate(self.params.get(field.name))
                if value is not None:
                    desired[field.name] = value
        return desired

    # -- reads -----------------------------------------------------------------------------------------------

    def resolve_parents(self, resource=None):
        """Parent options to SIDs (a SID costs nothing; a unique name one look-up). None: a parent is missing."""
        sids = {}
        for option, parent in (resource or self.resource).parents:
            value = self.params[option]
            if parent.is_sid(value):
                sids[option] = parent.sid_field.normalize(value)
                continue
            record = self.find(parent, sids, key=value)
            if record is None:
                if self.check_mode:
                    self.warnings.append('%s %r does not exist; check mode assumes an earlier task creates it'
                                         % (option, value))
                    return None
                raise EngineError('%s: no %s with %s %r' % (option, parent.title, parent.key, value))
            sids[option] = record['sid']
        return sids

    def find(self, resource, parent_sids, sid=None, key=None):
        """One record by SID (one GET) or natural key; None when absent; EngineError on an ambiguous key."""
        if sid:
            record = self.client.fetch(resource.instance_uri(parent_sids, sid))
            return record if record is None or is_live(record) else None
        field = resource.key_field
        want = field.normalize(key)
        if resource.fetch_by_key and not resource.is_sid(key):
            record = self.client.fetch(resource.instance_uri(parent_sids, key))
            if record is not None and field.normalize(record.get(field.name)) == want and is_live(record):
                return record
        matches = [record for record in self.client.list(resource.collection_uri(parent_sids), resource.list_key)
                   if field.normalize(record.get(field.name)) == want]
        if resource is self.resource:
            self.deleted_matches = [record for record in matches if not is_live(record)]
        matches = [record for record in matches if is_live(record)]
        if len(matches) > 1:
            raise EngineError('%d %ss have %s %r: %s; pass sid to choose one'
                              % (len(matches), resource.title, field.name, key,
                                 ', '.join(sorted(m['sid'] for m in matches))))
        return matches[0] if matches else None

    def lookup(self, parent_sids):
        if parent_sids is None:
            return None
        sid = self.params.get('sid')
        if sid:
            record = self.find(self.resource, parent_sids, sid=self.resource.sid_field.normalize(sid))
            if record is None and self.params['state'] == 'present' and not self.resource.create_by_sid:
                raise EngineError('sid: no %s %s exists%s; a given sid is never created'
                                  % (self.resource.title, sid, self._parent_text(parent_sids)))
            return record
        return self.find(self.resource, parent_sids, key=self.desired[self.resource.key])

    def _parent_text(self, parent_sids):
        return ''.join(' in %s' % v for v in reversed(list(parent_sids.values())))

    # -- decisions -------------------------------------------------------------------------------------------

    def differences(self, current):
        """{field: (live value, wanted value)} for the options given that the live resource does not satisfy."""
        changes = {}
        for field in self.resource.fields:
            if field.managed and field.compare and field.name in self.desired:
                if not field.same(self.desired[field.name], current.get(field.name)):
                    changes[field.name] = (current.get(field.name), self.desired[field.name])
        return changes

    def form(self, values):
        return form_data(self.resource, values)

    def converge(self):
        parent_sids = self.resolve_parents()
        self.parent_sids = parent_sids
        current = self.lookup(parent_sids)
        if self.params['state'] == 'absent':
            return self.absent(parent_sids, current)
        if current is None:
            try:
                return self.create(parent_sids)
            except TwilioApiError as exc:
                current = self.created_meanwhile(parent_sids, exc)
        return self.update(parent_sids, current)

    def created_meanwhile(self, parent_sids, exc):
        """After a create refused as a duplicate (another run created the same key between our look-up and our
        POST), the resource that run created: it is then converged like any existing one. Re-raise otherwise."""
        if exc.code not in self.resource.conflict_codes:
            raise exc
        current = self.lookup(parent_sids)
        if current is None:
            raise exc
        self.warnings.append('another run created this %s meanwhile (Twilio error %s); converged it instead'
                             % (self.resource.title, exc.code))
        return current

    def result(self, changed, record, before, after):
        result = dict(changed=changed)
        result[self.resource.name] = redact(record or {})
        if self.module._diff:
            result['diff'] = dict(before=redact(before), after=redact(after))
        return result

    def create(self, parent_sids, reason=None):
        gone = self.deleted_matches
        if gone and reason is None:
            # A soft-deleted record with this key (a removed participant) cannot come back: say so, write nothing.
            raise EngineError('%s %s %r was deleted (%s, date_deleted %s) and cannot be created again%s'
                              % (self.resource.title, self.resource.key, self.desired.get(self.resource.key),
                                 gone[0].get('sid'), gone[0].get('date_deleted'), self.resource.hint or ''),
                              sid=gone[0].get('sid'))
        values = dict((k, v) for k, v in self.desired.items() if self.resource.field(k).managed)
        if self.resource.create_by_sid and self.params.get('sid'):
            values['sid'] = self.resource.sid_field.normalize(self.params['sid'])  # known, not invented
        if self.check_mode or parent_sids is None:
            record = dict(values)
            record.setdefault('sid', None)
            record.update(parent_sids or {})
        else:
            record = self.create_write(parent_sids, self.create_data(values))
        before = dict(state='absent') if reason is None else reason
        after = dict(values, state='present')
        record = self.after_present(parent_sids, None, record, after)
        return self.result(True, record, before, after)

    def create_data(self, values):
        data = self.form(dict((k, v) for k, v in values.items() if k != 'sid'))
        if self.resource.create_by_sid and self.params.get('sid'):
            data['Sid'] = self.resource.sid_field.normalize(self.params['sid'])
        return data

    def create_write(self, parent_sids, data):
        """POST the create; when its outcome is unknown (timeout, 5xx, dropped), look before trying again."""
        uri = self.resource.collection_uri(parent_sids)
        try:
            return self.client.create(uri, data)
        except TwilioApiError as exc:
            if not exc.outcome_unknown or not self.resource.key or self.resource.key not in self.desired:
                raise
            record = self.find(self.resource, parent_sids, key=self.desired[self.resource.key])
            if record is not None:
                self.warnings.append('the create request failed (%s) but the %s exists: it was created'
                                     % (exc, self.resource.title))
                return record
            return self.client.create(uri, data)

    def update(self, parent_sids, current):
        changes = self.differences(current)
        fixed = sorted(name for name in changes if not self.resource.field(name).updatable or not
                       self.resource.updatable)
        if fixed:
            if self.params.get('recreate'):
                return self.recreate(parent_sids, current, changes)
            raise EngineError(
                '%s of %s %s cannot be changed in place (live %s, wanted %s)%s'
                % (', '.join(fixed), self.resource.title, current.get('sid'),
                   ', '.join('%s=%r' % (n, changes[n][0]) for n in fixed),
                   ', '.join('%s=%r' % (n, changes[n][1]) for n in fixed),
                   self.resource.hint or ''), sid=current.get('sid'))
        before = dict((name, old) for name, (old, new) in changes.items())
        after = dict((name, new) for name, (old, new) in changes.items())
        record = current
        if changes:
            record = self.update_write(parent_sids, current, after)
        record = self.after_present(parent_sids, current, record, after, before)
        changed = bool(after)
        return self.result(changed, record, before, after)

    def update_write(self, parent_sids, current, values):
        steps = self.update_steps(current, values)
        if self.check_mode:
            return dict(current, **values)
        record = current
        for step in steps:
            record = self.client.update(self.resource.instance_uri(parent_sids, current['sid']), self.form(step))
        return record

    def recreate(self, parent_sids, current, changes):
        if not self.check_mode:
            self.before_delete(parent_sids, current)
            self.client.delete(self.resource.instance_uri(parent_sids, current['sid']))
        reason = dict((name, old) for name, (old, new) in changes.items())
        reason.update(sid=current['sid'], state='present (deleted and created again)')
        return self.create(parent_sids, reason=reason)

    def absent(self, parent_sids, current):
        if current is None:
            return self.result(False, {}, {}, {})
        before = dict((k, v) for k, v in current.items() if k not in ('url', 'links'))  # as found, before any hook
        before['state'] = 'present'
        after = dict(state='absent')
        self.delete_diff(parent_sids, current, before, after)
        if not self.check_mode:
            self.before_delete(parent_sids, current)
            self.client.delete(self.resource.instance_uri(parent_sids, current['sid']))
        return self.result(True, {}, before, after)

    # -- hooks -----------------------------------------------------------------------------------------------

    def before_delete(self, parent_sids, current):
        """Called before a real delete (not in check mode)."""

    def delete_diff(self, parent_sids, current, before, after):
        """Called on state=absent for an existing resource (also in check mode) with the diff dicts to extend."""

    def update_steps(self, current, values):
        """The update requests that bring ``current`` to ``values``, in order (called in check mode too, before
        any write). Raise EngineError for a change the API cannot make from the live state."""
        return [values]

    def after_present(self, parent_sids, current, record, after, before=None):
        """Called after create/update (also in check mode) with the diff dicts to extend; returns the record."""
        return record


def run_module(resource, engine=Engine, extra_spec=None, **module_kwargs):
    """A resource module's main(): the argument spec from the description, then the engine."""
    module_kwargs.setdefault('supports_check_mode', True)
    spec = argument_spec(resource, extra_spec)
    if resource.key:
        module_kwargs.setdefault('required_one_of', [['sid', resource.key]])
    else:
        spec['sid']['required'] = True  # no natural key: the SID is the only identity
    module = AnsibleModule(argument_spec=spec, **module_kwargs)
    engine(module, resource).run()


class InfoEngine(Engine):
    """The read side: every record of a resource under its parents, narrowed by optional filters.

    A ``sid`` filter is one GET; the natural key uses the engine's look-up (one GET where the API fetches by
    name); other filters read every page and compare normalised values. Nothing is ever written.
    """

    def __init__(self, module, resource, filters, client=None):
        super(InfoEngine, self).__init__(module, resource, client=client)
        self.filters = [resource.field(name) for name in filters]

    def validate(self):
        return self.validate_options(self.filters)

    def converge(self):
        res = self.resource
        parent_sids = self.resolve_parents()
        include_deleted = self.params.get('include_deleted')
        if parent_sids is None:
            records = []
        elif self.params.get('sid'):
            record = self.client.fetch(res.instance_uri(parent_sids, res.sid_field.normalize(self.params['sid'])))
            records = [record] if record is not None else []
        elif res.key and self.desired.get(res.key) and not include_deleted:
            record = self.find(res, parent_sids, key=self.desired[res.key])
            records = [record] if record is not None else []
        else:
            records = [record for record in self.client.list(res.collection_uri(parent_sids), res.list_key)
                       if include_deleted or is_live(record)]
        for field in self.filters:
            if field.name in self.desired:
                records = [r for r in records if field.same(self.desired[field.name], r.get(field.name))]
        result = dict(changed=False)
        result[res.list_key] = redact(records)
        return result


def run_info_module(resource, filters=(), extra_spec=None):
    """An _info module's main(): connection options, parents, ``sid`` and the filters; a list comes back."""
    spec = identity_spec(resource)
    for name in filters:
        spec[name] = resource.field(name).argspec()
    spec.update(extra_spec or {})
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    InfoEngine(module, resource, filters).run()
