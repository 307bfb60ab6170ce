import hashlib
import threading

from conftest import (ACCOUNT, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN, INVENTORY_NUMBERS, KEY_AUTH, Api,
                      assert_error, gb_number, number)
from twilio_proxy_emulator.server import Emulator, base_url, make_server


def pn(e164):
    return "PN" + hashlib.sha256(e164.encode()).hexdigest()[:32]


def sc(code):
    return "SC" + hashlib.sha256(code.encode()).hexdigest()[:32]


def test_add_by_sid_and_by_number(api):
    svc = api.service()
    ks = svc["sid"]
    by_sid = api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": pn(number(1))})
    assert by_sid.status_code == 201
    rec = by_sid.json()
    assert rec["sid"] == pn(number(1)) and rec["phone_number"] == number(1)
    assert rec["friendly_name"] == "(415) 555-0001" and rec["iso_country"] == "US"
    assert rec["is_reserved"] is False and rec["in_use"] == 0
    assert rec["capabilities"]["sms_outbound"] is True
    assert rec["url"] == api.url + "/v1/Services/%s/PhoneNumbers/%s" % (ks, rec["sid"])
    gb = api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": gb_number(2), "IsReserved": "true"}).json()
    assert gb["iso_country"] == "GB" and gb["is_reserved"] is True and gb["sid"] == pn(gb_number(2))
    both = api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": pn(number(3)), "PhoneNumber": number(3)})
    assert both.status_code == 201
    listing = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()
    assert [n["phone_number"] for n in listing["phone_numbers"]] == [number(1), gb_number(2), number(3)]
    assert listing["meta"]["key"] == "phone_numbers"


def test_fetch_update_delete(api):
    ks = api.service()["sid"]
    rec = api.add_number(ks, 5)
    path = "/v1/Services/%s/PhoneNumbers/%s" % (ks, rec["sid"])
    assert api.get(path).json() == rec
    upd = api.post(path, {"IsReserved": "True"})
    assert upd.status_code == 200 and upd.json()["is_reserved"] is True
    assert_error(api.post(path, {"IsReserved": "maybe"}), 400, 80701)
    assert api.delete(path).status_code == 204
    assert_error(api.get(path), 404, 20404)
    assert_error(api.delete(path), 404, 20404)
    assert_error(api.get("/v1/Services/%s/PhoneNumbers/%s" % ("KS" + "1" * 32, rec["sid"])), 404, 20404)


def test_number_rules(api):
    ks = api.service("one")["sid"]
    other = api.service("two")["sid"]
    api.add_number(ks, 0)
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": number(0)}), 400, 80104)
    body = assert_error(api.post("/v1/Services/%s/PhoneNumbers" % other, {"Sid": pn(number(0))}), 400, 80601)
    assert "another Proxy Service" in body["message"]
    # not a number of this account (well formed): 80601, "not a phone number of this account"
    body = assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": "+14155559999"}), 400, 80601)
    assert "not a phone number of this account" in body["message"]
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": "PN" + "f" * 32}), 400, 80601)
    # malformed, missing, mismatched
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": "PN12"}), 400, 80701)
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": "4155550001"}), 400, 80701)
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {}), 400, 80701)
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks, {"Sid": pn(number(1)), "PhoneNumber": number(2)}),
                 400, 80701)
    assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ("KS" + "2" * 32), {"PhoneNumber": number(1)}), 404, 20404)


def test_unreserved_pool_limit(api):
    svc = api.service("big")
    seeded = api.control("POST", "seed", {"service_sid": svc["sid"], "phone_numbers": 500}).json()
    assert seeded["phone_numbers"] == 500
    body = assert_error(api.post("/v1/Services/%s/PhoneNumbers" % svc["sid"], {"PhoneNumber": number(600)}), 400, 80701)
    assert "500 unreserved" in body["message"]
    # reserved numbers have their own (5000) limit
    assert api.post("/v1/Services/%s/PhoneNumbers" % svc["sid"],
                    {"PhoneNumber": number(600), "IsReserved": "true"}).status_code == 201
    # un-reserving it would exceed the unreserved limit
    assert_error(api.post("/v1/Services/%s/PhoneNumbers/%s" % (svc["sid"], pn(number(600))), {"IsReserved": "false"}),
                 400, 80701)
    pages, nxt = 0, "/v1/Services/%s/PhoneNumbers?PageSize=100" % svc["sid"]
    total = 0
    while nxt:
        page = api.get(nxt).json()
        total += len(page["phone_numbers"])
        nxt, pages = page["meta"]["next_page_url"], pages + 1
    assert total == 501 and pages == 6


