"""Auth, concurrency, keep-alive, and the field lists against the spec."""

import base64
import http.client
import threading
import urllib.parse

import requests

from conftest import ACCOUNT, KEY_AUTH, TOKEN_AUTH, assert_error, spec_json
from twilio_proxy_emulator import views


def test_auth_token_and_api_key(api):
    assert api.get("/v1/Services", auth=TOKEN_AUTH).status_code == 200
    assert api.get("/v1/Services", auth=KEY_AUTH).status_code == 200
    assert api.get("/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json" % ACCOUNT, auth=KEY_AUTH).status_code == 200
    for auth in [(TOKEN_AUTH[0], "wrong"), (KEY_AUTH[0], TOKEN_AUTH[1]), ("AC" + "1" * 32, TOKEN_AUTH[1]),
                 (TOKEN_AUTH[0], "")]:
        body = assert_error(api.get("/v1/Services", auth=auth), 401, 20003)
        assert body == {"code": 20003, "message": "Authenticate",
                        "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}
    resp = requests.get(api.url + "/v1/Services", timeout=5)
    assert_error(resp, 401, 20003)
    assert resp.headers["WWW-Authenticate"].startswith("Basic")
    resp = requests.get(api.url + "/v1/Services", headers={"Authorization": "Basic !!!"}, timeout=5)
    assert_error(resp, 401, 20003)
    # unauthenticated requests change nothing
    assert requests.post(api.url + "/v1/Services", data={"UniqueName": "x"}, timeout=5).status_code == 401
    assert api.get("/v1/Services").json()["services"] == []


def test_concurrent_identical_creates(api):
    barrier = threading.Barrier(20)
    results = []

    def create():
        with requests.Session() as s:
            barrier.wait()
            resp = s.post(api.url + "/v1/Services", data={"UniqueName": "race"}, auth=TOKEN_AUTH, timeout=10)
            results.append((resp.status_code, resp.json().get("code")))

    threads = [threading.Thread(target=create) for attempt in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [(201, None)] + [(400, 80602)] * 19
    assert len(api.get("/v1/Services").json()["services"]) == 1


def test_concurrent_participants_respect_pool(api):
    ks = api.service("pool")["sid"]
    api.add_number(ks, 0)
    sessions = [api.session(ks)["sid"] for attempt in range(10)]
    results = []

    def join(kc):
        with requests.Session() as s:
            resp = s.post(api.url + "/v1/Services/%s/Sessions/%s/Participants" % (ks, kc),
                          data={"Identifier": "+15005550001"}, auth=TOKEN_AUTH, timeout=10)
            results.append(resp.status_code)

    threads = [threading.Thread(target=join, args=(kc,)) for kc in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [400] * 9


def test_keep_alive(api):
    conn = http.client.HTTPConnection(urllib.parse.urlsplit(api.url).netloc, timeout=5)
    auth = "Basic " + base64.b64encode(("%s:%s" % TOKEN_AUTH).encode()).decode()
    conn.request("POST", "/v1/Services", body="UniqueName=ka", headers={
        "Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
    first = conn.getresponse()
    assert first.status == 201 and int(first.headers["Content-Length"]) == len(first.read())
    sock = conn.sock
    for method, path in [("GET", "/v1/Services"), ("DELETE", "/v1/Services/KS" + "0" * 32), ("GET", "/nope")]:
        conn.request(method, path, headers={"Authorization": auth})
        resp = conn.getresponse()
        body = resp.read()
        assert resp.headers["Content-Length"] == str(len(body))
    svc = api.get("/v1/Services").json()["services"][0]
    conn.request("DELETE", "/v1/Services/" + svc["sid"], headers={"Authorization": auth})
    resp = conn.getresponse()
    assert resp.status == 204 and resp.headers["Content-Length"] == "0" and resp.read() == b""
    assert conn.sock is sock           # one connection served all of them
    conn.close()


def _spec_properties(spec, schema):
    return list(spec["components"]["schemas"][schema]["properties"])


def test_field_lists_match_spec():
    current = spec_json("twilio_proxy_v1.json")
    legacy = spec_json("twilio_proxy_v1_last_with_shortcodes.json")
    pairs = [(views.SERVICE_VIEW, current, "proxy.v1.service"),
             (views.PHONE_NUMBER_VIEW, current, "proxy.v1.service.phone_number"),
             (views.SHORT_CODE_VIEW, legacy, "proxy.v1.service.short_code"),
             (views.SESSION_VIEW, current, "proxy.v1.service.session"),
             (views.PARTICIPANT_VIEW, current, "proxy.v1.service.session.participant"),
             (views.INTERACTION_VIEW, current, "proxy.v1.service.session.interaction"),
             (views.MESSAGE_INTERACTION_VIEW, current, "proxy.v1.service.session.participant.message_interaction")]
    for resource, spec, schema in pairs:
        assert resource.fields == _spec_properties(spec, schema), schema


def test_every_route_is_in_the_spec():
    from twilio_proxy_emulator.routes import ROUTES
    current = spec_json("twilio_proxy_v1.json")["paths"]
    legacy = spec_json("twilio_proxy_v1_last_with_shortcodes.json")["paths"]
    v1 = {t: m for t, m in ROUTES if t.startswith("/v1/")}
    for template, methods in v1.items():
        spec = legacy if "/ShortCodes" in template else current
        # the emulator's {Sid}/{ServiceSid}/... names are the spec's own
        assert template in spec, template
        assert {m.lower() for m in methods} == {m for m in spec[template] if m in ("get", "post", "delete")}
    assert set(current) | set(legacy) == set(v1)


def test_bad_content_length(api):
    import socket
    host, port = urllib.parse.urlsplit(api.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"POST /v1/Services HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        data = sock.recv(4096)
    assert data.startswith(b"HTTP/1.1 400") and b'"code": 20001' in data
