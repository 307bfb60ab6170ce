import json

from conftest import assert_error, gb_number, number


def _setup(api, numbers=(0, 1), **svc_fields):
    ks = api.service("p", **svc_fields)["sid"]
    for i in numbers:
        api.add_number(ks, i)
    return ks


def _parts(api, ks, kc):
    return "/v1/Services/%s/Sessions/%s/Participants" % (ks, kc)


def test_create_fetch_list_delete(api):
    ks = _setup(api)
    kc = api.session(ks)["sid"]
    resp = api.participant(ks, kc, "+15005550001", FriendlyName="Alice")
    assert resp.status_code == 201
    alice = resp.json()
    assert alice["identifier"] == "+15005550001" and alice["friendly_name"] == "Alice"
    assert alice["proxy_identifier"] == number(0) and alice["proxy_identifier_sid"].startswith("PN")
    assert alice["date_deleted"] is None and alice["session_sid"] == kc and alice["service_sid"] == ks
    url = api.url + _parts(api, ks, kc) + "/" + alice["sid"]
    assert alice["url"] == url and alice["links"] == {"message_interactions": url + "/MessageInteractions"}
    assert api.get(url).json() == alice
    bob = api.participant(ks, kc, "+15005550002").json()
    # the least-loaded number is chosen
    assert bob["proxy_identifier"] == number(1)
    deleted = api.delete(url)
    assert deleted.status_code == 200 and deleted.content == b""
    assert api.delete(url).status_code == 200      # soft delete again: no-op
    listing = api.get(_parts(api, ks, kc)).json()
    assert listing["meta"]["key"] == "participants"
    got = {p["sid"]: p for p in listing["participants"]}
    assert got[alice["sid"]]["date_deleted"] is not None and got[bob["sid"]]["date_deleted"] is None
    assert_error(api.participant(ks, kc, "+15005550001"), 400, 80612)
    assert_error(api.participant(ks, kc, "+15005550002"), 400, 80103)
    # a deleted participant frees a slot
    assert api.participant(ks, kc, "+15005550003").status_code == 201
    assert_error(api.participant(ks, kc, "+15005550004"), 400, 80609)
    # no update operation
    assert_error(api.post(url, {"FriendlyName": "x"}), 405, 20004)
    assert_error(api.get(_parts(api, ks, kc) + "/KP" + "0" * 32), 404, 20404)


def test_one_number_serves_both_participants(api):
    ks = _setup(api, numbers=(0,))
    kc = api.session(ks)["sid"]
    a = api.participant(ks, kc, "+15005550001").json()
    b = api.participant(ks, kc, "+15005550002").json()
    assert a["proxy_identifier"] == b["proxy_identifier"] == number(0)
    assert api.get("/v1/Services/%s/PhoneNumbers/%s" % (ks, a["proxy_identifier_sid"])).json()["in_use"] == 1


def test_validation(api):
    ks = _setup(api)
    kc = api.session(ks)["sid"]
    assert_error(api.post(_parts(api, ks, kc), {}), 400, 80701)
    assert_error(api.participant(ks, kc, "+15005550001", FriendlyName="x" * 256), 400, 80701)
    assert_error(api.participant(ks, kc, "x" * 192), 400, 80701)
    assert_error(api.participant(ks, kc, "+15005550001", ProxyIdentifierSid="PN1"), 400, 80701)
    assert_error(api.participant(ks, kc, "555-1234"), 400, 80404)
    assert_error(api.participant(ks, kc, "messenger:123"), 400, 80616)
    assert_error(api.participant(ks, "KC" + "0" * 32, "+15005550001"), 404, 20404)
    chat = api.session(ks, Mode="message-only")["sid"]
    ch = api.participant(ks, chat, "messenger:123", ProxyIdentifier="messenger:987").json()
    assert ch["proxy_identifier"] == "messenger:987" and ch["proxy_identifier_sid"] is None
    wa = api.participant(ks, chat, "whatsapp:+15005550009").json()
    assert wa["proxy_identifier"] == number(0)


