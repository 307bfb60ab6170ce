"""Buying and releasing the account's numbers (Twilio's 2010-04-01 ``AvailablePhoneNumbers`` and
``IncomingPhoneNumbers``): what the emulated market offers, and the rules of a purchase.

The market is deterministic. Each country and type has a number plan below; a search walks it in order, skips the
numbers the account owns and applies Twilio's filters (``AreaCode``, ``Contains``, ``SmsEnabled``, ``MmsEnabled``,
``VoiceEnabled``). A purchase takes a number of the plan that nobody owns; the countries that need an address
(Twilio error 21631) or a regulatory bundle (21649) refuse a purchase without one. Bought numbers get the same
deterministic ``PN`` SID as the CLI's inventory (``inventory.sid_for``); a reset undoes every purchase and release.
"""

import re
import time

from .errors import ApiError
from .inventory import NUMBER_CAPABILITIES, country_of, sid_for

SCAN_LIMIT = 20000       # plan entries a search walks at most
US_EXCHANGE = 5550000    # +1<area code><5550000 + i>: the CLI's inventory is area code 415 of this plan
TOLL_FREE_PREFIXES = ("800", "833", "844", "855", "866", "877", "888")

# country -> type -> (number pattern, plan: index -> E.164 or None past its end, needs, capabilities)
_FULL = {"voice": True, "sms": True, "mms": True, "fax": False}
_NO_MMS = {"voice": True, "sms": True, "mms": False, "fax": False}


# Contains: "valid characters are *, 0-9, a-z and A-Z" — a letter stands for its telephone keypad digit (STORM: 78676)
KEYPAD = str.maketrans({letter: digit for digit, letters in
                        (("2", "ABC"), ("3", "DEF"), ("4", "GHI"), ("5", "JKL"), ("6", "MNO"), ("7", "PQRS"),
                         ("8", "TUV"), ("9", "WXYZ")) for letter in letters + letters.lower()})


def _us_local(area_code):
    return lambda i: "+1%s%07d" % (area_code, US_EXCHANGE + i) if i < 10_000_000 - US_EXCHANGE else None


def _fixed(template, size):
    return lambda i: template % i if i < size else None


PLANS = {
    "US": {"Local": (r"\+1[2-7]\d{9}|\+19\d{9}|\+18(?!00|33|44|55|66|77|88)\d{9}", None, None, _FULL),
           "TollFree": (r"\+18(00|33|44|55|66|77|88)\d{7}", _fixed("+1888555%04d", 10000), None, _NO_MMS)},
    "GB": {"Local": (r"\+44207946\d{4}", _fixed("+44207946%04d", 10000), "address", _FULL),
           "Mobile": (r"\+447700901\d{3}", _fixed("+447700901%03d", 1000), "address", _FULL)},
    "DE": {"Local": (r"\+4930901\d{5}", _fixed("+4930901%05d", 100000), "bundle", _NO_MMS),
           "Mobile": (r"\+49157555\d{5}", _fixed("+49157555%05d", 100000), "bundle", _FULL)},
}
TYPES = {"Local": "local", "Mobile": "mobile", "TollFree": "tollfree"}
ADDRESS_REQUIREMENTS = {None: "none", "address": "any", "bundle": "local"}
ADDRESS_SID_RE = re.compile(r"^AD[0-9a-fA-F]{32}$")
BUNDLE_SID_RE = re.compile(r"^BU[0-9a-fA-F]{32}$")
DATE_2010 = "Fri, 01 Jan 2021 00:00:00 +0000"   # the CLI's inventory numbers were "bought" then


def rfc2822(epoch):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(epoch))


def error(code, message, status=400):
    return ApiError(status, code, message)


def plan_of(number):
    """(country, type name) of a number the market sells, or None."""
    country = country_of(number)
    for kind, (pattern, _plan, _needs, _caps) in PLANS.get(country, {}).items():
        if re.fullmatch(pattern, number):
            return country, kind
    return None


def _capability_wanted(filters, caps):
    for name, cap in (("SmsEnabled", "sms"), ("MmsEnabled", "mms"), ("VoiceEnabled", "voice")):
        wanted = filters.get(name)
        if wanted is not None and wanted.lower() in ("true", "false") and caps[cap] != (wanted.lower() == "true"):
            return False
    return True


def search(inventory, country, kind, filters, size, matches_pattern):
    """The numbers on offer (as the market lists them) for a country and type, narrowed by Twilio's filters.
    None when the country or type is not sold here (the API's 404)."""
    entry = PLANS.get(country, {}).get(kind)
    if entry is None:
        return None
    pattern, plan, needs, caps = entry
    area_code = filters.get("AreaCode")
    if plan is None:     # US local: by area code (415 when none is asked for)
        if area_code and not re.fullmatch(r"[2-9]\d{2}", area_code):
            raise error(21451, "AreaCode is invalid: %s" % area_code)
        plan = _us_local(area_code or "415")
    elif area_code:
        return []        # area codes are a North American filter
    if not _capability_wanted(filters, caps):
        return []
    contains = (filters.get("Contains") or "").translate(KEYPAD)
    found = []
    for i in range(SCAN_LIMIT):
        number = plan(i)
        if number is None or len(found) >= size:
            break
        if number in inventory.number_by_e164:
            continue
        if contains and not matches_pattern(contains, number):
            continue
        found.append(_available(country, number, needs, caps))
    return found


