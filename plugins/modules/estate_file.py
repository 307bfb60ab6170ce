#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: estate_file
short_description: Read or write a Twilio Proxy estate file as data, on the controller
version_added: 0.1.0
description:
  - The reader and the writer of the estate file of the P(community.twilio.estate#role) role; the role's
    V(export) and V(converge) entry points use it, and it can be used on its own.
  - The file is written from data, never from a text template, and read by a YAML loader that never templates;
    no value in it, or read from Twilio, is ever evaluated as Jinja, on any ansible-core. What it reads is returned
    marked unsafe.
  - Strings are written double-quoted, as UTF-8 text (emoji, CJK and right-to-left text as themselves; line breaks
    and control characters escaped), values in comments the same way. The same estate always gives the same bytes
    (services, numbers, short codes, sessions and participants are sorted), and an unchanged file is not written.
  - This is an action plugin that runs on the controller, whatever host the task is for; it sends no request to
    Twilio and takes no connection option.
author:
  - Community Twilio maintainers (@community-twilio)
options:
  path:
    description:
      - The estate file on the controller. A relative path is relative to the directory C(ansible-playbook) was
        run from (not to the playbook's directory).
      - Written with mode C(0600), replacing the file as a whole.
    type: path
    required: true
  services:
    description:
      - When given, the file is written from these, as the role's V(export) reads them; else the file is read.
      - Each item has C(service) (a record of M(community.twilio.proxy_service_info)), C(phone_numbers) and
        C(short_codes) (records of M(community.twilio.proxy_phone_number_info) and
        M(community.twilio.proxy_short_code_info); C(short_codes=null) when Twilio did not answer for them, with
        the HTTP status in C(short_codes_status)), and C(sessions) (records of
        M(community.twilio.proxy_session_info) with O(community.twilio.proxy_session_info#module:participants=true)).
      - "A callback URL with a password (or any user-info, or a credential-like query parameter) is left out, with a
        comment saying how to give it from a variable by name (C({var: NAME}))."
    type: list
    elements: dict
  include_sessions:
    description:
      - Write the C(sessions) of each service.
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - In check mode the file is not written; C(changed) says whether it would be.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on
      the controller.
    support: full
seealso:
  - module: community.twilio.proxy_service_info
'''

EXAMPLES = r'''
- name: Read a service
  community.twilio.proxy_service_info:
    unique_name: rides-masking
  register: svc

- name: Read its pool
  community.twilio.proxy_phone_number_info:
    service_sid: rides-masking
  register: pool

- name: Write them as an estate file (relative to the directory ansible-playbook ran from; values written as data)
  community.twilio.estate_file:
    path: estate.yml
    services:
      - service: "{{ svc.services[0] }}"
        phone_numbers: "{{ pool.phone_numbers }}"
        short_codes: []

- name: Read an estate file as data (nothing in it is ever templated)
  community.twilio.estate_file:
    path: estate.yml
  register: estate

- name: Converge its services with the role
  ansible.builtin.include_role:
    name: community.twilio.estate
    tasks_from: converge
  vars:
    estate_data: "{{ estate.estate }}"
'''

RETURN = r'''
path:
  description: The file's absolute path on the controller.
  returned: always
  type: str
  sample: /home/ops/estates/estate.yml
estate:
  description: What the file holds (when read), marked unsafe.
  returned: when O(services) is not given
  type: dict
  sample:
    missing_sessions: skip
    services:
      - unique_name: rides-masking
        default_ttl: 3600
        pool: {purge: false, phone_numbers: [{phone_number: "+14155550100", is_reserved: false}]}
'''
