#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_phone_number_info
short_description: List the phone numbers in a Twilio Proxy Service's pool
version_added: 0.1.0
description:
  - Read the proxy numbers of a service's pool, all of them or those matching the filters.
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
      - Only the number with this SID (C(PN) followed by 32 hex digits).
    type: str
  phone_number:
    description:
      - Only this number, in E.164 (punctuation such as spaces and dashes is removed first).
    type: str
  is_reserved:
    description:
      - Only reserved (V(true)) or only unreserved (V(false)) numbers.
    type: bool
seealso:
  - module: community.twilio.proxy_phone_number
'''

EXAMPLES = r'''
- name: The reserved numbers of a pool, with how many open sessions use each
  community.twilio.proxy_phone_number_info:
    service_sid: rides-masking
    is_reserved: true
  register: reserved

- name: Numbers still in use
  ansible.builtin.debug:
    msg: "{{ reserved.phone_numbers | selectattr('in_use', 'gt', 0) | map(attribute='phone_number') | list }}"
'''

RETURN = r'''
phone_numbers:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: list
  elements: dict
  sample:
    - sid: PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      phone_number: "+14155550100"
      is_reserved: false
      in_use: 2
      iso_country: US
'''

from ansible_collections.community.twilio.plugins.module_utils._info import run_info_module
from ansible_collections.community.twilio.plugins.module_utils._resources import PHONE_NUMBER


def main():
    run_info_module(PHONE_NUMBER, ('phone_number', 'is_reserved'))


if __name__ == '__main__':
    main()
