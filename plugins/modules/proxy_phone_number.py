#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_phone_number
short_description: Manage the phone numbers in a Twilio Proxy Service's number pool
version_added: 0.1.0
description:
  - Add a phone number the account owns to a Proxy Service's pool, mark it reserved or not, and remove it.
  - Only O(is_reserved) can change in place. Twilio cannot change the number of a pool entry; to swap numbers,
    remove one and add the other.
  - A number belongs to one Proxy Service at most. Adding a number that is in another service fails with
    Twilio's error 80601; the module never moves a number between services.
  - The number is found by O(sid) when given (one request), else by O(phone_number). Twilio's list of a pool
    has no filter, so a look-up by O(phone_number) reads every page of the pool (100 numbers a page).
  - With O(state=absent), O(drain=true) removes a number only once no open session uses it, see O(drain).
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.parents
  - community.twilio.attributes
options:
  state:
    description:
      - V(present) adds the number to the pool or converges O(is_reserved); V(absent) removes it from the pool
        (the account keeps the number).
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The SID of the phone number (C(PN) followed by 32 hex digits). It is the SID of the account's
        IncomingPhoneNumber, the same inside and outside the pool.
      - With O(state=present), a number not yet in the pool is added by this SID.
      - One of O(sid) and O(phone_number) is required. When both are given, O(phone_number) must be the number
        of O(sid); a different one is an error naming O(phone_number).
    type: str
  phone_number:
    description:
      - The phone number in E.164 format, such as V(+14155550100).
      - Spaces, dots, dashes, slashes and brackets are dropped, so V(+1 (415\) 555-0100) is accepted; anything
        that is still not a V(+) followed by 2 to 15 digits fails before any request. A number without its
        country code (V(4155550100)) is refused rather than guessed.
      - One of O(sid) and O(phone_number) is required.
    type: str
  is_reserved:
    description:
      - Whether the number is reserved. Twilio's pool selection never gives a reserved number to a new
        participant; it is used only when a participant names it (C(proxy_identifier)).
      - Twilio allows at most 500 unreserved and 5000 reserved numbers in one service.
      - When omitted, an existing number keeps its setting and a new one is added unreserved.
    type: bool
  drain:
    description:
      - Only with O(state=absent). When V(true), the number is first marked reserved (so that no new session
        gets it), then the module waits until no open session uses it (its C(in_use) count is V(0)), then
        removes it.
      - If sessions still use the number after O(drain_timeout) seconds, the module fails, saying how many; the
        number stays in the pool, reserved, and a later run can try again.
      - When V(false), the number is removed at once, even from under open sessions; when open sessions use it
        (C(in_use) above 0), a warning says so, naming it, in check mode and for real.
      - In check mode nothing is written and nothing waited for; the diff shows the reservation and the
        removal, and a warning says how many sessions use the number now.
    type: bool
    default: false
  drain_timeout:
    description:
      - With O(drain=true), how long to wait for the sessions using the number to end, in seconds.
      - V(0) checks once.
    type: int
    default: 300
  drain_poll_interval:
    description:
      - With O(drain=true), the seconds between two reads of the number while waiting.
    type: int
    default: 10
notes:
  - Twilio's Proxy is in Public Beta and closed to new customers.
seealso:
  - module: community.twilio.proxy_service
  - module: community.twilio.proxy_short_code
  - module: community.twilio.proxy_session
  - name: Twilio Proxy PhoneNumber resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/proxy/api/phone-number
'''

EXAMPLES = r'''
- name: Add a number the account owns to a service's pool, by its E.164 number
  community.twilio.proxy_phone_number:
    service_sid: rides-masking
    phone_number: "+1 (415) 555-0100"

- name: Add a number by its SID, reserved for participants that name it
  community.twilio.proxy_phone_number:
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    is_reserved: true
  register: pool_number

- name: Take a number out of the pool once its open sessions have ended (at most 10 minutes)
  community.twilio.proxy_phone_number:
    service_sid: rides-masking
    phone_number: "+14155550100"
    state: absent
    drain: true
    drain_timeout: 600
    drain_poll_interval: 15

- name: Remove a number at once, even if sessions use it
  community.twilio.proxy_phone_number:
    service_sid: rides-masking
    sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    state: absent
