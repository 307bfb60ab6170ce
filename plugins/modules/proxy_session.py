#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_session
short_description: Manage Twilio Proxy Sessions and their participants
version_added: 0.1.0
description:
  - Create, update, close, re-open and delete a Session of a Twilio Proxy Service, and add its participants.
  - Only the options you give are managed; an omitted option is left as it is.
  - Twilio can change only O(date_expiry), O(ttl) and O(status) of an existing session. A different O(mode) or
    O(unique_name) fails naming the option, unless O(recreate=true).
  - The session is found by O(sid) when given (one request), else by O(unique_name) within the service. Twilio's
    fetch endpoint may accept the unique name in place of the SID; then the look-up is one request. Where it does
    not, every page of the service's sessions is read and matched, so a session is never duplicated.
  - The participants of the session are read on every run (one more request) and returned under
    RV(session.participants).
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes
options:
  state:
    description:
      - V(present) creates the session or converges the given options; V(absent) deletes it, with its
        participants and interactions.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The SID of an existing session (C(KC) followed by 32 hex digits).
      - A O(sid) that does not exist is an error with O(state=present); it is never created.
    type: str
  unique_name:
    description:
      - The unique name of the session within its service, 191 characters or fewer; it identifies the session
        when O(sid) is not given. Twilio asks that it contain no personal data.
      - One of O(sid) and O(unique_name) is required.
      - It cannot be changed on an existing session, except with O(recreate=true).
    type: str
  date_expiry:
    description:
      - When the session ends, as an ISO 8601 date-time such as V(2026-12-31T23:00:00Z). A time without a zone is
        UTC. It is compared as an instant, so V(2026-12-31T23:00:00Z) and V(2027-01-01T00:00:00+01:00) are equal.
      - When set, Twilio uses it instead of O(ttl).
      - Whole seconds only (Twilio keeps no fraction); an offset beyond 23:59 or a date past the year 9999 in UTC
        fails naming this option.
    type: str
  ttl:
    description:
      - How long the session stays open, in seconds after its creation or its last interaction. V(0) means no
        limit.
    type: int
  mode:
    description:
      - Which channels the session allows. Twilio's default is V(voice-and-message).
      - It cannot be changed on an existing session, except with O(recreate=true).
    type: str
    choices: [message-only, voice-only, voice-and-message]
  status:
    description:
      - V(open) and V(in-progress) both mean an active session, and either satisfies the other (Twilio moves a
        session from V(open) to V(in-progress) by itself on its first interaction).
      - V(closed) closes an active session. V(in-progress) (or V(open)) re-opens a closed or expired one; Twilio
        refuses that with error 80604 when a participant's proxy number is meanwhile used by the same participant
        in another active session.
      - Twilio refuses any update of a closed session (error 80607). So a closed session whose O(ttl) or
        O(date_expiry) must change is re-opened when O(status) asks for an active session, and is an error
        otherwise. A run that changes nothing never sends an update.
      - V(failed) and V(unknown) can only be matched, never set; asking for them on a session to create fails
        before any write.
      - Re-opening a closed or expired session sends the new O(date_expiry) or O(ttl) in the same request, so that
        a session whose old expiry has passed does not expire again between two requests.
      - A session past its O(date_expiry) or O(ttl) reads as V(closed).
    type: str
    choices: [open, in-progress, closed, failed, unknown]
  participants:
    description:
      - The participants of the session, at most two; more is an error before any request (Twilio error 80609).
      - On create they are sent with the session in one request. On an existing session the missing ones are
        added. A listed participant whose O(participants[].friendly_name), O(participants[].proxy_identifier) or
        O(participants[].proxy_identifier_sid) differs from the live one is an error, because Twilio cannot update
        a participant.
      - A participant of the session that is not listed is kept, unless O(purge_participants=true).
      - Everything Twilio would refuse that can be known is checked before the first write, also in check
        mode, such as a participant to add that names a proxy number not in the service's pool (error 80605; the
        pool is read, one more request, only then), a channel address in a session that is not V(message-only)
        (80616), a closed session (80607), a removed identifier (80612), more than two participants (80609).
      - Omit this option to leave the participants unmanaged.
    type: list
    elements: dict
    suboptions:
      identifier:
        description:
          - The participant's phone number in E.164 (V(+14155550100)) or a channel address such as
            V(messenger:123456) (channel addresses need O(mode=message-only)).
        type: str
        required: true
      friendly_name:
        description:
          - A name for the participant, 255 characters or fewer, without personal data.
        type: str
      proxy_identifier:
        description:
          - The proxy number of the service's pool that this participant uses. When neither this nor
            O(participants[].proxy_identifier_sid) is given, Twilio picks one from the pool.
        type: str
      proxy_identifier_sid:
        description:
          - The SID (C(PN) followed by 32 hex digits) of the pool number that this participant uses.
        type: str
  purge_participants:
    description:
      - Remove the participants of the session that O(participants) does not list.
      - B(Removal is permanent for that identifier in that session:) Twilio keeps a removed participant as deleted
        and never lets the same identifier back into the same session (error 80612).
      - Requires O(participants); an empty list removes every participant.
    type: bool
    default: false
  fail_on_participant_conflict:
    description:
      - Twilio's experimental C(FailOnParticipantConflict), sent on create only and never compared. It only
        means something for accounts with Twilio's C(ProxyAllowParticipantConflict) flag; Twilio has removed it
        from its API description.
    type: bool
  recreate:
    description:
      - When O(mode) or O(unique_name) differs from the live session, delete the session and create it again
        with the given options (and O(participants)), instead of failing. The diff shows the deletion.
      - The old session's participants and interactions are deleted with it.
    type: bool
    default: false
