#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_participant_info
short_description: List the Participants of a Twilio Proxy Session
version_added: 0.1.0
description:
  - Read the Participants of a Session, with the proxy number each was given.
  - Removed participants (soft-deleted, with C(date_deleted) set) are left out unless O(include_deleted=true).
  - This module never changes anything and reads every page of a list.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents.SESSION
  - community.twilio.attributes.INFO_MODULE
options:
  sid:
    description:
      - Only the participant with this SID (C(KP) followed by 32 hex digits).
    type: str
  identifier:
    description:
      - Only the participant with this identifier (an E.164 number or a channel address such as C(messenger:123)).
    type: str
  include_deleted:
    description:
      - Also list participants that were removed from the session. Twilio keeps them, and their identifiers can
        never join that session again.
    type: bool
    default: false
seealso:
  - module: community.twilio.proxy_participant
'''

EXAMPLES = r'''
- name: Who talks through which proxy number
  community.twilio.proxy_participant_info:
    service_sid: rides-masking
    session_sid: ride-4711
  register: people

- name: Show the masked numbers
  ansible.builtin.debug:
    msg: "{{ people.participants | items2dict(key_name='identifier', value_name='proxy_identifier') }}"
'''

RETURN = r'''
participants:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      identifier: "+14155550123"
      friendly_name: Alice
      proxy_identifier: "+14155550100"
      proxy_identifier_sid: PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      date_deleted: null
'''

from ansible_collections.community.twilio.plugins.module_utils._info import run_info_module
from ansible_collections.community.twilio.plugins.module_utils._resources import PARTICIPANT


def main():
    run_info_module(PARTICIPANT, ('identifier',))  # include_deleted: PARTICIPANT is soft-deleted


if __name__ == '__main__':
    main()
