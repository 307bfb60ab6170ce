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
      - Either O(account_sid) and O(auth_token), or O(api_key) and O(api_secret), must be given.
      - If the task gives none of O(auth_token), O(api_key), O(api_secret) (as options or through
        C(module_defaults)), the credentials come from the environment variables E(TWILIO_AUTH_TOKEN),
        E(TWILIO_API_KEY) and E(TWILIO_API_SECRET). Credentials the task gives win over the environment as a whole,
        and are never mixed with it. O(account_sid) is an identifier, not a credential, and falls back to
        E(TWILIO_ACCOUNT_SID) either way.
      - When both an auth token and an API key end up set (both in the task, or both in the environment), the API
        key is used, and the module warns saying so.
    type: str
  api_key:
    description:
      - The SID of a Twilio API key (C(SK) followed by 32 hex digits). With O(api_secret) it is used instead of
        the auth token.
      - If the task gives no credential, the environment variable E(TWILIO_API_KEY) is used (see O(auth_token)).
    type: str
  api_secret:
    description:
      - The secret of O(api_key). Never logged, never shown in a diff or an error.
      - If the task gives no credential, the environment variable E(TWILIO_API_SECRET) is used (see O(auth_token)).
    type: str
  region:
    description:
      - The Twilio region to send requests to, for example C(ie1) or C(au1). With O(edge), requests go to
        C(https://proxy.<edge>.<region>.twilio.com), as the Twilio SDK builds it; an O(edge) alone means region
        C(us1).
      - Not used when O(api_url) is set (the module warns); O(api_url) wins.
      - If not set, the environment variable E(TWILIO_REGION) is used.
    type: str
  edge:
    description:
      - The Twilio edge location to route requests through, for example C(dublin) or C(sydney). See O(region).
      - If not set, the environment variable E(TWILIO_EDGE) is used.
    type: str
  api_url:
    description:
      - Scheme, host and port of the Proxy API, without a path. When set, O(region) and O(edge) are not used.
      - Set it to the address of the bundled Twilio Proxy emulator to run playbooks without a Twilio account.
      - Credentials are never sent over plain C(http://) except to a loopback address (C(127.0.0.0/8), C(::1),
        C(localhost)), decided from the address itself (a name such as C(127.0.0.1.example.com) is not one); any
        other C(http://) URL is refused before a request is made. Requests to a loopback address never go through
        a proxy set by E(HTTP_PROXY) or E(HTTPS_PROXY); requests to Twilio do.
      - Requests, the next pages of a list included, are only ever sent to this host; a list whose next page is on
        another host, repeats a page, or has more than 10000 pages fails.
      - If not set, the environment variable E(TWILIO_PROXY_API_URL) is used, and then C(https://proxy.twilio.com).
    type: str
  timeout:
    description:
      - Seconds one HTTP request may take as a whole, from connecting to the last byte of the answer, however
        slowly the server sends it; a finite number greater than 0. A retry starts a new one.
      - This bounds one request, not the task. To bound a whole task (every request, retry and wait of it), set
        Ansible's own task keyword C(timeout) (seconds) on the task; Ansible then stops the task and fails it when
        that time has passed. O(max_retry_time) bounds the retries of one request.
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
      - How many times a request is retried after HTTP 429 or 503 (any method), or after HTTP 500, 502 or 504, a
        timeout or a dropped connection (C(GET) and C(DELETE) only).
      - A connection that cannot be made in time is retried for any method; a refused connection, an unknown
        host name or a TLS failure is not retried, and the error names the host and port.
      - Backoff is exponential from 0.5 seconds with full jitter, capped at 20 seconds; a C(Retry-After)
        (seconds or an HTTP date) is a floor the cap does not cut. When it asks for more than O(max_retry_time)
        leaves, the request fails at once and says so.
      - A create whose outcome is unknown (timeout or server error after the request was sent) is never repeated
        blindly; the resource is looked up by its natural key first.
      - V(0) disables retries. If not set, the environment variable E(TWILIO_MAX_RETRIES) is used, and then V(10).
      - With the default backoff, O(max_retry_time) rather than the count is usually the limit that ends a long run
        of HTTP 429 answers.
    type: int
    default: 10
  max_retry_time:
    description:
      - The longest time in seconds that one request may spend in retries, waits included; a finite number greater
        than 0.
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
