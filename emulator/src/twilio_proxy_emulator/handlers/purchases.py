"""Buying, updating and releasing the account's numbers through Twilio's 2010-04-01 API (the rules: numbers.py)."""

from .. import numbers
from ..paging import api2010_list, page_params
from ..store import ListSource
from .account import _filter_value, matches_pattern

FILTERS = ("AreaCode", "Contains", "SmsEnabled", "MmsEnabled", "VoiceEnabled")


def _available(kind):
    def handler(rules, req):
        filters = {}
        for name in FILTERS:
            value = _filter_value(req, name)
            if value:
                filters[name] = value
        size = page_params(req.query, max_size=1000)[0]
        found = numbers.search(rules.inventory, req.country, kind, filters, size, matches_pattern)
        if found is None:
            raise numbers.error(20404, "The requested resource %s was not found" % req.path, status=404)
        body = api2010_list("available_phone_numbers", ListSource(found), {"PageSize": [str(size)]}, req.path,
                            lambda entry: entry)
        return 200, body
    return handler


available_local = _available("Local")
available_mobile = _available("Mobile")
available_toll_free = _available("TollFree")


def create_incoming_number(rules, req):
    form = {name: (req.form.get(name) or [None])[0] for name in
            ("PhoneNumber", "AreaCode", "FriendlyName", "AddressSid", "BundleSid")}
    number = form["PhoneNumber"]
    if number and number.startswith(" "):      # an unencoded "+" reads as a space
        number = "+" + number[1:]
    entry = numbers.buy(rules.inventory, rules.now(), number, form["AreaCode"], form["FriendlyName"],
                        form["AddressSid"], form["BundleSid"])
    rules.store.mark_dirty()
    return 201, numbers.render(rules.account_sid, entry)


def update_incoming_number(rules, req):
    entry = numbers.update(req.incoming_number, rules.now(), req.form)
    owner = rules.store.number_owner.get(entry["sid"])
    if owner is not None and "friendly_name" in entry:     # the pool entry shows the number's friendly name
        pooled = rules.store.numbers[owner].get(entry["sid"])
        if pooled is not None:
            pooled["friendly_name"] = entry["friendly_name"]
    rules.store.mark_dirty()
    return 200, numbers.render(rules.account_sid, entry)


def delete_incoming_number(rules, req):
    """Release: the number leaves the account, and the Proxy pool that held it."""
    sid = req.incoming_number["sid"]
    owner = rules.store.number_owner.get(sid)
    if owner is not None:
        rules.store.remove_number(owner, sid)
    rules.inventory.release(sid)
    rules.store.mark_dirty()
    return 204, None
