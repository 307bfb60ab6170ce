import urllib.parse

from conftest import assert_error


def test_create_fetch_defaults(api):
    svc = api.service("alpha")
    assert svc["unique_name"] == "alpha"
    assert svc["sid"].startswith("KS") and len(svc["sid"]) == 34
    assert svc["default_ttl"] == 0
    assert svc["geo_match_level"] == "country"
    assert svc["number_selection_behavior"] == "prefer-sticky"
    for field in ("callback_url", "intercept_callback_url", "out_of_session_callback_url", "chat_instance_sid"):
        assert svc[field] is None
    assert svc["url"] == api.url + "/v1/Services/" + svc["sid"]
    assert svc["links"] == {k: svc["url"] + "/" + v for k, v in
                            {"sessions": "Sessions", "phone_numbers": "PhoneNumbers", "short_codes": "ShortCodes"}.items()}
    assert svc["date_created"].endswith("Z") and len(svc["date_created"]) == 20
    fetched = api.get("/v1/Services/" + svc["sid"])
    assert fetched.status_code == 200 and fetched.json() == svc


def test_create_all_fields_update_and_clear(api):
    svc = api.service("full", DefaultTtl="3600", CallbackUrl="https://example.com/cb", GeoMatchLevel="area-code",
                      NumberSelectionBehavior="avoid-sticky", InterceptCallbackUrl="https://example.com/i",
                      OutOfSessionCallbackUrl="https://example.com/o",
                      ChatInstanceSid="IS" + "a" * 32)
    assert svc["default_ttl"] == 3600 and svc["geo_match_level"] == "area-code"
    resp = api.post("/v1/Services/" + svc["sid"], {
        "CallbackUrl": "", "UniqueName": "renamed", "GeoMatchLevel": "extended-area-code", "ChatInstanceSid": ""})
    assert resp.status_code == 200
    body = resp.json()
    assert body["callback_url"] is None and body["chat_instance_sid"] is None
    assert body["unique_name"] == "renamed" and body["geo_match_level"] == "extended-area-code"
    assert body["intercept_callback_url"] == "https://example.com/i"
    # the old name is free again, the new one is taken
    api.service("full")
    assert_error(api.post("/v1/Services", {"UniqueName": "renamed"}), 400, 80602)


def test_unique_name_rules(api):
    api.service("dup")
    body = assert_error(api.post("/v1/Services", {"UniqueName": "dup"}), 400, 80602)
    assert body["message"] == "Service UniqueName must be unique."
    other = api.service("other")
    assert_error(api.post("/v1/Services/" + other["sid"], {"UniqueName": "dup"}), 400, 80602)
    assert api.post("/v1/Services/" + other["sid"], {"UniqueName": "other"}).status_code == 200
    api.service("x" * 191)


def test_validation_errors(api):
    cases = [
        ({}, "UniqueName"),
        ({"UniqueName": ""}, "UniqueName"),
        ({"UniqueName": "x" * 192}, "UniqueName"),
        ({"UniqueName": "a", "DefaultTtl": "-1"}, "DefaultTtl"),
        ({"UniqueName": "a", "DefaultTtl": "ten"}, "DefaultTtl"),
        ({"UniqueName": "a", "GeoMatchLevel": "planet"}, "GeoMatchLevel"),
        ({"UniqueName": "a", "NumberSelectionBehavior": "sticky"}, "NumberSelectionBehavior"),
        ({"UniqueName": "a", "ChatInstanceSid": "IS123"}, "ChatInstanceSid"),
        ({"UniqueName": "a", "CallbackUrl": "not a url"}, "CallbackUrl"),
    ]
    for form, param in cases:
        body = assert_error(api.post("/v1/Services", form), 400, 80701)
        assert body["message"].startswith("'%s' is invalid." % param), body
    assert api.get("/v1/Services").json()["services"] == []


def test_not_found_and_methods(api):
    sid = "KS" + "0" * 32
    body = assert_error(api.get("/v1/Services/" + sid), 404, 20404)
    assert body["message"] == "The requested resource /Services/%s was not found" % sid
    assert_error(api.post("/v1/Services/" + sid, {"DefaultTtl": "1"}), 404, 20404)
    assert_error(api.delete("/v1/Services/" + sid), 404, 20404)
    assert_error(api.get("/v1/Nope"), 404, 20404)
    resp = api.request("PUT", "/v1/Services")
    assert_error(resp, 405, 20004)
    assert "POST" in resp.headers["Allow"]


