#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_participant
short_description: Manage the participants of a Twilio Proxy Session
version_added: 0.1.0
description:
  - Add a participant to a Twilio Proxy Session, or remove one.
  - Twilio cannot update a participant. A participant whose O(friendly_name), O(proxy_identifier) or
    O(proxy_identifier_sid) differs from the given one is an error that names the option.
  - The participant is found by O(sid) when given, else by O(identifier) among the session's participants.
    Removed participants (Twilio keeps them with C(date_deleted) set) count as absent.
  - A session has at most two participants (Twilio error 80609). A third one fails before any write, also in
    check mode. So does adding to a closed session (error 80607) or adding a channel address to a session that is
    not V(message-only) (error 80616), when O(session_sid) is a unique name (then the session is read anyway).
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents.SESSION
  - community.twilio.attributes
options:
  state:
    description:
      - V(present) adds the participant; V(absent) removes it.
      - B(Removal is permanent for that identifier in that session:) Twilio keeps the removed participant as
        deleted and never lets the same identifier back into the same session (error 80612). Adding it again is
        an error before any request.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The SID of an existing participant (C(KP) followed by 32 hex digits).
      - A O(sid) that does not exist is an error with O(state=present); it is never created.
    type: str
  identifier:
    description:
      - The participant's phone number in E.164 (V(+14155550100)) or a channel address such as
        V(messenger:123456) (channel addresses need a V(message-only) session).
      - One of O(sid) and O(identifier) is required.
    type: str
  friendly_name:
    description:
      - A name for the participant, 255 characters or fewer, without personal data.
    type: str
  proxy_identifier:
    description:
      - The proxy number of the service's pool that this participant uses. When neither this nor
        O(proxy_identifier_sid) is given, Twilio picks one from the pool (and returns it as
        C(proxy_identifier) in RV(participant)).
    type: str
  proxy_identifier_sid:
    description:
      - The SID (C(PN) followed by 32 hex digits) of the pool number that this participant uses.
    type: str
notes:
  - In check mode a participant still to be added has no SID and, unless you named it, no proxy number.
seealso:
  - module: community.twilio.proxy_session
  - name: Twilio Proxy Participant resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/proxy/api/participant
'''

EXAMPLES = r'''
- name: Add a participant; Twilio picks its proxy number from the pool
  community.twilio.proxy_participant:
    service_sid: rides-masking
    session_sid: ride-4711
    identifier: "+14155550100"
    friendly_name: rider
  register: rider

- name: Tell the rider which number to call
  ansible.builtin.debug:
    msg: "Call your driver at {{ rider.participant.proxy_identifier }}"

- name: Add a participant with a chosen proxy number
  community.twilio.proxy_participant:
    service_sid: rides-masking
    session_sid: ride-4711
    identifier: "+14155550101"
    proxy_identifier: "+14155550000"

- name: Remove a participant (it can never rejoin this session)
  community.twilio.proxy_participant:
    service_sid: rides-masking
    session_sid: ride-4711
    identifier: "+14155550101"
    state: absent
'''

RETURN = r'''
participant:
  description:
    - The participant as the API returned it, with the proxy number it was given, or as predicted in check mode
      (then C(sid) is null for a participant still to be added). An empty dict when it is absent.
  returned: always
  type: dict
  sample:
    sid: KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    session_sid: KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    identifier: '+14155550100'
    friendly_name: rider
    proxy_identifier: '+14155550000'
    proxy_identifier_sid: PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    date_deleted: null
    date_created: '2026-11-27T04:01:50Z'
    date_updated: '2026-11-27T04:01:50Z'
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 400
    code: 80609
    message: 'Too Many Added Participants: a Session can have at most two participants.'
    more_info: https://www.twilio.com/docs/errors/80609
    method: POST
    url: /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants
    attempts: 1
'''

from ansible_collections.community.twilio.plugins.module_utils._engine import Engine, run_module
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError
from ansible_collections.community.twilio.plugins.module_utils._resources import (
    ACTIVE_STATUSES, DEFAULT_MODE, MAX_PARTICIPANTS, PARTICIPANT, SESSION, is_channel)


class ParticipantEngine(Engine):
    """The engine, plus Twilio's rules for adding a participant, checked on what the look-ups already read (the
    session's participants; the session itself when it was found by unique name), so that check mode predicts
    the refusal as a real run meets it, and no request is spent on a refused add."""

    def check_create(self, parent_sids, values):
        if parent_sids is None:  # check mode, the session does not exist yet: nothing was read to check
            return
        session = self.finder.parents.get('session_sid')
        sid = parent_sids['session_sid']
        records = self.finder.listed.get(PARTICIPANT.collection_uri(parent_sids))
        if session is not None:
            status = SESSION.field('status').normalize(session.get('status'))
            if status not in ACTIVE_STATUSES:
                raise EngineError('identifier: Proxy Session %s is %s, and Twilio adds no participant to a closed '
                                  'session (error 80607); re-open it with community.twilio.proxy_session first'
                                  % (sid, status), sid=sid)
            mode = session.get('mode') or DEFAULT_MODE
            if is_channel(values['identifier']) and mode != 'message-only':
                raise EngineError('identifier: %s is a channel address, which Twilio accepts only in a message-only '
                                  'session (error 80616); Proxy Session %s is %s' % (values['identifier'], sid, mode),
                                  sid=sid)
        if records is not None:
            live = [p for p in records if PARTICIPANT.is_live(p)]
            if len(live) >= MAX_PARTICIPANTS:
                raise EngineError('identifier: Proxy Session %s already has %d participants (%s), the most Twilio '
                                  'allows (error 80609); remove one first (a removed identifier can never rejoin)'
                                  % (sid, len(live), ', '.join(p.get('identifier') or '' for p in live)), sid=sid)


def main():
    run_module(PARTICIPANT, engine=ParticipantEngine)


if __name__ == '__main__':
    main()
