# Copyright (c) community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The proxy_webhook event source, driven as ansible.eda drives its webhook source: its ``main(queue, args)``
coroutine runs with aiohttp, real HTTP requests go to it, the events are read from the queue."""

import asyncio
import contextlib
import json

import aiohttp
import pytest

from conftest import TOKEN, free_port, sign

CALLBACK = {"interactionSid": "KI" + "1" * 32, "interactionServiceSid": "KS" + "2" * 32,
            "interactionSessionSid": "KC" + "3" * 32, "interactionAccountSid": "AC" + "4" * 32,
            "interactionType": "Message", "interactionData": '{"body":"hi"}',
            "outboundResourceStatus": "failed", "outboundParticipantSid": "KP" + "5" * 32}
INBOUND = {"AccountSid": "AC" + "4" * 32, "MessageSid": "SM" + "6" * 32, "From": "+15005550006",
           "To": "+15005550001", "Body": "hello again"}


@contextlib.asynccontextmanager
async def running(source, **args):
    """The source listening on a free port -> (queue, base URL); cancelled (a clean shutdown) afterwards."""
    port = free_port()
    queue = asyncio.Queue()
    args = dict({"port": port, "auth_token": TOKEN}, **args)
    task = asyncio.create_task(source.main(queue, args))
    base = "http://127.0.0.1:%d/twilio" % port
    async with aiohttp.ClientSession() as http:
        for dummy in range(200):             # wait for the listener to bind (no fixed sleep)
            try:
                async with http.get(base + "/health") as resp:
                    if resp.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        try:
            yield queue, base, http
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def post(http, url, fields, signature=None, headers=None):
    hdrs = dict(headers or {})
    if signature is not None:
        hdrs["X-Twilio-Signature"] = signature
    async with http.post(url, data=fields, headers=hdrs) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), await resp.text()


def run(coro):
    return asyncio.run(coro)


def test_callback_signed_is_one_event(source):
    async def scenario():
        async with running(source) as (queue, base, http):
            url = base + "/callback"
            status = (await post(http, url, CALLBACK, sign(url, CALLBACK)))[0]
            assert status == 200
            event = queue.get_nowait()
            assert queue.empty()
            return event
    event = run(scenario())
    assert event["twilio"] == dict(CALLBACK, webhook="callback")
    assert event["meta"] == {"endpoint": "callback", "answer": 200, "guarded": []}
    assert TOKEN not in json.dumps(event)


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "wrong-token"])
def test_unsigned_or_forged_is_403_and_no_event(source, signature):
    async def scenario():
        async with running(source) as (queue, base, http):
            url = base + "/callback"
            sig = sign(url, CALLBACK, token="f" * 32) if signature == "wrong-token" else signature
            status, dummy, text = await post(http, url, CALLBACK, sig)
            return status, text, queue.empty()
    status, text, empty = run(scenario())
    assert status == 403 and empty
    assert TOKEN not in text


def test_tampered_field_is_403(source):
    async def scenario():
        async with running(source) as (queue, base, http):
            url = base + "/out-of-session"
            sig = sign(url, INBOUND)
            status = (await post(http, url, dict(INBOUND, Body="changed"), sig))[0]
            return status, queue.empty()
    assert run(scenario()) == (403, True)


def test_signature_with_api_secret_and_env_token(source, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    secret = "a" * 32

    async def scenario():
        async with running(source, auth_token=None, api_secret=secret) as (queue, base, http):
            url = base + "/callback"
            first = await post(http, url, CALLBACK, sign(url, CALLBACK, token=secret))
            second = await post(http, url, CALLBACK, sign(url, CALLBACK))    # the env's auth token also signs
            return first[0], second[0], queue.qsize()
    assert run(scenario()) == (200, 200, 2)


def test_public_url_is_what_is_signed(source):
    public = "https://eda.example.com/hooks/twilio"

    async def scenario():
        async with running(source, public_url=public) as (queue, base, http):
            local = await post(http, base + "/callback", CALLBACK, sign(base + "/callback", CALLBACK))
            ok = await post(http, base + "/callback?x=1", CALLBACK, sign(public + "/callback?x=1", CALLBACK))
            return local[0], ok[0], queue.qsize()
    assert run(scenario()) == (403, 200, 1)


def test_intercept_continues_by_default_and_blocks_by_list_and_file(source, tmp_path):
    block_file = tmp_path / "blocked.txt"
    session_sid = CALLBACK["interactionSessionSid"]

    async def scenario():
        async with running(source, intercept_block=["KC" + "9" * 32],
                           intercept_block_file=str(block_file)) as (queue, base, http):
            url = base + "/intercept"
            first = await post(http, url, CALLBACK, sign(url, CALLBACK))
            block_file.write_text("# sessions a rule blocked\n%s\n" % session_sid)
            second = await post(http, url, CALLBACK, sign(url, CALLBACK))
            other = dict(CALLBACK, interactionSessionSid="KC" + "9" * 32)
            third = await post(http, url, other, sign(url, other))
            events = [queue.get_nowait() for dummy in range(queue.qsize())]
            return [first[0], second[0], third[0]], events
    statuses, events = run(scenario())
    assert statuses == [200, 403, 403]
    assert [e["twilio"]["webhook"] for e in events] == ["intercept"] * 3
    assert [e["meta"]["answer"] for e in events] == [200, 403, 403]


@pytest.mark.parametrize("answer,status,ctype,body", [
    ({}, 204, "", ""),
    ({"out_of_session_answer": "twiml", "out_of_session_twiml": "<Response><Message>Closed</Message></Response>"},
     200, "application/xml", "<Response><Message>Closed</Message></Response>"),
    ({"out_of_session_answer": "auto_create",
      "out_of_session_session": {"participantIdentifier": "+15005550009", "mode": "message-only"}},
     200, "application/json", {"participantIdentifier": "+15005550009", "mode": "message-only"}),
])
def test_out_of_session_answers(source, answer, status, ctype, body):
    async def scenario():
        async with running(source, **answer) as (queue, base, http):
            url = base + "/out-of-session"
            result = await post(http, url, INBOUND, sign(url, INBOUND))
            return result, queue.get_nowait()
    (got_status, got_type, text), event = run(scenario())
    assert got_status == status and got_type.split(";")[0] == ctype
    assert (json.loads(text) if isinstance(body, dict) else text) == body
    assert event["twilio"] == dict(INBOUND, webhook="out_of_session")


def test_other_account_is_refused(source):
    async def scenario():
        async with running(source, account_sid="AC" + "7" * 32) as (queue, base, http):
            url = base + "/out-of-session"
            result = await post(http, url, INBOUND, sign(url, INBOUND))
            return result[0], queue.empty()
    assert run(scenario()) == (403, True)


def test_body_limit_media_type_unknown_path_and_health(source):
    async def scenario():
        async with running(source, max_body=2048) as (queue, base, http):
            url = base + "/callback"
            big = dict(CALLBACK, interactionData="x" * 4096)
            too_big = await post(http, url, big, sign(url, big))
            async with http.post(url, json=CALLBACK, headers={"X-Twilio-Signature": sign(url, CALLBACK)}) as resp:
                as_json = resp.status
            unknown = await post(http, base + "/other", CALLBACK, sign(base + "/other", CALLBACK))
            async with http.get(base + "/health") as resp:
                health = resp.status, await resp.json()
            return too_big[0], as_json, unknown[0], health, queue.empty()
    assert run(scenario()) == (413, 415, 404, (200, {"status": "ok"}), True)


@pytest.mark.parametrize("args,words", [
    ({"port": 5000}, ["auth_token or api_secret"]),
    ({"port": 5000, "auth_token": "secret-value", "colour": "red"}, ["unknown option", "colour"]),
    ({"port": "many", "auth_token": "secret-value"}, ["port", "int"]),
    ({"port": 5000, "auth_token": "secret-value", "out_of_session_answer": "maybe"}, ["out_of_session_answer"]),
    ({"port": 5000, "auth_token": "secret-value", "out_of_session_answer": "auto_create"}, ["participantIdentifier"]),
    ({"port": 5000, "auth_token": "secret-value", "keyfile": "/k.pem"}, ["keyfile needs certfile"]),
    ({"port": 5000, "auth_token": "secret-value", "public_url": "eda.example.com"}, ["public_url"]),
])
def test_bad_arguments_fail_before_listening_naming_the_option(source, args, words, monkeypatch):
    for name in ("TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET", "TWILIO_ACCOUNT_SID"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError) as info:
        run(source.main(asyncio.Queue(), args))
    for word in words:
        assert word in str(info.value)
    assert "secret-value" not in str(info.value)


def test_documentation_is_the_argument_schema(source):
    assert set(source.ARGSPEC) >= {"host", "port", "certfile", "keyfile", "public_url", "auth_token", "api_secret",
                                   "out_of_session_answer", "intercept_block_file", "max_body", "path_prefix"}
    assert source.check_args({"auth_token": "x"}, environ={})["port"] == 5000


def test_template_guard_breaks_jinja_in_field_values(source):
    hostile = dict(INBOUND, Body="{{ lookup('pipe', 'id') }} {%raw%} {#c#} {{{x}}}")

    async def scenario(**args):
        async with running(source, **args) as (queue, base, http):
            url = base + "/out-of-session"
            status = (await post(http, url, hostile, sign(url, hostile)))[0]   # signed over the original body
            return status, queue.get_nowait()
    status, event = run(scenario())
    body = event["twilio"]["Body"]
    assert status == 204 and event["meta"]["guarded"] == ["Body"]
    assert "{{" not in body and "{%" not in body and "{#" not in body
    assert body == "{ { lookup('pipe', 'id') }} { %raw%} { #c#} { { {x}}}"
    raw = run(scenario(template_guard=False))[1]
    assert raw["twilio"]["Body"] == hostile["Body"] and "guarded" not in raw["meta"]


def _self_signed(tmp_path):
    """A self-signed certificate for 127.0.0.1 -> (certfile, keyfile)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return str(certfile), str(keyfile)


def test_tls_listener_checks_the_https_url(source, tmp_path):
    import ssl

    certfile, keyfile = _self_signed(tmp_path)
    context = ssl.create_default_context(cafile=certfile)

    async def scenario():
        port = free_port()
        queue = asyncio.Queue()
        task = asyncio.create_task(source.main(queue, {"port": port, "auth_token": TOKEN, "certfile": certfile,
                                                       "keyfile": keyfile}))
        base = "https://127.0.0.1:%d/twilio" % port
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as http:
                for dummy in range(300):
                    try:
                        async with http.get(base + "/health"):
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.01)
                url = base + "/callback"
                signed_https = (await post(http, url, CALLBACK, sign(url, CALLBACK)))[0]
                http_url = url.replace("https://", "http://")
                signed_http = (await post(http, url, CALLBACK, sign(http_url, CALLBACK)))[0]
                return signed_https, signed_http, queue.qsize()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert run(scenario()) == (200, 403, 1)


def test_bad_certificate_fails_naming_the_options(source, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ValueError, match="certfile/keyfile"):
        run(source.main(asyncio.Queue(), {"port": free_port(), "auth_token": TOKEN, "certfile": str(bad)}))
