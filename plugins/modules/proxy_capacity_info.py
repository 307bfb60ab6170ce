#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_capacity_info
short_description: Report the headroom of Twilio Proxy number pools
version_added: 0.1.0
description:
  - For one Proxy Service, or every service of the account, report how much room its pool of numbers has left,
    and a verdict per service - V(ok), V(tight) or V(exhausted) - with the thresholds as options.
  - Only list pages are read - the services, each pool (100 numbers a page) and each service's sessions (100 a
    page) - and nothing per number or per session. A service of 400 numbers and 20,000 sessions costs 205
    requests.
  - "Twilio's limits: at most 500 unreserved and 5,000 reserved numbers per service, and about 100 active
    participants per number (each pool number's C(in_use)) at most. A participant gets a different proxy number in
    each of its concurrent sessions, so a pool needs at least as many unreserved numbers - of the participant's
    country - as the sessions one participant can be in at once (O(sessions_per_participant)). See the capacity
    guide, C(docs/guides/capacity.md)."
  - A pool is V(exhausted) when it has fewer unreserved numbers than O(sessions_per_participant), or fewer than
    the sum of C(in_use) divided by O(in_use_ceiling) - as a whole, and for each country of a pool with numbers
    of several countries. It is V(tight) when it has fewer than those numbers divided by O(tight_percent). Twilio
    then answers a new session's participant with error 80206, 80207 or 80203 (the guide says which lever fixes
    which).
  - The participants' own countries are not on the sessions' list pages; C(by_country) counts the pool's numbers
    and their C(in_use), which is what geo-matching by country pairs participants with.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.attributes.INFO_MODULE
options:
  service_sid:
    description:
      - The Proxy Service, by SID (C(KS) followed by 32 hex digits) or by unique name. Every service when omitted.
      - Either way the service is found on the services' list pages.
    type: str
  sessions_per_participant:
    description:
      - How many sessions one participant can be in at the same time (one customer's concurrent rides, orders or
        tickets). The pool needs at least this many unreserved numbers.
    type: int
    default: 1
  in_use_ceiling:
    description:
      - The most active participants a number should carry (Twilio recommends about 100).
    type: int
    default: 100
  tight_percent:
    description:
      - A pool using more than this share of what it can carry is V(tight) (1 to 100).
    type: int
    default: 80
  busiest:
    description:
      - How many of the busiest numbers to list per service (0 to 1000).
    type: int
    default: 5
seealso:
  - module: community.twilio.proxy_pool
  - module: community.twilio.incoming_phone_number
'''

EXAMPLES = r'''
- name: Headroom of one service, for customers in up to 3 sessions at once
  community.twilio.proxy_capacity_info:
    service_sid: rides-masking
    sessions_per_participant: 3
  register: capacity

- name: Fail early when a pool has run dry
  ansible.builtin.assert:
    that: capacity.services[0].verdict != 'exhausted'
    fail_msg: "{{ capacity.services[0].reasons | join('; ') }}"

- name: Every service of the account
  community.twilio.proxy_capacity_info:
  register: all_pools
'''

RETURN = r'''
services:
  description: The headroom of each service (oldest service first).
  returned: always
  type: list
  elements: dict
  contains:
    sid:
      description: The service's SID.
      type: str
    unique_name:
      description: The service's unique name.
      type: str
    geo_match_level:
      description: The service's geo-matching (what C(by_country) and C(by_area_code) are for).
      type: str
    verdict:
      description: V(ok), V(tight) or V(exhausted).
      type: str
    reasons:
      description: Why the verdict is not V(ok), one sentence per finding.
      type: list
      elements: str
    numbers_needed:
      description: Unreserved numbers to add for the verdict to be V(ok) (never past Twilio's limit of 500).
      type: int
    numbers:
      description: >-
        Numbers in the pool - C(total), C(unreserved), C(reserved) - against Twilio's limits
        (C(unreserved_limit), C(reserved_limit)) and the room left (C(unreserved_room), C(reserved_room)).
      type: dict
    in_use:
      description: >-
        C(sum) of the numbers' C(in_use) (C(unreserved_sum) over unreserved numbers), its C(max), the C(ceiling),
        the C(capacity) of the unreserved numbers (their count times the ceiling), the C(spare) and the
        C(percent) used, how many numbers are at or C(over_ceiling), and the C(busiest) numbers.
      type: dict
    by_country:
      description: Per ISO country, the pool's C(numbers), C(unreserved) numbers and their C(in_use).
      type: dict
    by_area_code:
      description: Per North American area code, the pool's numbers (what area-code geo-matching uses).
      type: dict
    sessions:
      description: The service's C(open) (open or in progress) and C(listed) sessions.
      type: dict
  sample:
    - sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      unique_name: rides-masking
      geo_match_level: country
      verdict: tight
      reasons:
        - "the pool: 3 unreserved number(s), under 80% headroom for 3 session(s) per participant and 12 active
          participant(s)"
      numbers_needed: 1
      numbers: {total: 3, unreserved: 3, reserved: 0, unreserved_limit: 500, reserved_limit: 5000,
                unreserved_room: 497, reserved_room: 5000}
      in_use: {sum: 12, unreserved_sum: 12, max: 4, ceiling: 100, capacity: 300, spare: 288, percent: 4.0,
               over_ceiling: 0, busiest: [{sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, phone_number: "+14155550100",
                                           in_use: 4, is_reserved: false}]}
      by_country: {US: {numbers: 3, unreserved: 3, in_use: 12}}
      by_area_code: {"415": 3}
      sessions: {open: 12, listed: 30}
'''

from ansible_collections.community.twilio.plugins.module_utils._capacity import run_capacity_module


def main():
    run_capacity_module()


if __name__ == '__main__':
    main()
