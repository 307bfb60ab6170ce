"""The control API under hostile input (issue 20 item 10): every request is answered with a body, nothing poisons
the clock or stalls the server, and the Host check and the bind warning keep web pages and the network out."""

import json
import re
import signal
import socket
import subprocess
import sys

import pytest
import requests

from test_cli import SCRIPT, start, stop

JSON = {"Content-Type": "application/json"}


def raw_control(api, name, body):
    """POST a control request with ``body`` sent as it is (not through a JSON encoder)."""
    return requests.post(api.url + "/_emulator/" + name, data=body, headers=JSON, timeout=10)


def assert_refused(resp, words):
    assert resp.status_code == 400, (resp.status_code, resp.text)
    assert re.search(words, resp.json()["error"]), resp.json()


def assert_serving(api):
    """The clock is readable and writes work: nothing was poisoned."""
    assert api.control("GET", "time").json()["offset"] == 0
    assert api.post("/v1/Services", {"UniqueName": "still-serving"}).status_code == 201
    assert api.get("/v1/Services").status_code == 200


@pytest.mark.parametrize("body, words", [
    (b'{"advance": 1e20}', "advance must be"),
    (b'{"advance": 1e400}', "out of range"),
    (b'{"advance": Infinity}', "not a number"),
    (b'{"advance": -Infinity}', "not a number"),
    (b'{"advance": NaN}', "not a number"),
    (b'{"advance": "nan"}', "finite"),
    (b'{"advance": "1e20"}', "advance must be"),
    (b'{"advance": 3155760001}', "advance must be"),
])
def test_the_clock_is_never_poisoned(api, body, words):
    assert_refused(raw_control(api, "time", body), words)
    assert_serving(api)


def test_the_clock_moves_a_century_at_most_in_all(api):
    assert api.control("POST", "time", {"advance": 36000 * 86400}).status_code == 200
    assert_refused(api.control("POST", "time", {"advance": 501 * 86400}), "at most 36500 days")
    assert api.post("/v1/Services", {"UniqueName": "in-the-future"}).status_code == 201


def test_a_poisoned_state_file_is_refused_at_start(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"clock_offset": float("nan")}))
    proc = subprocess.run([sys.executable, "-m", "twilio_proxy_emulator", "--port", "0", "--state-file",
                           str(state)], capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == 2 and "clock_offset must be a finite number" in proc.stderr, proc


@pytest.mark.parametrize("name, body, words", [
    ("estate", {"max_age_days": 1e300}, "max_age_days must be"),
    ("estate", {"sessions": 1e12}, "sessions must be"),
    ("estate", {"seed": 1e300}, "seed must be"),
    ("seed", {"service_unique_name": "svc", "sessions": 10 ** 9}, "sessions must be"),
    ("seed", {"service_unique_name": "svc", "sessions": 1.5}, "whole number"),
    ("seed", {"service_unique_name": "svc", "phone_numbers": 10 ** 9}, "phone_numbers must be"),
    ("seed", {"service_unique_name": "svc", "sessions": 1, "age_days": 1e300}, "age_days must be"),
    ("seed", {"service_unique_name": "svc", "sessions": 1, "expiry_days": -1e300}, "expiry_days must be"),
    ("seed", {"service_unique_name": "svc", "sessions": 1, "prefix": "x" * 1000}, "prefix must be"),
    ("settings", {"rate_limit_rps": 1e300}, "rate_limit_rps must be"),
    ("settings", {"rate_limit_burst": "nan"}, "finite"),
    ("faults", {"count": 1e300}, "count must be"),
    ("faults", {"count": "inf"}, "finite"),
    ("faults", {"delay": 1e9}, "delay must be"),
    ("faults", {"status": None, "wait_for": 1e300, "delay": 1}, "wait_for must be"),
    ("faults", {"retry_after": "1\r\nSet-Cookie: x=y"}, "control character"),
])
def test_numbers_and_counts_are_finite_and_capped(api, name, body, words):
    api.service("svc")
    assert_refused(api.control("POST", name, body), words)
    assert api.control("GET", "faults").json() == {"faults": []}
    assert api.control("GET", "settings").json()["rate_limit_rps"] == 30
    resp = api.get("/v1/Services")
    assert [s["unique_name"] for s in resp.json()["services"]] == ["svc"]  # GET /v1/Services still answers


def test_json_nested_deeply_is_answered(api):
    for depth in (1000, 100000):
        resp = raw_control(api, "time", b'{"a": ' + b"[" * depth + b"]" * depth + b"}")
        assert resp.status_code == 400 and resp.json()["error"], resp.text
    assert_serving(api)


def test_every_control_failure_is_answered_with_a_body(api, server, monkeypatch):
    """A bug in a handler is a 500 with a body, on a connection that is then closed properly."""
    def broken(*args):
        raise RuntimeError("a bug")
    monkeypatch.setitem(sys.modules["twilio_proxy_emulator.control"].CONTROL_ROUTES, ("GET", "time"), broken)
    resp = requests.get(api.url + "/_emulator/time", timeout=10)
    assert resp.status_code == 500 and resp.json() == {"error": "internal error: RuntimeError"}
    monkeypatch.undo()
    assert_serving(api)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w|\w\w)*!", r"(.*)*x", r"(a)\1", r"(x+x+)+y", r".*.*.*x"])
def test_a_backtracking_fault_pattern_is_refused(api, pattern):
    """Such a pattern, searched in every request's path, stalled every request, exponentially in its length."""
    assert_refused(api.control("POST", "faults", {"path": pattern}), "time to match|at most 2 are accepted")
    resp = api.get("/v1/Services/KS" + "a" * 32 + "a" * 60 + "!")
    assert resp.status_code == 404


def test_faults_match_outside_the_lock_and_long_paths_never_match(api):
    api.control("POST", "faults", {"path": "/Services/.*x.*y$", "count": 5, "status": 500})
    assert api.get("/v1/Services/" + "x" * 600 + "y").status_code == 404  # too long to match: served as usual
    assert api.get("/v1/Services/xy").status_code == 500
    assert api.control("GET", "faults").json()["faults"][0]["count"] == 4


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1", 200), ("127.1.2.3:80", 200), ("[::1]", 200), ("[::ffff:127.0.0.1]:1", 200), ("localhost", 200),
    ("LOCALHOST.:9", 200), ("10.0.0.5", 403), ("192.168.1.10:8080", 403), ("[2001:db8::1]", 403),
    ("0.0.0.0", 403), ("evil.localhost", 403), ("8.8.8.8", 403),
])
def test_the_host_check_accepts_only_loopback_literals_and_localhost(api, host, status):
    resp = requests.post(api.url + "/_emulator/time", json={}, headers={"Host": host}, timeout=5)
    assert resp.status_code == status, (host, resp.text)


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_a_warning_when_listening_beyond_loopback():
    proc = subprocess.Popen([str(SCRIPT), "--host", "0.0.0.0", "--port", "0", "--quiet"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert re.fullmatch(r"http://0\.0\.0\.0:\d+\n", line), line
        port = int(line.strip().rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert "WARNING: listening on 0.0.0.0" in err and "no authentication" in err
    proc, url = start(["--quiet"])
    assert "WARNING" not in stop(proc)[1]