def test_short_codes(api):
    ks = api.service("sc")["sid"]
    other = api.service("sc2")["sid"]
    resp = api.post("/v1/Services/%s/ShortCodes" % ks, {"Sid": sc("89000")})
    assert resp.status_code == 201
    rec = resp.json()
    assert rec["short_code"] == "89000" and rec["iso_country"] == "US" and rec["is_reserved"] is False
    path = "/v1/Services/%s/ShortCodes/%s" % (ks, rec["sid"])
    assert rec["url"] == api.url + path
    assert api.get(path).json() == rec
    assert api.post(path, {"IsReserved": "true"}).json()["is_reserved"] is True
    listing = api.get("/v1/Services/%s/ShortCodes" % ks).json()
    assert listing["meta"]["key"] == "short_codes" and len(listing["short_codes"]) == 1
    assert_error(api.post("/v1/Services/%s/ShortCodes" % ks, {"Sid": sc("89000")}), 400, 80105)
    assert_error(api.post("/v1/Services/%s/ShortCodes" % other, {"Sid": sc("89000")}), 400, 80601)
    assert_error(api.post("/v1/Services/%s/ShortCodes" % ks, {"Sid": sc("12345")}), 400, 80303)
    assert_error(api.post("/v1/Services/%s/ShortCodes" % ks, {"Sid": "SC1"}), 400, 80701)
    assert_error(api.post("/v1/Services/%s/ShortCodes" % ks, {}), 400, 80701)
    assert api.delete(path).status_code == 204
    assert_error(api.get(path), 404, 20404)
    assert api.post("/v1/Services/%s/ShortCodes" % other, {"Sid": sc("89000")}).status_code == 201


def test_account_inventory_2010(api):
    base = "/2010-04-01/Accounts/%s" % ACCOUNT
    first = api.get(base + "/IncomingPhoneNumbers.json").json()
    assert first["page_size"] == 50 and len(first["incoming_phone_numbers"]) == 50
    assert first["incoming_phone_numbers"][0]["phone_number"] == number(0)
    seen, nxt = [], base + "/IncomingPhoneNumbers.json?PageSize=1000"
    while nxt:
        page = api.get(nxt).json()
        seen += [n["phone_number"] for n in page["incoming_phone_numbers"]]
        nxt = page["next_page_uri"]
    assert len(seen) == INVENTORY_NUMBERS + 5 and seen[-1] == gb_number(4)
    second = api.get(first["next_page_uri"]).json()
    assert second["page"] == 1 and second["start"] == 50
    assert second["incoming_phone_numbers"][0]["phone_number"] == number(50)
    one = api.get(base + "/IncomingPhoneNumbers.json", params={"PhoneNumber": number(7)}).json()
    assert [n["sid"] for n in one["incoming_phone_numbers"]] == [pn(number(7))]
    raw_plus = api.get(base + "/IncomingPhoneNumbers.json?PhoneNumber=" + number(7)).json()
    assert len(raw_plus["incoming_phone_numbers"]) == 1
    assert api.get(base + "/IncomingPhoneNumbers.json", params={"PhoneNumber": "+10000000000"}).json()[
        "incoming_phone_numbers"] == []
    fetched = api.get(base + "/IncomingPhoneNumbers/%s.json" % pn(number(7))).json()
    assert fetched["phone_number"] == number(7) and fetched["account_sid"] == ACCOUNT
    assert_error(api.get(base + "/IncomingPhoneNumbers/%s.json" % ("PN" + "0" * 32)), 404, 20404)
    codes = api.get(base + "/SMS/ShortCodes.json").json()
    assert [c["short_code"] for c in codes["short_codes"]] == ["%05d" % (89000 + i) for i in range(10)]
    assert api.get(base + "/SMS/ShortCodes.json", params={"ShortCode": "89003"}).json()["short_codes"][0][
        "sid"] == sc("89003")
    assert_error(api.get("/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json" % ("AC" + "1" * 32)), 401, 20003)