def _available(country, number, needs, caps):
    return {
        "friendly_name": number, "phone_number": number, "lata": None, "locality": None, "rate_center": None,
        "latitude": None, "longitude": None, "region": None, "postal_code": None, "iso_country": country,
        "address_requirements": ADDRESS_REQUIREMENTS[needs], "beta": False, "capabilities": dict(caps),
    }


def _check_sid(name, value, regex, prefix):
    if value is not None and value != "" and not regex.match(value):
        raise error(21631 if prefix == "AD" else 21649,
                    "%s is invalid: it must be %s followed by 32 hex digits" % (name, prefix))


def buy(inventory, now, number, area_code, friendly_name, address_sid, bundle_sid):
    """Buy ``number`` (or the first number on offer in ``area_code``) -> the new inventory entry."""
    _check_sid("AddressSid", address_sid, ADDRESS_SID_RE, "AD")
    _check_sid("BundleSid", bundle_sid, BUNDLE_SID_RE, "BU")
    if not number:
        if not area_code:
            raise error(21421, "PhoneNumber is required: give PhoneNumber or AreaCode")
        offer = search(inventory, "US", "Local", {"AreaCode": area_code}, 1, lambda p, n: True)
        if not offer:
            raise error(21452, "No phone numbers found in area code %s" % area_code)
        number = offer[0]["phone_number"]
    if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
        raise error(21421, "PhoneNumber is invalid: %s" % number)
    found = plan_of(number)
    if found is None or number in inventory.number_by_e164:
        raise error(21422, "PhoneNumber is not available: %s" % number)
    country, kind = found
    _pattern, _plan, needs, caps = PLANS[country][kind]
    if needs == "address" and not address_sid:
        raise error(21631, "Phone Number Requires an Address: a number in %s needs an AddressSid" % country)
    if needs == "bundle" and not bundle_sid:
        raise error(21649, "Phone Number Requires a Bundle: a number in %s needs an approved BundleSid"
                    % country)
    entry = {
        "sid": sid_for("PN", number), "phone_number": number, "friendly_name": friendly_name or number,
        "iso_country": country, "capabilities": dict(NUMBER_CAPABILITIES), "capabilities_2010": dict(caps),
        "address_sid": address_sid or None, "bundle_sid": bundle_sid or None, "type": TYPES[kind],
        "address_requirements": ADDRESS_REQUIREMENTS[needs], "date_created": now, "date_updated": now,
    }
    inventory.buy(entry)
    return entry


def update(entry, now, form):
    """FriendlyName, AddressSid and BundleSid of an owned number (other parameters are accepted and ignored)."""
    values = {}
    for name, key in (("FriendlyName", "friendly_name"), ("AddressSid", "address_sid"), ("BundleSid", "bundle_sid")):
        raw = form.get(name)
        if raw and (raw[0] or key != "friendly_name"):     # an empty AddressSid or BundleSid clears it
            values[key] = raw[0]
    if "friendly_name" in values and len(values["friendly_name"]) > 64:
        raise error(21421, "FriendlyName is invalid: at most 64 characters")
    _check_sid("AddressSid", values.get("address_sid"), ADDRESS_SID_RE, "AD")
    _check_sid("BundleSid", values.get("bundle_sid"), BUNDLE_SID_RE, "BU")
    for key, value in values.items():
        entry[key] = value or None
    entry["date_updated"] = now
    return entry


def render(account_sid, entry):
    """An IncomingPhoneNumber as the 2010-04-01 API answers it (every field of the spec)."""
    sid = entry["sid"]
    created = entry.get("date_created")
    updated = entry.get("date_updated")
    return {
        "account_sid": account_sid, "address_sid": entry.get("address_sid"),
        "address_requirements": entry.get("address_requirements", "none"), "api_version": "2010-04-01",
        "beta": False, "capabilities": dict(entry.get("capabilities_2010", _FULL)),
        "date_created": rfc2822(created) if created is not None else DATE_2010,
        "date_updated": rfc2822(updated) if updated is not None else DATE_2010,
        "friendly_name": entry["friendly_name"], "identity_sid": None, "phone_number": entry["phone_number"],
        "origin": "twilio", "sid": sid, "sms_application_sid": None, "sms_fallback_method": "POST",
        "sms_fallback_url": None, "sms_method": "POST", "sms_url": None, "status_callback": None,
        "status_callback_method": "POST", "trunk_sid": None,
        "uri": "/2010-04-01/Accounts/%s/IncomingPhoneNumbers/%s.json" % (account_sid, sid),
        "voice_receive_mode": "voice", "voice_application_sid": None, "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST", "voice_fallback_url": None, "voice_method": "POST", "voice_url": None,
        "emergency_status": "Inactive", "emergency_address_sid": None, "emergency_address_status": "unregistered",
        "bundle_sid": entry.get("bundle_sid"), "status": "in-use", "type": entry.get("type", "local"),
        "iso_country": entry["iso_country"],
    }