'''

RETURN = r'''
phone_number:
  description:
    - The pool entry as the API returned it after the change, or as predicted in check mode (then only the given
      options and the SID, if given, are known). An empty dict when the number is not in the pool.
    - On a drain timeout, the entry as last read (reserved, with its C(in_use) count).
  returned: always
  type: dict
  sample:
    sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
    account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    phone_number: '+14155550100'
    friendly_name: (415) 555-0100
    iso_country: US
    capabilities:
      sms_inbound: true
      sms_outbound: true
      voice_inbound: true
      voice_outbound: true
    is_reserved: false
    in_use: 0
    date_created: '2026-11-27T04:01:50Z'
    date_updated: '2026-11-27T04:01:50Z'
    url: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers/PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
in_use:
  description: On a drain timeout, the number of open sessions that still use the number.
  returned: when a drain timed out
  type: int
  sample: 2
done:
  description:
    - When the module fails after it has written something, what it wrote (then C(changed) is V(true)), in order.
  returned: on a failure after a write
  type: list
  elements: str
  sample:
    - removed participant +14155550101 (KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) from Proxy Session KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 400
    code: 80601
    message: 'Phone Number Not Available: +14155550100 is already associated with another Proxy Service.'
    more_info: https://www.twilio.com/docs/errors/80601
    method: POST
    url: /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers
    attempts: 1
'''

import time

from ansible_collections.community.twilio.plugins.module_utils._drain import (
    DRAIN_OPTIONS, busy_warning, drain, in_use, validate_drain)
from ansible_collections.community.twilio.plugins.module_utils._engine import (
    Engine, EngineError, form_data, run_module)
from ansible_collections.community.twilio.plugins.module_utils._resources import PHONE_NUMBER


class PhoneNumberEngine(Engine):
    """The engine, plus draining (_drain.drain, shared with proxy_pool): reserve, wait until no open session uses
    the number, then delete."""

    sleep = staticmethod(time.sleep)
    clock = staticmethod(time.monotonic)

    def validate(self):
        desired = super(PhoneNumberEngine, self).validate()
        validate_drain(self.params)
        return desired

    def plan_delete(self, parent_sids, current):
        """The engine's removal, with what a drain adds: the reservation in the diff, the waits in warnings."""
        plan = super(PhoneNumberEngine, self).plan_delete(parent_sids, current)
        if current is None:
            return plan
        if not self.params['drain']:
            if in_use(current):  # check mode and real runs alike, before the removal
                self.warnings.append(busy_warning([current]))
            return plan
        if self.check_mode and in_use(current):
            self.warnings.append('%s is in use by %d open session(s); a real run would reserve it and wait up to '
                                 '%d seconds for them to end before removing it'
                                 % (current.get('phone_number') or current['sid'], in_use(current),
                                    self.params['drain_timeout']))
        if not current.get('is_reserved'):
            plan.after['is_reserved'] = True  # the reservation that comes before the removal
        return plan

    def delete(self, parent_sids, current):
        """A real removal with drain first reserves the number and waits until no open session uses it."""
        if self.params['drain'] and not self.check_mode:
            self.drain_first(parent_sids, current)
        super(PhoneNumberEngine, self).delete(parent_sids, current)

    def drain_first(self, parent_sids, current):
        sid = current['sid']
        name = current.get('phone_number') or sid
        uri = self.resource.instance_uri(parent_sids, sid)
        timeout = self.params['drain_timeout']

        def reserve(key, record):
            return self.write('update', uri, form_data(self.resource, dict(is_reserved=True)),
                              'reserved %s to drain it' % name)

        drained = drain({sid: current}, timeout, self.params['drain_poll_interval'], reserve,
                        lambda keys: {sid: self.client.fetch(uri)}, clock=self.clock, sleep=self.sleep)
        if sid in drained.failed:
            raise drained.failed[sid]
        if drained.error is not None:
            raise drained.error
        if sid in drained.busy:
            record = drained.busy[sid]
            raise EngineError(
                '%s is still in use by %d open session(s) after waiting %d seconds; it was not removed and '
                'stays in the pool, reserved, so that no new session gets it. Close those sessions or run '
                'again with a longer drain_timeout' % (name, in_use(record), timeout),
                changed=bool(drained.reserved), in_use=in_use(record), phone_number=record)
        # ready, or removed meanwhile by someone else (gone): the engine deletes it (a 404 is fine)


def main():
    run_module(PHONE_NUMBER, engine=PhoneNumberEngine, extra_spec=DRAIN_OPTIONS,
               required_one_of=[['sid', 'phone_number']])


if __name__ == '__main__':
    main()
