# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""The account's numbers as resources (incoming_phone_number): search what is on offer, buy, update, release.

The numbers live in Twilio's 2010-04-01 API, not in Proxy v1, so the engine (whose URIs are Proxy's) does not
carry them: this job uses the same client (its ``account_*`` methods), the same description data
(``INCOMING_PHONE_NUMBER`` in _resources.py: options, validation, form fields) and the same runner.

- One number (``phone_number`` or ``sid``): present buys it when the account does not own it (an E.164 number;
  a ``sid`` names an owned number only), updates ``friendly_name``/``address_sid``/``bundle_sid``; absent
  releases it, refused before any write while the number is in a Proxy pool unless ``force``.
- ``count``: at least that many numbers carry ``friendly_name``; the missing ones are searched with the criteria
  and bought (all of them found on offer before the first purchase).
- A purchase whose outcome is unknown (timeout, dropped connection, 5xx) is looked up by its number before it is
  ever sent again: a number is never bought twice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.community.twilio.plugins.module_utils._connection import resolve_connection
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError, TwilioApiError
from ansible_collections.community.twilio.plugins.module_utils._kinds import redact
from ansible_collections.community.twilio.plugins.module_utils._model import argument_spec, form_data
from ansible_collections.community.twilio.plugins.module_utils._resources import (
    INCOMING_PHONE_NUMBER, NUMBER_CAPABILITIES, NUMBER_TYPES, PHONE_NUMBER, SERVICE)
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run

RES = INCOMING_PHONE_NUMBER
LIST_PATH = RES.path + '.json'
MAX_COUNT = 500  # Twilio's limit of unreserved numbers in one Proxy pool: more is never one task's purchase
COUNTRY_RE = re.compile(r'^[A-Z]{2}\Z')
AREA_CODE_RE = re.compile(r'^[2-9][0-9]{2}\Z')
CONTAINS_RE = re.compile(r'^[0-9A-Za-z*+]{1,16}\Z')
SEARCH_OPTIONS = ('country', 'type', 'area_code', 'contains', 'capabilities')
SHOWN = ('sid', 'phone_number', 'friendly_name', 'address_sid', 'bundle_sid')


def number_argument_spec():
    return argument_spec(RES, dict(
        count=dict(type='int'),
        country=dict(type='str', default='US'),
        type=dict(type='str', default='local', choices=sorted(NUMBER_TYPES)),
        area_code=dict(type='str'),
        contains=dict(type='str'),
        capabilities=dict(type='list', elements='str', choices=sorted(NUMBER_CAPABILITIES)),
        force=dict(type='bool', default=False),
    ))


def instance_path(sid):
    return '%s/%s.json' % (RES.path, sid)


def shown(record):
    return dict((k, record.get(k)) for k in SHOWN)


