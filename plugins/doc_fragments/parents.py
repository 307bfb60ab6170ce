# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The parent option of a resource inside a Proxy Service (community.twilio.parents).
    DOCUMENTATION = r'''
options:
  service_sid:
    description:
      - The Proxy Service, by its SID (C(KS) followed by 32 hex digits) or by its unique name.
      - A SID costs no request; a unique name costs one look-up (one request where the API fetches by name).
    type: str
    required: true
'''

    # The parent options of a resource inside a Session (community.twilio.parents.SESSION).
    SESSION = r'''
options:
  service_sid:
    description:
      - The Proxy Service of the session, by its SID (C(KS) followed by 32 hex digits) or by its unique name.
      - A SID costs no request; a unique name costs one look-up (one request where the API fetches by name).
    type: str
    required: true
  session_sid:
    description:
      - The Session, by its SID (C(KC) followed by 32 hex digits) or by its unique name within the service.
      - A SID costs no request; a unique name costs one look-up (one request where the API fetches by name).
    type: str
    required: true
'''
