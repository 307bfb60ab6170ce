# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The look-ups every module makes before it decides anything: :func:`validate_identity` (connection, parents and
``sid``, before any request), :func:`owns` (whether a record read is the one asked for) and :class:`Finder`
(parents to SIDs, one record by SID or natural key, soft-deleted matches). Nothing here writes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._connection import validate_connection
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import MAX_NAME_LENGTH


def owns(resource, record, parent_sids):
    """Whether a fetched record is one of ``resource`` under these parents: its SID has the resource's prefix and
    each parent SID it carries is the one asked for (a path that an HTTP stack or a server resolved elsewhere
    answers another record). A parent given by name is resolved before any child read, so only SIDs compare."""
    if not isinstance(record, dict) or not resource.is_sid(record.get('sid')):
        return False
    parents = dict(resource.parents)
    return all(record.get(option) in (None, sid) for option, sid in (parent_sids or {}).items()
               if option in parents and parents[option].is_sid(sid))


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
        self.parents = {}  # option -> the parent's record, where a look-up by name read it
        self.listed = {}  # collection URI -> every record of the last full list read
        self._fetches_by_key = {}  # resource name -> whether the API fetches it by natural key (once a run)

    def resolve_parents(self, resource, absent=False):
        """Parent options to SIDs (a SID costs nothing; a unique name one look-up). None: a parent is missing
        (with ``absent``, where nothing under it can exist either; in check mode, where an earlier task may
        create it; else EngineError naming the option)."""
        sids = {}
        for option, parent in resource.parents:
            value = self.params[option]
            if parent.is_sid(value):
                sids[option] = parent.sid_field.normalize(value)
                continue
            try:
                record = self.find(parent, sids, key=value)
            except TwilioApiError as exc:
                record = self.parent_gone(resource, sids, exc)
            if record is None:
                if absent:
                    return None
                if self.check_mode:
                    self.warnings.append('%s %r does not exist; check mode assumes an earlier task creates it'
                                         % (option, value))
                    return None
                raise EngineError('%s: no %s with %s %r' % (option, parent.title, parent.key, value))
            sids[option] = record['sid']
            self.parents[option] = record
        return sids

    def parent_gone(self, resource, parent_sids, exc):
        """After a 404 under parents given by SID: None when one of them does not exist (EngineError naming it
        unless the caller treats a missing parent as absent); re-raise ``exc`` otherwise."""
        if exc.status != 404:
            raise exc
        outer = {}
        for option, parent in resource.parents:
            if option not in parent_sids:
                break
            if parent.is_sid(self.params[option]):  # one given by name was found: it exists
                if self.client.fetch(parent.instance_uri(outer, parent_sids[option])) is None:
                    if self.params.get('state') == 'absent':
                        return None
                    inside = ''.join(' in %s' % v for v in outer.values())
                    raise EngineError('%s: no %s %s exists%s' % (option, parent.title, self.params[option], inside))
            outer[option] = parent_sids[option]
        raise exc

    def find(self, resource, parent_sids, sid=None, key=None):
        """One live record by SID (one GET) or natural key; None when absent; EngineError on an ambiguous key."""
        if sid:
            record = self.fetch(resource, parent_sids, sid)
            return record if record is None or resource.is_live(record) else None
        return self.find_by_key(resource, parent_sids, key)[0]

    def fetch(self, resource, parent_sids, sid):
        """One record by SID (one GET), None when absent; EngineError when the API answers a record that is not
        that resource under those parents (another prefix, another parent): nothing is decided from it."""
        record = self.client.fetch(resource.instance_uri(parent_sids, sid))
        if record is not None and not (owns(resource, record, parent_sids) and
                                       str(record.get('sid')).lower() == str(sid).lower()):
            raise EngineError('%s %s: the API answered %s instead, not that %s; nothing was decided from it'
                              % (resource.title, sid, record.get('sid') if isinstance(record, dict)
                                 else 'something else', resource.title))
        return record

    def find_by_key(self, resource, parent_sids, key):
        """(the live record with this natural key or None, the soft-deleted records that had it).

        The cost does not grow with the collection (docs/design.md, "Look-ups"): a fetch by name where the API
        may answer one, trusted when it says 404 only once this run has seen the API fetch a listed record by
        its name; the SID from the account's own filtered list where the description names one; else (and when
        the first page is the whole list) every page, matched here.
        """
        field = resource.key_field
        uri = resource.collection_uri(parent_sids)
        by_name = resource.fetch_by_key and not resource.is_sid(key)
        if by_name:
            record = self.client.fetch(resource.instance_uri(parent_sids, key))
            if record is not None and not owns(resource, record, parent_sids):
                record = None  # not a record of this resource under these parents: the list decides
            if record is not None and field.normalize(record.get(field.name)) == field.normalize(key) and \
                    resource.is_live(record):
                return record, []
        if by_name or resource.account_index:
            first, more = self.client.first_page(uri, resource.list_key)
            if not more:  # the first page is the whole list
                return self._match(resource, self._listed(uri, first), key)
            if by_name:
                if record is None and self.fetches_by_key(resource, parent_sids, first):
                    return None, []
            else:
                found = self._find_through_account(resource, parent_sids, key, first)
                if found is not None:
                    return found
        return self._match(resource, self._listed(uri, self.client.list(uri, resource.list_key)), key)

    def _listed(self, uri, records):
        """Every record of ``uri``, kept for a hook that needs the whole list this run has read."""
        self.listed[uri] = list(records)
        return self.listed[uri]

    def fetches_by_key(self, resource, parent_sids, records):
        """Whether this API answers a GET by natural key, established once a run by fetching a record of
        ``records`` (a page already read) by its own key; False when no record there has a key to try."""
        if resource.name not in self._fetches_by_key:
            field = resource.key_field
            probe = next((r for r in records if r.get(field.name) and not resource.is_sid(r.get(field.name))), None)
            if probe is None:
                return False
            fetched = self.client.fetch(resource.instance_uri(parent_sids, probe[field.name]))
            self._fetches_by_key[resource.name] = fetched is not None and fetched.get('sid') == probe.get('sid')
        return self._fetches_by_key[resource.name]

    def _find_through_account(self, resource, parent_sids, key, first):
        """(record or None, []) through the account's filtered list and one GET per SID it names; None when the
        account list cannot be read (no account SID with an API key) or cannot be trusted: the records of the
        first page (``first``, already read) belong to another account than the one in use (a wrong account_sid
        reads an empty list of that account, which would pass for absence)."""
        path, filter_name, list_key = resource.account_index
        field = resource.key_field
        want = field.normalize(key)
        account = (getattr(self.client, 'account_sid', None) or '').lower()
        if any(r.get('account_sid') and str(r['account_sid']).lower() != account for r in first):
            return None
        owned = self.client.account_list(path, list_key, {filter_name: want})
        if owned is None:
            return None
        for entry in owned:  # the filter matches partial numbers: keep the exact one
            if field.normalize(entry.get(field.name)) == want and resource.is_sid(entry.get('sid')):
                record = self.fetch(resource, parent_sids, entry['sid'])
                if record is not None and resource.is_live(record):
                    return record, []
        return None, []

    def _match(self, resource, records, key):
        field = resource.key_field
        want = field.normalize(key)
        matches = [record for record in records if field.normalize(record.get(field.name)) == want]
        deleted = [record for record in matches if not resource.is_live(record)]
        matches = [record for record in matches if resource.is_live(record)]
        if len(matches) > 1:
            raise EngineError('%d %ss have %s %r: %s; pass sid to choose one'
                              % (len(matches), resource.title, field.name, key,
                                 ', '.join(sorted(m['sid'] for m in matches))))
        return (matches[0] if matches else None), deleted
