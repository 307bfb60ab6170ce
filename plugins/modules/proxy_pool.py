#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_pool
short_description: Manage a Twilio Proxy Service's whole pool of numbers and short codes in one task
version_added: 0.1.0
description:
  - Declare the phone numbers and short codes of a Proxy Service's pool in one task. The module reads each list
    it manages once (every page, 100 entries a page) and then makes only the writes needed - adds,
    O(phone_numbers[].is_reserved) changes and, with O(purge=true), removals.
  - A list that is not given is not managed, not read and not returned. A given list, even empty, is managed.
  - Without O(purge), entries of the pool that are not listed are kept. With O(purge=true) they are removed from
    the pool. A number or short code is only ever taken out of the Proxy pool, never released from the account.
  - Numbers are found as M(community.twilio.proxy_phone_number) finds them (by SID or by E.164, normalised the
    same way), and removed the same way (O(drain)), so both modules can be used on one service.
  - Writes are paced to at most 25 a second (in bursts of at most 5), under Twilio's 30 requests per second per
    endpoint; the client's retries of HTTP 429 (with backoff, honouring C(Retry-After)) remain the safety net.
    Adding 500 numbers therefore takes about 20 seconds.
  - Bad input fails before any request, naming the option and the item - a malformed E.164 number or SID, an
    entry listed twice (after E.164 normalisation, or by SID and by number in one item), more than 500 unreserved
    or 5000 reserved numbers listed. Limits that depend on the live pool (numbers kept unlisted without
    O(purge)) fail after the read and before any write; so does a number listed twice, once by SID and once by
    E.164, when it is already in the pool.
  - A list read that did not complete (a page refused after the client's retries) fails the task before any
    write; nothing is removed on a partial view of the pool. So does a list whose pages disagree - an entry
    listed twice, a page repeated, a page without its list or with fewer entries than its page size while
    another page follows.
  - A write whose answer is lost (a dropped connection, a server error after Twilio acted) is settled by reading
    the entry again before it is reported; one that no read can settle fails the task with C(changed=true), and
    RV(failures) names it with C(outcome=unknown). An add refused because the pool already holds the number
    (another run added it meanwhile, Twilio's 80104) counts as done, with a warning, so that two identical runs
    at once both succeed. An entry a removal finds already gone (HTTP 404) is not reported as removed; a warning
    names it.
  - In check mode, the numbers added by E.164 are looked up in the account's own numbers, at one more request
    for the run (the account's list filtered by the number when one is added, else its first page of 1000 when
    that is the whole list; not with an API key given without O(account_sid)); one the account does not own fails
    the task as the real run would (Twilio's 80601).
  - Removing numbers that open sessions use (C(in_use) above 0) without O(drain) warns, naming them, in check
    mode and for real.
  - When some writes fail (for example Twilio's error 80601 for a number in another service or not owned by the
    account), the others still go ahead; the task then fails and reports what was done (RV(added),
    RV(removed), RV(updated)) and what was not (RV(failures), with Twilio's error per item). A re-run retries what
    is left. An error that would fail every following write too (no response, bad credentials, HTTP 429 after the
    retries, a Twilio 5xx) stops the writes; the rest is reported as not attempted.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.attributes
options:
  service_sid:
    description:
      - The Proxy Service, by SID (C(KS) followed by 32 hex digits) or by unique name.
      - A unique name costs one more request than a SID.
    type: str
    required: true
  phone_numbers:
    description:
      - The phone numbers of the pool. Each item is an E.164 string such as V(+14155550100) (or a C(PN) SID), or
        a dict with O(phone_numbers[].phone_number) or O(phone_numbers[].sid) (or both) and an optional
        O(phone_numbers[].is_reserved).
      - E.164 numbers are normalised as M(community.twilio.proxy_phone_number) does; quote them in YAML
        (V("+14155550100")), which otherwise reads an unquoted V(+14155550100) as an integer.
      - Twilio allows at most 500 unreserved and 5000 reserved numbers in one service.
    type: list
    elements: raw
    suboptions:
      phone_number:
        description: The number in E.164 format.
        type: str
      sid:
        description:
          - The SID of the number (C(PN) followed by 32 hex digits), the same inside and outside the pool.
          - With O(phone_numbers[].phone_number) too, they must name the same number.
        type: str
      is_reserved:
        description:
          - Whether the number is reserved (Proxy's pool selection gives a reserved number to no new participant).
          - When omitted, a number in the pool keeps its setting and a new one is added unreserved.
        type: bool
  short_codes:
    description:
      - The short codes of the pool. Each item is a short code SID (C(SC) followed by 32 hex digits), or a dict
        with O(short_codes[].sid) and an optional O(short_codes[].is_reserved).
      - Twilio removed the ShortCodes resource from its API description on 2025-07-03, see
        M(community.twilio.proxy_short_code); leave this option out to leave short codes alone (and unread).
    type: list
    elements: raw
    suboptions:
      sid:
        description: The SID of the short code.
        type: str
      is_reserved:
        description: Whether the short code is reserved; when omitted, an entry keeps its setting.
        type: bool
  purge:
    description:
      - Remove from the pool the entries of a managed list that are not listed.
      - Removal takes an entry out of the Proxy Service only; the account keeps the number or short code.
    type: bool
    default: false
  drain:
    description:
      - For the numbers O(purge) removes. When V(true), they are first marked reserved (so that no new session
        gets them), then the module waits until no open session uses each one (its C(in_use) count is V(0)),
        then removes it - as M(community.twilio.proxy_phone_number) does with
        O(community.twilio.proxy_phone_number#module:state=absent) and
        O(community.twilio.proxy_phone_number#module:drain=true).
      - The numbers drain together, under one O(drain_timeout). A number still in use when it expires is not
        removed; it stays in the pool, reserved, and is reported in RV(failures) with its C(in_use) count; the task
        fails and a later run can try again.
      - When V(false), numbers are removed at once, even from under open sessions.
      - In check mode nothing is written and nothing waited for; a warning says which numbers are in use.
      - A number counts as removed only once it is gone from the pool; one that a re-read misses is read on its
        own before it is taken for gone.
      - Short codes have no C(in_use) count and are removed at once.
    type: bool
    default: false
  drain_timeout:
    description:
      - With O(drain=true), how long to wait for the sessions using the numbers to end, in seconds. V(0) checks
        once.
    type: int
    default: 300
  drain_poll_interval:
    description:
      - With O(drain=true), the seconds between two reads while waiting (the numbers one by one, or the whole
        list when that is fewer requests).
    type: int
    default: 10
notes:
  - Twilio's Proxy is in Public Beta and closed to new customers.
  - The diff shows each entry that changes on one line, as V(absent), V(reserved) or V(unreserved) before and
    after, named by its E.164 number (or its SID when only the SID is known).
seealso:
  - module: community.twilio.proxy_phone_number
  - module: community.twilio.proxy_short_code
  - module: community.twilio.proxy_phone_number_info
  - name: Twilio Proxy limits
    description: The pool limits (500 unreserved, 5000 reserved numbers) and the 30 requests per second.
    link: https://www.twilio.com/docs/proxy/proxy-limits
'''

EXAMPLES = r'''
- name: Exactly these numbers and this short code in the pool; anything else is taken out of it
  community.twilio.proxy_pool:
    service_sid: rides-masking
    phone_numbers:
      - "+14155550100"
      - "+1 (415) 555-0101"
      - sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
      - phone_number: "+14155550102"
        is_reserved: true
    short_codes:
      - SCcccccccccccccccccccccccccccccccc
    purge: true

- name: Add numbers from a variable, leaving the rest of the pool alone
  community.twilio.proxy_pool:
    service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    phone_numbers: "{{ pool_numbers }}"

- name: Retire numbers once their open sessions have ended (at most 10 minutes)
  community.twilio.proxy_pool:
    service_sid: rides-masking
    phone_numbers: "{{ pool_numbers | difference(retired_numbers) }}"
    purge: true
    drain: true
    drain_timeout: 600
  register: pool

- name: Show what changed
  ansible.builtin.debug:
    msg: "added {{ pool.added.phone_numbers | length }}, removed {{ pool.removed.phone_numbers | length }}"
'''

RETURN = r'''
phone_numbers:
  description:
    - The numbers in the pool after the task, as the API returned them (the list read, with the responses of
      the writes). In check mode, as predicted; a new entry then has only what was given (its SID is V(null)
      when it was given by E.164).
  returned: when O(phone_numbers) is given
  type: list
  elements: dict
  sample:
    - sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
      account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      service_sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      phone_number: '+14155550100'
      friendly_name: (415) 555-0100
      iso_country: US
      capabilities: {sms_inbound: true, voice_inbound: true}
      is_reserved: false
      in_use: 0
      date_created: '2026-11-27T04:01:50Z'
      date_updated: '2026-11-27T04:01:50Z'
      url: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers/PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
short_codes:
  description: The short codes in the pool after the task, as for RV(phone_numbers).
  returned: when O(short_codes) is given
  type: list
  elements: dict
  sample:
    - sid: SCcccccccccccccccccccccccccccccccc
      short_code: '89000'
      is_reserved: false
added:
  description:
    - The entries added, by managed list (V(phone_numbers), V(short_codes)); each with C(sid), C(phone_number)
      (or C(short_code)) and C(is_reserved). In check mode, the entries a real run would add.
  returned: always
  type: dict
  sample:
    phone_numbers:
      - {sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, phone_number: '+14155550100', is_reserved: false}
    short_codes: []
removed:
  description: The entries removed from the pool, by managed list, as for RV(added).
  returned: always
  type: dict
  sample:
    phone_numbers:
      - {sid: PNdddddddddddddddddddddddddddddddd, phone_number: '+14155550199', is_reserved: true}
updated:
  description: The entries whose C(is_reserved) changed, by managed list, with their new value.
  returned: always
  type: dict
  sample:
    phone_numbers:
      - {sid: PNbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, phone_number: '+14155550101', is_reserved: true}
failures:
  description:
    - When some writes failed, the entries not changed as asked, by managed list. Each has C(action) (V(add),
      V(update), V(remove)), C(sid), C(phone_number) (or C(short_code)), C(is_reserved), C(item) (its position
      in the option's list, 1-based; V(null) for an unlisted entry), C(msg), and C(error) (Twilio's error -
      C(status), C(code), C(message), C(more_info), C(method), C(url) - or V(null) when no request was refused,
      for example a write not attempted or a drain that timed out, which also gives C(in_use)).
    - Named C(failures) because Ansible keeps C(failed) for the task's own status.
  returned: on partial failure
  type: dict
  sample:
    phone_numbers:
      - action: add
        sid: null
        phone_number: '+14155559999'
        is_reserved: false
        item: 3
        msg: 'Twilio error 80601 (HTTP 400) on POST /v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers: ...'
        error: {status: 400, code: 80601, message: 'Phone Number Not Available', method: POST}
error:
  description: Twilio's error, when a read failed (then nothing was written).
  returned: on API failure of a read
  type: dict
'''

from ansible_collections.community.twilio.plugins.module_utils._pool import MemberList, run_pool_module
from ansible_collections.community.twilio.plugins.module_utils._resources import PHONE_NUMBER, SHORT_CODE

MEMBER_LISTS = (
    MemberList('phone_numbers', PHONE_NUMBER, 'number', limits={True: 5000, False: 500}, drainable=True),
    MemberList('short_codes', SHORT_CODE, 'short code', display='short_code'),
)


def main():
    run_pool_module(PHONE_NUMBER, MEMBER_LISTS)


if __name__ == '__main__':
    main()
