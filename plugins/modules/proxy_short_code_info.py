#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_short_code_info
short_description: List the short codes in a Twilio Proxy Service's pool
version_added: 0.1.0
description:
  - Read the short codes of a service's pool, all of them or those matching the filters.
  - Twilio removed the ShortCodes resource from its API description and SDKs on 2025-07-03, saying it is no
    longer used; this module reads C(/v1/Services/{ServiceSid}/ShortCodes) as last documented, where the API
    still answers.
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
      - Only the short code with this SID (C(SC) followed by 32 hex digits).
    type: str
  is_reserved:
    description:
      - Only reserved (V(true)) or only unreserved (V(false)) short codes.
    type: bool
seealso:
  - module: community.twilio.proxy_short_code
'''

EXAMPLES = r'''
- name: Short codes of a pool
  community.twilio.proxy_short_code_info:
    service_sid: rides-masking
  register: short_codes
'''

RETURN = r'''
short_codes:
  description:
    - The matching records as the API returns them (snake_case fields as in Twilio's JSON), oldest first.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: list
  elements: dict
  sample:
    - sid: SCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      short_code: "89000"
      is_reserved: false
'''

from ansible_collections.community.twilio.plugins.module_utils._info import run_info_module
from ansible_collections.community.twilio.plugins.module_utils._resources import SHORT_CODE


def main():
    run_info_module(SHORT_CODE, ('is_reserved',))


if __name__ == '__main__':
    main()
