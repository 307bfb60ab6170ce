import datetime
import json
import time
import urllib.parse

from conftest import assert_error, number


def _svc(api, **fields):
    svc = api.service("s", **fields)
    api.add_number(svc["sid"], 0)
    api.add_number(svc["sid"], 1)
    return svc["sid"]


def test_create_defaults_fetch_list(api):
    ks = api.service("s", DefaultTtl="600")["sid"]
    sess = api.session(ks)
    assert sess["status"] == "open" and sess["mode"] == "voice-and-message"
    assert sess["ttl"] == 600 and sess["unique_name"] is None and sess["closed_reason"] is None
    assert sess["date_started"] == sess["date_created"] and sess["date_ended"] is None
    assert sess["date_expiry"] is None and sess["date_last_interaction"] is None
    url = api.url + "/v1/Services/%s/Sessions/%s" % (ks, sess["sid"])
    assert sess["url"] == url
    assert sess["links"] == {"interactions": url + "/Interactions", "participants": url + "/Participants"}
    named = api.session(ks, UniqueName="Order #1", Mode="message-only", Ttl="0",
                        DateExpiry="2030-01-02T03:04:05+01:00")
    assert named["mode"] == "message-only" and named["ttl"] == 0
    assert named["date_expiry"] == "2030-01-02T02:04:05Z"
    listing = api.get("/v1/Services/%s/Sessions" % ks).json()
    assert [s["sid"] for s in listing["sessions"]] == [sess["sid"], named["sid"]]
    assert api.get("/v1/Services/%s/Sessions/%s" % (ks, sess["sid"])).json() == sess


def test_session_validation(api):
    ks = api.service("s")["sid"]
    path = "/v1/Services/%s/Sessions" % ks
    for form, param in [({"UniqueName": "x" * 192}, "UniqueName"), ({"Ttl": "-5"}, "Ttl"),
                        ({"DateExpiry": "tomorrow"}, "DateExpiry"), ({"Mode": "video"}, "Mode"),
                        ({"Status": "bogus"}, "Status"), ({"Status": "failed"}, "Status"),
                        ({"Participants": "not json"}, "Participants"),
                        ({"Participants": json.dumps({"FriendlyName": "no identifier"})}, "Identifier")]:
        body = assert_error(api.post(path, form), 400, 80701)
        assert body["message"].startswith("'%s' is invalid." % param), body
    api.session(ks, UniqueName="u")
    assert_error(api.post(path, {"UniqueName": "u"}), 400, 80603)
    # unique per service only
    other = api.service("other")["sid"]
    api.session(other, UniqueName="u")


def test_fetch_by_unique_name(api):
    ks = api.service("s")["sid"]
    sess = api.session(ks, UniqueName="Order #1234")
    path = "/v1/Services/%s/Sessions/%s" % (ks, urllib.parse.quote("Order #1234", safe=""))
    assert api.get(path).json()["sid"] == sess["sid"]
    assert_error(api.post(path, {"Ttl": "5"}), 404, 20404)
    assert_error(api.delete(path), 404, 20404)
    api.control("POST", "settings", {"fetch_by_unique_name": False})
    assert_error(api.get(path), 404, 20404)


def test_update_close_and_reopen(api):
    ks = _svc(api)
    sess = api.session(ks, UniqueName="a")
    path = "/v1/Services/%s/Sessions/%s" % (ks, sess["sid"])
    upd = api.post(path, {"Ttl": "120", "DateExpiry": "2031-05-06T07:08:09Z"}).json()
    assert upd["ttl"] == 120 and upd["date_expiry"] == "2031-05-06T07:08:09Z"
    assert api.post(path, {"DateExpiry": ""}).json()["date_expiry"] is None
    for param in ("Mode", "UniqueName"):
        body = assert_error(api.post(path, {param: "x"}), 400, 80701)
        assert body["message"].startswith("'%s' is invalid." % param)
    assert api.post(path, {"Status": "in-progress"}).json()["status"] == "in-progress"
    closed = api.post(path, {"Status": "closed"}).json()
    assert closed["status"] == "closed" and closed["date_ended"] and closed["closed_reason"] == "api"
    body = assert_error(api.post(path, {"Ttl": "10"}), 400, 80607)
    assert body["message"] == "Session is closed and cannot be updated."
    assert_error(api.post(path, {"Status": "closed"}), 400, 80607)
    reopened = api.post(path, {"Status": "in-progress"}).json()
    assert reopened["status"] == "in-progress" and reopened["date_ended"] is None and reopened["closed_reason"] is None


def test_reopen_conflict_80604(api):
    ks = api.service("s")["sid"]
    api.add_number(ks, 0)
    first = api.session(ks, UniqueName="first")
    assert api.participant(ks, first["sid"], "+15005550001").json()["proxy_identifier"] == number(0)
    api.post("/v1/Services/%s/Sessions/%s" % (ks, first["sid"]), {"Status": "closed"})
    second = api.session(ks, UniqueName="second")
    assert api.participant(ks, second["sid"], "+15005550001").json()["proxy_identifier"] == number(0)
    assert_error(api.post("/v1/Services/%s/Sessions/%s" % (ks, first["sid"]), {"Status": "in-progress"}), 400, 80604)
    api.delete("/v1/Services/%s/Sessions/%s" % (ks, second["sid"]))
    assert api.post("/v1/Services/%s/Sessions/%s" % (ks, first["sid"]), {"Status": "open"}).json()["status"] == "open"


