# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""A Proxy Session on the engine: Twilio's session lifecycle (closed sessions), ``recreate`` and its participants,
in :class:`SessionEngine`. proxy_session converges one session with it; proxy_sessions (_session_set) many."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.community.twilio.plugins.module_utils._engine import Engine, form_data
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError
from ansible_collections.community.twilio.plugins.module_utils._resources import (
    ACTIVE_STATUSES, DEFAULT_MODE, MAX_PARTICIPANTS, PARTICIPANT, PARTICIPANT_DETAILS, PHONE_NUMBER, SESSION,
    is_channel)


def participants_of(client, parent_sids, session_sid, everyone=False):
    """The participants of a session, one list read (every page); the removed ones too with ``everyone``."""
    uri = PARTICIPANT.collection_uri(dict(parent_sids, session_sid=session_sid))
    records = list(client.list(uri, PARTICIPANT.list_key))
    return records if everyone else [p for p in records if PARTICIPANT.is_live(p)]


def summary(participant):
    """What a diff shows of a participant: the options a user can give."""
    return dict((k, participant.get(k)) for k in ('identifier',) + PARTICIPANT_DETAILS
                if participant.get(k) is not None)


class ParticipantPlan:
    """The participants of an existing session: the live ones, those to add and those to remove."""

    def __init__(self, live, to_add=(), to_remove=()):
        self.live = live
        self.to_add = list(to_add)
        self.to_remove = list(to_remove)

    @property
    def kept(self):
        return [p for p in self.live if p not in self.to_remove]


