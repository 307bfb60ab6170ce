# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.twilio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# PRIVATE: this module_utils file is internal to community.twilio. It may change or vanish in any release
# without notice; do not import it from other collections.

"""A service's pool headroom (proxy_capacity_info), from list pages only: the services, each pool, each service's
sessions. Nothing is read per number or per session, so the cost is the number of pages (a pool of 400 numbers
and 20,000 sessions: 4 + 200 pages and the services' page).

Twilio's limits and guidance (docs/guides/capacity.md): at most 500 unreserved and 5,000 reserved numbers per
service; about 100 active participants per number at most (each pool entry's ``in_use``); a participant needs a
different proxy number in each of its concurrent sessions, so a pool needs at least as many unreserved numbers
(of the participant's country, or area code with a finer ``geo_match_level``) as the sessions one participant
can be in at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.community.twilio.plugins.module_utils._connection import (
    connection_argument_spec, validate_connection)
from ansible_collections.community.twilio.plugins.module_utils._errors import EngineError
from ansible_collections.community.twilio.plugins.module_utils._kinds import MAX_NAME_LENGTH
from ansible_collections.community.twilio.plugins.module_utils._resources import ACTIVE_STATUSES, PHONE_NUMBER, \
    SERVICE, SESSION
from ansible_collections.community.twilio.plugins.module_utils._runner import build_module, run

MAX_UNRESERVED = 500
MAX_RESERVED = 5000
RECOMMENDED_IN_USE = 100  # active participants per number, Twilio's recommended ceiling
CALLING_CODES = {  # enough to name the country of a pool number that does not say it (longest prefix wins)
    '1': 'US', '44': 'GB', '33': 'FR', '49': 'DE', '34': 'ES', '39': 'IT', '31': 'NL', '46': 'SE', '61': 'AU',
    '353': 'IE', '64': 'NZ', '81': 'JP', '52': 'MX', '55': 'BR', '65': 'SG', '852': 'HK', '91': 'IN'}


def capacity_argument_spec():
    spec = connection_argument_spec()
    spec.update(
        service_sid=dict(type='str'),
        sessions_per_participant=dict(type='int', default=1),
        in_use_ceiling=dict(type='int', default=RECOMMENDED_IN_USE),
        tight_percent=dict(type='int', default=80),
        busiest=dict(type='int', default=5),
    )
    return spec


def country_of(record):
    if record.get('iso_country'):
        return record['iso_country']
    digits = (record.get('phone_number') or '').lstrip('+')
    for length in (3, 2, 1):
        if digits[:length] in CALLING_CODES:
            return CALLING_CODES[digits[:length]]
    return 'unknown'


def area_code_of(record):
    """The North American area code of a +1 number (what geo_match_level area-code matches on), else None."""
    number = record.get('phone_number') or ''
    return number[2:5] if number.startswith('+1') and len(number) == 12 else None


def _in_use(record):
    try:
        return max(0, int(record.get('in_use') or 0))
    except (TypeError, ValueError):
        return 0


class Thresholds:
    def __init__(self, params):
        self.per_participant = params['sessions_per_participant']
        self.ceiling = params['in_use_ceiling']
        self.tight = params['tight_percent'] / 100.0
        self.busiest = params['busiest']

    def numbers_for(self, in_use_sum, margin):
        """Unreserved numbers a pool needs: one per concurrent session of a participant, and enough that the
        sum of in_use stays under the ceiling (with ``margin``: under ``tight_percent`` of it)."""
        ratio = self.tight if margin else 1.0
        by_participants = int(math.ceil(self.per_participant / ratio - 1e-9))
        by_load = int(math.ceil(in_use_sum / (self.ceiling * ratio) - 1e-9)) if in_use_sum else 0
        return max(by_participants, by_load, 1)


def assess(service, pool, sessions, limits):
    """The headroom of one service from its pool records (as listed) and its sessions ``(open, listed)``."""
    unreserved = [r for r in pool if not r.get('is_reserved')]
    reserved = len(pool) - len(unreserved)
    in_use_sum = sum(_in_use(r) for r in pool)
    unreserved_in_use = sum(_in_use(r) for r in unreserved)
    capacity = len(unreserved) * limits.ceiling
    countries, area_codes = {}, {}
    for record in pool:
        country = countries.setdefault(country_of(record), dict(numbers=0, unreserved=0, in_use=0))
        country['numbers'] += 1
        country['unreserved'] += 0 if record.get('is_reserved') else 1
        country['in_use'] += _in_use(record)
        code = area_code_of(record)
        if code:
            area_codes[code] = area_codes.get(code, 0) + 1
    busiest = sorted(pool, key=lambda r: (-_in_use(r), r.get('phone_number') or ''))[:limits.busiest]
    verdict, reasons = 'ok', []
    # the pool as a whole, then each country of it: a participant is matched within its country
    scopes = [('the pool', len(unreserved), unreserved_in_use)]
    if len(countries) > 1:
        scopes += [('%s numbers' % name, c['unreserved'], c['in_use']) for name, c in sorted(countries.items())]
    needed = 0
    for scope, count, load in scopes:
        if count < limits.numbers_for(load, margin=False):
            verdict = 'exhausted'
            reasons.append('%s: %d unreserved number(s) for %d session(s) per participant and %d active '
                           'participant(s) at most %d a number' % (scope, count, limits.per_participant, load,
                                                                   limits.ceiling))
        elif count < limits.numbers_for(load, margin=True):
            verdict = 'tight' if verdict == 'ok' else verdict
            reasons.append('%s: %d unreserved number(s), under %d%% headroom for %d session(s) per participant '
                           'and %d active participant(s)' % (scope, count, int(limits.tight * 100),
                                                             limits.per_participant, load))
        needed = max(needed, limits.numbers_for(load, margin=True) - count)
    needed = min(needed, MAX_UNRESERVED - len(unreserved))
    if len(unreserved) >= MAX_UNRESERVED:
        reasons.append('the pool holds %d unreserved numbers, the most Twilio allows: relax geo_match_level, '
                       'close sessions or set expiries instead' % MAX_UNRESERVED)
    return dict(
        sid=service.get('sid'), unique_name=service.get('unique_name'),
        geo_match_level=service.get('geo_match_level'), verdict=verdict, reasons=reasons,
        numbers_needed=max(needed, 0),
        numbers=dict(total=len(pool), unreserved=len(unreserved), reserved=reserved,
                     unreserved_limit=MAX_UNRESERVED, reserved_limit=MAX_RESERVED,
                     unreserved_room=MAX_UNRESERVED - len(unreserved), reserved_room=MAX_RESERVED - reserved),
        in_use=dict(sum=in_use_sum, unreserved_sum=unreserved_in_use,
                    max=max([_in_use(r) for r in pool] or [0]), ceiling=limits.ceiling, capacity=capacity,
                    spare=max(capacity - unreserved_in_use, 0),
                    percent=round(100.0 * unreserved_in_use / capacity, 1) if capacity else None,
                    over_ceiling=sum(1 for r in pool if _in_use(r) >= limits.ceiling),
                    busiest=[dict(sid=r.get('sid'), phone_number=r.get('phone_number'), in_use=_in_use(r),
                                  is_reserved=bool(r.get('is_reserved'))) for r in busiest]),
        by_country=countries, by_area_code=area_codes,
        sessions=dict(open=sessions[0], listed=sessions[1]),
    )


class CapacityReader:
    """The job of proxy_capacity_info (a job for _runner.run): list pages only, never a write."""

    def __init__(self, params):
        self.params = params
        self.warnings = []

    def validate(self):
        validate_connection(self.params)
        service = self.params.get('service_sid')
        if service is not None and (not service or len(service) > MAX_NAME_LENGTH):
            raise EngineError('service_sid: must be a %s SID or unique name of 1 to %d characters'
                              % (SERVICE.title, MAX_NAME_LENGTH))
        for option, low, high in (('sessions_per_participant', 1, MAX_UNRESERVED), ('in_use_ceiling', 1, 100000),
                                  ('tight_percent', 1, 100), ('busiest', 0, 1000)):
            if not low <= self.params[option] <= high:
                raise EngineError('%s: must be from %d to %d, got %d' % (option, low, high, self.params[option]))

    def execute(self, client):
        limits = Thresholds(self.params)
        services = list(client.list(SERVICE.collection_uri({}), SERVICE.list_key))
        wanted = self.params.get('service_sid')
        if wanted is not None:
            sid = SERVICE.sid_field.normalize(wanted) if SERVICE.is_sid(wanted) else None
            services = [s for s in services if s.get('sid') == sid or (sid is None and s.get('unique_name') == wanted)]
            if not services:
                raise EngineError('service_sid: no %s with %s %r' % (SERVICE.title, 'sid' if sid else 'unique_name',
                                                                     wanted))
        result = []
        for service in services:
            parents = dict(service_sid=service['sid'])
            pool = list(client.list(PHONE_NUMBER.collection_uri(parents), PHONE_NUMBER.list_key))
            open_sessions = listed = 0
            for session in client.list(SESSION.collection_uri(parents), SESSION.list_key):
                listed += 1
                open_sessions += session.get('status') in ACTIVE_STATUSES
            result.append(assess(service, pool, (open_sessions, listed), limits))
        return dict(changed=False, services=result)


def run_capacity_module(client=None):
    module = build_module(capacity_argument_spec())
    run(module, CapacityReader(module.params), client=client, read_only=True)
