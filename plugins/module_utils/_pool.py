# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""proxy_pool: a Proxy Service's numbers and short codes as declared lists. Every item is validated before any
request (:func:`parse_items`); then :class:`PoolSync` reads each list once (every page), plans, and writes what
differs, paced (_pacing) and recorded per item (_writes), draining numbers before their removal (_drain)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from functools import partial

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.community.twilio.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.community.twilio.plugins.module_utils._drain import (
    DRAIN_OPTIONS, busy_warning, drain, in_use, validate_drain)
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._lookup import Finder, owns, validate_identity
from ansible_collections.community.twilio.plugins.module_utils._pacing import PacedClient
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run
from ansible_collections.community.twilio.plugins.module_utils._writes import (
    ALREADY, DONE, NOT_DONE, Batch, Write, apply_writes, may_have_acted, stops_batch)


# ---------------------------------------------------------------------------------------------------------------
# Exclusive member lists: a Proxy Service's numbers and short codes as one declared set (proxy_pool)

class MemberList:
    """One list a pool task may manage, as data: the option, the resource (PHONE_NUMBER, SHORT_CODE), what one
    entry is called, Twilio's limits by reservation ({True: reserved max, False: unreserved max}) and whether a
    removal can drain (the entries carry ``in_use``)."""

    def __init__(self, option, resource, noun, limits=None, drainable=False, display=None):
        self.option = option
        self.resource = resource
        self.noun = noun
        self.limits = limits or {}
        self.drainable = drainable
        self.display = display or resource.key  # the response field shown beside the SID (phone_number, short_code)

    @property
    def key(self):
        return self.resource.key  # the natural key an item may give instead of the SID (phone_number) or None


def _text(value):
    return value if isinstance(value, str) else repr(value)


class Wanted:
    """One listed item, validated: ``sid`` and/or ``key`` (normalised), ``is_reserved`` (None: not managed)."""

    def __init__(self, members, index, sid=None, key=None, is_reserved=None):
        self.members = members
        self.index = index  # 1-based position in the list, as users count
        self.sid = sid
        self.key = key
        self.is_reserved = is_reserved
        self.live = None  # the pool entry it matched, after the read

    @property
    def label(self):
        return '%s item %d (%s)' % (self.members.option, self.index, self.key or self.sid)


def parse_items(members, items):
    """The listed items of one MemberList, validated and normalised before any request; EngineError naming the
    option and the item otherwise (malformed E.164 or SID, unknown keys, duplicates, Twilio's pool limits)."""
    res = members.resource
    allowed = ['sid', 'is_reserved'] + ([members.key] if members.key else [])
    wanted = []
    for index, item in enumerate(items or [], 1):
        where = '%s item %d' % (members.option, index)
        if isinstance(item, dict):
            unknown = sorted(set(item) - set(allowed))
            if unknown:
                raise EngineError('%s: unknown key(s) %s; an item takes %s'
                                  % (where, ', '.join(unknown), ', '.join(allowed)))
            sid, reserved = item.get('sid'), item.get('is_reserved')
            key = item.get(members.key) if members.key else None
            if sid is None and key is None:
                raise EngineError('%s: give %s' % (where, ' or '.join(k for k in (members.key, 'sid') if k)))
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            sid, key, reserved = None, None, None
            text = str(item).strip()
            if members.key is None or (isinstance(item, str) and text[:2].upper() == res.sid_prefix):
                sid = text
            else:
                key = item
        else:
            raise EngineError('%s: must be a string or a dict, got %s' % (where, type(item).__name__))
        entry = Wanted(members, index)
        if sid is not None:
            entry.sid = res.sid_field.validate(str(sid).strip(), option=where)
        if key is not None:  # an unquoted +14155550100 (an integer to YAML) gets its hint from normalize_e164
            entry.key = res.key_field.validate(str(key), option=where)
        if reserved is not None:
            try:
                entry.is_reserved = boolean(reserved, strict=True)
            except TypeError:
                raise EngineError('%s: is_reserved must be a boolean, got %s' % (where, _text(reserved)))
        wanted.append(entry)
    check_duplicates(members, wanted)
    reserved = sum(1 for w in wanted if w.is_reserved is True)
    unreserved = sum(1 for w in wanted if w.is_reserved is False)
    for flag, count in ((True, reserved), (False, unreserved)):
        limit = members.limits.get(flag)
        if limit is not None and count > limit:
            raise EngineError('%s: %d %s %ss listed, more than the %d Twilio allows in one service'
                              % (members.option, count, 'reserved' if flag else 'unreserved', members.noun, limit))
    if members.limits and len(wanted) > sum(members.limits.values()):
        raise EngineError('%s: %d %ss listed, more than the %d (%s) Twilio allows in one service'
                          % (members.option, len(wanted), members.noun, sum(members.limits.values()),
                             ' + '.join('%d %s' % (members.limits[f], 'reserved' if f else 'unreserved')
                                        for f in (True, False) if f in members.limits)))
    return wanted


