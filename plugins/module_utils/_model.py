# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The model a resource is described in: :class:`Field`, :class:`Items`, :class:`Resource`, and the argument
specs and form data derived from them. Declarations only carry data; what an attribute means is here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.module_utils.six.moves.urllib.parse import quote
from ansible_collections.community.twilio.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError
from ansible_collections.community.twilio.plugins.module_utils._kinds import (
    KINDS, check_text, check_url, normalize_sid, sid_pattern)


class Field:
    """One option of a resource: how it is typed, validated, sent and compared.

    ``name`` is the option and the response key (Twilio's snake_case), ``api`` the form field (CamelCase).
    ``kind`` adds meaning to the type: ``sid:XX``, ``e164``, ``identifier``, ``instant``, ``url`` (see _kinds).
    ``updatable`` False makes a difference on an existing resource an error (proxy_session may recreate instead);
    ``compare`` False sends the option on create only and never compares it (no response field);
    ``clearable`` lets an explicit '' clear the field on the API;
    ``equivalent`` groups of values that satisfy each other (a wanted ``open`` session is satisfied by a live
    ``in-progress`` one); ``settable`` the values a write may send, where ``choices`` also lists values that can
    only be matched.
    """

    def __init__(self, name, api, type='str', kind=None, choices=None, updatable=True, compare=True,
                 max_length=None, minimum=None, clearable=True, equivalent=(), settable=None):
        self.name = name
        self.api = api
        self.type = type
        self.kind = kind
        self.choices = choices
        self.updatable = updatable
        self.compare = compare
        self.max_length = max_length
        self.minimum = minimum
        self.clearable = clearable
        self.equivalent = tuple(tuple(group) for group in equivalent)
        self.settable = tuple(settable) if settable is not None else tuple(choices or ())

    def argspec(self):
        spec = dict(type=self.type)
        if self.choices:
            spec['choices'] = list(self.choices)
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
        if value == '' and strict:
            raise ValueError('must not be empty')
        if strict and not kind:
            check_text(value)
        if strict and self.max_length is not None and len(value) > self.max_length:
            raise ValueError('must be %d characters or fewer, got %d' % (self.max_length, len(value)))
        if kind.startswith('sid:'):
            return normalize_sid(kind[4:], value)
        if kind in KINDS:
            return KINDS[kind](value)
        if kind == 'url' and strict:
            check_url(value)
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
        for group in self.equivalent:
            if want in group:
                return have in group
        if want == '':
            return have in (None, '')
        return want == have


class Items(Field):
    """A list of dicts, each validated like the options of ``fields`` (the sub-options are derived from them),
    sent on create only as Twilio's Session create takes participants: one repeated form key, each value a JSON
    object with CamelCase keys. ``key`` is required in each item and unique in the list; more than ``maximum``
    items is an error (``too_many`` % (maximum, given)) before any request."""

    def __init__(self, name, api, fields, key, maximum, too_many):
        super(Items, self).__init__(name, api, type='list', compare=False)
        self.fields = fields
        self.key = key
        self.maximum = maximum
        self.too_many = too_many

    def sub_options(self):
        options = {}
        for field in self.fields:
            options[field.name] = field.argspec()
            if field.name == self.key:
                options[field.name]['required'] = True
        return options

    def argspec(self):
        return dict(type='list', elements='dict', options=self.sub_options())

    def _normalize(self, value, strict):
        if not strict:
            return value
        if len(value) > self.maximum:
            raise ValueError(self.too_many % (self.maximum, len(value)))
        result = []
        for index, item in enumerate(value):
            entry = {}
            for field in self.fields:
                if item.get(field.name) is not None:
                    try:
                        entry[field.name] = field._normalize(item[field.name], strict=True)
                    except ValueError as exc:
                        raise ValueError('item %d, %s: %s' % (index + 1, field.name, exc))
            if any(entry[self.key] == other[self.key] for other in result):
                raise ValueError('%s %r is given twice' % (self.key, entry[self.key]))
            result.append(entry)
        return result

    def serialize(self, value):
        return [json.dumps(dict((field.api, item[field.name]) for field in self.fields if field.name in item),
                           sort_keys=True) for item in value]