def test_explicit_proxy_identifier(api):
    ks = _setup(api, numbers=(0, 1, 2))
    other = api.service("other")["sid"]
    api.add_number(other, 3)
    # a reserved number can be named explicitly
    api.post("/v1/Services/%s/PhoneNumbers/%s" % (ks, api.get("/v1/Services/%s/PhoneNumbers" % ks).json()[
        "phone_numbers"][2]["sid"]), {"IsReserved": "true"})
    kc = api.session(ks)["sid"]
    p = api.participant(ks, kc, "+15005550001", ProxyIdentifier=number(2)).json()
    assert p["proxy_identifier"] == number(2)
    sid1 = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"][1]["sid"]
    p2 = api.participant(ks, kc, "+15005550002", ProxyIdentifierSid=sid1).json()
    assert p2["proxy_identifier"] == number(1)
    kc2 = api.session(ks)["sid"]
    assert_error(api.participant(ks, kc2, "+15005550001", ProxyIdentifier=number(3)), 400, 80605)  # other service
    assert_error(api.participant(ks, kc2, "+15005550001", ProxyIdentifier="+19999999999"), 400, 80605)
    assert_error(api.participant(ks, kc2, "+15005550001", ProxyIdentifierSid="PN" + "0" * 32), 400, 80605)
    assert_error(api.participant(ks, kc2, "+15005550001", ProxyIdentifierSid=sid1, ProxyIdentifier=number(0)),
                 400, 80701)
    # +15005550001 already holds number(2) in an active session
    assert_error(api.participant(ks, kc2, "+15005550001", ProxyIdentifier=number(2)), 400, 80604)


def test_pool_selection_errors(api):
    empty = api.service("empty")["sid"]
    kc = api.session(empty)["sid"]
    assert_error(api.participant(empty, kc, "+15005550001"), 400, 80205)
    ks = _setup(api, numbers=(0,))
    pn = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"][0]
    api.post(pn["url"], {"IsReserved": "true"})
    kc = api.session(ks)["sid"]
    assert_error(api.participant(ks, kc, "+15005550001"), 400, 80207)
    api.post(pn["url"], {"IsReserved": "false"})
    assert api.participant(ks, kc, "+15005550001").status_code == 201
    kc2 = api.session(ks)["sid"]
    # the only number is already held by this identifier in an active session
    assert_error(api.participant(ks, kc2, "+15005550001"), 400, 80206)
    # another identifier can use the same number in another session
    assert api.participant(ks, kc2, "+15005550002").status_code == 201
    assert api.get(pn["url"]).json()["in_use"] == 2
    # closing the first session frees the number for that identifier
    api.post("/v1/Services/%s/Sessions/%s" % (ks, kc), {"Status": "closed"})
    assert api.participant(ks, kc2, "+15005550001").status_code == 201
    # geo: a GB identifier needs a GB number
    kc3 = api.session(ks)["sid"]
    assert_error(api.participant(ks, kc3, "+447700900123"), 400, 80203)
    api.post("/v1/Services/%s/PhoneNumbers" % ks, {"PhoneNumber": gb_number(0)})
    assert api.participant(ks, kc3, "+447700900123").json()["proxy_identifier"] == gb_number(0)
    # a closed session takes no participants
    assert_error(api.participant(ks, kc, "+15005550009"), 400, 80607)


def test_area_code_matching(api):
    ks = _setup(api, numbers=(0,), GeoMatchLevel="area-code")
    kc = api.session(ks)["sid"]
    assert_error(api.participant(ks, kc, "+12125550001"), 400, 80203)
    assert api.participant(ks, kc, "+14155550999").json()["proxy_identifier"] == number(0)