class SessionEngine(Engine):
    """The engine, plus Twilio's session lifecycle (closed sessions), ``recreate`` (an immutable difference deletes
    the session and creates it again) and participant reconciliation."""

    def status_of(self, record):
        return SESSION.field('status').normalize(record.get('status'))

    # -- plan ------------------------------------------------------------------------------------------------

    def plan_update(self, parent_sids, current):
        """A recreate where asked for and needed; else the engine's update, in the steps Twilio's lifecycle allows,
        with the participants planned (read and checked) before any write."""
        changes = self.differences(current)
        if self.params.get('recreate') and self.resource.immutable(changes):
            return self.plan_recreate(parent_sids, current, changes)
        plan = super(SessionEngine, self).plan_update(parent_sids, current)
        plan.steps = self.update_steps(current, plan.values) if plan.values else []
        participants = self.plan_participants(parent_sids, current,
                                              self.status_of(dict(current, **plan.values)) in ACTIVE_STATUSES)
        plan.more = participants
        if participants.to_add or participants.to_remove:
            plan.before['participants'] = [summary(p) for p in participants.live]
            plan.after['participants'] = ([summary(p) for p in participants.kept] +
                                          [dict(p) for p in participants.to_add])
        return plan

    def plan_recreate(self, parent_sids, current, changes):
        """Delete the session and create it again: its participants go with it; the listed ones (if any) come with
        the new one."""
        before = dict((name, old) for name, (old, new) in changes.items())
        before.update(sid=current['sid'], state='present')
        before['participants'] = [summary(p) for p in self.live_participants(parent_sids, current['sid'])]
        plan = self.plan_create(parent_sids, before=before, replaces=current)
        plan.after.update(participants=[dict(p) for p in self.desired.get('participants') or []],
                          state='present (created again, after deleting the one before)')
        return plan

    def update_steps(self, current, values):
        """The update requests that bring ``current`` to ``values``, in order; EngineError for a change Twilio
        cannot make from the live status. Pure."""
        values = dict(values)
        status = values.pop('status', None)
        live = self.status_of(current)
        sid = current.get('sid')
        if status is not None and status not in SESSION.field('status').settable:
            raise EngineError('status: Twilio can set a session only to in-progress (re-open), open or closed; '
                              'session %s is %s, not %s' % (sid, live, status), sid=sid)
        steps = []
        if live not in ACTIVE_STATUSES:
            if status not in ACTIVE_STATUSES and values:
                raise EngineError(
                    '%s of Proxy Session %s cannot be changed while it is %s: Twilio refuses to update a closed '
                    'session (error 80607); set status: in-progress to re-open it first, or leave %s out'
                    % (', '.join(sorted(values)), sid, live, ' and '.join(sorted(values))), sid=sid)
            if status in ACTIVE_STATUSES:
                # Re-open and change the rest in one request: Twilio updates no closed session, and a session
                # re-opened with its old, past date_expiry is expired again before a second request could
                # bring the new one.
                steps.append(dict(values, status='in-progress'))
        else:
            if values:
                steps.append(values)
            if status == 'closed':
                steps.append(dict(status='closed'))
        return steps

    def check_create(self, parent_sids, values):
        want = values.get('participants') or []
        if want and values.get('status') == 'closed':
            raise EngineError('participants: Twilio cannot add participants to a closed session (error 80607); '
                              'create the session active, or leave participants out')
        self.check_channels(want, values.get('mode') or DEFAULT_MODE, 'the session to create')

    def check_channels(self, participants, mode, which):
        """Channel identifiers (messenger:…) need a message-only session (Twilio error 80616)."""
        for participant in participants:
            if is_channel(participant['identifier']) and mode != 'message-only':
                raise EngineError('participants: %s is a channel address, which Twilio accepts only in a '
                                  'message-only session (error 80616); %s is %s'
                                  % (participant['identifier'], which, mode))

    # -- apply -----------------------------------------------------------------------------------------------

    def outcome(self, plan):
        """The session a plan leaves, with its participants: those of the create request, or the planned adds and
        removals written (a real run) or predicted (check mode)."""
        record = super(SessionEngine, self).outcome(plan)
        if plan.action not in ('create', 'update'):
            return record
        parent_sids = plan.parent_sids
        record = dict(record)
        if plan.action == 'create':  # the participants went in the create request
            if self.check_mode or parent_sids is None:
                record['participants'] = [self.predicted(p, record) for p in self.desired.get('participants') or []]
            else:
                record['participants'] = self.live_participants(parent_sids, record['sid'])
            return record
        more = plan.more  # the ParticipantPlan of plan_update
        if self.check_mode or (not more.to_add and not more.to_remove):
            record['participants'] = more.kept + [self.predicted(p, record) for p in more.to_add]
            return record
        inside = dict(parent_sids, session_sid=record['sid'])
        for participant in more.to_remove:
            self.write('delete', PARTICIPANT.instance_uri(inside, participant['sid']), None,
                       'removed participant %s (%s) from Proxy Session %s'
                       % (participant.get('identifier'), participant['sid'], record['sid']))
        added = [self.create_one(PARTICIPANT, inside, form_data(PARTICIPANT, p), key=p['identifier'], lost_race=True)
                 for p in more.to_add]
        record['participants'] = more.kept + added
        return record

    # -- participants ----------------------------------------------------------------------------------------

    def live_participants(self, parent_sids, session_sid, everyone=False):
        return participants_of(self.client, parent_sids, session_sid, everyone)

    def predicted(self, participant, session):
        record = dict((k, None) for k in ('sid',) + PARTICIPANT_DETAILS)
        record.update(participant, session_sid=session.get('sid'), date_deleted=None)
        return record

    def plan_participants(self, parent_sids, current, active):
        """The ParticipantPlan for the session ``current``; EngineError before any write when the wanted
        participants cannot be reached."""
        records = self.live_participants(parent_sids, current['sid'], everyone=True)
        live = [p for p in records if PARTICIPANT.is_live(p)]
        want = self.desired.get('participants')
        if want is None:
            return ParticipantPlan(live)
        ident = PARTICIPANT.field('identifier')
        sid = current['sid']
        by_id = dict((ident.normalize(p.get('identifier')), p) for p in live)
        removed = dict((ident.normalize(p.get('identifier')), p) for p in records if not PARTICIPANT.is_live(p))
        to_add = []
        for participant in want:
            have = by_id.get(participant['identifier'])
            if have is None:
                gone = removed.get(participant['identifier'])
                if gone is not None:
                    raise EngineError(
                        'participants: %s was removed from Proxy Session %s (participant %s, date_deleted %s), and '
                        'Twilio never lets an identifier back into the same session (error 80612); use another '
                        'session, or delete this one and create it again'
                        % (participant['identifier'], sid, gone.get('sid'), gone.get('date_deleted')), sid=sid)
                to_add.append(participant)
                continue
            differ = [name for name in PARTICIPANT_DETAILS if name in participant and
                      not PARTICIPANT.field(name).same(participant[name], have.get(name))]
            if differ:
                raise EngineError(
                    'participants: %s of participant %s (%s) in Proxy Session %s cannot be changed (live %s, wanted '
                    '%s): Twilio cannot update a participant, and a removed one can never be added to the same '
                    'session again (error 80612); delete the session and create it again to change it'
                    % (', '.join(differ), participant['identifier'], have.get('sid'), sid,
                       ', '.join('%s=%r' % (n, have.get(n)) for n in differ),
                       ', '.join('%s=%r' % (n, participant[n]) for n in differ)), sid=sid)
        wanted = set(p['identifier'] for p in want)
        extra = [p for p in live if ident.normalize(p.get('identifier')) not in wanted]
        to_remove = extra if self.params.get('purge_participants') else []
        if len(live) - len(to_remove) + len(to_add) > MAX_PARTICIPANTS:
            raise EngineError(
                'participants: Proxy Session %s already has %s; adding %s would make more than %d (Twilio error '
                '80609). Set purge_participants: true to remove the ones not listed (a removed identifier can '
                'never rejoin this session)'
                % (sid, ', '.join(p.get('identifier') for p in live), ', '.join(p['identifier'] for p in to_add),
                   MAX_PARTICIPANTS), sid=sid)
        if (to_add or to_remove) and not active:
            raise EngineError(
                'participants: Proxy Session %s is or will be %s, and Twilio cannot change the participants of a '
                'closed session (error 80607); set status: in-progress to re-open it'
                % (sid, 'closed' if self.status_of(current) in ACTIVE_STATUSES else self.status_of(current)),
                sid=sid)
        self.check_channels(to_add, current.get('mode') or DEFAULT_MODE, 'Proxy Session %s' % sid)
        self.check_pool(parent_sids, to_add)
        return ParticipantPlan(live, to_add, to_remove)

    def check_pool(self, parent_sids, to_add):
        """A proxy number named for a participant to add must be in the service's pool (Twilio error 80605):
        read the pool (one more request, only when a participant to add names one) before any write."""
        named = [p for p in to_add if p.get('proxy_identifier_sid') or
                 (p.get('proxy_identifier') and not is_channel(p['proxy_identifier']))]
        if not named:
            return
        pool = list(self.client.list(PHONE_NUMBER.collection_uri(parent_sids), PHONE_NUMBER.list_key))
        sids = set(PHONE_NUMBER.sid_field.normalize(n.get('sid')) for n in pool)
        numbers = set(PHONE_NUMBER.field('phone_number').normalize(n.get('phone_number')) for n in pool)
        for participant in named:
            sid = participant.get('proxy_identifier_sid')
            number = participant.get('proxy_identifier')
            if (sid and sid not in sids) or (number and not is_channel(number) and number not in numbers):
                raise EngineError('participants: the proxy number %s of %s is not in the pool of Proxy Service %s '
                                  '(Twilio error 80605); add it with community.twilio.proxy_phone_number first. '
                                  'Nothing was changed.' % (sid or number, participant['identifier'],
                                                            parent_sids['service_sid']))
