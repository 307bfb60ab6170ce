"""The command line: first line is the base URL, clean SIGTERM, persistence across a restart."""

import os
import pathlib
import re
import signal
import subprocess
import sys

import pytest
import requests

from conftest import TOKEN_AUTH

SCRIPT = pathlib.Path(sys.executable).with_name("twilio-proxy-emulator")


def start(args, module=False):
    cmd = [sys.executable, "-m", "twilio_proxy_emulator"] if module else [str(SCRIPT)]
    proc = subprocess.Popen(cmd + ["--host", "127.0.0.1", "--port", "0"] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", line), line
    return proc, line.strip()


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:   # pragma: no cover
        proc.kill()
        raise
    assert proc.returncode == 0, err
    return out, err


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_console_script_first_line_and_access_log():
    proc, url = start([])
    try:
        assert requests.get(url + "/v1/Services", auth=TOKEN_AUTH, timeout=5).status_code == 200
    finally:
        out, err = stop(proc)
    assert out == ""
    assert '"GET /v1/Services HTTP/1.1" 200' in err


def test_module_custom_credentials_and_flags():
    account, token = "AC" + "1" * 32, "t" * 32
    proc, url = start(["--account-sid", account, "--auth-token", token, "--api-key", "SK" + "2" * 32,
                       "--api-secret", "s" * 32, "--numbers", "3", "--short-codes", "1",
                       "--no-fetch-by-unique-name", "--rate-limit", "--quiet"], module=True)
    try:
        assert requests.get(url + "/v1/Services", auth=TOKEN_AUTH, timeout=5).status_code == 401
        assert requests.get(url + "/v1/Services", auth=("SK" + "2" * 32, "s" * 32), timeout=5).status_code == 200
        inv = requests.get(url + "/2010-04-01/Accounts/%s/IncomingPhoneNumbers.json" % account,
                           auth=(account, token), timeout=5).json()
        assert len(inv["incoming_phone_numbers"]) == 3 + 5
        settings = requests.get(url + "/_emulator/settings", timeout=5).json()
        assert settings["fetch_by_unique_name"] is False and settings["rate_limit"] is True
        resp = requests.post(url + "/v1/Services", data={"UniqueName": "n"}, auth=(account, token), timeout=5)
        assert resp.json()["account_sid"] == account
        assert requests.get(url + "/v1/Services/n", auth=(account, token), timeout=5).status_code == 404
    finally:
        out, err = stop(proc)
    assert err == ""


def test_sigint_saves_and_exits_0(tmp_path):
    state = tmp_path / "s.json"
    proc, url = start(["--state-file", str(state), "--quiet"])
    requests.post(url + "/v1/Services", data={"UniqueName": "int"}, auth=TOKEN_AUTH, timeout=5)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert '"unique_name":"int"' in state.read_text()


def test_bad_arguments_exit_2():
    result = subprocess.run([sys.executable, "-m", "twilio_proxy_emulator", "--numbers", "-1"], check=False,
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2 and "--numbers" in result.stderr


def test_state_survives_restart(tmp_path):
    state = tmp_path / "state.json"
    proc, url = start(["--state-file", str(state), "--quiet"])
    try:
        s = requests.Session()
        s.auth = TOKEN_AUTH
        svc = s.post(url + "/v1/Services", data={"UniqueName": "keep", "DefaultTtl": "60"}).json()
        ks = svc["sid"]
        s.post(url + "/v1/Services/%s/PhoneNumbers" % ks, data={"PhoneNumber": "+14155550000"})
        sess = s.post(url + "/v1/Services/%s/Sessions" % ks, data={"UniqueName": "sess"}).json()
        part = s.post(url + "/v1/Services/%s/Sessions/%s/Participants" % (ks, sess["sid"]),
                      data={"Identifier": "+15005550001"}).json()
        s.post(part["links"]["message_interactions"], data={"Body": "hi"})
        requests.post(url + "/_emulator/time", json={"advance": 10}, timeout=5)
    finally:
        stop(proc)
    assert state.exists() and not [p for p in os.listdir(tmp_path) if p.startswith(".emulator-state-")]
    proc, url2 = start(["--state-file", str(state), "--quiet"])
    try:
        s = requests.Session()
        s.auth = TOKEN_AUTH
        again = s.get(url2 + "/v1/Services/keep").json()
        assert again["sid"] == ks and again["default_ttl"] == 60 and again["url"].startswith(url2)
        numbers = s.get(url2 + "/v1/Services/%s/PhoneNumbers" % ks).json()["phone_numbers"]
        assert [n["in_use"] for n in numbers] == [1]
        got = s.get(url2 + "/v1/Services/%s/Sessions/sess" % ks).json()
        assert got["sid"] == sess["sid"] and got["status"] == "in-progress"
        parts = s.get(url2 + "/v1/Services/%s/Sessions/%s/Participants" % (ks, sess["sid"])).json()["participants"]
        assert [p["sid"] for p in parts] == [part["sid"]]
        assert len(s.get(got["links"]["interactions"]).json()["interactions"]) == 1
        # uniqueness indexes are rebuilt
        assert s.post(url2 + "/v1/Services", data={"UniqueName": "keep"}).json()["code"] == 80602
        assert s.post(url2 + "/v1/Services/%s/Sessions/%s/Participants" % (ks, sess["sid"]),
                      data={"Identifier": "+15005550001"}).json()["code"] == 80103
        assert requests.get(url2 + "/_emulator/time", timeout=5).json()["offset"] == 10
        # ordering continues after the restored records
        s.post(url2 + "/v1/Services", data={"UniqueName": "after"})
        assert [x["unique_name"] for x in s.get(url2 + "/v1/Services").json()["services"]] == ["keep", "after"]
    finally:
        stop(proc)


def test_purchases_and_releases_survive_restart(tmp_path):
    """A number bought and one released through the 2010-04-01 API are still bought and released after a restart."""
    state = tmp_path / "state.json"
    acc = "/2010-04-01/Accounts/%s/IncomingPhoneNumbers" % TOKEN_AUTH[0]
    proc, url = start(["--state-file", str(state), "--quiet", "--numbers", "5"])
    try:
        s = requests.Session()
        s.auth = TOKEN_AUTH
        bought = s.post(url + acc + ".json", data={"PhoneNumber": "+12125550007", "FriendlyName": "kept"}).json()
        first = s.get(url + acc + ".json", params={"PhoneNumber": "+14155550000"}).json()["incoming_phone_numbers"]
        assert s.delete(url + acc + "/%s.json" % first[0]["sid"]).status_code == 204
    finally:
        stop(proc)
    proc, url2 = start(["--state-file", str(state), "--quiet", "--numbers", "5"])
    try:
        s = requests.Session()
        s.auth = TOKEN_AUTH
        owned = s.get(url2 + acc + ".json", params={"PageSize": 50}).json()["incoming_phone_numbers"]
        numbers = {n["phone_number"]: n for n in owned}
        assert "+14155550000" not in numbers and len(owned) == 10    # 5 US and 5 GB, one released, one bought
        assert numbers["+12125550007"]["sid"] == bought["sid"]
        assert numbers["+12125550007"]["friendly_name"] == "kept"
        # the market knows it is sold
        again = s.post(url2 + acc + ".json", data={"PhoneNumber": "+12125550007"})
        assert again.json()["code"] == 21422
    finally:
        stop(proc)


def test_seed_estate_flag_and_restart(tmp_path):
    """--seed-estate starts with the hand-made estate; a restart on its state file keeps it (no second estate)
    and the account keeps the numbers it had to buy for it."""
    state = tmp_path / "estate.json"
    inventory = "/2010-04-01/Accounts/AC00000000000000000000000000000000/IncomingPhoneNumbers.json"
    logs = []
    for attempt in range(2):
        proc, url = start(["--seed-estate", "--numbers", "50", "--state-file", str(state)])
        try:
            services = requests.get(url + "/v1/Services", auth=TOKEN_AUTH, timeout=5).json()["services"]
            assert sorted(s["unique_name"] for s in services) == [
                "estate-deliveries", "estate-legacy", "estate-masking", "estate-support"]
            owned = requests.get(url + inventory, params={"PageSize": 1000}, auth=TOKEN_AUTH, timeout=5).json()
            assert len(owned["incoming_phone_numbers"]) >= 160
        finally:
            logs.append(stop(proc)[1])
    assert "seeded the estate" in logs[0] and "seeded the estate" not in logs[1]   # the second found it


def test_allow_host_adds_a_name_for_the_control_api():
    proc, url = start(["--allow-host", "emulator.internal", "--quiet"])
    try:
        port = url.rsplit(":", 1)[1]
        for host, status in (("emulator.internal:" + port, 200), ("other.internal:" + port, 403)):
            resp = requests.post(url + "/_emulator/time", json={}, headers={"Host": host}, timeout=5)
            assert resp.status_code == status, host
    finally:
        stop(proc)
