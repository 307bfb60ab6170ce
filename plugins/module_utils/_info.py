# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The _info modules' job: :class:`Reader` lists the records of a resource under its parents, narrowed by
filters, through the look-ups of _lookup. Nothing here writes; an _info module's client is read-only even outside
check mode."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._errors import TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import redact
from ansible_collections.community.twilio.plugins.module_utils._lookup import Finder, validate_identity
from ansible_collections.community.twilio.plugins.module_utils._model import info_argument_spec
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run


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
        try:
            records = self.read(client, finder, parent_sids)
        except TwilioApiError as exc:
            finder.parent_gone(res, parent_sids, exc)
            records = []
        for field in self.filters:
            if field.name in self.wanted:
                records = [r for r in records if field.same(self.wanted[field.name], r.get(field.name))]
        result = dict(changed=False)
        result[res.list_key] = redact(records)
        return result

    def read(self, client, finder, parent_sids):
        res = self.resource
        include_deleted = self.params.get('include_deleted')
        if parent_sids is None:
            records = []
        elif self.params.get('sid'):
            record = finder.fetch(res, parent_sids, res.sid_field.normalize(self.params['sid']))
            records = [record] if record is not None and (include_deleted or res.is_live(record)) else []
        elif res.key and self.wanted.get(res.key) and not include_deleted:
            record = finder.find(res, parent_sids, key=self.wanted[res.key])
            records = [record] if record is not None else []
        else:
            records = [record for record in client.list(res.collection_uri(parent_sids), res.list_key)
                       if include_deleted or res.is_live(record)]
        return records


def run_info_module(resource, filters=(), extra_spec=None, client=None, reader=Reader):
    """An _info module's main(): connection options, parents, ``sid`` and the filters; a list comes back.
    The client is read-only, in check mode or not. ``reader``: a :class:`Reader` subclass adding to each record."""
    module = build_module(info_argument_spec(resource, filters, extra_spec))
    run(module, reader(module.params, module.check_mode, resource, filters), client=client, read_only=True,
        error_hints=resource.error_hints)
