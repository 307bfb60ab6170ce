# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The one idempotency engine of the collection: validate -> plan -> apply, for one resource.

Given a resource description (:class:`Resource`, pure data), it validates the options before any request,
resolves parents, looks the resource up, and computes a :class:`Plan` -- what will be written, and the diff --
before any write. Check mode reports the plan; a real run applies it. Nothing here knows a resource by name: what
differs between resources comes from the description, and a resource with rules of its own says them in a subclass
in its module (see :class:`Engine`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import redact, redact_diff
from ansible_collections.community.twilio.plugins.module_utils._lookup import Finder, validate_identity
from ansible_collections.community.twilio.plugins.module_utils._model import argument_spec, form_data
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run


class Plan:
    """What a run does, decided before any write; check mode reports it as it is.

    ``action`` is ``none``, ``create``, ``update`` or ``delete``. ``current`` is the live record (None when
    absent); ``values`` what a create sends, or the new values of an update; ``steps`` the update requests in
    order; ``replaces`` the live record a create deletes first (a recreate); ``before``/``after`` the diff;
    ``more`` what a subclass planned beside the resource itself (the session's participants).
    """

    def __init__(self, action, parent_sids, current=None, values=None, steps=(), replaces=None, before=None,
                 after=None, more=None):
        self.action = action
        self.parent_sids = parent_sids
        self.current = current
        self.values = values or {}
        self.steps = list(steps)
        self.replaces = replaces
        self.before = before or {}
        self.after = after or {}
        self.more = more

    @property
    def changed(self):
        return self.action in ('create', 'delete') or bool(self.after)


class Engine:
    """validate -> plan -> apply for any :class:`Resource`, with check mode and a key-level diff.

    A resource with rules of its own subclasses it in its module: the one hook, ``check_create(parent_sids,
    values)``, raises EngineError for a create the API would refuse (participants, sessions); other behaviour
    extends the steps themselves with ``super()``: ``validate()`` (before any request), ``plan_update()`` and
    ``plan_delete()`` (reads allowed, no write; EngineError for what cannot be done), ``outcome(plan)`` (the record
    a plan leaves, written or predicted) and ``delete()`` (a real delete). A subclass adds sentences for the user
    to ``self.warnings`` and never changes the caller's dicts.
    """

    def __init__(self, module, resource, client=None):
        self.module = module
        self.resource = resource
        self.params = module.params
        self.check_mode = module.check_mode
        self.client = client
        self.warnings = []
        self.done = []  # sentences: the writes made so far (a failure after one reports changed: true)
        self.desired = None
        self.finder = None

    # -- entry points ----------------------------------------------------------------------------------------

    def run(self):
        run(self.module, self, client=self.client, error_hints=self.resource.error_hints)

    def execute(self, client):
        self.client = client
        self.finder = Finder(client, self.params, self.check_mode, self.warnings)
        return self.converge()

    # -- validation: everything that can be known before a request --------------------------------------------

    def validate(self):
        """Normalised desired values of the options the user gave; EngineError naming the option otherwise."""
        res = self.resource
        validate_identity(res, self.params)
        if not self.params.get('sid') and res.key and self.params.get(res.key) in (None, ''):
            raise EngineError('%s: must not be empty (or give sid)' % res.key)
        desired = {}
        for field in res.fields:
            value = field.validate(self.params.get(field.name))
            if value is not None:
                desired[field.name] = value
        if res.key == 'unique_name' and res.is_sid(desired.get('unique_name')):
            raise EngineError('unique_name: %r has the form of a %s SID, so it could never name the %s where a SID '
                              'or a unique name is accepted (it would be read as a SID); choose another'
                              % (desired['unique_name'], res.sid_prefix, res.title))
        self.desired = desired
        return desired

    # -- reads -----------------------------------------------------------------------------------------------

    def lookup(self, parent_sids):
        """(the live record or None, soft-deleted records that carry the wanted natural key)."""
        if parent_sids is None:
            return None, []
        try:
            return self.find_current(parent_sids)
        except TwilioApiError as exc:
            self.finder.parent_gone(self.resource, parent_sids, exc)  # a parent given by SID does not exist
            return None, []

    def find_current(self, parent_sids):
        res = self.resource
        sid = self.params.get('sid')
        if sid:
            record = self.finder.find(res, parent_sids, sid=res.sid_field.normalize(sid))
            if record is None and self.params['state'] == 'present' and not res.create_by_sid:
                inside = ''.join(' in %s' % v for v in reversed(list(parent_sids.values())))
                raise EngineError('sid: no %s %s exists%s; a given sid is never created' % (res.title, sid, inside))
            return record, []
        return self.finder.find_by_key(res, parent_sids, self.desired[res.key])

    def differences(self, current):
        """{field: (live value, wanted value)} for the options given that the live resource does not satisfy."""
        changes = {}
        for field in self.resource.fields:
            if field.compare and field.name in self.desired:
                if not field.same(self.desired[field.name], current.get(field.name)):
                    changes[field.name] = (current.get(field.name), self.desired[field.name])
        return changes

    # -- plan ------------------------------------------------------------------------------------------------

    def converge(self):
        parent_sids = self.finder.resolve_parents(self.resource, absent=self.params['state'] == 'absent')
        current, deleted = self.lookup(parent_sids)
        return self.carry_out(self.plan(parent_sids, current, deleted))

    def carry_out(self, plan):
        """apply(plan); a create refused because another run created the same key meanwhile converges that one."""
        try:
            return self.apply(plan)
        except TwilioApiError as exc:
            if plan.action != 'create' or plan.replaces is not None:
                raise
            current = self.created_meanwhile(plan.parent_sids, exc)
        return self.apply(self.plan(plan.parent_sids, current))

    def plan(self, parent_sids, current, deleted=()):
        """The Plan for the live record ``current``; EngineError, before any write, for what cannot be done."""
        if self.params['state'] == 'absent':
            return self.plan_delete(parent_sids, current)
        if current is None:
            if deleted:
                # A soft-deleted record with this key (a removed participant) cannot come back: say so, write nothing.
                res, gone = self.resource, deleted[0]
                raise EngineError('%s %s %r was deleted (%s, date_deleted %s) and cannot be created again%s'
                                  % (res.title, res.key, self.desired.get(res.key), gone.get('sid'),
                                     gone.get('date_deleted'), res.hint or ''), sid=gone.get('sid'))
            return self.plan_create(parent_sids, before=dict(state='absent'))
        return self.plan_update(parent_sids, current)

    def plan_create(self, parent_sids, before, replaces=None):
        values = dict(self.desired)
        for name, value in values.items():
            field = self.resource.field(name)
            if field.settable and value not in field.settable:
                raise EngineError('%s: %s can only be matched, never set: Twilio creates a %s only with %s %s'
                                  % (name, value, self.resource.title, name, ' or '.join(field.settable)))
        self.check_create(parent_sids, values)
        if self.resource.create_by_sid and self.params.get('sid'):
            values['sid'] = self.resource.sid_field.normalize(self.params['sid'])  # known, not invented
        return Plan('create', parent_sids, values=values, replaces=replaces, before=before,
                    after=dict(values, state='present'))

    def plan_update(self, parent_sids, current):
        res = self.resource
        changes = self.differences(current)
        immutable = res.immutable(changes)
        if immutable:
            raise EngineError(
                '%s of %s %s cannot be changed in place (live %s, wanted %s)%s'
                % (', '.join(immutable), res.title, current.get('sid'),
                   ', '.join('%s=%r' % (n, changes[n][0]) for n in immutable),
                   ', '.join('%s=%r' % (n, changes[n][1]) for n in immutable),
                   res.hint or ''), sid=current.get('sid'))
        before = dict((name, old) for name, (old, new) in changes.items())
        values = dict((name, new) for name, (old, new) in changes.items())
        return Plan('update', parent_sids, current=current, values=values, steps=[values] if values else [],
                    before=before, after=dict(values))

    def plan_delete(self, parent_sids, current):
        if current is None:
            return Plan('none', parent_sids)
        before = dict((k, v) for k, v in current.items() if k not in ('url', 'links'))  # as found
        before['state'] = 'present'
        return Plan('delete', parent_sids, current=current, before=before, after=dict(state='absent'))

    # -- apply -----------------------------------------------------------------------------------------------

    def apply(self, plan):
        """Carry the plan out (a real run) or predict its result (check mode); the result dict."""
        return self.result(plan.changed, self.outcome(plan), plan.before, plan.after)

    def outcome(self, plan):
        """The record the plan leaves: written in a real run, predicted in check mode ({} when there is none)."""
        res = self.resource
        record = plan.current
        if plan.action == 'delete':
            self.delete(plan.parent_sids, plan.current)
            record = {}
        elif plan.action == 'none':
            record = {}
        elif plan.action == 'create':
            if plan.replaces is not None:
                self.delete(plan.parent_sids, plan.replaces)
            if self.check_mode or plan.parent_sids is None:
                record = dict(plan.values)
                record.setdefault('sid', None)
                record.update(plan.parent_sids or {})
            else:
                record = self.create_write(plan.parent_sids, self.create_data(plan.values))
        elif plan.steps and self.check_mode:
            record = dict(plan.current, **plan.values)
        elif plan.steps:
            uri = res.instance_uri(plan.parent_sids, plan.current['sid'])
            for step in plan.steps:
                record = self.write('update', uri, form_data(res, step), 'updated %s %s (%s)' % (
                    res.title, plan.current['sid'], ', '.join(sorted(step))))
        return record

    def delete(self, parent_sids, current):
        if not self.check_mode:
            self.write('delete', self.resource.instance_uri(parent_sids, current['sid']), None,
                       'deleted %s %s' % (self.resource.title, current['sid']))

    def write(self, method, uri, data, what):
        """One write through the client (``create``, ``update`` or ``delete``), recorded in ``done``."""
        if method == 'delete':
            record = self.client.delete(uri)
        else:
            record = getattr(self.client, method)(uri, data)
        self.done.append(what)
        return record

    def create_data(self, values):
        data = form_data(self.resource, dict((k, v) for k, v in values.items() if k != 'sid'))
        if 'sid' in values:
            data['Sid'] = values['sid']
        return data

    def create_write(self, parent_sids, data):
        """POST the create of this resource (see create_one)."""
        res = self.resource
        return self.create_one(res, parent_sids, data, key=self.desired.get(res.key) if res.key else None,
                               sid=data.get('Sid'))

    def create_one(self, resource, parent_sids, data, key=None, sid=None, lost_race=False):
        """POST a create. When its outcome is unknown (timeout, 5xx, dropped), look it up (by ``sid`` when the
        create names one, else by the natural ``key``) before trying again. With ``lost_race``, a create refused
        as a duplicate (one of the resource's conflict codes: another run, or our own request retried after
        Twilio processed it) returns the record found instead."""
        uri = resource.collection_uri(parent_sids)
        what = 'created %s %s' % (resource.title, sid or key or '')
        try:
            return self.write('create', uri, data, what.strip())
        except TwilioApiError as exc:
            found = exc.outcome_unknown or (lost_race and exc.code in resource.conflict_codes)
            if not found or (sid is None and key is None):
                raise
            if sid is not None:
                record = self.finder.find(resource, parent_sids, sid=sid)
            else:
                record = self.finder.find(resource, parent_sids, key=key)
            if record is not None:
                self.warnings.append('the create request failed (%s) but the %s %s exists: it was created'
                                     % (exc, resource.title, sid or key))
                self.done.append(what.strip())
                return record
            if not exc.outcome_unknown:
                raise
            return self.write('create', uri, data, what.strip())

    def created_meanwhile(self, parent_sids, exc):
        """After a create refused as a duplicate (another run created the same key between our look-up and our
        POST), the resource that run created: it is then converged like any existing one. Re-raise otherwise."""
        if exc.code not in self.resource.conflict_codes:
            raise exc
        current = self.lookup(parent_sids)[0]
        if current is None:
            raise exc
        self.warnings.append('another run created this %s meanwhile (Twilio error %s); converged it instead'
                             % (self.resource.title, exc.code))
        return current

    def result(self, changed, record, before, after):
        result = dict(changed=changed)
        result[self.resource.name] = redact(record or {})
        if self.module._diff:
            result['diff'] = redact_diff(before, after)
        return result

    # -- the hook ----------------------------------------------------------------------------------------------

    def check_create(self, parent_sids, values):
        """Raise EngineError for a create the API would refuse, knowable from ``values``. Before any write."""


def run_module(resource, engine=Engine, extra_spec=None, client=None, **module_kwargs):
    """A resource module's main(): the argument spec from the description (and its flags), then the engine."""
    if resource.key:
        module_kwargs.setdefault('required_one_of', [['sid', resource.key]])
    module = build_module(argument_spec(resource, extra_spec), **module_kwargs)
    engine(module, resource, client=client).run()
