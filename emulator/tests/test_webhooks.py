"""The webhooks a Service configures, called by the emulator as Twilio calls them: signed (checked here with the
twilio SDK's RequestValidator, as a listener checks them), a 403 from the intercept URL blocks the interaction, the
out-of-session URL's auto-create JSON creates the session; every Proxy response stays valid against the spec."""

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from twilio.request_validator import RequestValidator

from conftest import DEFAULT_AUTH_TOKEN, number


class Receiver:
    """A webhook target on a free port: records each request (path, form, whether its signature is valid) and
    answers what ``answers[path]`` says: (status, content type, body)."""

    def __init__(self):
        self.requests = []
        self.answers = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                url = "http://%s%s" % (self.headers["Host"], self.path)
                valid = RequestValidator(DEFAULT_AUTH_TOKEN).validate(url, form,
                                                                      self.headers.get("X-Twilio-Signature", ""))
                receiver.requests.append({"path": self.path, "form": form, "valid": valid,
                                          "type": self.headers.get("Content-Type"),
                                          "authorization": self.headers.get("Authorization")})
                status, ctype, text = receiver.answers.get(self.path, (200, "text/plain", ""))
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self):
        return [r["path"] for r in self.requests]


@pytest.fixture
def hooks():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def _service_with_session(api, hooks, **urls):
    svc = api.service("hooked", **{k: hooks.url + v for k, v in urls.items()})
    api.add_number(svc["sid"], 1)
    api.add_number(svc["sid"], 2)
    kc = api.session(svc["sid"], UniqueName="s1", Mode="message-only")["sid"]
    a = api.participant(svc["sid"], kc, "+15005550101").json()
    b = api.participant(svc["sid"], kc, "+15005550102").json()
    return svc, kc, a, b


def test_message_interaction_calls_intercept_then_callback_signed(api, hooks):
    svc, kc, a = _service_with_session(api, hooks, CallbackUrl="/cb", InterceptCallbackUrl="/ic")[:3]
    resp = api.post("/v1/Services/%s/Sessions/%s/Participants/%s/MessageInteractions" % (svc["sid"], kc, a["sid"]),
                    {"Body": "hello"})
    assert resp.status_code == 200
    assert hooks.paths() == ["/ic", "/cb"]
    assert all(r["valid"] for r in hooks.requests)
    assert hooks.requests[0]["type"] == "application/x-www-form-urlencoded"
    form = hooks.requests[1]["form"]
    assert form["interactionSid"] == resp.json()["sid"]
    assert form["interactionSessionSid"] == kc and form["interactionType"] == "Message"
    assert form["outboundParticipantSid"] == a["sid"] and form["outboundResourceStatus"] == "sent"
    log = api.control("GET", "webhooks").json()["webhooks"]
    assert [(e["webhook"], e["status"]) for e in log] == [("intercept", 200), ("callback", 200)]


def test_intercept_403_blocks_and_no_callback(api, hooks):
    svc, kc, a, b = _service_with_session(api, hooks, CallbackUrl="/cb", InterceptCallbackUrl="/ic")
    hooks.answers["/ic"] = (403, "text/plain", "no")
    resp = api.control("POST", "interactions", {"service_sid": svc["sid"], "session_sid": kc, "type": "message",
                                                "inbound_participant_sid": a["sid"],
                                                "outbound_participant_sid": b["sid"]})
    assert resp.status_code == 201
    assert resp.json()["outbound_resource_sid"] is None and resp.json()["outbound_resource_status"] is None
    assert hooks.paths() == ["/ic"]
    listed = api.get("/v1/Services/%s/Sessions/%s/Interactions" % (svc["sid"], kc)).json()["interactions"]
    assert listed[0]["outbound_resource_status"] is None


def test_control_interaction_with_a_failed_outbound_leg(api, hooks):
    svc, kc, a, b = _service_with_session(api, hooks, CallbackUrl="/cb")
    resp = api.control("POST", "interactions", {"service_sid": svc["sid"], "session_sid": kc,
                                                "inbound_participant_sid": a["sid"],
                                                "outbound_participant_sid": b["sid"],
                                                "outbound_resource_status": "failed"})
    assert resp.status_code == 201 and resp.json()["outbound_resource_status"] == "failed"
    assert hooks.requests[0]["form"]["outboundResourceStatus"] == "failed"
    bad = api.control("POST", "interactions", {"service_sid": svc["sid"], "session_sid": kc,
                                               "outbound_resource_status": "exploded"})
    assert bad.status_code == 400 and "outbound_resource_status" in bad.json()["error"]