class Resource:
    """A Twilio Proxy resource, described as data for the engine and the look-ups.

    ``path``: the collection URI below /v1, ``{parent_option}`` placeholders; ``list_key``: the list in a page;
    ``key``: the natural key field (``unique_name``, ``phone_number``, ``identifier``; None: ``sid`` only);
    ``parents``: ((option, Resource), ...), outermost first. What the look-ups may use (docs/design.md, section 8):
    ``fetch_by_key``, the API may answer a GET by natural key; ``account_index``, ``(path, filter, list key)`` of the
    account's own 2010-04-01 list that finds the SID of a natural key. ``soft_deleted``: removed records stay in
    the list with ``date_deleted`` (gone, never created again; the _info module takes ``include_deleted``);
    ``create_by_sid``: a ``sid`` names an account resource to add (numbers, short codes). Messages:
    ``conflict_codes``, Twilio's codes for a create that lost a race to another client; ``error_hints``, a sentence
    appended to Twilio's message, by code (see _runner.hint); ``hint``, appended to an immutable-difference error.
    """

    def __init__(self, name, title, path, list_key, sid_prefix, fields, key=None, parents=(), fetch_by_key=False,
                 account_index=None, soft_deleted=False, create_by_sid=False, conflict_codes=(), error_hints=None,
                 hint=None):
        self.name = name
        self.title = title
        self.path = path
        self.list_key = list_key
        self.sid_prefix = sid_prefix
        self.fields = fields
        self.key = key
        self.parents = parents
        self.fetch_by_key = fetch_by_key
        self.account_index = account_index
        self.soft_deleted = soft_deleted
        self.create_by_sid = create_by_sid
        self.conflict_codes = frozenset(conflict_codes)
        self.error_hints = error_hints or {}
        self.hint = hint
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
        return self.path.format(**dict((k, segment(v)) for k, v in parent_sids.items()))

    def instance_uri(self, parent_sids, ident):
        return '%s/%s' % (self.collection_uri(parent_sids), segment(ident))

    def is_sid(self, value):
        return bool(value) and bool(sid_pattern(self.sid_prefix).match(value))

    def is_live(self, record):
        """Soft-deleted records still show in lists, with date_deleted set: they are gone."""
        return not (self.soft_deleted and record.get('date_deleted'))

    def immutable(self, names):
        """Of the field names given, those that cannot change in place, sorted."""
        return sorted(name for name in names if not self.field(name).updatable)


# ---------------------------------------------------------------------------------------------------------------
# What a description implies: argument specs and form data.

def segment(value):
    """One path segment, percent-encoded; ``.`` and ``..`` too, so that they stay names (an HTTP stack removes
    them as dot segments: ``/Services/..`` would become ``/``)."""
    text = quote(value, safe='')
    return text.replace('.', '%2E') if text in ('.', '..') else text


def identity_spec(resource):
    """Connection options + parents + sid: what every module of a resource takes, resource or _info."""
    spec = connection_argument_spec()
    for option, dummy in resource.parents:
        spec[option] = dict(type='str', required=True)
    spec['sid'] = dict(type='str')
    return spec


def argument_spec(resource, extra=None):
    """A resource module's spec: identity_spec + state + the fields (+ a module's extras)."""
    spec = identity_spec(resource)
    spec['state'] = dict(type='str', default='present', choices=['present', 'absent'])
    for field in resource.fields:
        spec[field.name] = field.argspec()
    if not resource.key:
        spec['sid']['required'] = True  # no natural key: the SID is the only identity
    spec.update(extra or {})
    return spec


def info_argument_spec(resource, filters=(), extra=None):
    """An _info module's spec: identity_spec + the filter fields + what the flags add (+ a module's extras)."""
    spec = identity_spec(resource)
    for name in filters:
        spec[name] = resource.field(name).argspec()
    if resource.soft_deleted:
        spec['include_deleted'] = dict(type='bool', default=False)
    spec.update(extra or {})
    return spec


def form_data(resource, values):
    """{option: value} as the form Twilio expects: CamelCase fields, serialised values, None left out."""
    return dict((resource.field(name).api, resource.field(name).serialize(value))
                for name, value in values.items() if value is not None)
