# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The sessions of one Proxy Service as a declared set (proxy_sessions), in one module run.

One read of the service's sessions (every page) matches each declared session to its live record; each declared
session is then planned by its own :class:`SessionEngine` (the engine proxy_session uses: the same comparisons,
lifecycle rules and participant checks, one participant read per existing declared session) and written through
_pacing's PacedClient and _writes' apply_writes: a refused item is a failure of its own, an error that stops the
batch (no answer, 401/403, 429 after retries, 5xx) stops every write after it. Check mode makes the same reads and no write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import redact
from ansible_collections.community.twilio.plugins.module_utils._lookup import Finder, validate_identity
from ansible_collections.community.twilio.plugins.module_utils._pacing import PacedClient
from ansible_collections.community.twilio.plugins.module_utils._resources import ACTIVE_STATUSES, SESSION
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, hint, run
from ansible_collections.community.twilio.plugins.module_utils._session import SessionEngine, participants_of
from ansible_collections.community.twilio.plugins.module_utils._writes import Batch, Write, apply_writes, stops_batch

ITEM_FIELDS = ('unique_name', 'mode', 'ttl', 'date_expiry', 'status', 'participants')
MISSING = ('create', 'skip')


def sessions_argument_spec():
    item = dict(sid=dict(type='str'))
    for name in ITEM_FIELDS:
        item[name] = SESSION.field(name).argspec()
    spec = connection_argument_spec()
    spec.update(
        service_sid=dict(type='str', required=True),
        sessions=dict(type='list', elements='dict', required=True, options=item),
        missing=dict(type='str', default='create', choices=list(MISSING)),
        purge=dict(type='bool', default=False),
        purge_participants=dict(type='bool', default=False),
    )
    return spec


class _ItemModule:
    """What SessionEngine reads of a module, for one declared session: its params, check mode, diff."""

    def __init__(self, params, check_mode):
        self.params = params
        self.check_mode = check_mode
        self._diff = False


class Refused(Exception):
    """A declared session that is not converged, for a reason found by this module (no request refused it)."""


def _line(text):
    """One readable line."""
    return ' '.join(str(text).split())


def _short(values):
    """A diff fragment as one line: key=value, participants by identifier."""
    parts = []
    for key in sorted(values):
        value = values[key]
        if key == 'participants':
            value = '[%s]' % ', '.join(str(p.get('identifier')) for p in value or [])
        parts.append('%s=%s' % (key, value))
    return ', '.join(parts)


class Item:
    """One declared session: its index, its engine, and what happened to it."""

    def __init__(self, index, engine):
        self.index = index
        self.engine = engine
        self.desired = engine.desired
        self.sid = SESSION.sid_field.normalize(engine.params['sid']) if engine.params.get('sid') else None
        self.name = self.desired.get('unique_name') or self.sid
        self.current = None
        self.plan = None
        self.record = None

    @property
    def where(self):
        return 'sessions[%d]' % self.index