def test_sticky_behaviour(api):
    sticky = _setup(api, numbers=(0, 1, 2))
    s1 = api.session(sticky)["sid"]
    api.participant(sticky, s1, "+15005550002")          # loads number(0)
    first = api.participant(sticky, s1, "+15005550001").json()["proxy_identifier"]
    api.post("/v1/Services/%s/Sessions/%s" % (sticky, s1), {"Status": "closed"})
    s2 = api.session(sticky)["sid"]
    api.participant(sticky, s2, "+15005550003")
    assert api.participant(sticky, s2, "+15005550001").json()["proxy_identifier"] == first

    avoid = api.service("avoid", NumberSelectionBehavior="avoid-sticky")["sid"]
    for i in (10, 11, 12):
        api.add_number(avoid, i)
    used = []
    for attempt in range(3):
        kc = api.session(avoid)["sid"]
        used.append(api.participant(avoid, kc, "+15005550001").json()["proxy_identifier"])
        api.post("/v1/Services/%s/Sessions/%s" % (avoid, kc), {"Status": "closed"})
    assert sorted(used) == [number(10), number(11), number(12)]


def test_least_loaded_and_in_use(api):
    ks = _setup(api, numbers=(0, 1))
    got = []
    for i in range(4):
        kc = api.session(ks)["sid"]
        got.append(api.participant(ks, kc, "+1500555010%d" % i).json()["proxy_identifier"])
    assert got == [number(0), number(1), number(0), number(1)]
    assert [n["in_use"] for n in api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"]] == [2, 2]


def test_interactions(api):
    ks = _setup(api)
    sess = api.session(ks)
    kc = sess["sid"]
    alice = api.participant(ks, kc, "+15005550001").json()
    bob = api.participant(ks, kc, "+15005550002").json()
    mi_url = alice["links"]["message_interactions"]
    assert_error(api.post(mi_url, {}), 400, 80701)
    resp = api.post(mi_url, {"Body": "hello"})
    assert resp.status_code == 200
    mi = resp.json()
    assert json.loads(mi["data"]) == {"body": "hello"} and mi["type"] == "message"
    assert mi["participant_sid"] == alice["sid"] and mi["outbound_participant_sid"] == alice["sid"]
    assert mi["inbound_resource_status"] is None and mi["outbound_resource_sid"].startswith("SM")
    assert mi["url"] == mi_url + "/" + mi["sid"]
    assert api.get(mi["url"]).json() == mi
    listed = api.get(mi_url).json()
    assert listed["meta"]["key"] == "interactions" and [i["sid"] for i in listed["interactions"]] == [mi["sid"]]
    assert api.get(bob["links"]["message_interactions"]).json()["interactions"] == []
    assert_error(api.get(bob["links"]["message_interactions"] + "/" + mi["sid"]), 404, 20404)
    session = api.get(sess["url"]).json()
    assert session["status"] == "in-progress" and session["date_last_interaction"] is not None
    inter = api.get(sess["links"]["interactions"]).json()
    assert inter["meta"]["key"] == "interactions" and len(inter["interactions"]) == 1
    one = api.get(sess["links"]["interactions"] + "/" + mi["sid"]).json()
    assert one["sid"] == mi["sid"] and "participant_sid" not in one
    # control-API interaction (inbound from bob, outbound to alice)
    created = api.control("POST", "interactions", {"service_sid": ks, "session_sid": kc, "type": "voice",
                                                   "data": {"duration": "5"}, "inbound_participant_sid": bob["sid"],
                                                   "outbound_participant_sid": alice["sid"]})
    assert created.status_code == 201
    voice = created.json()
    assert voice["type"] == "voice" and voice["inbound_resource_type"] == "Call"
    assert api.get(sess["links"]["interactions"] + "/" + voice["sid"]).json()["data"] == '{"duration":"5"}'
    assert api.delete(sess["links"]["interactions"] + "/" + voice["sid"]).status_code == 204
    assert_error(api.get(sess["links"]["interactions"] + "/" + voice["sid"]), 404, 20404)
    # a deleted participant gets no messages
    api.delete(bob["url"])
    assert_error(api.post(bob["links"]["message_interactions"], {"Body": "x"}), 400, 80405)
    # closed session: no more messages
    api.post(sess["url"], {"Status": "closed"})
    assert_error(api.post(mi_url, {"Body": "late"}), 400, 80607)
