"""Buying, updating and releasing numbers (2010-04-01 AvailablePhoneNumbers and IncomingPhoneNumbers), each
response validated against the vendored excerpt of Twilio's api v2010 spec; ``in_use`` following open sessions;
the bulk occupancy of the control API."""

from conftest import ACCOUNT, assert_error, number

ACC = "/2010-04-01/Accounts/%s" % ACCOUNT
ADDRESS = "AD" + "a" * 32
BUNDLE = "BU" + "b" * 32


def test_search_local_mobile_toll_free(api, server):
    owned = server.emulator.inventory.us_numbers    # the CLI's numbers, and what seeding grew since
    local = api.get(ACC + "/AvailablePhoneNumbers/US/Local.json", params={"PageSize": 3}).json()
    numbers = [n["phone_number"] for n in local["available_phone_numbers"]]
    assert numbers == [number(owned + i) for i in range(3)]     # the next ones nobody owns
    other = api.get(ACC + "/AvailablePhoneNumbers/US/Local.json", params={"AreaCode": "212", "PageSize": 2}).json()
    assert [n["phone_number"] for n in other["available_phone_numbers"]] == ["+12125550000", "+12125550001"]
    contains = api.get(ACC + "/AvailablePhoneNumbers/US/Local.json",
                       params={"AreaCode": "212", "Contains": "555004*", "PageSize": 3}).json()
    assert [n["phone_number"] for n in contains["available_phone_numbers"]] == ["+1212555004%d" % i for i in range(3)]
    # a letter stands for its keypad digit: "JKL" is 555
    vanity = api.get(ACC + "/AvailablePhoneNumbers/US/Local.json",
                     params={"AreaCode": "212", "Contains": "jkl004*", "PageSize": 3}).json()
    assert vanity["available_phone_numbers"] == contains["available_phone_numbers"]
    toll = api.get(ACC + "/AvailablePhoneNumbers/US/TollFree.json", params={"PageSize": 1}).json()
    assert toll["available_phone_numbers"][0]["phone_number"] == "+18885550000"
    assert api.get(ACC + "/AvailablePhoneNumbers/US/TollFree.json",
                   params={"MmsEnabled": "true"}).json()["available_phone_numbers"] == []
    mobile = api.get(ACC + "/AvailablePhoneNumbers/GB/Mobile.json", params={"PageSize": 1}).json()
    assert mobile["available_phone_numbers"][0]["address_requirements"] == "any"
    assert_error(api.get(ACC + "/AvailablePhoneNumbers/US/Mobile.json"), 404, 20404)
    assert_error(api.get(ACC + "/AvailablePhoneNumbers/US/Local.json", params={"AreaCode": "12"}), 400, 21451)


def test_buy_update_release(api, server):
    wanted = number(server.emulator.inventory.us_numbers + 1)
    bought = api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": wanted, "FriendlyName": "pool-a"})
    assert bought.status_code == 201, bought.text
    rec = bought.json()
    assert rec["phone_number"] == wanted and rec["friendly_name"] == "pool-a" and rec["sid"].startswith("PN")
    assert_error(api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": wanted}), 400, 21422)
    listed = api.get(ACC + "/IncomingPhoneNumbers.json", params={"FriendlyName": "pool-a"}).json()
    assert [n["sid"] for n in listed["incoming_phone_numbers"]] == [rec["sid"]]
    offer = api.get(ACC + "/AvailablePhoneNumbers/US/Local.json", params={"PageSize": 2}).json()
    assert wanted not in [n["phone_number"] for n in offer["available_phone_numbers"]]
    # a bought number can join a pool, and its friendly name follows an update
    ks = api.service()["sid"]
    api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": rec["sid"]})
    updated = api.post(ACC + "/IncomingPhoneNumbers/%s.json" % rec["sid"], {"FriendlyName": "pool-b"}).json()
    assert updated["friendly_name"] == "pool-b"
    assert api.get("/v1/Services/%s/PhoneNumbers/%s" % (ks, rec["sid"])).json()["friendly_name"] == "pool-b"
    # release: gone from the account and from the pool
    assert api.delete(ACC + "/IncomingPhoneNumbers/%s.json" % rec["sid"]).status_code == 204
    assert_error(api.get(ACC + "/IncomingPhoneNumbers/%s.json" % rec["sid"]), 404, 20404)
    assert api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"] == []
    by_area = api.post(ACC + "/IncomingPhoneNumbers.json", {"AreaCode": "646"})
    assert by_area.status_code == 201 and by_area.json()["phone_number"] == "+16465550000"


def test_address_and_bundle_requirements(api):
    gb = api.get(ACC + "/AvailablePhoneNumbers/GB/Local.json", params={"PageSize": 1}).json()
    gb_number = gb["available_phone_numbers"][0]["phone_number"]
    assert_error(api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": gb_number}), 400, 21631)
    ok = api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": gb_number, "AddressSid": ADDRESS})
    assert ok.status_code == 201 and ok.json()["address_sid"] == ADDRESS
    de = api.get(ACC + "/AvailablePhoneNumbers/DE/Mobile.json", params={"PageSize": 1}).json()
    de_number = de["available_phone_numbers"][0]["phone_number"]
    assert_error(api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": de_number, "AddressSid": ADDRESS}),
                 400, 21649)
    ok = api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": de_number, "BundleSid": BUNDLE})
    assert ok.status_code == 201 and ok.json()["bundle_sid"] == BUNDLE


def test_reset_undoes_purchases_and_releases(api, server):
    first = api.get(ACC + "/IncomingPhoneNumbers.json", params={"PageSize": 1}).json()["incoming_phone_numbers"][0]
    owned = len(server.emulator.inventory.numbers)
    bought = number(server.emulator.inventory.us_numbers)
    api.post(ACC + "/IncomingPhoneNumbers.json", {"PhoneNumber": bought})
    assert api.delete(ACC + "/IncomingPhoneNumbers/%s.json" % first["sid"]).status_code == 204
    api.control("POST", "reset")
    assert api.get(ACC + "/IncomingPhoneNumbers/%s.json" % first["sid"]).status_code == 200
    listed = api.get(ACC + "/IncomingPhoneNumbers.json", params={"PhoneNumber": bought}).json()
    assert listed["incoming_phone_numbers"] == []
    assert len(server.emulator.inventory.numbers) == owned


def test_occupy_and_in_use_follow_open_sessions(api):
    ks = api.service()["sid"]
    for i in range(4):
        api.add_number(ks, i)
    body = api.control("POST", "occupy", {"service_sid": ks, "sessions": 10}).json()
    assert body == {"created": 10}
    pool = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"]
    assert [n["in_use"] for n in pool] == [3, 3, 2, 2]
    first = api.get("/v1/Services/%s/Sessions" % ks, params={"PageSize": 1}).json()["sessions"][0]
    api.post("/v1/Services/%s/Sessions/%s" % (ks, first["sid"]), {"Status": "closed"})
    pool = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"]
    assert sum(n["in_use"] for n in pool) == 9
    # one participant in a session on every number: the pool is exhausted for it (80206)
    api.control("POST", "occupy", {"service_sid": ks, "sessions": 4, "identifier": "+14155550199", "prefix": "x-"})
    kc = api.session(ks)["sid"]
    assert_error(api.participant(ks, kc, "+14155550199"), 400, 80206)
    assert api.control("POST", "occupy", {"service_sid": ks, "sessions": 5, "identifier": "+1",
                                          "prefix": "y-"}).status_code == 400
