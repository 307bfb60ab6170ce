#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: proxy_service
short_description: Manage Twilio Proxy Services
version_added: 0.1.0
description:
  - Create, update, rename and delete a Twilio Proxy Service, the container of a number pool and its Sessions.
  - Only the options you give are managed; an omitted option is left as it is. An explicit empty string clears a
    URL or the chat instance.
  - The service is found by O(sid) when given (one request), else by O(unique_name). Twilio's fetch endpoint may
    accept the unique name in place of the SID; then the look-up is one request. Where it does not, every page of
    the account's services is read and matched, so a look-up is never wrong and a service is never duplicated.
author:
  - Community Twilio maintainers (@community-twilio)
extends_documentation_fragment:
  - community.twilio.connection
  - community.twilio.attributes
options:
  state:
    description:
      - V(present) creates the service or converges the given options; V(absent) deletes it.
      - Deleting a service also removes its number pool and its Sessions; it cannot be undone.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - The SID of an existing service (C(KS) followed by 32 hex digits).
      - With O(sid), O(unique_name) is compared like any other option, so a different value renames the service.
      - A O(sid) that does not exist is an error with O(state=present); it is never created.
    type: str
  unique_name:
    description:
      - The unique name of the service, 191 characters or fewer; it identifies the service when O(sid) is not
        given. Twilio asks that it contain no personal data.
      - One of O(sid) and O(unique_name) is required.
    type: str
  callback_url:
    description:
      - The URL Twilio calls when the status of an interaction changes.
      - Secrets in this URL and the other callback URLs are never shown (see the notes); a URL that holds the mask
        C(********) where a secret belongs (copied from the output) is refused before any request.
    type: str
  chat_instance_sid:
    description:
      - The SID of the Chat Service instance (C(IS) followed by 32 hex digits) linked one-to-one with this service.
    type: str
  default_ttl:
    description:
      - The default time to live of the service's Sessions, in seconds after their last create or interaction.
      - V(0) means no limit.
    type: int
  geo_match_level:
    description:
      - How closely a proxy number must match a participant's location. Twilio's default is V(country); the more
        specific levels work only in North America.
    type: str
    choices: [country, area-code, extended-area-code, overlay, radius]
  intercept_callback_url:
    description:
      - The URL Twilio calls on each interaction; a C(403) answer blocks the interaction.
    type: str
  number_selection_behavior:
    description:
      - Whether Proxy tries to give a participant the same proxy number as in its earlier sessions
        (V(prefer-sticky), Twilio's default) or a different one (V(avoid-sticky)).
    type: str
    choices: [prefer-sticky, avoid-sticky]
  out_of_session_callback_url:
    description:
      - The URL Twilio calls for inbound traffic to a closed or unknown session.
    type: str
notes:
  - "Secrets in URLs are masked as C(********) in every result, diff, error and log, by every module: the user info
    (a password, or a user name alone, which is then a token: C(https://sk_live_...@host)), and the value of a
    credential-like query or fragment parameter: one whose name (case-insensitive; C(-), C(_) and C(.) ignored) is,
    ends with or holds as a word C(token), C(key), C(secret), C(password), C(passwd), C(pwd), C(auth),
    C(authorization), C(sig), C(signature) or C(credential), such as C(api_key), C(access_token), C(auth_token),
    C(X-Api-Key) or C(Signature)."
seealso:
  - module: community.twilio.proxy_service_info
  - module: community.twilio.proxy_phone_number
  - module: community.twilio.proxy_session
  - name: Twilio Proxy Service resource
    description: Twilio's reference of the API this module drives.
    link: https://www.twilio.com/docs/proxy/api/service
'''

EXAMPLES = r'''
- name: Create or converge a Proxy Service (credentials from TWILIO_* environment variables)
  community.twilio.proxy_service:
    unique_name: rides-masking
    default_ttl: 3600
    geo_match_level: country
    number_selection_behavior: prefer-sticky
    callback_url: https://example.com/proxy/callback
  register: rides

- name: Rename a service found by its SID (a task that still names the old unique name would create a new one)
  community.twilio.proxy_service:
    sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    unique_name: rides-masking-eu

- name: Clear the out-of-session callback
  community.twilio.proxy_service:
    unique_name: rides-masking-eu
    out_of_session_callback_url: ""

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/community.twilio.proxy:
      api_key: "{{ twilio_api_key }}"
      api_secret: "{{ twilio_api_secret }}"
  block:
    - name: Delete a service (and its pool and sessions)
      community.twilio.proxy_service:
        unique_name: old-campaign
        state: absent
'''

RETURN = r'''
service:
  description:
    - The service as the API returned it after the change, or as predicted in check mode (then C(sid) is null
      for a service still to be created). An empty dict when the service is absent.
    - Secrets in URLs (user info, credential-like query parameters) are masked as C(********).
  returned: always
  type: dict
  sample:
    sid: KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    account_sid: ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    unique_name: rides-masking
    default_ttl: 3600
    geo_match_level: country
    number_selection_behavior: prefer-sticky
    callback_url: https://example.com/proxy/callback
    intercept_callback_url: null
    out_of_session_callback_url: null
    chat_instance_sid: null
    date_created: '2026-11-27T04:01:50Z'
    date_updated: '2026-11-27T04:01:50Z'
    url: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    links:
      sessions: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions
      phone_numbers: https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers
error:
  description: Twilio's error, when a request failed.
  returned: on API failure
  type: dict
  sample:
    status: 400
    code: 80602
    message: Service UniqueName must be unique.
    more_info: https://www.twilio.com/docs/errors/80602
    method: POST
    url: /v1/Services
    attempts: 1
'''

from ansible_collections.community.twilio.plugins.module_utils._engine import run_module
from ansible_collections.community.twilio.plugins.module_utils._resources import SERVICE


def main():
    run_module(SERVICE)


if __name__ == '__main__':
    main()
