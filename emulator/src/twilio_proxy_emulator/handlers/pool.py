"""A service's pool: phone numbers (/PhoneNumbers) and short codes (/ShortCodes, removed from Twilio's spec)."""

from .. import params as P
from ..errors import invalid, rule
from ..views import PHONE_NUMBER_VIEW, SHORT_CODE_VIEW
from . import listing

NUMBER_CREATE_PARAMS = {"Sid": P.Sid(nullable=False, prefix="PN"), "PhoneNumber": P.E164(),
                        "IsReserved": P.Bool()}
SHORT_CODE_CREATE_PARAMS = {"Sid": P.Sid(nullable=False, prefix="SC"), "IsReserved": P.Bool()}
RESERVED_PARAMS = {"IsReserved": P.Bool()}


def _render_number(rules, req, rec):
    return PHONE_NUMBER_VIEW.render(rec, req.base, {"in_use": rules.in_use(rec["sid"])})


def list_phone_numbers(rules, req):
    numbers = rules.store.numbers[req.service["sid"]]
    return 200, listing(req, PHONE_NUMBER_VIEW, numbers, lambda rec: _render_number(rules, req, rec))


def create_phone_number(rules, req):
    values = P.parse(req.form, NUMBER_CREATE_PARAMS)
    sid, number = values.get("sid"), values.get("phone_number")
    if sid is None and number is None:
        raise invalid("Sid", "One of Sid or PhoneNumber is required.")
    inventory = rules.inventory
    entry = inventory.number_by_sid.get(sid) if sid else inventory.number_by_e164.get(number)
    if sid and number and entry is not None and entry["phone_number"] != number:
        raise invalid("PhoneNumber", "It does not match the number of 'Sid'.")
    if entry is None:
        raise rule(80601, "Phone Number Not Available: %s is not a phone number of this account." % (sid or number))
    rec = rules.add_number(req.service, entry, values.get("is_reserved", False))
    return 201, PHONE_NUMBER_VIEW.render(rec, req.base, {"in_use": 0})


def fetch_phone_number(rules, req):
    return 200, _render_number(rules, req, req.phone_number)


def update_phone_number(rules, req):
    values = P.parse(req.form, RESERVED_PARAMS)
    if "is_reserved" in values:
        rules.set_reserved(req.phone_number, values["is_reserved"])
    else:
        rules.touch(req.phone_number)
    return 200, _render_number(rules, req, req.phone_number)


def delete_phone_number(rules, req):
    rules.remove_number(req.phone_number)
    return 204, None


def list_short_codes(rules, req):
    return 200, listing(req, SHORT_CODE_VIEW, rules.store.short_codes[req.service["sid"]])


def create_short_code(rules, req):
    values = P.parse(req.form, SHORT_CODE_CREATE_PARAMS, required=["Sid"])
    entry = rules.inventory.short_code_by_sid.get(values["sid"])
    if entry is None:
        raise rule(80303, "Short Code Sid is not associated with your Account.")
    rec = rules.add_short_code(req.service, entry, values.get("is_reserved", False))
    return 201, SHORT_CODE_VIEW.render(rec, req.base)


def fetch_short_code(rules, req):
    return 200, SHORT_CODE_VIEW.render(req.short_code, req.base)


def update_short_code(rules, req):
    req.short_code.update(P.parse(req.form, RESERVED_PARAMS))
    rules.touch(req.short_code)
    return 200, SHORT_CODE_VIEW.render(req.short_code, req.base)


def delete_short_code(rules, req):
    rules.remove_short_code(req.short_code)
    return 204, None
