#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_interaction_info
short_description: List the Interactions of a Twilio Proxy Session
version_added: 0.1.0
description:
  - Read the Interactions (messages and calls) of a Session.
  - Interaction C(data) holds message bodies and is personal data; Twilio deletes it after 30 days.
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
      - Only the interaction with this SID (C(KI) followed by 32 hex digits).
    type: str
  type:
    description:
      - Only interactions of this type.
    type: str
    choices: [message, voice, unknown]
seealso:
  - module: community.twilio.proxy_session
'''

EXAMPLES = r'''
- name: The messages of a session
  community.twilio.proxy_interaction_info:
    service_sid: rides-masking
    session_sid: ride-4711
    type: message
  register: messages
'''

RETURN = r'''
interactions:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KIaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      type: message
      data: '{"body": "I am at the corner"}'
      inbound_resource_status: received
'''

from ansible_collections.community.twilio.plugins.module_utils._info import run_info_module
from ansible_collections.community.twilio.plugins.module_utils._resources import INTERACTION


def main():
    run_info_module(INTERACTION, ('type',))


if __name__ == '__main__':
    main()