def test_inbound_outside_a_session_auto_creates_it(api, hooks):
    svc = api.service("oos", OutOfSessionCallbackUrl=hooks.url + "/oos", CallbackUrl=hooks.url + "/cb")
    api.add_number(svc["sid"], 3)
    hooks.answers["/oos"] = (200, "application/json", json.dumps(
        {"uniqueName": "auto-1", "mode": "message-only", "ttl": 600, "participantIdentifier": "+15005550199"}))
    resp = api.control("POST", "inbound", {"from": "+15005550111", "to": number(3), "body": "hi"})
    out = resp.json()
    assert resp.status_code == 200 and out["result"] == "auto_created", out
    assert hooks.paths() == ["/oos", "/cb"] and all(r["valid"] for r in hooks.requests)
    form = hooks.requests[0]["form"]
    assert (form["From"], form["To"], form["Body"]) == ("+15005550111", number(3), "hi")
    sessions = api.get("/v1/Services/%s/Sessions" % svc["sid"]).json()["sessions"]
    assert [(s["unique_name"], s["mode"], s["ttl"], s["status"]) for s in sessions] == [
        ("auto-1", "message-only", 600, "in-progress")]
    parts = api.get("/v1/Services/%s/Sessions/%s/Participants" % (svc["sid"], sessions[0]["sid"])).json()
    assert sorted(p["identifier"] for p in parts["participants"]) == ["+15005550111", "+15005550199"]
    # the sender is now in an open session on that number: the next contact is an interaction, no webhook of
    # out-of-session
    again = api.control("POST", "inbound", {"from": "+15005550111", "to": number(3), "body": "again"}).json()
    assert again["result"] == "interaction" and hooks.paths() == ["/oos", "/cb", "/cb"]


def test_inbound_outside_a_session_twiml_empty_and_no_url(api, hooks):
    svc = api.service("oos2", OutOfSessionCallbackUrl=hooks.url + "/oos")
    api.add_number(svc["sid"], 4)
    hooks.answers["/oos"] = (200, "application/xml", "<Response><Message>closed</Message></Response>")
    twiml = api.control("POST", "inbound", {"from": "+15005550112", "to": number(4), "type": "voice"}).json()
    assert twiml == {"result": "twiml", "twiml": "<Response><Message>closed</Message></Response>"}
    assert hooks.requests[0]["form"]["CallStatus"] == "ringing"
    hooks.answers["/oos"] = (204, "text/plain", "")
    assert api.control("POST", "inbound", {"from": "+15005550112", "to": number(4)}).json() == {
        "result": "dropped", "status": 204}
    assert api.get("/v1/Services/%s/Sessions" % svc["sid"]).json()["sessions"] == []
    api.post("/v1/Services/%s" % svc["sid"], {"OutOfSessionCallbackUrl": ""})
    assert api.control("POST", "inbound", {"from": "+15005550112", "to": number(4)}).json()["result"] == "dropped"
    assert api.control("POST", "inbound", {"from": "+15005550112", "to": number(99)}).status_code == 404
    assert api.control("POST", "inbound", {"to": number(4)}).status_code == 400


def test_unreachable_webhook_lets_the_interaction_continue(api, hooks):
    svc, kc, a = _service_with_session(api, hooks, InterceptCallbackUrl="/ic")[:3]
    api.post("/v1/Services/%s" % svc["sid"], {"InterceptCallbackUrl": "http://127.0.0.1:9/ic"})
    resp = api.post("/v1/Services/%s/Sessions/%s/Participants/%s/MessageInteractions" % (svc["sid"], kc, a["sid"]),
                    {"Body": "hello"})
    assert resp.status_code == 200 and resp.json()["outbound_resource_status"] == "sent"
    log = api.control("GET", "webhooks").json()["webhooks"]
    assert log[-1]["status"] == 0 and "error" in log[-1]
    assert api.control("POST", "reset").json() == {"ok": True}
    assert api.control("GET", "webhooks").json() == {"webhooks": []}


def test_user_info_goes_as_basic_auth_and_never_into_the_log(api, hooks):
    svc, kc, a = _service_with_session(api, hooks)[:3]
    secret_url = hooks.url.replace("http://", "http://hook-user:s3cr%40t@") + "/cb"
    api.post("/v1/Services/%s" % svc["sid"], {"CallbackUrl": secret_url})
    api.post("/v1/Services/%s/Sessions/%s/Participants/%s/MessageInteractions" % (svc["sid"], kc, a["sid"]),
             {"Body": "hello"})
    request = hooks.requests[-1]
    assert request["valid"]      # signed over the URL the target sees: without the user-info
    assert request["authorization"] == "Basic " + base64.b64encode(b"hook-user:s3cr@t").decode()
    log = api.control("GET", "webhooks").json()["webhooks"]
    assert log[-1]["url"] == hooks.url + "/cb" and "s3cr" not in json.dumps(log)