def test_incoming_number_filter_is_a_pattern_as_twilio_documents(api):
    """Twilio: "You can specify partial numbers and use '*' as a wildcard for any digit." A full E.164 number
    finds exactly that number; API-key credentials work; nonsense finds nothing."""
    base = "/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json" % ACCOUNT

    def found(pattern, auth=None):
        resp = api.get(base, params={"PhoneNumber": pattern, "PageSize": 1000}, auth=auth)
        assert resp.status_code == 200, resp.text
        return [n["phone_number"] for n in resp.json()["incoming_phone_numbers"]]

    assert found(number(7)) == [number(7)]
    assert found(number(7), auth=KEY_AUTH) == [number(7)]
    assert found("+1415555000*") == [number(i) for i in range(10)]
    assert found("555001*") == [number(i) for i in range(10, 20)]
    assert found("+44770090000*") == [gb_number(i) for i in range(5)]
    assert found("+1415555000") == [number(i) for i in range(10)]          # partial: a prefix
    assert found("4155550007") == [number(7)]                               # partial: without the +1
    for nonsense in ("+1 415 555 0007", "abc", "+1415555000?", "+14155550007\n"):
        assert found(nonsense) == []
    codes = "/2010-04-01/Accounts/%s/SMS/ShortCodes.json" % ACCOUNT
    assert [c["short_code"] for c in api.get(codes, params={"ShortCode": "8900*"}).json()["short_codes"]] == [
        "%05d" % (89000 + i) for i in range(10)]


def test_reserved_pool_limit():
    """5,000 reserved numbers per service (Twilio's limit): the 5,001st is refused naming IsReserved; seeding that
    many is quick (pool counts are kept, not recounted)."""
    emulator = Emulator(ACCOUNT, DEFAULT_AUTH_TOKEN, DEFAULT_API_KEY, DEFAULT_API_SECRET, numbers=5002, quiet=True)
    server = make_server("127.0.0.1", 0, emulator)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        api = Api(base_url(server))
        ks = api.service("reserved")["sid"]
        seeded = api.control("POST", "seed", {"service_sid": ks, "phone_numbers": 5000, "is_reserved": True})
        assert seeded.json()["phone_numbers"] == 5000
        body = assert_error(api.post("/v1/Services/%s/PhoneNumbers" % ks,
                                     {"PhoneNumber": number(5000), "IsReserved": "true"}), 400, 80701)
        assert "'IsReserved'" in body["message"] and "5000 reserved" in body["message"]
        assert api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": number(5000)}).status_code == 201
        # un-reserving one frees a place
        assert api.post("/v1/Services/%s/PhoneNumbers/%s" % (ks, pn(number(0))),
                        {"IsReserved": "false"}).json()["is_reserved"] is False
        assert api.post("/v1/Services/%s/PhoneNumbers" % ks,
                        {"PhoneNumber": number(5001), "IsReserved": "true"}).status_code == 201
        assert api.delete("/v1/Services/%s/PhoneNumbers/%s" % (ks, pn(number(5001)))).status_code == 204
        assert api.post("/v1/Services/%s/PhoneNumbers/%s" % (ks, pn(number(0))),
                        {"IsReserved": "true"}).status_code == 200
    finally:
        server.shutdown()
        server.server_close()


def test_seed_grows_the_inventory_for_a_big_pool(api):
    """A pool bigger than the numbers the account owns: the seed buys the rest, as the estate does."""
    ks = api.service("big")["sid"]
    want = INVENTORY_NUMBERS + 50  # more than the account owns
    seeded = api.control("POST", "seed", {"service_sid": ks, "phone_numbers": want, "is_reserved": True}).json()
    assert seeded["phone_numbers"] == want
    pool, nxt = [], "/v1/Services/%s/PhoneNumbers?PageSize=100" % ks
    while nxt:
        page = api.get(nxt).json()
        pool += page["phone_numbers"]
        nxt = page["meta"]["next_page_url"]
    assert len(pool) == want and len(set(n["phone_number"] for n in pool)) == want
