#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: incoming_phone_number
short_description: Buy, update and release the phone numbers of a Twilio account
version_added: 0.1.0
description:
  - Manage the account's own phone numbers (Twilio's C(IncomingPhoneNumbers), API version 2010-04-01), the
    numbers a Proxy Service's pool is made of.
  - "One number, by O(phone_number) or O(sid): with O(state=present) the module buys it when the account does not
    own it (by O(phone_number) only; a number is never bought by SID) and converges O(friendly_name),
    O(address_sid) and O(bundle_sid); with O(state=absent) it releases it."
  - A release is refused, before any write, while the number is in a Proxy Service's pool (the message names the
    service), unless O(force=true). Take it out of the pool first with M(community.twilio.proxy_pool) or
    M(community.twilio.proxy_phone_number). Finding the pool costs the services' list and one request per service.
  - "The O(count) form: at least O(count) numbers of the account carry the O(friendly_name) given (the tag); the
    missing ones are searched among Twilio's available numbers with O(country), O(type), O(area_code),
    O(contains) and O(capabilities), and bought with the tag, O(address_sid) and O(bundle_sid). All of them are
    found on offer before the first purchase: when too few are, nothing is bought. Numbers are counted by tag
    only, whatever their country or area code."
  - A purchase whose outcome is unknown (a timeout, a dropped connection, a Twilio 5xx) is looked up by its
    number before it is sent again, so a number is never bought twice.
  - Many countries need an address (O(address_sid); Twilio error 21631) or an approved regulatory bundle
    (O(bundle_sid); error 21649) for a purchase. When the numbers on offer say they need an address and neither
    is given, the task fails before any purchase.
  - Buying a number costs money on a real account. Check mode searches and shows the numbers it would buy
    (RV(purchased)) and buys nothing.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.attributes
options:
  phone_number:
    description:
      - The number, in E.164 (V(+14155550100); spaces, dashes and brackets are removed). Quote it in YAML.
      - With O(state=present), a number the account does not own is bought.
    type: str
  sid:
    description:
      - The number's SID (C(PN) followed by 32 hex digits). It must be a number the account owns.
    type: str
  state:
    description:
      - V(present) to own the number (buy it if needed), V(absent) to release it.
    type: str
    choices: [present, absent]
    default: present
  friendly_name:
    description:
      - The number's friendly name (64 characters at most). With O(count), the tag the counted numbers carry
        (required there).
    type: str
  address_sid:
    description:
      - The SID of an address registered with Twilio (C(AD) followed by 32 hex digits), for countries that need
        one. V("") clears it on an owned number.
    type: str
  bundle_sid:
    description:
      - The SID of an approved regulatory bundle (C(BU) followed by 32 hex digits), for countries that need one.
        V("") clears it on an owned number.
    type: str
  count:
    description:
      - At least this many numbers of the account carry O(friendly_name); the missing ones are bought (0 to 500).
      - Only with O(state=present); not with O(phone_number) or O(sid).
    type: int
  country:
    description:
      - With O(count), the ISO 3166 country of the numbers to buy, in capitals.
    type: str
    default: US
  type:
    description:
      - With O(count), the kind of number to buy.
    type: str
    choices: [local, mobile, toll_free]
    default: local
  area_code:
    description:
      - With O(count), the North American area code of the numbers to buy (three digits).
    type: str
  contains:
    description:
      - With O(count), a pattern the numbers to buy contain (digits, letters for the keypad's, C(*) for any
        digit), as Twilio's search takes it.
    type: str
  capabilities:
    description:
      - With O(count), what the numbers to buy must be able to do.
    type: list
    elements: str
    choices: [mms, sms, voice]
  force:
    description:
      - Release the number even while it is in a Proxy Service's pool (Twilio takes it out of the pool, and the
        sessions using it lose their proxy number).
    type: bool
    default: false
seealso:
  - module: community.twilio.proxy_capacity_info
  - module: community.twilio.proxy_pool
  - name: Twilio IncomingPhoneNumber resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource
'''

EXAMPLES = r'''
- name: At least 10 numbers in area code 415 tagged for the rides pool (buys the missing ones)
  community.twilio.incoming_phone_number:
    count: 10
    friendly_name: proxy-pool-rides
    country: US
    area_code: "415"
    capabilities: [sms, voice]
  register: rides_numbers

- name: Then in the pool
  community.twilio.proxy_pool:
    service_sid: rides-masking
    phone_numbers: "{{ rides_numbers.phone_numbers | map(attribute='phone_number') | list }}"

- name: Buy one UK number, with the address Twilio needs for it
  community.twilio.incoming_phone_number:
    phone_number: "+442079460123"
    friendly_name: london-desk
    address_sid: ADaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

- name: Release a number (refused while it is in a Proxy pool)
  community.twilio.incoming_phone_number:
    phone_number: "+14155550100"
    state: absent
'''

RETURN = r'''
phone_number:
  description:
    - With O(phone_number) or O(sid), the number as the API returned it after the change (as predicted in check
      mode, with C(sid) null for a purchase); an empty dict when released or absent.
  returned: when O(count) is not given
  type: dict
  sample:
    sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    phone_number: "+14155550100"
    friendly_name: proxy-pool-rides
    address_sid: null
    bundle_sid: null
phone_numbers:
  description:
    - With O(count), every number carrying the tag (C(sid), C(phone_number), C(friendly_name), C(address_sid),
      C(bundle_sid)), the ones bought included (their C(sid) null in check mode).
  returned: when O(count) is given
  type: list
  elements: dict
purchased:
  description: The numbers bought (in check mode, the numbers that would be bought), in E.164.
  returned: always
  type: list
  elements: str
  sample: ["+14155550705"]
released:
  description: The number released (in check mode, that would be released), in E.164.
  returned: when O(count) is not given
  type: list
  elements: str
'''

from ansible_collections.community.twilio.plugins.module_utils._numbers import run_number_module


def main():
    run_number_module()


if __name__ == '__main__':
    main()