class NumberJob:
    """The job of incoming_phone_number (a job for _runner.run)."""

    def __init__(self, module):
        self.params = module.params
        self.check_mode = module.check_mode
        self.diff = module._diff
        self.warnings = []
        self.done = []
        self.desired = {}
        self.client = None

    # -- validation, before any request ---------------------------------------------------------------------

    def validate(self):
        params = self.params
        if not resolve_connection(params).account_sid:
            raise EngineError('account_sid: is required (option or TWILIO_ACCOUNT_SID): the numbers are the '
                              "account's own resources, under its SID")
        if params['sid'] is not None:
            RES.sid_field.validate(params['sid'])
        for field in RES.fields:
            value = field.validate(params.get(field.name))
            if value is not None:
                self.desired[field.name] = value
        if not COUNTRY_RE.match(params['country'] or ''):
            raise EngineError('country: must be an ISO 3166 alpha-2 code in capitals, such as US, got %r'
                              % params['country'])
        if params['area_code'] is not None and not AREA_CODE_RE.match(params['area_code']):
            raise EngineError('area_code: must be three digits of a North American area code, got %r'
                              % params['area_code'])
        if params['contains'] is not None and not CONTAINS_RE.match(params['contains']):
            raise EngineError("contains: must be 1 to 16 digits, letters or '*', got %r" % params['contains'])
        if params['count'] is None:
            given = [o for o in SEARCH_OPTIONS if params.get(o) is not None and
                     params[o] != number_argument_spec()[o].get('default')]
            if given:
                raise EngineError('%s: a search criterion, only used with count' % given[0])
            if params['state'] == 'absent' and len(self.desired) > (1 if 'phone_number' in self.desired else 0):
                extra = sorted(k for k in self.desired if k != 'phone_number')[0]
                raise EngineError('%s: not used with state=absent (a release)' % extra)
            return
        if params['state'] != 'present':
            raise EngineError('count: only with state=present (release numbers one by one, by phone_number or sid)')
        if not 0 <= params['count'] <= MAX_COUNT:
            raise EngineError('count: must be from 0 to %d, got %d' % (MAX_COUNT, params['count']))
        if not self.desired.get('friendly_name'):
            raise EngineError('friendly_name: is required with count (the tag that tells the numbers counted)')

    # -- execution ------------------------------------------------------------------------------------------

    def execute(self, client):
        self.client = client
        if self.params['count'] is not None:
            return self.converge_count()
        return self.converge_one()

    def find(self):
        """The owned number named by sid or phone_number, or None."""
        if self.params['sid']:
            return self.client.account_fetch(instance_path(RES.sid_field.normalize(self.params['sid'])))
        return self.owned(self.desired['phone_number'])

    def owned(self, e164):
        """The account's number ``e164`` (the list's PhoneNumber filter matches partial numbers: exact here)."""
        field = RES.key_field
        for record in self.client.account_list(LIST_PATH, RES.list_key, {'PhoneNumber': e164}) or []:
            if field.normalize(record.get('phone_number')) == e164:
                return record
        return None

    def converge_one(self):
        current = self.find()
        if self.params['state'] == 'absent':
            return self.release(current)
        if current is None:
            if self.params['sid']:
                raise EngineError('sid: the account has no number %s; a number is bought by phone_number, never '
                                  'by sid' % self.params['sid'])
            values = dict(self.desired)
            record = dict(values, sid=None) if self.check_mode else self.buy(values)
            return self.result(True, record, dict(state='absent'), dict(values, state='present'), purchased=[
                values['phone_number']])
        changes = dict((name, value) for name, value in self.desired.items()
                       if not RES.field(name).same(value, current.get(name)))
        if 'phone_number' in changes:
            raise EngineError('phone_number: %s is %s, not %s; a number cannot change: name another one'
                              % (current.get('sid'), current.get('phone_number'), changes['phone_number']))
        record = current
        if changes and not self.check_mode:
            record = self.client.account_update(instance_path(current['sid']), form_data(RES, changes))
            self.done.append('updated %s (%s)' % (current['phone_number'], ', '.join(sorted(changes))))
        elif changes:
            record = dict(current, **changes)
        before = dict((name, current.get(name)) for name in changes)
        return self.result(bool(changes), record, before, changes)

    def release(self, current):
        if current is None:
            return self.result(False, {}, {}, {})
        pooled = self.pools_holding(current['sid'])
        if pooled:
            service, entry = pooled
            where = 'the pool of Proxy Service %s (%s), in use by %s open session(s)' % (
                service.get('unique_name'), service['sid'], entry.get('in_use') or 0)
            if not self.params['force']:
                raise EngineError('phone_number: %s is in %s: remove it from that pool first (community.twilio.'
                                  'proxy_pool or proxy_phone_number), or set force=true to release it anyway'
                                  % (current['phone_number'], where), service_sid=service['sid'])
            self.warnings.append('releasing %s, which is in %s (force=true)' % (current['phone_number'], where))
        if not self.check_mode:
            self.client.account_delete(instance_path(current['sid']))
            self.done.append('released %s' % current['phone_number'])
        before = dict(shown(current), state='present')
        return self.result(True, {}, before, dict(state='absent'), released=[current['phone_number']])

    def pools_holding(self, sid):
        """(service, pool entry) of the Proxy pool that holds the number, or None: the services' list and one GET
        per service (a number is in one service's pool at most)."""
        for service in self.client.list(SERVICE.collection_uri({}), SERVICE.list_key):
            entry = self.client.fetch(PHONE_NUMBER.instance_uri(dict(service_sid=service['sid']), sid))
            if entry is not None:
                return service, entry
        return None

    def converge_count(self):
        tag = self.desired['friendly_name']
        have = [r for r in self.client.account_pages(LIST_PATH, RES.list_key, {'FriendlyName': tag, 'PageSize': 1000})
                if r.get('friendly_name') == tag]
        missing = self.params['count'] - len(have)
        offers = self.search(missing) if missing > 0 else []
        bought = []
        for offer in offers:
            values = dict((k, v) for k, v in self.desired.items() if k != 'phone_number')
            values['phone_number'] = offer['phone_number']
            bought.append(dict(values, sid=None) if self.check_mode else self.buy(values))
        numbers = [shown(r) for r in have + bought]
        before = dict(count=len(have), phone_numbers=[r['phone_number'] for r in have])
        after = dict(count=len(numbers), phone_numbers=[r['phone_number'] for r in numbers])
        changed = bool(bought)
        result = dict(changed=changed, phone_numbers=redact(numbers),
                      purchased=[r['phone_number'] for r in bought])
        if self.diff:
            result['diff'] = dict(before=before, after=after) if changed else dict(before={}, after={})
        return result

    def search(self, missing):
        """``missing`` numbers on offer with the criteria, all of them found before any purchase."""
        params = self.params
        query = {'PageSize': missing}
        if params['area_code']:
            query['AreaCode'] = params['area_code']
        if params['contains']:
            query['Contains'] = params['contains']
        for name in params['capabilities'] or ():
            query[NUMBER_CAPABILITIES[name]] = 'true'
        path = 'AvailablePhoneNumbers/%s/%s.json' % (params['country'], NUMBER_TYPES[params['type']])
        offers = self.client.account_fetch(path, params=query)
        offers = (offers or {}).get('available_phone_numbers') or []
        criteria = ', '.join('%s=%s' % (k, params[k]) for k in SEARCH_OPTIONS if params.get(k))
        if len(offers) < missing:
            raise EngineError('count: %d more number(s) needed with %s, but only %d on offer; nothing was bought '
                              '(widen area_code, contains or capabilities)' % (missing, criteria, len(offers)))
        needs = sorted(set(o.get('address_requirements') or 'none' for o in offers) - set(['none']))
        if needs and not (self.desired.get('address_sid') or self.desired.get('bundle_sid')):
            raise EngineError('address_sid: the numbers on offer with %s need an address registered with Twilio '
                              '(address_requirements %s; Twilio error 21631) or a regulatory bundle (bundle_sid); '
                              'nothing was bought' % (criteria, ', '.join(needs)))
        return offers[:missing]

    def buy(self, values):
        """POST the purchase. When its outcome is unknown, look the number up before sending it again: a number
        that the account now owns was bought (and is not bought twice)."""
        data = form_data(RES, values)
        what = 'bought %s' % values['phone_number']
        try:
            record = self.client.account_create(LIST_PATH, data)
        except TwilioApiError as exc:
            if not exc.outcome_unknown:
                raise
            record = self.owned(values['phone_number'])
            if record is not None:
                self.warnings.append('the purchase of %s failed (%s) but the account owns the number: it was bought'
                                     % (values['phone_number'], exc))
            else:
                record = self.client.account_create(LIST_PATH, data)
        self.done.append(what)
        return record

    def result(self, changed, record, before, after, purchased=(), released=()):
        result = dict(changed=changed, phone_number=redact(record or {}),
                      purchased=list(purchased), released=list(released))
        if self.diff:
            result['diff'] = dict(before=redact(before), after=redact(after))
        return result


def run_number_module(client=None):
    module = build_module(number_argument_spec(), required_one_of=[['phone_number', 'sid', 'count']],
                          mutually_exclusive=[['count', 'phone_number'], ['count', 'sid']])
    run(module, NumberJob(module), client=client, error_hints=RES.error_hints)
