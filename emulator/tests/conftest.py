"""Fixtures: an in-process emulator on port 0, and a client that validates every Proxy v1 response against the
vendored Twilio spec (openapi-core) and every error response against Twilio's 4-key error shape."""

import json
import pathlib
import re
import threading
import urllib.parse
from types import SimpleNamespace

import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from twilio_proxy_emulator import (DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN)
from twilio_proxy_emulator.server import Emulator, base_url, make_server

SPEC_DIR = pathlib.Path(__file__).resolve().parents[1] / "src" / "twilio_proxy_emulator" / "spec"
ACCOUNT = DEFAULT_ACCOUNT_SID
TOKEN_AUTH = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
KEY_AUTH = (DEFAULT_API_KEY, DEFAULT_API_SECRET)
INVENTORY_NUMBERS = 700


def spec_json(name):
    return json.loads((SPEC_DIR / name).read_text())


_SPECS = {}


def openapi_for(path):
    name = "twilio_proxy_v1_last_with_shortcodes.json" if "/ShortCodes" in path else "twilio_proxy_v1.json"
    if name not in _SPECS:
        spec = spec_json(name)
        # Documented deviations (docs/emulator.md), both contradictions inside the spec itself. First: the
        # schema's own description lists `extended-area-code`, its enum does not; the emulator accepts and echoes it.
        schemas = spec["components"]["schemas"]
        schemas["service_enum_geo_match_level"]["enum"].append("extended-area-code")
        # and: the resource-status enums are not nullable, yet the spec's descriptions say "Always empty for
        # created Message Interactions" and its own examples show null; the emulator answers null, as the examples.
        for enum in ("interaction_enum_resource_status", "message_interaction_enum_resource_status"):
            schemas[enum]["nullable"] = True
            schemas[enum]["enum"].append(None)
        _SPECS[name] = OpenAPI.from_dict(spec)
    return _SPECS[name]


# the 2010-04-01 paths of the vendored excerpt of Twilio's api v2010 spec (spec/SOURCE.md)
API_2010_NUMBERS = re.compile(r"^/2010-04-01/Accounts/[^/]+/(IncomingPhoneNumbers(/[^/]+)?\.json|"
                              r"AvailablePhoneNumbers/[^/]+/(Local|Mobile|TollFree)\.json)$")


def api_2010_numbers():
    if "v2010" not in _SPECS:
        _SPECS["v2010"] = OpenAPI.from_dict(spec_json("twilio_api_v2010_numbers.json"))
    return _SPECS["v2010"]


def check_error_shape(resp):
    body = resp.json()
    assert set(body) == {"code", "message", "more_info", "status"}, body
    assert body["status"] == resp.status_code
    assert isinstance(body["code"], int) and isinstance(body["message"], str) and body["message"]
    assert body["more_info"] == "https://www.twilio.com/docs/errors/%d" % body["code"]


def validate(resp):
    """Validate one response of the emulator: Proxy v1 2xx against the spec, every error against Twilio's shape."""
    path = urllib.parse.urlsplit(resp.request.url).path
    if resp.status_code >= 400:
        if resp.status_code != 405 or resp.content:
            check_error_shape(resp)
        return
    if path.startswith("/v1/"):
        spec, host = openapi_for(path), "proxy.twilio.com"
    elif API_2010_NUMBERS.match(path):
        spec, host = api_2010_numbers(), "api.twilio.com"
    else:
        return
    # the spec's server is https://<host>.twilio.com: validate the same request as if sent there
    prepared = resp.request.copy()
    split = urllib.parse.urlsplit(prepared.url)
    prepared.url = urllib.parse.urlunsplit(("https", host, split.path, split.query, ""))
    spec.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(resp))


class Api:
    """A tiny client: ``api.post("/v1/Services", UniqueName="x")`` -> requests.Response (already validated)."""

    def __init__(self, url, auth=TOKEN_AUTH):
        self.url = url
        self.http = requests.Session()
        self.http.auth = auth
        self.responses = 0

    def request(self, method, path, data=None, params=None, auth=None, **kwargs):
        url = path if path.startswith("http") else self.url + path
        resp = self.http.request(method, url, data=data, params=params,
                                 auth=auth if auth is not None else self.http.auth, timeout=10, **kwargs)
        validate(resp)
        self.responses += 1
        return resp

    def get(self, path, params=None, **kw):
        return self.request("GET", path, params=params, **kw)

    def post(self, path, data=None, **kw):
        return self.request("POST", path, data=data, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def control(self, method, name, body=None, params=None):
        """A control API request: JSON in (an empty object when ``body`` is None, except for reads), JSON out."""
        if body is None and method not in ("GET", "HEAD"):
            body = {}
        return requests.request(method, self.url + "/_emulator/" + name, json=body, params=params, timeout=10)

    # conveniences
    def service(self, name="svc", **fields):
        resp = self.post("/v1/Services", dict(UniqueName=name, **fields))
        assert resp.status_code == 201, resp.text
        return resp.json()

    def add_number(self, ks, index, **fields):
        resp = self.post("/v1/Services/%s/PhoneNumbers" % ks, dict(PhoneNumber=number(index), **fields))
        assert resp.status_code == 201, resp.text
        return resp.json()

    def session(self, ks, **fields):
        resp = self.post("/v1/Services/%s/Sessions" % ks, fields)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def participant(self, ks, kc, identifier, **fields):
        return self.post("/v1/Services/%s/Sessions/%s/Participants" % (ks, kc), dict(Identifier=identifier, **fields))


def number(i):
    return "+1415%07d" % (5550000 + i)


def gb_number(i):
    return "+4477009000%02d" % i


def assert_error(resp, status, code):
    assert resp.status_code == status, (resp.status_code, resp.text)
    check_error_shape(resp)
    assert resp.json()["code"] == code, resp.text
    return resp.json()


@pytest.fixture(scope="session")
def server():
    emulator = Emulator(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_API_KEY, DEFAULT_API_SECRET,
                        numbers=INVENTORY_NUMBERS, short_codes=10, quiet=True)
    srv = make_server("127.0.0.1", 0, emulator)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield SimpleNamespace(url=base_url(srv), emulator=emulator)
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def api(server):
    resp = requests.post(server.url + "/_emulator/reset", json={}, timeout=10)
    assert resp.json() == {"ok": True}
    client = Api(server.url)
    yield client
    client.http.close()


SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
