#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_service_info
short_description: List Twilio Proxy Services
version_added: 0.1.0
description:
  - Read the Proxy Services of the account, all of them or those matching the filters.
  - This module never changes anything and reads every page of a list.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.attributes.INFO_MODULE
options:
  sid:
    description:
      - Only the service with this SID (one request).
    type: str
  unique_name:
    description:
      - Only the service with this unique name (one request where the API fetches by name, else every page).
    type: str
seealso:
  - module: community.twilio.proxy_service
'''

EXAMPLES = r'''
- name: All services of the account
  community.twilio.proxy_service_info:
  register: all_services

- name: One service by name
  community.twilio.proxy_service_info:
    unique_name: rides-masking
  register: rides

- name: Show its SID
  ansible.builtin.debug:
    msg: "{{ rides.services[0].sid }}"
'''

RETURN = r'''
services:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: list
  elements: dict
  sample:
    - sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      unique_name: rides-masking
      default_ttl: 3600
      geo_match_level: country
      number_selection_behavior: prefer-sticky
'''

from ansible_collections.community.twilio.plugins.module_utils._info import run_info_module
from ansible_collections.community.twilio.plugins.module_utils._resources import SERVICE


def main():
    run_info_module(SERVICE, ('unique_name',))


if __name__ == '__main__':
    main()
