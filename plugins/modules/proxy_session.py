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

from ansible_collections.community.twilio.plugins.module_utils._engine import run_module
from ansible_collections.community.twilio.plugins.module_utils._resources import SESSION
from ansible_collections.community.twilio.plugins.module_utils._session import SessionEngine

EXTRA_SPEC = dict(
    recreate=dict(type='bool', default=False),  # SessionEngine.plan_recreate
    purge_participants=dict(type='bool', default=False),
)


def main():
    run_module(SESSION, engine=SessionEngine, extra_spec=EXTRA_SPEC,
               required_if=[('purge_participants', True, ['participants'])])


if __name__ == '__main__':
    main()