def test_expiry_by_ttl_and_date(api):
    ks = _svc(api)
    by_ttl = api.session(ks, Ttl="60")
    by_date = api.session(ks, DateExpiry=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30)))
    forever = api.session(ks)
    api.participant(ks, by_ttl["sid"], "+15005550001")
    pn = api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"][0]
    assert pn["in_use"] == 1
    api.control("POST", "time", {"advance": 120})
    got = {s["sid"]: s for s in api.get("/v1/Services/%s/Sessions" % ks).json()["sessions"]}
    assert got[by_ttl["sid"]]["status"] == "closed" and got[by_ttl["sid"]]["closed_reason"] == "expired"
    assert got[by_date["sid"]]["status"] == "closed" and got[by_date["sid"]]["date_ended"] is not None
    assert got[forever["sid"]]["status"] == "open"
    pn = api.get("/v1/Services/%s/PhoneNumbers/%s" % (ks, pn["sid"])).json()
    assert pn["in_use"] == 0
    now = api.control("GET", "time").json()
    assert now["offset"] == 120


def test_interaction_moves_ttl(api):
    ks = _svc(api)
    sess = api.session(ks, Ttl="100")
    part = api.participant(ks, sess["sid"], "+15005550001").json()
    api.control("POST", "time", {"advance": 80})
    api.post(part["links"]["message_interactions"], {"Body": "hi"})
    api.control("POST", "time", {"advance": 80})
    assert api.get(sess["url"]).json()["status"] == "in-progress"
    api.control("POST", "time", {"advance": 30})
    assert api.get(sess["url"]).json()["status"] == "closed"


def test_create_with_participants_atomic(api):
    ks = _svc(api)
    path = "/v1/Services/%s/Sessions" % ks
    ok = api.post(path, {"UniqueName": "pair", "Participants": [
        json.dumps({"Identifier": "+15005550001", "FriendlyName": "Alice"}),
        json.dumps({"identifier": "+15005550002", "proxy_identifier": number(1)})]})
    assert ok.status_code == 201
    parts = api.get(ok.json()["links"]["participants"]).json()["participants"]
    assert [(p["identifier"], p["friendly_name"]) for p in parts] == [("+15005550001", "Alice"), ("+15005550002", None)]
    assert parts[1]["proxy_identifier"] == number(1)
    three = [json.dumps({"Identifier": "+1500555000%d" % i}) for i in range(3)]
    assert_error(api.post(path, {"UniqueName": "three", "Participants": three}), 400, 80609)
    bad_second = [json.dumps({"Identifier": "+15005550003"}),
                  json.dumps({"Identifier": "+15005550004", "ProxyIdentifier": "+19999999999"})]
    assert_error(api.post(path, {"UniqueName": "bad", "Participants": bad_second}), 400, 80605)
    names = [s["unique_name"] for s in api.get(path).json()["sessions"]]
    assert names == ["pair"]
    # nothing of the failed attempts remains: the name is free, no participant holds a number
    api.session(ks, UniqueName="bad")
    assert all(n["in_use"] == 1 for n in api.get("/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"])


def test_delete_session(api):
    ks = _svc(api)
    sess = api.session(ks, UniqueName="x")
    api.participant(ks, sess["sid"], "+15005550001")
    assert api.delete(sess["url"]).status_code == 204
    assert_error(api.get(sess["url"]), 404, 20404)
    assert_error(api.get(sess["url"] + "/Participants"), 404, 20404)
    api.session(ks, UniqueName="x")


def test_seed_and_deep_paging(api):
    ks = api.service("bench")["sid"]
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1050, "prefix": "bench-"}).json()[
        "created"] == 1050
    names, nxt, pages = [], "/v1/Services/%s/Sessions?PageSize=100" % ks, 0
    while nxt:
        page = api.get(nxt).json()
        names += [s["unique_name"] for s in page["sessions"]]
        nxt, pages = page["meta"]["next_page_url"], pages + 1
    assert names == ["bench-%d" % i for i in range(1050)] and pages == 11
    # seeding by unique name, idempotent on existing names
    assert api.control("POST", "seed", {"service_unique_name": "bench", "sessions": 1051,
                                        "prefix": "bench-"}).json()["created"] == 1
    assert api.control("POST", "seed", {"service_sid": "KS" + "0" * 32, "sessions": 1}).status_code == 404


def test_seed_status_and_age(api):
    """Seeded sessions can be closed (or in progress, failed) and back-dated, for clean-up tests."""
    ks = api.service("aged")["sid"]
    now = api.control("GET", "time").json()["epoch"]
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 3, "prefix": "old-",
                                        "status": "closed", "age_days": 40}).json()["created"] == 3
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 2, "prefix": "new-"}).json()["created"] == 2
    sessions = {s["unique_name"]: s for s in api.get("/v1/Services/%s/Sessions" % ks).json()["sessions"]}
    old = sessions["old-0"]
    assert old["status"] == "closed" and old["closed_reason"] == "api" and old["date_ended"] == old["date_updated"]
    age = now - datetime.datetime.strptime(old["date_updated"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    assert 40 * 86400 - 5 <= age <= 40 * 86400 + 5
    assert sessions["new-0"]["status"] == "open" and sessions["new-0"]["date_ended"] is None
    # an expiry that has passed: the session reads closed, "expired", ended at its date_expiry
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "prefix": "gone-", "age_days": 10,
                                        "expiry_days": -2}).json()["created"] == 1
    gone = api.get("/v1/Services/%s/Sessions/gone-0" % ks).json()
    assert (gone["status"], gone["closed_reason"], gone["date_ended"]) == ("closed", "expired", gone["date_expiry"])
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "prefix": "soon-",
                                        "expiry_days": 1}).status_code == 200
    assert api.get("/v1/Services/%s/Sessions/soon-0" % ks).json()["status"] == "open"
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "status": "expired"}).status_code == 400
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "expiry_days": "x"}).status_code == 400
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "age_days": -1}).status_code == 400