def check_duplicates(members, wanted):
    """The same entry listed twice: the same SID, the same normalised key, or (when an item gives both) one item's
    SID with another's key. A SID and a key given in separate items are compared after the read."""
    seen = {}
    pairs = dict((w.sid, w.key) for w in wanted if w.sid and w.key)
    pairs.update((w.key, w.sid) for w in wanted if w.sid and w.key)
    for entry in wanted:
        names = set(n for n in (entry.sid, entry.key) if n)
        names.update(pairs[n] for n in list(names) if n in pairs)
        for name in sorted(names):
            if name in seen and seen[name] is not entry:
                raise EngineError('%s: %s is listed twice (also %s item %d)'
                                  % (entry.label, name, members.option, seen[name].index))
        for name in names:
            seen[name] = entry


def _reserved_word(flag):
    return 'reserved' if flag else 'unreserved'


class PoolSync:
    """One proxy_pool run over its managed lists: read each list once (every page), plan, then apply the writes.

    ``lists`` is [(MemberList, [Wanted])] for the lists given; ``options`` the module's params (purge, drain,
    drain_timeout, drain_poll_interval). Reads happen before any write, so an incomplete read (a page refused
    after the client's retries) raises before anything is written: nothing is ever removed on a partial view.
    """

    PAGE = 100  # records in one page of a Proxy list

    def __init__(self, client, parent_sids, lists, options, check_mode, warnings, clock=None, sleep=None):
        self.client = client
        self.parent_sids = parent_sids
        self.lists = lists
        self.options = options
        self.check_mode = check_mode
        self.warnings = warnings
        self.clock = clock
        self.sleep = sleep
        self.live = {}  # option -> the records read, as read
        self.plans = {}  # option -> {'add': [Wanted], 'update': [Wanted], 'remove': [record]}
        self.records = {}  # option -> the records as the run leaves them (the result's lists)
        self.done = dict((m.option, dict(added=[], updated=[], removed=[])) for m, dummy in lists)
        self.extra_failed = []  # failures of the drain (refused or timed-out reservations), beside the batch's
        self.gone = []  # entries a DELETE (or a drain's re-read) found gone already: someone else removed them
        self.sent = 0  # adds sent so far
        self.fresh = {}  # option -> (adds sent when it was read, {key: entry}): the list read to settle adds
        self.wrote = False
        self.drain_reserved = 0

    # -- read and plan ---------------------------------------------------------------------------------------

    def read(self):
        for members, dummy in self.lists:
            if self.parent_sids is None:  # check mode, the service does not exist yet
                self.live[members.option] = []
            else:
                res = members.resource
                self.live[members.option] = list(self.client.list(res.collection_uri(self.parent_sids),
                                                                  res.list_key))

    def plan(self):
        for members, wanted in self.lists:
            self.plans[members.option] = self.plan_list(members, wanted, self.live[members.option])

    def entry_key(self, members, wanted=None, record=None):
        """The name of an entry in the diff and in messages: its E.164 number when known, else its SID."""
        if members.key:
            if wanted is not None and wanted.key:
                return wanted.key
            if record is not None and record.get(members.key):
                return members.resource.key_field.normalize(record[members.key])
        return (wanted.sid if wanted is not None and wanted.sid else None) or (record or {}).get('sid')

    def plan_list(self, members, wanted, live):
        res = members.resource
        by_sid = dict((res.sid_field.normalize(r.get('sid')), r) for r in live if r.get('sid'))
        by_key = {}
        if members.key:
            by_key = dict((res.key_field.normalize(r.get(members.key)), r) for r in live if r.get(members.key))
        matched = {}
        plan = dict(add=[], update=[], remove=[])
        for entry in wanted:
            by_s = by_sid.get(entry.sid) if entry.sid else None
            by_k = by_key.get(entry.key) if entry.key else None
            if entry.sid and entry.key:
                have = res.key_field.normalize(by_s.get(members.key)) if by_s else None
                if by_s is not None and have != entry.key:
                    raise EngineError('%s: %s is %s in the pool, not %s; a %s cannot be changed in place'
                                      % (entry.label, entry.sid, have, entry.key, members.noun))
                if by_k is not None and by_k.get('sid') != entry.sid:
                    raise EngineError('%s: %s is in the pool as %s, not %s'
                                      % (entry.label, entry.key, by_k.get('sid'), entry.sid))
            record = by_s or by_k
            if record is None:
                plan['add'].append(entry)
                continue
            if record['sid'] in matched:
                other = matched[record['sid']]
                raise EngineError('%s: the same %s as %s item %d (%s in the pool); list it once'
                                  % (entry.label, members.noun, members.option, other.index, record['sid']))
            matched[record['sid']] = entry
            entry.live = record
            if entry.is_reserved is not None and bool(record.get('is_reserved')) != entry.is_reserved:
                plan['update'].append(entry)
        unlisted = [r for r in live if r.get('sid') not in matched]
        if self.options.get('purge'):
            plan['remove'] = unlisted
            unlisted = []
        self.check_limits(members, wanted, unlisted)
        return plan

    def check_limits(self, members, wanted, kept):
        """Twilio's pool limits on what the pool will hold once the task is done (listed + kept unlisted)."""
        if not members.limits:
            return
        final = [w.is_reserved if w.is_reserved is not None else bool((w.live or {}).get('is_reserved'))
                 for w in wanted]
        kept_flags = [bool(r.get('is_reserved')) for r in kept]
        for flag, limit in sorted(members.limits.items()):
            listed = sum(1 for f in final if f is flag)
            unlisted = sum(1 for f in kept_flags if f is flag)
            if listed + unlisted > limit:
                raise EngineError(
                    '%s: the pool would hold %d %s %ss (%d listed%s), more than the %d Twilio allows in one '
                    'service; nothing was written'
                    % (members.option, listed + unlisted, _reserved_word(flag), members.noun, listed,
                       ', %d in the pool and not listed, kept because purge is false' % unlisted if unlisted else '',
                       limit))

    @property
    def changed(self):
        return any(plan['add'] or plan['update'] or plan['remove'] for plan in self.plans.values())

    def diff(self):
        """{'before': {option: {entry: state}}, 'after': {...}} holding the entries that change; a state is
        'absent', 'reserved' or 'unreserved'. One line per entry when rendered: readable for 500 numbers."""
        before, after = {}, {}
        for members, dummy in self.lists:
            plan = self.plans[members.option]
            b, a = {}, {}
            for entry in plan['add']:
                name = self.entry_key(members, wanted=entry)
                b[name], a[name] = 'absent', _reserved_word(entry.is_reserved)
            for entry in plan['update']:
                name = self.entry_key(members, wanted=entry, record=entry.live)
                b[name], a[name] = _reserved_word(entry.live.get('is_reserved')), _reserved_word(entry.is_reserved)
            for record in plan['remove']:
                name = self.entry_key(members, record=record)
                b[name], a[name] = _reserved_word(record.get('is_reserved')), 'absent'
            if b:
                before[members.option], after[members.option] = b, a
        return dict(before=before, after=after)

    # -- apply -----------------------------------------------------------------------------------------------

    def summary(self, members, record, action=None, entry=None):
        item = dict(sid=record.get('sid'), is_reserved=bool(record.get('is_reserved')))
        item[members.display] = record.get(members.display)
        if action is not None:
            item.update(list=members.option, item=entry.index if entry is not None else None)
        return item

    def predicted(self, members, entry):
        """An added entry before (or instead of) its create: only what the task was given is known."""
        record = dict(sid=entry.sid, is_reserved=bool(entry.is_reserved), service_sid=self.parent_sids and
                      self.parent_sids.get('service_sid'))
        record[members.display] = entry.key if members.display == members.key else None
        return record

    def sync(self):
        """Read, plan, and (unless in check mode) apply; returns the module's result, or raises EngineError with
        the same keys (and ``failures``) when some writes failed."""
        self.read()
        self.plan()
        self.records = dict((m.option, [dict(r) for r in self.live[m.option]]) for m, dummy in self.lists)
        for members, dummy in self.lists:
            busy = [r for r in self.plans[members.option]['remove'] if in_use(r)]
            if busy and members.drainable and not self.options.get('drain'):
                self.warnings.append(busy_warning(busy))
        if self.check_mode:
            self.predict()
            self.predict_refusals()
            return self.result()
        self.client = self.client if isinstance(self.client, PacedClient) else PacedClient(self.client)
        batch = Batch()
        self.apply_updates(batch, True)
        for members, dummy in self.lists:
            self.remove(members, self.plans[members.option]['remove'], batch)
        self.apply_updates(batch, False)
        self.apply_adds(batch)
        report = batch.report()
        failed = report['failed'] + self.extra_failed
        # changed: what a write (or a settling read) shows was made, and what may have been (a 404 made nothing)
        self.wrote = self.wrote or bool(batch.uncertain) or any(v for d in self.done.values() for v in d.values())
        if self.gone:
            self.warnings.append('already gone, removed by someone else while this task ran (not counted as '
                                 'removed): %s' % ', '.join(self.gone))
        result = self.result()
        if failed:
            grouped = dict((m.option, []) for m, dummy in self.lists)
            for item in failed:
                grouped[item.pop('list')].append(item)
            done = sum(len(v) for d in self.done.values() for v in d.values())
            shown = '; '.join('%s %s: %s' % (f['action'], self._name(f), f['msg']) for f in failed[:3])
            more = ' (and %d more, see failures)' % (len(failed) - 3) if len(failed) > 3 else ''
            made = ['%d were made (see added, removed, updated)' % done]
            if self.drain_reserved:
                made[0] += ', besides reserving %d to drain them' % self.drain_reserved
            unknown = [self._name(f) for f in failed if f.get('outcome') == 'unknown']
            if unknown:
                made.append('%d may have taken effect (%s)' % (len(unknown), ', '.join(unknown[:10])))
            raise EngineError('%d of %d changes to the pool failed, %s; a re-run retries what is left: %s%s'
                              % (len(failed), len(failed) + done, ', '.join(made), shown, more),
                              failures=grouped, **result)
        return result

    def done_sentences(self):
        """What was written so far, one sentence a kind: 'added 3 phone_numbers', ..."""
        if self.check_mode:
            return []
        sentences = []
        for members, dummy in self.lists:
            for what in ('added', 'updated', 'removed'):
                count = len(self.done[members.option][what])
                if count:
                    sentences.append('%s %d %s' % (what, count, members.option))
        if self.drain_reserved:
            sentences.append('reserved %d phone_numbers to drain them' % self.drain_reserved)
        return sentences

    @staticmethod
    def _name(item):
        return item.get('phone_number') or item.get('short_code') or item.get('sid')

    def members(self, option):
        for members, dummy in self.lists:
            if members.option == option:
                return members
        raise KeyError(option)

    def predict(self):
        """Check mode: the pool as a real run would leave it, with nothing invented (no SIDs for new entries)."""
        for members, dummy in self.lists:
            plan = self.plans[members.option]
            records = self.records[members.option]
            done = self.done[members.option]
            for entry in plan['update']:
                for record in records:
                    if record['sid'] == entry.live['sid']:
                        record['is_reserved'] = entry.is_reserved
                        done['updated'].append(self.summary(members, record))
            gone = set(r['sid'] for r in plan['remove'])
            done['removed'] = [self.summary(members, r) for r in plan['remove']]
            records[:] = [r for r in records if r['sid'] not in gone]
            for entry in plan['add']:
                record = self.predicted(members, entry)
                records.append(record)
                done['added'].append(self.summary(members, record))
            if self.options.get('drain') and members.drainable:
                busy = [r for r in plan['remove'] if in_use(r)]
                if busy:
                    counts = ', '.join('%s: %d' % (self.entry_key(members, record=r), in_use(r)) for r in busy[:10])
                    self.warnings.append(
                        '%d %s(s) to remove are in use by open sessions (%s%s); a real run would reserve them and '
                        'wait up to %d seconds for those sessions to end before removing them'
                        % (len(busy), members.noun, counts, ', ...' if len(busy) > 10 else '',
                           self.options['drain_timeout']))

    def predict_refusals(self):
        """Check mode: an add of a number this account does not own is refused by Twilio (80601). One more GET
        tells, for the whole run: the account's own list filtered by the number when one number is added, else
        its first page of up to 1000 numbers when that is the whole list (none with an API key given without
        account_sid, which cannot read it). Fails as the real run would, naming the numbers."""
        refused = []
        for members, dummy in self.lists:
            adds = [e for e in self.plans[members.option]['add'] if e.key]
            if not members.resource.account_index or not adds:
                continue
            path, filter_name, list_key = members.resource.account_index
            field = members.resource.key_field
            params = {filter_name: adds[0].key} if len(adds) == 1 else {'PageSize': 1000}
            page = self.client.account_page(path, list_key, params)
            if page is None or page[1]:
                continue  # not readable, or more than one page: the real run tells
            owned = set(field.normalize(r.get(field.name)) for r in page[0] if r.get(field.name))
            for entry in adds:
                if entry.key not in owned:
                    refused.append(dict(self.summary(members, self.predicted(members, entry), 'add', entry),
                                        action='add', error=None, msg=(
                                            'Twilio would refuse it (80601): %s is not a phone number of this '
                                            'account' % entry.key)))
        if refused:
            grouped = dict((m.option, []) for m, dummy in self.lists)
            for item in refused:
                grouped[item.pop('list')].append(item)
            shown = '; '.join('add %s: %s' % (self._name(f), f['msg']) for f in refused[:3])
            raise EngineError('%d of the changes to the pool would fail (check mode): %s' % (len(refused), shown),
                              failures=grouped, **self.result())

    def _replace(self, members, record):
        records = self.records[members.option]
        for index, old in enumerate(records):
            if old.get('sid') == record.get('sid'):
                records[index] = record
                return
        records.append(record)

    def apply_updates(self, batch, to_reserved):
        writes = []
        for members, dummy in self.lists:
            for entry in self.plans[members.option]['update']:
                if entry.is_reserved is to_reserved:
                    writes.append(self.update_write(members, entry))
        apply_writes(writes, batch)

    def update_write(self, members, entry):
        res = members.resource
        uri = res.instance_uri(self.parent_sids, entry.live['sid'])
        data = {'IsReserved': 'true' if entry.is_reserved else 'false'}

        def record_update(record):
            self._replace(members, record)
            self.done[members.option]['updated'].append(self.summary(members, record))

        def request():
            record = self.client.update(uri, data)
            record_update(record)
            return record

        def settle(error):
            if not may_have_acted(error):
                return NOT_DONE
            record = self.fetch(members, entry.live['sid'])
            if record is None or bool(record.get('is_reserved')) != entry.is_reserved:
                return NOT_DONE
            record_update(record)
            return DONE
        return Write('update', self.summary(members, dict(entry.live, is_reserved=entry.is_reserved), 'update',
                                            entry), request, res.error_hints, settle)

    def fetch(self, members, sid):
        """One entry of the pool by SID, read again (None: not in the pool); a record of anything else is refused."""
        res = members.resource
        record = self.client.fetch(res.instance_uri(self.parent_sids, sid))
        if record is not None and not owns(res, record, self.parent_sids):
            raise TwilioApiError('reading %s answered a record that is not one of this pool (%s)'
                                 % (sid, record.get('sid')), method='GET', url=res.instance_uri(self.parent_sids, sid))
        return record

    def find_entry(self, members, entry, sent):
        """The pool's entry for a listed item, read after its add (the ``sent``-th write): one GET when its SID is
        known, else the whole list (a consistent read, see TwilioClient.list), kept for the next add to settle: it
        is read again only when it does not hold the entry and was read before that add went out (so that a run
        racing another one reads the list about once, not once per add). None when the pool does not hold it."""
        res = members.resource
        if entry.sid:
            record = self.fetch(members, entry.sid)
            return record if record is None or not entry.key or \
                res.key_field.normalize(record.get(members.key)) == entry.key else None
        fresh = self.fresh.get(members.option)
        if fresh is None or (entry.key not in fresh[1] and fresh[0] < sent):
            listed = self.client.list(res.collection_uri(self.parent_sids), res.list_key)
            fresh = self.fresh[members.option] = (self.sent, dict(
                (res.key_field.normalize(r.get(members.key)), r) for r in listed if r.get(members.key)))
        return fresh[1].get(entry.key)

    def apply_adds(self, batch):
        writes = []
        for members, dummy in self.lists:
            adds = self.plans[members.option]['add']
            for entry in [e for e in adds if e.is_reserved] + [e for e in adds if not e.is_reserved]:
                writes.append(self.add_write(members, entry))
        apply_writes(writes, batch)

    def add_write(self, members, entry):
        res = members.resource
        uri = res.collection_uri(self.parent_sids)
        data = {}
        if entry.sid:
            data['Sid'] = entry.sid
        if entry.key:
            data[res.key_field.api] = entry.key
        if entry.is_reserved is not None:
            data['IsReserved'] = 'true' if entry.is_reserved else 'false'

        def record_add(record):
            self.records[members.option].append(record)
            self.done[members.option]['added'].append(self.summary(members, record))

        sent = []

        def request():
            self.sent += 1
            sent.append(self.sent)
            record = self.client.create(uri, data)
            record_add(record)
            return record

        def settle(error):
            """An add whose answer was lost is looked for in the pool; one refused because the pool holds the entry
            already (another run added it meanwhile: 80104) is done, by that other run."""
            conflict = error.code in res.conflict_codes
            if not (conflict or may_have_acted(error)):
                return NOT_DONE
            record = self.find_entry(members, entry, sent[-1] if sent else self.sent)
            if record is None:
                return NOT_DONE
            if conflict and not error.earlier_maybe_processed:
                self.records[members.option].append(record)
                self.warnings.append('%s %s was added to the pool by someone else while this task ran'
                                     % (members.noun, self.entry_key(members, wanted=entry)))
                return ALREADY
            record_add(record)
            return DONE
        return Write('add', self.summary(members, self.predicted(members, entry), 'add', entry), request,
                     res.error_hints, settle)

    def remove(self, members, records, batch):
        res = members.resource
        if not records:
            return
        ready = records
        if self.options.get('drain') and members.drainable and batch.stopped_by is None:
            ready = self.drain(members, records, batch)
        writes = []
        for record in ready:
            writes.append(Write('remove', self.summary(members, record, 'remove'),
                                partial(self.delete, members, record), res.error_hints,
                                partial(self.settle_delete, members, record)))
        apply_writes(writes, batch)

    def delete(self, members, record):
        """DELETE one entry; a 404 means someone else removed it first: gone, but not this run's removal."""
        deleted = self.client.delete(members.resource.instance_uri(self.parent_sids, record['sid']))
        self.forget(members, record, deleted)

    def forget(self, members, record, removed):
        self.records[members.option] = [r for r in self.records[members.option] if r.get('sid') != record['sid']]
        if removed:
            self.done[members.option]['removed'].append(self.summary(members, record))
        else:
            self.gone.append(self.entry_key(members, record=record))

    def settle_delete(self, members, record, error):
        if not may_have_acted(error):
            return NOT_DONE
        if self.fetch(members, record['sid']) is not None:
            return NOT_DONE
        self.forget(members, record, True)
        return DONE

    def drain(self, members, records, batch):
        """Reserve the entries to remove, wait until no open session uses them (drain_timeout), and return those
        ready for removal; the others are recorded as failed (still reserved, still in the pool)."""
        res = members.resource
        timeout = self.options['drain_timeout']
        by_sid = dict((r['sid'], r) for r in records)
        pages = max(1, -(-len(self.live[members.option]) // self.PAGE))

        def reserve(sid, record):
            try:
                return self.client.update(res.instance_uri(self.parent_sids, sid), {'IsReserved': 'true'})
            except TwilioApiError as exc:
                if not may_have_acted(exc):
                    raise
                try:  # the answer was lost: the reservation holds if a read finds it
                    fresh = self.fetch(members, sid)
                except TwilioApiError:
                    fresh = None
                if fresh is None or not fresh.get('is_reserved'):
                    raise
                return fresh

        def reread(sids):
            """Fresh records of ``sids``; a number missing from a list read is confirmed gone by its own GET."""
            if len(sids) <= pages:  # fewer GETs one by one than a read of the whole list
                return dict((sid, self.fetch(members, sid)) for sid in sids)
            listed = self.client.list(res.collection_uri(self.parent_sids), res.list_key)
            fresh = dict((r.get('sid'), r) for r in listed)
            return dict((sid, fresh[sid] if sid in fresh else self.fetch(members, sid)) for sid in sids)

        drained = drain(by_sid, timeout, self.options['drain_poll_interval'], reserve, reread,
                        clock=self.clock, sleep=self.sleep)
        self.drain_reserved += len(drained.reserved)
        for sid in drained.reserved:
            self.wrote = True
            record = drained.ready.get(sid) or drained.busy.get(sid) or dict(by_sid[sid], is_reserved=True)
            self._replace(members, record)
        for sid in drained.gone:  # removed by someone else meanwhile: gone, not this run's removal
            self.forget(members, by_sid[sid], False)
        for sid, exc in drained.failed.items():
            write = Write('remove', self.summary(members, by_sid[sid], 'remove'), None, res.error_hints)
            if may_have_acted(exc):  # the reservation may hold: changed, and said so
                batch.uncertain.append(write)
            self.extra_failed.append(batch.error_entry(write, exc))
            if stops_batch(exc):
                batch.stopped_by = str(exc)
        for sid in drained.skipped:
            self.extra_failed.append(dict(self.summary(members, by_sid[sid], 'remove'), action='remove', error=None,
                                          msg='not attempted: the reservations stopped at an earlier error'))
        for sid, record in drained.busy.items():
            if drained.error is not None:
                msg = ('not removed: reading the pool while waiting failed (%s); it stays in the pool, reserved'
                       % drained.error)
                error = drained.error.as_dict()
            else:
                msg = ('still in use by %d open session(s) after waiting %d seconds; not removed: it stays in the '
                       'pool, reserved, so that no new session gets it. Close those sessions or run again with a '
                       'longer drain_timeout' % (in_use(record), timeout))
                error = None
            self.extra_failed.append(dict(self.summary(members, record, 'remove'), action='remove', error=error,
                                          msg=msg, in_use=in_use(record)))
        return [drained.ready[sid] for sid in by_sid if sid in drained.ready]

    def result(self):
        changed = self.changed if self.check_mode else self.wrote
        result = dict(changed=changed, added={}, removed={}, updated={})
        for members, dummy in self.lists:
            result[members.option] = self.records[members.option]
            for what in ('added', 'removed', 'updated'):
                result[what][members.option] = self.done[members.option][what]
        return result


# ---------------------------------------------------------------------------------------------------------------
# The module's wiring (thin: building the module, connecting and reporting errors are _runner's)

class PoolJob:
    """proxy_pool as a job of _runner.run: validate every option before any request, then resolve the service,
    read, plan and write (a :class:`PoolSync`). ``clock``/``sleep`` stand in for time in tests."""

    clock = None
    sleep = None

    def __init__(self, module, resource, member_lists):
        self.module = module
        self.resource = resource  # whose parents are the pool's (PHONE_NUMBER: the service)
        self.member_lists = member_lists
        self.params = module.params
        self.warnings = []
        self.wanted = []
        self.pool = None

    @property
    def done(self):
        """The writes made so far, as sentences (the runner reports them when the task fails after one)."""
        return self.pool.done_sentences() if self.pool is not None else []

    def validate(self):
        validate_identity(self.resource, self.params)  # connection and service_sid
        validate_drain(self.params)
        self.wanted = [(members, parse_items(members, self.params[members.option]))
                       for members in self.member_lists if self.params.get(members.option) is not None]

    def execute(self, client):
        check_mode = self.module.check_mode
        parent_sids = Finder(client, self.params, check_mode, self.warnings).resolve_parents(self.resource)
        self.pool = PoolSync(client, parent_sids, self.wanted, self.params, check_mode, self.warnings,
                             clock=self.clock, sleep=self.sleep)
        result = self.pool.sync()
        if self.module._diff:
            result['diff'] = self.pool.diff()
        return result


def pool_argument_spec(member_lists):
    spec = connection_argument_spec()
    spec['service_sid'] = dict(type='str', required=True)
    for members in member_lists:
        spec[members.option] = dict(type='list', elements='raw')
    spec['purge'] = dict(type='bool', default=False)
    spec.update(DRAIN_OPTIONS)
    return spec


def run_pool_module(resource, member_lists, client=None):
    """proxy_pool's main(): ``resource`` gives the parents (PHONE_NUMBER: the service), ``member_lists`` the lists."""
    module = build_module(pool_argument_spec(member_lists), required_one_of=[[m.option for m in member_lists]])
    run(module, PoolJob(module, resource, member_lists), client=client, error_hints=resource.error_hints)
