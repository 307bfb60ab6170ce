#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_session_info
short_description: List the Sessions of a Twilio Proxy Service
version_added: 0.1.0
description:
  - Read the Sessions of a service, all of them or those matching the filters.
  - This module never changes anything and reads every page of a list.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes.INFO_MODULE
options:
  sid:
    description:
      - Only the session with this SID (C(KC) followed by 32 hex digits).
    type: str
  unique_name:
    description:
      - Only the session with this unique name (one request where the API fetches by name, else every page).
    type: str
  status:
    description:
      - Only sessions in this status. V(open) and V(in-progress) both match every active session.
    type: str
    choices: [open, in-progress, closed, failed, unknown]
  mode:
    description:
      - Only sessions of this mode.
    type: str
    choices: [message-only, voice-only, voice-and-message]
  participants:
    description:
      - Also read the participants of each listed session (one more list request per session, every page) and
        return them under C(participants) of each session. The removed ones are left out.
    type: bool
    default: false
seealso:
  - module: community.twilio.proxy_session
  - module: community.twilio.proxy_sessions
'''

EXAMPLES = r'''
- name: Closed sessions of a service
  community.twilio.proxy_session_info:
    service_sid: rides-masking
    status: closed
  register: closed

- name: Every session of a service with its participants, in one task
  community.twilio.proxy_session_info:
    service_sid: rides-masking
    participants: true
  register: rides
'''

RETURN = r'''
sessions:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Passwords in URLs are masked.
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      unique_name: ride-4711
      status: open
      mode: voice-and-message
      ttl: 3600
      date_expiry: null
  contains:
    participants:
      description: The participants of the session, as the API returns them (not the removed ones).
      returned: when O(participants=true)
      type: list
      elements: dict
'''

from ansible_collections.community.twilio.plugins.module_utils._info import Reader, run_info_module
from ansible_collections.community.twilio.plugins.module_utils._kinds import redact
from ansible_collections.community.twilio.plugins.module_utils._resources import SESSION
from ansible_collections.community.twilio.plugins.module_utils._session import participants_of


class SessionReader(Reader):
    """The sessions, and with ``participants`` each one's participants (one list read per session)."""

    def execute(self, client):
        result = super(SessionReader, self).execute(client)
        if self.params.get('participants'):
            for record in result['sessions']:
                record['participants'] = redact(participants_of(
                    client, dict(service_sid=record['service_sid']), record['sid']))
        return result


def main():
    run_info_module(SESSION, ('unique_name', 'status', 'mode'), reader=SessionReader,
                    extra_spec=dict(participants=dict(type='bool', default=False)))


if __name__ == '__main__':
    main()
