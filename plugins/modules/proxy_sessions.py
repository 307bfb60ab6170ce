#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_sessions
short_description: Manage the Sessions of a Twilio Proxy Service as a set, in one task
version_added: 0.1.0
description:
  - Converge the sessions of one Proxy Service, with their participants, in one module run, the way
    M(community.twilio.proxy_pool) does for its numbers. Each listed session is converged as
    M(community.twilio.proxy_session) converges one, with the same options, comparisons and checks.
  - The service's sessions are read once (every page), and the participants of each listed session that exists
    are read once (one list request each). Nothing is written when a read fails.
  - Every item is checked before any request; a bad item fails the task naming it, such as
    C(sessions[3].ttl).
  - Writes are paced under Twilio's rate limit. A write Twilio refuses is reported under RV(failures) and the other
    items go on; an error that means the API cannot be reached or refuses the credentials (no answer, HTTP 401 or
    403, still rate limited or failing after the retries) stops the writes at once. The task fails when an item
    failed, and still returns what it did.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes
options:
  sessions:
    description:
      - The sessions to converge, each as M(community.twilio.proxy_session) takes one. Only the options an item
        gives are managed. An empty list declares no session (with O(purge=true), every session is removed).
      - Items are counted from 0 in messages (C(sessions[0]) is the first).
      - Twilio cannot change the O(sessions[].mode) or the O(sessions[].unique_name) of a session, nor update a
        participant; such a difference is a failure of that item.
    type: list
    elements: dict
    required: true
    suboptions:
      unique_name:
        description:
          - The unique name of the session within the service (191 characters or fewer). One of this and
            O(sessions[].sid) is required; with both, the session is found by SID.
        type: str
      sid:
        description:
          - The SID of an existing session (C(KC) followed by 32 hex digits). A session given by SID that does not
            exist is never created; it fails with O(missing=create) and is skipped with O(missing=skip).
        type: str
      mode:
        description:
          - Which channels the session allows (Twilio's default is V(voice-and-message)); set on create only.
        type: str
        choices: [message-only, voice-only, voice-and-message]
      ttl:
        description:
          - How long the session stays open, in seconds after its creation or last interaction; V(0) is no limit.
        type: int
      date_expiry:
        description:
          - When the session ends, as an ISO 8601 date-time; compared as an instant.
        type: str
      status:
        description:
          - As O(community.twilio.proxy_session#module:status). V(open) and V(in-progress) satisfy each other;
            V(closed) closes an active session; an active status re-opens a closed one, unless O(missing=skip).
        type: str
        choices: [open, in-progress, closed, failed, unknown]
      participants:
        description:
          - The participants of the session, at most two, as
            O(community.twilio.proxy_session#module:participants) takes them. Missing ones are added; others are
            kept unless O(purge_participants=true). Omit it to leave the participants unmanaged.
        type: list
        elements: dict
        suboptions:
          identifier:
            description:
              - The participant's phone number in E.164 or a channel address (in a V(message-only) session).
            type: str
            required: true
          friendly_name:
            description:
              - A name for the participant, 255 characters or fewer.
            type: str
          proxy_identifier:
            description:
              - The pool number this participant uses; Twilio picks one when neither this nor
                O(sessions[].participants[].proxy_identifier_sid) is given.
            type: str
          proxy_identifier_sid:
            description:
              - The SID (C(PN) followed by 32 hex digits) of the pool number this participant uses.
            type: str
  missing:
    description:
      - What to do with a listed session that does not exist, or that is closed (or expired) while its item asks
        for an active O(sessions[].status).
      - V(create) creates the missing one and re-opens the closed one. A session given by O(sessions[].sid) only
        is never created; it fails.
      - V(skip) leaves them alone and lists them under RV(skipped_sessions) with the reason; it never re-opens a
        session, and a closed session whose item would change it (Twilio updates no closed session) is skipped
        too, not failed. Use it to converge an older export after M(community.twilio.proxy_session_cleanup) closed or deleted
        sessions.
    type: str
    choices: [create, skip]
    default: create
  purge:
    description:
      - Delete the sessions of the service that O(sessions) does not list (with their participants and
        interactions). A skipped or failed item still counts as listed.
    type: bool
    default: false
  purge_participants:
    description:
      - Remove, from each listed session that lists O(sessions[].participants), the participants it does not list.
        A removed identifier can never rejoin the same session (Twilio error 80612).
    type: bool
    default: false
notes:
  - In check mode the same reads are made, nothing is written, and C(changed), the diff and the lists are those of
    a real run; a session still to create has no SID.
  - The diff holds one line per changed session under C(sessions).
seealso:
  - module: community.twilio.proxy_session
  - module: community.twilio.proxy_session_info
  - module: community.twilio.proxy_session_cleanup
'''

EXAMPLES = r'''
- name: The rides of a service, as declared
  community.twilio.proxy_sessions:
    service_sid: rides-masking
    sessions:
      - unique_name: ride-4711
        mode: voice-and-message
        ttl: 3600
        participants:
          - identifier: "+14155550100"
            friendly_name: rider
          - identifier: "+14155550101"
            friendly_name: driver
      - unique_name: ride-4712
        status: closed
  register: rides

- name: Converge an older export without re-creating what a clean-up removed
  community.twilio.proxy_sessions:
    service_sid: rides-masking
    sessions: "{{ exported_sessions }}"
    missing: skip
  register: converged

- name: Say which ones were skipped
  ansible.builtin.debug:
    msg: "{{ converged.skipped_sessions | map(attribute='session') | list }}"
'''

RETURN = r'''
sessions:
  description:
    - The listed sessions as they are after the run (as predicted in check mode, then C(sid) is null for a session
      still to create), in the order of O(sessions), each with its C(participants) (not the removed ones). A
      skipped session that does not exist is not in it.
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      unique_name: ride-4711
      status: open
      mode: voice-and-message
      ttl: 3600
      participants:
        - sid: KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
          identifier: '+14155550100'
          friendly_name: rider
          proxy_identifier: '+14155550000'
created:
  description: The sessions created (by unique name, else SID).
  returned: always
  type: list
  elements: str
  sample: [ride-4711]
updated:
  description: The existing sessions changed (their fields, status or participants).
  returned: always
  type: list
  elements: str
  sample: [ride-4712]
removed:
  description: The sessions deleted by O(purge).
  returned: always
  type: list
  elements: str
  sample: [ride-4000]
skipped_sessions:
  description:
    - The listed sessions left alone under O(missing=skip), with the reason.
    - Not named C(skipped), which Ansible reads as the task's own status (a task returning it shows as skipped).
  returned: always
  type: list
  elements: dict
  sample:
    - session: ride-4000
      reason: 'does not exist; not created (missing: skip)'
failures:
  description:
    - The sessions that could not be converged, one line each. C(code) and C(status) are Twilio's (null when this
      module refused the item, or when it was not attempted after an error stopped the writes).
  returned: always
  type: list
  elements: dict
  sample:
    - session: ride-4713
      code: 80604
      status: 400
      msg: 'Twilio error 80604 (HTTP 400) on POST /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: ...'
done:
  description:
    - When the task fails after it has written something, what it wrote (then C(changed) is V(true)).
  returned: on a failure after a write
  type: list
  elements: str
  sample: [created 3 sessions]
'''

from ansible_collections.community.twilio.plugins.module_utils._session_set import run_sessions_module


def main():
    run_sessions_module()


if __name__ == '__main__':
    main()
