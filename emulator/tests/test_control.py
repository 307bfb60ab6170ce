import json
import threading
import time

import pytest
import requests

from conftest import DEFAULT_AUTH_TOKEN, assert_error


def test_reset(api):
    api.service("a")
    api.control("POST", "settings", {"fetch_by_unique_name": False, "rate_limit_rps": 7})
    api.control("POST", "faults", {"path": "^/nothing$", "count": 3})
    api.control("POST", "time", {"advance": 50})
    assert api.control("POST", "reset").json() == {"ok": True}
    assert api.get("/v1/Services").json()["services"] == []
    assert api.control("GET", "settings").json() == {
        "fetch_by_unique_name": True, "rate_limit": False, "rate_limit_rps": 30, "rate_limit_burst": 5}
    assert api.control("GET", "faults").json() == {"faults": []}
    assert api.control("GET", "time").json()["offset"] == 0
    # the inventory stays
    assert api.post("/v1/Services/%s/PhoneNumbers" % api.service("b")["sid"],
                    {"PhoneNumber": "+14155550000"}).status_code == 201


def test_request_log(api):
    api.service("secret-name")
    api.get("/v1/Services", params={"PageSize": 5})
    api.get("/v1/Services", auth=("AC" + "0" * 32, "wrong"))
    log = api.control("GET", "requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "/v1/Services", 201), ("GET", "/v1/Services", 200), ("GET", "/v1/Services", 401)]
    assert log[0]["form_keys"] == ["UniqueName"] and log[1]["query"] == "PageSize=5"
    assert all(isinstance(e["duration_ms"], float) and e["time"].endswith("Z") for e in log)
    text = json.dumps(log)
    assert DEFAULT_AUTH_TOKEN not in text and "secret-name" not in text and "Authorization" not in text
    since = api.control("GET", "requests", params={"since": log[1]["seq"]}).json()["requests"]
    assert [e["seq"] for e in since] == [log[2]["seq"]]
    assert api.control("DELETE", "requests").json() == {"ok": True}
    assert api.control("GET", "requests").json()["requests"] == []


def test_settings_validation(api):
    assert api.control("POST", "settings", {"nope": 1}).status_code == 400
    assert api.control("POST", "settings", {"rate_limit": "yes"}).status_code == 400
    assert api.control("POST", "settings", {"rate_limit_rps": 0}).status_code == 400
    assert api.control("GET", "nothing").status_code == 404
    assert requests.post(api.url + "/_emulator/faults", data="{", headers={"Content-Type": "application/json"},
                         timeout=5).status_code == 400


def test_fault_status_and_count(api):
    fault = api.control("POST", "faults", {"method": "GET", "path": "^/v1/Services$", "count": 2, "status": 503,
                                           "retry_after": 3}).json()
    assert fault["ok"] and fault["fault"]["count"] == 2
    assert api.post("/v1/Services", {"UniqueName": "a"}).status_code == 201     # other method: untouched
    for attempt in range(2):
        resp = api.get("/v1/Services")
        assert_error(resp, 503, 20503)
        assert resp.headers["Retry-After"] == "3"
    assert api.control("GET", "faults").json()["faults"] == []
    assert api.get("/v1/Services").status_code == 200
    api.control("POST", "faults", {"path": "Services", "status": 429})
    assert_error(api.get("/v1/Services"), 429, 20429)
    api.control("POST", "faults", {"path": "Services", "status": 500, "count": 5})
    assert_error(api.get("/v1/Services"), 500, 20500)
    assert api.control("GET", "faults").json()["faults"][0]["count"] == 4
    assert api.control("DELETE", "faults").json() == {"ok": True}
    assert api.get("/v1/Services").status_code == 200
    statuses = [e["status"] for e in api.control("GET", "requests").json()["requests"]]
    assert statuses == [201, 503, 503, 200, 429, 500, 200]


def test_fault_delay(api):
    api.control("POST", "faults", {"path": "^/v1/Services$", "status": 503, "delay": 0.3})
    start = time.monotonic()
    assert_error(api.get("/v1/Services"), 503, 20503)
    assert time.monotonic() - start >= 0.3


def test_fault_latency_only(api):
    """status null: the request waits, then is served as usual (two clients can race through the window)."""
    api.control("POST", "faults", {"method": "POST", "path": "^/v1/Services$", "status": None, "delay": 0.3})
    start = time.monotonic()
    assert api.post("/v1/Services", {"UniqueName": "slow"}).status_code == 201
    assert time.monotonic() - start >= 0.3
    assert [e["status"] for e in api.control("GET", "requests").json()["requests"]] == [201]


def test_fault_wait_for_makes_concurrent_creates_race(api):
    """wait_for 2: the first create is held until the second arrives; then one wins and one is a duplicate."""
    api.control("POST", "faults", {"method": "POST", "path": "^/v1/Services$", "status": None, "wait_for": 2,
                                   "delay": 10, "count": 2})
    statuses = []

    def create():
        statuses.append(api.post("/v1/Services", {"UniqueName": "contested"}).status_code)

    first = threading.Thread(target=create)
    first.start()
    time.sleep(0.5)
    assert statuses == []  # held: nothing is created while only one create has arrived
    assert api.get("/v1/Services").json()["services"] == []
    create()
    first.join(10)
    assert sorted(statuses) == [201, 400]
    assert len(api.get("/v1/Services").json()["services"]) == 1


def test_fault_wait_for_gives_up_after_delay(api):
    api.control("POST", "faults", {"method": "POST", "path": "^/v1/Services$", "status": None, "wait_for": 2,
                                   "delay": 0.3})
    start = time.monotonic()
    assert api.post("/v1/Services", {"UniqueName": "alone"}).status_code == 201
    assert 0.3 <= time.monotonic() - start < 5


def test_fault_drop(api):
    api.control("POST", "faults", {"path": "^/v1/Services$", "drop": True})
    with pytest.raises(requests.ConnectionError):
        requests.get(api.url + "/v1/Services", auth=api.http.auth, timeout=5)
    assert api.get("/v1/Services").status_code == 200
    assert [e["status"] for e in api.control("GET", "requests").json()["requests"]] == [0, 200]


def test_fault_after_processing(api):
    """"Outcome unknown": the create happens, the client sees a 500 (or a dropped connection)."""
    api.control("POST", "faults", {"method": "POST", "path": "^/v1/Services$", "status": 500, "after": True})
    assert_error(api.post("/v1/Services", {"UniqueName": "ghost"}), 500, 20500)
    assert [s["unique_name"] for s in api.get("/v1/Services").json()["services"]] == ["ghost"]
    api.control("POST", "faults", {"method": "POST", "path": "^/v1/Services$", "drop": True, "after": True})
    with pytest.raises(requests.ConnectionError):
        requests.post(api.url + "/v1/Services", data={"UniqueName": "ghost2"}, auth=api.http.auth, timeout=5)
    assert len(api.get("/v1/Services").json()["services"]) == 2


def test_rate_limit(api):
    api.control("POST", "settings", {"rate_limit": True, "rate_limit_rps": 2, "rate_limit_burst": 2})
    statuses = [api.get("/v1/Services").status_code for attempt in range(8)]
    assert statuses[:4] == [200] * 4 and 429 in statuses
    resp = api.get("/v1/Services")
    body = assert_error(resp, 429, 20429)
    assert resp.headers["Retry-After"] == "1" and body["message"]
    # per endpoint: another path template is not limited
    assert api.post("/v1/Services", {"UniqueName": "x"}).status_code == 201
    api.control("POST", "settings", {"rate_limit": False})
    assert api.get("/v1/Services").status_code == 200


def test_rate_limit_window_and_burst(server):
    from twilio_proxy_emulator.ratelimit import RateLimiter
    limiter = RateLimiter()
    allowed = sum(limiter.allow("GET /x", 30, 5) for attempt in range(200))
    assert allowed == 150          # 30 rps averaged over the 5 s window, bursting to 5x
    assert sum(limiter.allow("GET /y", 30, 1) for attempt in range(100)) == 30


def test_time(api):
    before = api.control("GET", "time").json()
    after = api.control("POST", "time", {"advance": 3600}).json()
    assert after["offset"] == 3600 and after["epoch"] - before["epoch"] >= 3600
    assert api.control("POST", "time", {"advance": -1}).status_code == 400
    svc = api.service("later")
    assert svc["date_created"] == after["now"][:13] + svc["date_created"][13:]


def test_no_cors_headers_anywhere(api):
    """Nothing invites a web page: no Access-Control-* header on the control API nor on the Twilio API."""
    responses = [
        requests.get(api.url + "/_emulator/settings", headers={"Origin": "https://evil.example"}, timeout=5),
        requests.options(api.url + "/_emulator/reset", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"}, timeout=5),
        api.get("/v1/Services", headers={"Origin": "https://evil.example"}),
        requests.options(api.url + "/v1/Services", headers={"Origin": "https://evil.example"}, timeout=5),
    ]
    for resp in responses:
        assert not [h for h in resp.headers if h.lower().startswith("access-control-")], resp.headers


def test_control_requests_that_change_something_must_be_json(api):
    """A page can send a cross-origin text/plain, form or multipart POST without asking first: refused (415),
    and nothing happens."""
    api.service("kept")
    for headers, body in [({"Content-Type": "text/plain"}, "{}"),
                          ({"Content-Type": "application/x-www-form-urlencoded"}, "advance=3600"),
                          ({"Content-Type": "multipart/form-data; boundary=x"}, "--x--"),
                          ({}, "")]:
        for name in ("reset", "time", "settings", "faults", "estate", "seed"):
            resp = requests.post(api.url + "/_emulator/" + name, data=body, headers=headers, timeout=5)
            assert resp.status_code == 415, (name, headers, resp.status_code)
            assert "application/json" in resp.json()["error"]
    resp = requests.delete(api.url + "/_emulator/requests", headers={"Content-Type": "text/plain"}, timeout=5)
    assert resp.status_code == 415
    assert [s["unique_name"] for s in api.get("/v1/Services").json()["services"]] == ["kept"]
    assert api.control("GET", "time").json()["offset"] == 0
    assert len(api.control("GET", "requests").json()["requests"]) == 2
    # JSON, with or without a charset, is served; reads need no body
    resp = requests.post(api.url + "/_emulator/time", data=b'{"advance": 1}',
                         headers={"Content-Type": "application/json; charset=utf-8"}, timeout=5)
    assert resp.status_code == 200 and resp.json()["offset"] == 1
    assert requests.get(api.url + "/_emulator/settings", timeout=5).status_code == 200


def test_control_api_answers_only_to_an_address_not_a_foreign_name(api):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends Host: evil.example."""
    port = api.url.rsplit(":", 1)[1]
    for host in ("evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port):
        resp = requests.post(api.url + "/_emulator/reset", json={}, headers={"Host": host}, timeout=5)
        assert resp.status_code == 403, host
        assert requests.get(api.url + "/_emulator/requests", headers={"Host": host}, timeout=5).status_code == 403
    for host in ("127.0.0.1:" + port, "localhost:" + port, "localhost", "[::1]:" + port, "127.0.0.1"):
        resp = requests.post(api.url + "/_emulator/time", json={}, headers={"Host": host}, timeout=5)
        assert resp.status_code == 200, host


def test_control_api_refuses_a_request_a_browser_sent_for_a_page(api):
    """Browsers name the page in Origin: a page of another site (or a sandboxed one, "null") is refused."""
    for origin in ("https://evil.example", "http://evil.example:8080", "null"):
        resp = requests.post(api.url + "/_emulator/reset", json={}, headers={"Origin": origin}, timeout=5)
        assert resp.status_code == 403, origin
    assert requests.post(api.url + "/_emulator/time", json={}, headers={"Origin": api.url}, timeout=5).status_code == 200


def test_seed_sessions_with_participants(api):
    ks = api.service("seeded")["sid"]
    seeded = api.control("POST", "seed", {"service_sid": ks, "phone_numbers": 2, "sessions": 3, "participants": 2,
                                          "prefix": "two-"}).json()
    assert seeded == {"created": 3, "phone_numbers": 2}
    sessions = api.get("/v1/Services/%s/Sessions" % ks).json()["sessions"]
    assert sorted(s["unique_name"] for s in sessions) == ["two-0", "two-1", "two-2"]
    two = next(s for s in sessions if s["unique_name"] == "two-2")
    parts = api.get("/v1/Services/%s/Sessions/%s/Participants" % (ks, two["sid"])).json()["participants"]
    assert sorted(p["identifier"] for p in parts) == ["+15551000002", "+15552000002"]
    assert len(set(p["proxy_identifier"] for p in parts)) == 2
    other = api.service("other")["sid"]  # the identifiers follow the index: another service, other numbers
    closed = api.control("POST", "seed", {"service_sid": other, "phone_numbers": 1, "sessions": 1, "participants": 1,
                                          "prefix": "c-", "status": "closed"}).json()
    assert closed == {"created": 1, "phone_numbers": 1}
    assert api.get("/v1/Services/%s/Sessions" % other).json()["sessions"][0]["status"] == "closed"
    assert api.control("POST", "seed", {"service_sid": ks, "sessions": 1, "participants": 3}).status_code == 400
    empty = api.service("empty")["sid"]
    assert api.control("POST", "seed", {"service_sid": empty, "sessions": 1, "participants": 1}).status_code == 400