notes:
  - Twilio sends the proxy number given to each participant back as C(proxy_identifier); it is returned under
    RV(session.participants). In check mode a participant still to be added has no SID and, unless you named it,
    no proxy number.
seealso:
  - module: community.twilio.proxy_participant
  - module: community.twilio.proxy_service
  - name: Twilio Proxy Session resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/proxy/api/session
'''

EXAMPLES = r'''
- name: A session between a rider and a driver, each given a proxy number from the pool
  community.twilio.proxy_session:
    service_sid: rides-masking
    unique_name: ride-4711
    mode: voice-and-message
    ttl: 3600
    participants:
      - identifier: "+14155550100"
        friendly_name: rider
      - identifier: "+14155550101"
        friendly_name: driver
  register: ride

- name: Show the proxy number the rider calls
  ansible.builtin.debug:
    msg: "{{ (ride.session.participants | selectattr('friendly_name', 'equalto', 'rider') | first).proxy_identifier }}"

- name: Close the session
  community.twilio.proxy_session:
    service_sid: rides-masking
    unique_name: ride-4711
    status: closed

- name: Re-open it for another hour from now
  community.twilio.proxy_session:
    service_sid: rides-masking
    unique_name: ride-4711
    status: in-progress
    date_expiry: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() + 3600) }}"

- name: Replace the driver (the removed driver can never rejoin this session)
  community.twilio.proxy_session:
    service_sid: rides-masking
    unique_name: ride-4711
    participants:
      - identifier: "+14155550100"
      - identifier: "+14155550102"
        friendly_name: second driver
    purge_participants: true

- name: Delete the session
  community.twilio.proxy_session:
    service_sid: rides-masking
    unique_name: ride-4711
    state: absent
'''

RETURN = r'''
session:
  description:
    - The session as the API returned it after the change, or as predicted in check mode (then C(sid) is null
      for a session still to be created). An empty dict when the session is absent.
    - Its participants (not the removed ones) are listed under C(participants).
  returned: always
  type: dict
  contains:
    participants:
      description: The participants of the session, as the API returned them.
      returned: when the session is present
      type: list
      elements: dict
  sample:
    sid: KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    unique_name: ride-4711
    status: open
    closed_reason: null
    mode: voice-and-message
    ttl: 3600
    date_expiry: null
    date_started: '2026-11-27T04:01:50Z'
    date_ended: null
    date_last_interaction: null
    date_created: '2026-11-27T04:01:50Z'
    date_updated: '2026-11-27T04:01:50Z'
    url: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    links:
      participants: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants
      interactions: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Interactions
    participants:
      - sid: KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        identifier: '+14155550100'
        friendly_name: rider
        proxy_identifier: '+14155550000'
        proxy_identifier_sid: PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        date_deleted: null
done:
  description:
    - When the module fails after it has written something, what it wrote (then C(changed) is V(true)), in order.
  returned: on a failure after a write
  type: list
  elements: str
  sample:
    - removed participant +14155550101 (KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) from Proxy Session KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 400
    code: 80603
    message: Session UniqueName must be unique within the Service.
    more_info: https://www.twilio.com/docs/errors/80603
    method: POST
    url: /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions
    attempts: 1
'''

from ansible_collections.community.twilio.plugins.module_utils._engine import (
    Engine, EngineError, form_data, run_module)
from ansible_collections.community.twilio.plugins.module_utils._resources import (
    ACTIVE_STATUSES, DEFAULT_MODE, MAX_PARTICIPANTS, PARTICIPANT, PARTICIPANT_DETAILS, PHONE_NUMBER, SESSION,
    is_channel)

EXTRA_SPEC = dict(
    purge_participants=dict(type='bool', default=False),
)


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
    """The engine, plus Twilio's session lifecycle (closed sessions) and participant reconciliation."""

    def status_of(self, record):
        return SESSION.field('status').normalize(record.get('status'))

    # -- hooks -----------------------------------------------------------------------------------------------

    def update_steps(self, current, values):
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

    def plan_more(self, parent_sids, current, final):
        """The participant plan, read and checked before any write, against the status the session will have."""
        plan = self.plan_participants(parent_sids, current, self.status_of(final) in ACTIVE_STATUSES)
        if not plan.to_add and not plan.to_remove:
            return {}, {}, plan
        before = dict(participants=[summary(p) for p in plan.live])
        after = dict(participants=[summary(p) for p in plan.kept] + [dict(p) for p in plan.to_add])
        return before, after, plan

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

    def recreate_diff(self, parent_sids, current):
        """The participants go with the deleted session; the listed ones (if any) come with the new one."""
        live = self.live_participants(parent_sids, current['sid'])
        return (dict(participants=[summary(p) for p in live]),
                dict(participants=[dict(p) for p in self.desired.get('participants') or []]))

    def apply_more(self, parent_sids, plan, record):
        record = dict(record)
        if plan.action == 'create':  # the participants went in the create request
            if self.check_mode or parent_sids is None:
                record['participants'] = [self.predicted(p, record) for p in self.desired.get('participants') or []]
            else:
                record['participants'] = self.live_participants(parent_sids, record['sid'])
            return record
        more = plan.more
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
        uri = PARTICIPANT.collection_uri(dict(parent_sids, session_sid=session_sid))
        records = list(self.client.list(uri, PARTICIPANT.list_key))
        return records if everyone else [p for p in records if PARTICIPANT.is_live(p)]

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


def main():
    run_module(SESSION, engine=SessionEngine, extra_spec=EXTRA_SPEC,
               required_if=[('purge_participants', True, ['participants'])])


if __name__ == '__main__':
    main()
