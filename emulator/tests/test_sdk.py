"""Drive the emulator with the real twilio SDK (a TwilioHttpClient that rewrites proxy.twilio.com)."""

import json
import urllib.parse

import pytest

twilio = pytest.importorskip("twilio")
from twilio.base.exceptions import TwilioRestException  # noqa: E402
from twilio.http.http_client import TwilioHttpClient  # noqa: E402
from twilio.rest import Client  # noqa: E402

from conftest import KEY_AUTH, TOKEN_AUTH, number, validate  # noqa: E402


class EmulatorHttpClient(TwilioHttpClient):
    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.base = urllib.parse.urlsplit(base)
        self.seen = []
        # every response the SDK receives is validated against the spec too
        self.session.hooks["response"].append(lambda resp, *args, **kwargs: validate(resp))

    def request(self, method, url, *args, **kwargs):
        parts = urllib.parse.urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = urllib.parse.urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, ""))
        self.seen.append((method, url))
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def client(api):
    http = EmulatorHttpClient(api.url, timeout=10)
    return Client(TOKEN_AUTH[0], TOKEN_AUTH[1], http_client=http)


def test_services_with_the_sdk(client, api):
    svc = client.proxy.v1.services.create(unique_name="sdk", default_ttl=300, geo_match_level="country",
                                          number_selection_behavior="avoid-sticky")
    assert svc.sid.startswith("KS") and svc.default_ttl == 300 and svc.number_selection_behavior == "avoid-sticky"
    assert svc.date_created is not None and svc.links["sessions"].endswith("/Sessions")
    fetched = client.proxy.v1.services(svc.sid).fetch()
    assert fetched.unique_name == "sdk"
    updated = client.proxy.v1.services(svc.sid).update(callback_url="https://example.com/cb")
    assert updated.callback_url == "https://example.com/cb"
    for i in range(105):
        client.proxy.v1.services.create(unique_name="bulk-%d" % i)
    names = [s.unique_name for s in client.proxy.v1.services.list(page_size=100)]
    assert names == ["sdk"] + ["bulk-%d" % i for i in range(105)]
    # the SDK followed the absolute next_page_url to the emulator
    assert any("PageToken=" in url and url.startswith(api.url) for method, url in client.http_client.seen)
    with pytest.raises(TwilioRestException) as err:
        client.proxy.v1.services.create(unique_name="sdk")
    assert err.value.status == 400 and err.value.code == 80602
    with pytest.raises(TwilioRestException) as err:
        client.proxy.v1.services("KS" + "0" * 32).fetch()
    assert err.value.status == 404 and err.value.code == 20404
    assert client.proxy.v1.services(svc.sid).delete() is True


def test_sessions_numbers_participants_with_the_sdk(client, api):
    svc = client.proxy.v1.services.create(unique_name="sdk2")
    pn = client.proxy.v1.services(svc.sid).phone_numbers.create(phone_number=number(0))
    assert pn.phone_number == number(0) and pn.in_use == 0
    pn2 = client.proxy.v1.services(svc.sid).phone_numbers.create(phone_number=number(2), is_reserved=True)
    assert pn2.is_reserved is True
    session = client.proxy.v1.services(svc.sid).sessions.create(unique_name="order-1", ttl=3600, mode="message-only")
    assert session.status == "open" and session.mode == "message-only"
    part = client.proxy.v1.services(svc.sid).sessions(session.sid).participants.create(
        identifier="+15005550001", friendly_name="Alice")
    assert part.proxy_identifier == number(0)
    mi = client.proxy.v1.services(svc.sid).sessions(session.sid).participants(part.sid) \
        .message_interactions.create(body="hello")
    assert json.loads(mi.data) == {"body": "hello"}
    assert [i.sid for i in client.proxy.v1.services(svc.sid).sessions(session.sid).interactions.list()] == [mi.sid]
    closed = client.proxy.v1.services(svc.sid).sessions(session.sid).update(status="closed")
    assert closed.status == "closed"
    with pytest.raises(TwilioRestException) as err:
        client.proxy.v1.services(svc.sid).sessions(session.sid).update(ttl=5)
    assert err.value.code == 80607
    # a 200 delete (participant) reads as False in the SDK, as on Twilio
    client.proxy.v1.services(svc.sid).sessions(session.sid).participants(part.sid).delete()
    assert client.proxy.v1.services(svc.sid).sessions(session.sid).participants(part.sid).fetch().date_deleted
    assert [p.sid for p in client.proxy.v1.services(svc.sid).phone_numbers.list()] == [pn.sid, pn2.sid]


def test_generic_helpers_participants_and_short_codes(client, api):
    v1 = client.proxy.v1
    svc = v1.create(method="POST", uri="/Services", data={"UniqueName": "generic"})
    ks = svc["sid"]
    v1.create(method="POST", uri="/Services/%s/PhoneNumbers" % ks, data={"PhoneNumber": number(0)})
    session = v1.create(method="POST", uri="/Services/%s/Sessions" % ks, data={
        "UniqueName": "with-parts",
        "Participants": [json.dumps({"Identifier": "+15005550001", "FriendlyName": "Alice"}),
                         json.dumps({"Identifier": "+15005550002", "FriendlyName": "Bob"})]})
    parts = v1.page(method="GET", uri="/Services/%s/Sessions/%s/Participants" % (ks, session["sid"]),
                    params={"PageSize": 50})
    body = json.loads(parts.text)
    assert [p["friendly_name"] for p in body["participants"]] == ["Alice", "Bob"]
    fetched = v1.fetch(method="GET", uri="/Services/%s/Sessions/%s" % (ks, urllib.parse.quote("with-parts")))
    assert fetched["sid"] == session["sid"]
    # ShortCodes, which the SDK no longer models
    codes = json.loads(client.request("GET", api.url + "/2010-04-01/Accounts/%s/SMS/ShortCodes.json"
                                      % TOKEN_AUTH[0]).text)["short_codes"]
    sc = v1.create(method="POST", uri="/Services/%s/ShortCodes" % ks, data={"Sid": codes[0]["sid"]})
    assert sc["short_code"] == "89000"
    upd = v1.update(method="POST", uri="/Services/%s/ShortCodes/%s" % (ks, sc["sid"]), data={"IsReserved": "true"})
    assert upd["is_reserved"] is True
    assert v1.delete(method="DELETE", uri="/Services/%s/ShortCodes/%s" % (ks, sc["sid"])) is True
    with pytest.raises(TwilioRestException) as err:
        v1.create(method="POST", uri="/Services/%s/Sessions" % ks, data={"UniqueName": "with-parts"})
    assert err.value.code == 80603


def test_api_key_auth_with_the_sdk(api):
    http = EmulatorHttpClient(api.url, timeout=10)
    client = Client(KEY_AUTH[0], KEY_AUTH[1], TOKEN_AUTH[0], http_client=http)
    assert client.proxy.v1.services.create(unique_name="keyed").account_sid == TOKEN_AUTH[0]
    bad = Client(KEY_AUTH[0], "wrong", TOKEN_AUTH[0], http_client=EmulatorHttpClient(api.url, timeout=10))
    with pytest.raises(TwilioRestException) as err:
        bad.proxy.v1.services.create(unique_name="nope")
    assert err.value.status == 401 and err.value.code == 20003
