"""The account's own numbers and short codes, read-only, through Twilio's 2010-04-01 API paths."""

import re

from .. import params as P
from ..paging import api2010_list
from ..numbers import render as _number_2010
from ..store import ListSource

PATTERN_RE = re.compile(r"\+?[0-9*]+")
DATE_2010 = "Fri, 01 Jan 2021 00:00:00 +0000"


def matches_pattern(pattern, number):
    """Twilio's ``PhoneNumber``/``ShortCode`` list filter: "partial numbers and '*' as a wildcard for any digit".
    Our reading: the pattern (digits, an optional leading ``+``, ``*``) occurs anywhere in the number; anything
    else matches nothing. A full E.164 number matches itself (and would match a longer number it begins)."""
    if not PATTERN_RE.fullmatch(pattern):
        return False
    if "*" not in pattern:
        return pattern in number
    return re.search(re.escape(pattern).replace(r"\*", r"\d"), number) is not None


def _filter_value(req, name):
    value = P.first(req.query, name)
    if value and value.startswith(" "):       # an unencoded "+" reads as a space
        value = "+" + value[1:]
    return value


def _short_code_2010(account_sid, entry):
    return {
        "sid": entry["sid"], "account_sid": account_sid, "friendly_name": entry["friendly_name"],
        "short_code": entry["short_code"], "api_version": "2010-04-01",
        "date_created": DATE_2010, "date_updated": DATE_2010,
        "sms_url": None, "sms_method": "POST", "sms_fallback_url": None, "sms_fallback_method": "POST",
        "uri": "/2010-04-01/Accounts/%s/SMS/ShortCodes/%s.json" % (account_sid, entry["sid"]),
    }


def _filtered_list(rules, req, records, filter_name, field, key, render):
    """A 2010-04-01 list of the account's ``records``, narrowed by Twilio's pattern filter ``filter_name``."""
    wanted = _filter_value(req, filter_name)
    if wanted:
        records = [entry for entry in records if matches_pattern(wanted, entry[field])]
    return 200, api2010_list(key, ListSource(records), req.query, req.path,
                             lambda entry: render(rules.account_sid, entry))


def list_incoming_numbers(rules, req):
    records = rules.inventory.numbers
    friendly_name = P.first(req.query, "FriendlyName")
    if friendly_name:      # Twilio's FriendlyName filter: the numbers with exactly this friendly name
        records = [entry for entry in records if entry["friendly_name"] == friendly_name]
    return _filtered_list(rules, req, records, "PhoneNumber", "phone_number", "incoming_phone_numbers",
                          _number_2010)


def fetch_incoming_number(rules, req):
    return 200, _number_2010(rules.account_sid, req.incoming_number)


def list_account_short_codes(rules, req):
    return _filtered_list(rules, req, rules.inventory.short_codes, "ShortCode", "short_code", "short_codes",
                          _short_code_2010)
