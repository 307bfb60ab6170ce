# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The read side: :class:`Finder` (parents to SIDs, one record by SID or natural key), used by the engine
and by :class:`Reader`, which lists the records of a resource for the _info modules. Nothing here writes; an
_info module's client is read-only even outside check mode."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._client import validate_connection
from ansible_collections.community.twilio.plugins.module_utils._kinds import MAX_NAME_LENGTH, redact
from ansible_collections.community.twilio.plugins.module_utils._model import EngineError, info_argument_spec
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run


def validate_identity(resource, params):
    """Connection, parent options and sid, checked before any request."""
    validate_connection(params)
    for option, parent in resource.parents:
        value = params[option]
        if not value or len(value) > MAX_NAME_LENGTH:
            raise EngineError('%s: must be a %s SID or unique name of 1 to %d characters'
                              % (option, parent.title, MAX_NAME_LENGTH))
    if params.get('sid') is not None:
        resource.sid_field.validate(params['sid'])


class Finder:
    """Look-ups through ``client`` (reads only). ``warnings`` collects what the caller should say."""

    def __init__(self, client, params, check_mode, warnings):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.warnings = warnings

    def resolve_parents(self, resource):
        """Parent options to SIDs (a SID costs nothing; a unique name one look-up). None: a parent is missing
        (only in check mode, where an earlier task may create it; else EngineError naming the option)."""
        sids = {}
        for option, parent in resource.parents:
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
        """One live record by SID (one GET) or natural key; None when absent; EngineError on an ambiguous key."""
        if sid:
            record = self.client.fetch(resource.instance_uri(parent_sids, sid))
            return record if record is None or resource.is_live(record) else None
        return self.find_by_key(resource, parent_sids, key)[0]

    def find_by_key(self, resource, parent_sids, key):
        """(the live record with this natural key or None, the soft-deleted records that had it)."""
        field = resource.key_field
        want = field.normalize(key)
        if resource.fetch_by_key and not resource.is_sid(key):
            record = self.client.fetch(resource.instance_uri(parent_sids, key))
            if record is not None and field.normalize(record.get(field.name)) == want and resource.is_live(record):
                return record, []
        matches = [record for record in self.client.list(resource.collection_uri(parent_sids), resource.list_key)
                   if field.normalize(record.get(field.name)) == want]
        deleted = [record for record in matches if not resource.is_live(record)]
        matches = [record for record in matches if resource.is_live(record)]
        if len(matches) > 1:
            raise EngineError('%d %ss have %s %r: %s; pass sid to choose one'
                              % (len(matches), resource.title, field.name, key,
                                 ', '.join(sorted(m['sid'] for m in matches))))
        return (matches[0] if matches else None), deleted


class Reader:
    """Every record of a resource under its parents, narrowed by optional filters (a job for _runner.run).

    A ``sid`` filter is one GET; the natural key uses the Finder (one GET where the API fetches by name); other
    filters read every page and compare normalised values. Soft-deleted records are left out unless
    ``include_deleted`` (an option only soft-deleted resources have).
    """

    def __init__(self, params, check_mode, resource, filters):
        self.params = params
        self.check_mode = check_mode
        self.resource = resource
        self.filters = [resource.field(name) for name in filters]
        self.warnings = []
        self.wanted = None

    def validate(self):
        validate_identity(self.resource, self.params)
        wanted = {}
        for field in self.filters:
            value = field.validate(self.params.get(field.name))
            if value is not None:
                wanted[field.name] = value
        self.wanted = wanted

    def execute(self, client):
        res = self.resource
        finder = Finder(client, self.params, self.check_mode, self.warnings)
        parent_sids = finder.resolve_parents(res)
        include_deleted = self.params.get('include_deleted')
        if parent_sids is None:
            records = []
        elif self.params.get('sid'):
            record = client.fetch(res.instance_uri(parent_sids, res.sid_field.normalize(self.params['sid'])))
            records = [record] if record is not None else []
        elif res.key and self.wanted.get(res.key) and not include_deleted:
            record = finder.find(res, parent_sids, key=self.wanted[res.key])
            records = [record] if record is not None else []
        else:
            records = [record for record in client.list(res.collection_uri(parent_sids), res.list_key)
                       if include_deleted or res.is_live(record)]
        for field in self.filters:
            if field.name in self.wanted:
                records = [r for r in records if field.same(self.wanted[field.name], r.get(field.name))]
        result = dict(changed=False)
        result[res.list_key] = redact(records)
        return result


def run_info_module(resource, filters=(), extra_spec=None, client=None):
    """An _info module's main(): connection options, parents, ``sid`` and the filters; a list comes back.
    The client is read-only, in check mode or not."""
    module = build_module(info_argument_spec(resource, filters, extra_spec))
    run(module, Reader(module.params, module.check_mode, resource, filters), client=client, read_only=True,
        error_hints=resource.error_hints)
