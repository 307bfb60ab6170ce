# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Attributes of a module that changes a Twilio Proxy resource.
    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - Check mode makes the same read requests as a real run and no write request. The returned object is the
        predicted one, without server-assigned values such as a new SID.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - On a create or an update, the diff holds only the keys that change. On a delete, C(before) holds the
        resource as it was found. Secrets in URLs are masked; a change to one shows in C(after), which then
        ends with C(changed) and the names of the parts that changed (C(password), C(token)), never their values.
  action_group:
    description: Use C(group/community.twilio.proxy) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - community.twilio.proxy
'''

    # Attributes of a read-only _info module.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - This module only reads; it behaves the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details:
      - This module never changes anything.
  action_group:
    description: Use C(group/community.twilio.proxy) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - community.twilio.proxy
'''
