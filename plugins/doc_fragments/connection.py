# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection and authentication options shared by every community.twilio module.
    DOCUMENTATION = r'''
options:
  account_sid:
    description:
      - The Twilio Account SID (C(AC) followed by 32 hex digits).
      - Required with O(auth_token). With O(api_key) it is optional.
      - If not set, the environment variable E(TWILIO_ACCOUNT_SID) is used.
    type: str
  auth_token:
    description:
      - The Auth Token of the account. Never logged, never shown in a diff or an error.
      - If not set, the environment variable E(TWILIO_AUTH_TOKEN) is used.
      - Either O(account_sid) and O(auth_token), or O(api_key) and O(api_secret), must be given.
    type: str
  api_key:
    description:
      - The SID of a Twilio API key (C(SK) followed by 32 hex digits). With O(api_secret) it is used instead of
        the auth token.
      - If not set, the environment variable E(TWILIO_API_KEY) is used.
    type: str
  api_secret:
    description:
      - The secret of O(api_key). Never logged, never shown in a diff or an error.
      - If not set, the environment variable E(TWILIO_API_SECRET) is used.
    type: str
  region:
    description:
      - The Twilio region to route requests to, for example C(ie1) or C(au1).
      - If not set, the environment variable E(TWILIO_REGION) is used.
    type: str
  edge:
    description:
      - The Twilio edge location to route requests through, for example C(dublin) or C(sydney).
      - If not set, the environment variable E(TWILIO_EDGE) is used.
    type: str
  api_url:
    description:
      - Scheme, host and port of the Proxy API, without a path.
      - Set it to the address of the bundled Twilio Proxy emulator to run playbooks without a Twilio account.
      - Credentials are never sent over plain C(http://) except to a loopback address (C(127.0.0.0/8), C(::1),
        C(localhost)); any other C(http://) URL is refused before a request is made.
      - If not set, the environment variable E(TWILIO_PROXY_API_URL) is used, and then C(https://proxy.twilio.com).
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP request.
      - If not set, the environment variable E(TWILIO_TIMEOUT) is used, and then V(30).
    type: float
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only turn this off for a test endpoint you trust.
    type: bool
    default: true
  max_retries:
    description:
      - How many times a request is retried after HTTP 429 or 503 (any method), or after HTTP 500, 502, 504 or
        a connection error (C(GET) and C(DELETE) only). Backoff is exponential with jitter, capped at 20 seconds,
        and honours C(Retry-After).
      - A create whose outcome is unknown (timeout or server error after the request was sent) is never repeated
        blindly; the resource is looked up by its natural key first.
      - V(0) disables retries. If not set, the environment variable E(TWILIO_MAX_RETRIES) is used, and then V(10).
      - With the default backoff, O(max_retry_time) rather than the count is usually the limit that ends a long run
        of HTTP 429 answers.
    type: int
    default: 10
  max_retry_time:
    description:
      - The longest time in seconds that one request may spend in retries, waits included.
      - If not set, the environment variable E(TWILIO_MAX_RETRY_TIME) is used, and then V(60).
    type: float
    default: 60
requirements:
  - twilio >= 9.0 (the Twilio Python SDK)
notes:
  - All modules of this collection are in the action group C(community.twilio.proxy), so
    C(module_defaults) with C(group/community.twilio.proxy) sets the connection options once for a play.
  - Twilio Proxy is a Public Beta product that Twilio has closed to new customers; see the collection's README.
'''
