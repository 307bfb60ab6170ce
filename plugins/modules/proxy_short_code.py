#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_short_code
short_description: Manage the short codes in a Twilio Proxy Service's pool (a resource Twilio no longer documents)
version_added: 0.1.0
description:
  - Add a short code the account owns to a Proxy Service, mark it reserved or not, and remove it.
  - Only O(is_reserved) can change in place.
  - B(What Twilio says about this resource.) Twilio removed the Proxy ShortCodes resource from its API
    description and its helper libraries on 2025-07-03 (twilio-oai 2.3.4, twilio-python 9.6.4), with the note
    "remove shortcodes resource as its no longer used". Twilio's Proxy documentation now speaks of phone numbers
    only. Twilio has not said whether C(/v1/Services/{ServiceSid}/ShortCodes) still answers on the live API.
  - This module drives that endpoint as the last published description (2025-06-12) defined it, through the
    collection's generic request path, not through a class of the twilio SDK (which has none any more). Prefer
    M(community.twilio.proxy_phone_number) for new work; use this module to manage or remove short codes that
    existing services still hold.
  - A short code belongs to one Proxy Service at most (Twilio error 80601); one the account does not own is
    Twilio error 80303.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes
options:
  state:
    description:
      - V(present) adds the short code to the service or converges O(is_reserved); V(absent) removes it from
        the service (the account keeps the short code).
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The SID of the short code (C(SC) followed by 32 hex digits), as the account's short codes list it.
      - It identifies the short code; with O(state=present) a short code not yet in the service is added.
    type: str
    required: true
  is_reserved:
    description:
      - Whether the short code is reserved. Proxy's pool selection does not give a reserved short code to a new
        participant.
      - When omitted, an existing short code keeps its setting and a new one is added unreserved.
    type: bool
notes:
  - Twilio's Proxy is in Public Beta and closed to new customers.
seealso:
  - module: community.twilio.proxy_service
  - module: community.twilio.proxy_phone_number
  - name: Twilio's change log entry removing the resource
    description: twilio-oai 2.3.4, "Proxy - remove shortcodes resource as its no longer used".
    link: https://github.com/twilio/twilio-oai/blob/main/CHANGES.md
'''

EXAMPLES = r'''
- name: Add a short code the account owns to a service
  community.twilio.proxy_short_code:
    service_sid: rides-masking
    sid: SCcccccccccccccccccccccccccccccccc

- name: Reserve it
  community.twilio.proxy_short_code:
    service_sid: rides-masking
    sid: SCcccccccccccccccccccccccccccccccc
    is_reserved: true

- name: Remove it from the service
  community.twilio.proxy_short_code:
    service_sid: rides-masking
    sid: SCcccccccccccccccccccccccccccccccc
    state: absent
'''

RETURN = r'''
short_code:
  description:
    - The short code entry as the API returned it after the change, or as predicted in check mode. An empty dict
      when the short code is not in the service.
  returned: always
  type: dict
  sample:
    sid: SCcccccccccccccccccccccccccccccccc
    account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    short_code: '89000'
    iso_country: US
    capabilities:
      sms_inbound: true
      sms_outbound: true
    is_reserved: false
    date_created: '2026-11-27T04:01:50Z'
    date_updated: '2026-11-27T04:01:50Z'
    url: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/ShortCodes/SCcccccccccccccccccccccccccccccccc
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 400
    code: 80303
    message: Short Code Sid is not associated with your Account.
    more_info: https://www.twilio.com/docs/errors/80303
    method: POST
    url: /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/ShortCodes
    attempts: 1
'''

from ansible_collections.community.twilio.plugins.module_utils._engine import run_module
from ansible_collections.community.twilio.plugins.module_utils._resources import SHORT_CODE


def main():
    run_module(SHORT_CODE)  # no natural key: the engine makes sid required


if __name__ == '__main__':
    main()