class SessionSet:
    """proxy_sessions as a job of _runner.run: validate every item before any request, read, plan, write."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.warnings = []
        self.items = []
        self.created, self.updated, self.removed, self.skipped, self.failures = [], [], [], [], []
        self.wrote = False
        self.client = None  # the client of execute(), paced outside check mode
        self.stopped_by = None  # the error that stopped the writes, if one did
        self.not_attempted = 0  # writes skipped after it

    # -- validation: before any request ------------------------------------------------------------------------

    def validate(self):
        params = self.params
        validate_identity(SESSION, dict(params, sid=None))
        shared = dict((k, v) for k, v in params.items() if k not in ('sessions', 'purge', 'missing'))
        seen = {}
        for index, given in enumerate(params['sessions'] or []):
            where = 'sessions[%d]' % index
            if not isinstance(given, dict):
                raise EngineError('%s: must be a dict, got %s' % (where, type(given).__name__))
            item_params = dict(shared, state='present', recreate=False, fail_on_participant_conflict=None)
            item_params.update((k, given.get(k)) for k in ('sid',) + ITEM_FIELDS)
            if item_params['sid'] in (None, '') and item_params['unique_name'] in (None, ''):
                raise EngineError('%s: give unique_name or sid' % where)
            engine = SessionEngine(_ItemModule(item_params, self.check_mode), SESSION)
            try:
                engine.validate()
            except EngineError as exc:
                raise EngineError('%s.%s' % (where, exc), **exc.extra)
            item = Item(index, engine)
            for key in (('sid', item.sid), ('unique_name', item.desired.get('unique_name'))):
                if key[1] is None:
                    continue
                if key in seen:
                    raise EngineError('%s.%s: %s is declared twice (also sessions[%d])'
                                      % (where, key[0], key[1], seen[key]))
                seen[key] = index
            self.items.append(item)

    # -- reads and plan ----------------------------------------------------------------------------------------

    def execute(self, client):
        finder = Finder(client, self.params, self.check_mode, self.warnings)
        parent_sids = finder.resolve_parents(SESSION)
        live = []
        if parent_sids is not None:
            try:
                live = list(client.list(SESSION.collection_uri(parent_sids), SESSION.list_key))
            except TwilioApiError as exc:
                finder.parent_gone(SESSION, dict(parent_sids), exc)  # a service given by SID that does not exist
        self.client = client if self.check_mode else PacedClient(client)
        for item in self.items:
            item.engine.client = self.client
            item.engine.finder = finder
        by_sid = dict((r.get('sid'), r) for r in live)
        key = SESSION.key_field
        by_name = {}
        for record in live:
            if record.get('unique_name'):
                by_name.setdefault(key.normalize(record['unique_name']), []).append(record)
        removals = []
        for item in self.items:
            self.plan_item(item, parent_sids, by_sid, by_name)
        if self.params['purge'] and parent_sids is not None:
            declared = set(item.current['sid'] for item in self.items if item.current is not None)
            removals = [r for r in live if r.get('sid') not in declared]
        if self.check_mode:
            self.predict(removals)
        else:
            self.apply(parent_sids, removals)
        return self.result(removals)

    def plan_item(self, item, parent_sids, by_sid, by_name):
        try:
            if item.sid is not None:
                item.current = by_sid.get(item.sid)
            else:
                matches = by_name.get(item.desired['unique_name'], [])
                if len(matches) > 1:
                    raise Refused('%d sessions have unique_name %r: %s; give sid to choose one'
                                  % (len(matches), item.name, ', '.join(sorted(m['sid'] for m in matches))))
                item.current = matches[0] if matches else None
            self.plan_found(item, parent_sids)
        except Refused as exc:
            self.fail(item, msg=str(exc))
        except EngineError as exc:
            self.fail(item, msg=str(exc).replace(SESSION.hint, '; delete it (proxy_session state=absent, or '
                                                 'community.twilio.proxy_session with recreate=true) to change it'))
        except TwilioApiError as exc:
            if stops_batch(exc):
                raise  # never act on an incomplete read: nothing was written yet
            self.fail(item, error=exc)

    def plan_found(self, item, parent_sids):
        skip = self.params['missing'] == 'skip'
        current = item.current
        if current is None:
            if skip:
                return self.skip(item, 'does not exist; not created (missing: skip)')
            if item.sid is not None:
                raise Refused('sid: no Proxy Session %s exists in %s; a session given by SID is never created '
                              '(missing: skip skips it)' % (item.sid, self.params['service_sid']))
            item.plan = item.engine.plan(parent_sids, None)
            return
        live_status = SESSION.field('status').normalize(current.get('status'))
        wanted = item.desired.get('status')
        if skip and live_status not in ACTIVE_STATUSES and wanted in ACTIVE_STATUSES:
            return self.skip_ended(item, parent_sids, 'is %s%s; not re-opened (missing: skip)' % (
                live_status, ' (%s)' % current['closed_reason'] if current.get('closed_reason') else ''))
        try:
            item.plan = item.engine.plan(parent_sids, current)
        except EngineError as exc:
            if not skip or live_status in ACTIVE_STATUSES:
                raise
            # it ended since it was listed: Twilio changes nothing of a closed session (80607), and skip leaves it
            return self.skip_ended(item, parent_sids, 'is %s; not changed (missing: skip): %s' % (live_status, exc))

    def skip(self, item, reason):
        self.skipped.append(dict(session=item.name, reason=reason))

    def skip_ended(self, item, parent_sids, reason):
        """Skip a listed session that ended; it is still reported as it is, with its participants."""
        item.record = dict(item.current, participants=participants_of(self.client, parent_sids, item.current['sid']))
        self.skip(item, reason)

    def fail(self, item, msg=None, error=None):
        if error is not None:
            self.failures.append(dict(session=item.name, code=error.code, status=error.status,
                                      msg=_line(str(error) + hint(SESSION.error_hints, error))))
        else:
            self.failures.append(dict(session=item.name, code=None, status=None, msg=_line(msg)))
        item.plan = None

    # -- check mode and writes ---------------------------------------------------------------------------------

    def planned(self):
        return [item for item in self.items if item.plan is not None]

    def note(self, item, result):
        item.record = result['session']
        (self.created if item.plan.action == 'create' else self.updated).append(item.name)

    def predict(self, removals):
        for item in self.planned():
            result = item.engine.apply(item.plan)
            if item.plan.changed:
                self.note(item, result)
            else:
                item.record = result['session']
        self.removed = [r.get('unique_name') or r['sid'] for r in removals]

    def apply(self, parent_sids, removals):
        batch = Batch()
        writes = []
        for record in removals:
            name = record.get('unique_name') or record['sid']
            writes.append(Write('remove', dict(session=name), lambda record=record, name=name: self.remove(
                parent_sids, record, name)))
        apply_writes(writes, batch)
        writes = []
        for item in self.planned():
            if not item.plan.changed:
                item.record = item.engine.apply(item.plan)['session']  # no request: all was read
                continue
            writes.append(Write(item.plan.action, dict(session=item.name), lambda item=item: self.converge(item)))
        apply_writes(writes, batch)
        self.wrote = self.wrote or any(item.engine.done for item in self.items)
        for write, exc in batch.failed:
            self.failures.append(dict(session=write.item['session'], code=exc.code, status=exc.status,
                                      msg=_line(str(exc) + hint(SESSION.error_hints, exc))))
        stopper = next((w.item['session'] for w, exc in batch.failed if str(exc) == batch.stopped_by), None)
        for write in batch.skipped:
            self.failures.append(dict(session=write.item['session'], code=None, status=None,
                                      msg='not attempted: the writes stopped at the error of %s' % stopper))
        self.stopped_by = batch.stopped_by
        self.not_attempted = len(batch.skipped)

    def remove(self, parent_sids, record, name):
        self.client.delete(SESSION.instance_uri(parent_sids, record['sid']))
        self.wrote = True
        self.removed.append(name)

    def converge(self, item):
        try:
            result = item.engine.carry_out(item.plan)
        except EngineError as exc:  # found while writing (e.g. a name created twice meanwhile): this item only
            self.fail(item, msg=str(exc))
            return None
        self.note(item, result)
        return result

    # -- result ------------------------------------------------------------------------------------------------

    @property
    def done(self):
        """What was written, as sentences (the runner reports them when the task fails after a write)."""
        if self.check_mode:
            return []
        return ['%s %d sessions' % (what, len(names)) for what, names in (
            ('created', self.created), ('updated', self.updated), ('removed', self.removed)) if names]

    def sessions(self):
        records = []
        for item in self.items:
            record = item.record
            if record is None and item.current is not None and item.plan is None:  # refused: as it is
                try:
                    record = dict(item.current, participants=participants_of(
                        self.client, dict(service_sid=item.current['service_sid']), item.current['sid']))
                except TwilioApiError:
                    record = dict(item.current, participants=None)
            if record is not None:
                records.append(record)
        return redact(records)

    def diff(self, removals):
        before, after = {}, {}
        for item in self.planned():
            plan = item.plan
            if not plan.changed or (not self.check_mode and item.name not in self.created + self.updated):
                continue
            if plan.action == 'create':
                before[item.name], after[item.name] = 'absent', _short(dict(plan.values))
            else:
                before[item.name], after[item.name] = _short(plan.before), _short(plan.after)
        for record in removals:
            name = record.get('unique_name') or record['sid']
            if self.check_mode or name in self.removed:
                before[name], after[name] = 'present (%s)' % record.get('status'), 'absent'
        return dict(before=dict(sessions=before), after=dict(sessions=after))

    def result(self, removals):
        changed = self.wrote if not self.check_mode else bool(
            removals or any(item.plan.changed for item in self.planned()))
        result = dict(changed=changed, sessions=self.sessions(), created=self.created, updated=self.updated,
                      removed=self.removed, skipped_sessions=self.skipped, failures=self.failures)
        if self.module._diff:
            result['diff'] = self.diff(removals)
        if self.failures:
            refused = [f for f in self.failures if not f['msg'].startswith('not attempted')]
            shown = '; '.join('%s: %s' % (f['session'], f['msg']) for f in refused[:3])
            more = ' (and %d more, see failures)' % (len(refused) - 3) if len(refused) > 3 else ''
            stopped = self.stopped_by
            raise EngineError('%s%d of %d sessions failed, %d were changed (see created, updated, removed); a '
                              're-run retries what is left: %s%s'
                              % ('the writes stopped at an error that would fail the rest too, %d were not '
                                 'attempted. ' % self.not_attempted if stopped else '', len(self.failures),
                                 len(self.items) + len(removals),
                                 len(self.created) + len(self.updated) + len(self.removed), shown, more),
                              **result)
        return result


def run_sessions_module(client=None):
    """proxy_sessions' main()."""
    module = build_module(sessions_argument_spec())
    run(module, SessionSet(module), client=client, error_hints=SESSION.error_hints)