def test_fetch_by_unique_name_switch(api):
    svc = api.service("Order #1234 / x")
    quoted = urllib.parse.quote("Order #1234 / x", safe="")
    assert api.get("/v1/Services/" + quoted).json()["sid"] == svc["sid"]
    # update and delete take the SID only
    assert_error(api.post("/v1/Services/" + quoted, {"DefaultTtl": "5"}), 404, 20404)
    assert_error(api.delete("/v1/Services/" + quoted), 404, 20404)
    assert api.control("POST", "settings", {"fetch_by_unique_name": False}).json()["fetch_by_unique_name"] is False
    assert_error(api.get("/v1/Services/" + quoted), 404, 20404)
    assert api.get("/v1/Services/" + svc["sid"]).status_code == 200


def test_delete_cascades(api):
    svc = api.service("gone")
    api.add_number(svc["sid"], 0)
    sess = api.session(svc["sid"], UniqueName="s1")
    assert api.participant(svc["sid"], sess["sid"], "+15005550006").status_code == 201
    resp = api.delete("/v1/Services/" + svc["sid"])
    assert resp.status_code == 204 and resp.content == b""
    assert_error(api.get("/v1/Services/" + svc["sid"]), 404, 20404)
    assert_error(api.get("/v1/Services/%s/Sessions/%s" % (svc["sid"], sess["sid"])), 404, 20404)
    # the number is free for another service now
    other = api.service("other")
    api.add_number(other["sid"], 0)


def test_paging_follows_next_page_url(api):
    created = [api.service("svc-%03d" % i)["sid"] for i in range(130)]
    resp = api.get("/v1/Services", params={"PageSize": 1000})
    page = resp.json()
    assert len(page["services"]) == 100
    assert page["meta"]["page_size"] == 100 and page["meta"]["key"] == "services"
    assert page["meta"]["previous_page_url"] is None
    assert page["meta"]["first_page_url"] == api.url + "/v1/Services?PageSize=100&Page=0"
    seen = [s["sid"] for s in page["services"]]
    nxt = page["meta"]["next_page_url"]
    assert nxt.startswith(api.url + "/v1/Services?") and "PageToken=" in nxt and "Page=1" in nxt
    while nxt:
        page = api.get(nxt).json()
        seen += [s["sid"] for s in page["services"]]
        nxt = page["meta"]["next_page_url"]
    assert seen == created
    # small pages, Page without token (offset), previous link
    p2 = api.get("/v1/Services", params={"PageSize": 7, "Page": 2}).json()
    assert [s["sid"] for s in p2["services"]] == created[14:21]
    assert p2["meta"]["previous_page_url"] == api.url + "/v1/Services?PageSize=7&Page=1"
    # a deleted record does not break token paging
    first = api.get("/v1/Services", params={"PageSize": 10}).json()
    api.delete("/v1/Services/" + created[10])
    second = api.get(first["meta"]["next_page_url"]).json()
    assert [s["sid"] for s in second["services"]] == created[11:21]
    for bad in ({"PageSize": "0"}, {"PageSize": "x"}, {"Page": "-1"}, {"PageToken": "garbage"}):
        assert_error(api.get("/v1/Services", params=bad), 400, 80701)


def test_a_parent_is_named_by_its_sid_only(api):
    """Only the path's own record may be a unique name (on GET); a parent given by name is not found."""
    svc = api.service("parent")
    sess = api.session(svc["sid"], UniqueName="child")
    assert api.get("/v1/Services/parent/Sessions/%s" % sess["sid"]).status_code == 404
    assert api.get("/v1/Services/parent/Sessions").status_code == 404
    assert api.get("/v1/Services/parent/PhoneNumbers").status_code == 404
    assert api.get("/v1/Services/%s/Sessions/child/Participants" % svc["sid"]).status_code == 404
    body = assert_error(api.get("/v1/Services/%s/Sessions/child/Interactions" % svc["sid"]), 404, 20404)
    assert body["message"] == "The requested resource /Services/%s/Sessions/child/Interactions was not found" % (
        svc["sid"])
    assert api.get("/v1/Services/%s/Sessions/child" % svc["sid"]).json()["sid"] == sess["sid"]
