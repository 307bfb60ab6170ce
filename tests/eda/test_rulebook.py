# Copyright (c) community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: ansible-rulebook runs the example rulebooks of extensions/eda/rulebooks with the proxy_webhook
source, the emulator calls the webhooks signed, and the rules' playbooks change the emulator through the modules.

Needs ansible-rulebook (requirements-eda.txt) and a Java runtime (scripts/install-java.sh). Every wait is bounded
and polls the emulator's state; nothing asserts a duration."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests

from conftest import ROOT, TOKEN, free_port

EMULATOR_ACCOUNT = "AC" + "0" * 32
EMULATOR_TOKEN = "emulatorauthtoken000000000000000"   # the emulator's documented default credentials
AUTH = (EMULATOR_ACCOUNT, EMULATOR_TOKEN)
AGENT = "+15005550100"
CUSTOMER = "+15005550123"
DEADLINE = 180          # seconds any one wait may take on a loaded 2-core machine before the test fails


def wait_for(what, check, deadline=DEADLINE, proc=None):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail("%s: ansible-rulebook exited with %s" % (what, proc.returncode))
        time.sleep(0.2)
    pytest.fail("%s: not within %d s" % (what, deadline))


@pytest.fixture(scope="module")
def tools():
    rulebook = shutil.which("ansible-rulebook") or os.path.join(os.path.dirname(sys.executable), "ansible-rulebook")
    if not os.path.exists(rulebook):
        pytest.fail("ansible-rulebook is not installed: pip install -r requirements-eda.txt")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.fail("ansible-rulebook needs a Java runtime: run scripts/install-java.sh")
    return rulebook


@pytest.fixture
def emulator(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "twilio_proxy_emulator", "--port", "0", "--quiet"],
                            stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://"), url
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def collections(tmp_path):
    """A collections path where community.twilio is this checkout (its source and modules)."""
    path = tmp_path / "collections"
    (path / "ansible_collections" / "community").mkdir(parents=True)
    (path / "ansible_collections" / "community" / "twilio").symlink_to(ROOT)
    return path


class Rulebook:
    """ansible-rulebook running one example rulebook, its output in a file; stopped with SIGINT (then killed)."""

    def __init__(self, binary, rulebook, variables, emulator_url, collections, tmp_path):
        self.port = free_port()
        vars_file = tmp_path / "vars.yml"
        vars_file.write_text("".join("%s: %s\n" % (k, v) for k, v in dict(variables, listen_port=self.port).items()))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), TWILIO_ACCOUNT_SID=EMULATOR_ACCOUNT,
                   TWILIO_AUTH_TOKEN=EMULATOR_TOKEN, TWILIO_PROXY_API_URL=emulator_url,
                   PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
                   ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
        for name in ("TWILIO_API_KEY", "TWILIO_API_SECRET"):
            env.pop(name, None)
        inventory = tmp_path / "inventory.yml"
        inventory.write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                             "      ansible_python_interpreter: %s\n" % sys.executable)
        self.log = tmp_path / "rulebook.log"
        self.out = open(self.log, "w")   # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([binary, "--rulebook", str(rulebook), "--vars", str(vars_file),
                                      "--inventory", str(inventory), "--print-events"], cwd=ROOT, env=env, stdout=self.out,
                                     stderr=subprocess.STDOUT)
        self.base = "http://127.0.0.1:%d/twilio" % self.port

    def wait_listening(self):
        wait_for("the listener", self.healthy, proc=self.proc)

    def healthy(self):
        try:
            return requests.get(self.base + "/health", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):    # not listening yet, or the JVM still starting
            return False

    def output(self):
        return self.log.read_text(errors="replace")

    def playbooks_ok(self):
        """Fails the test as soon as a playbook run by a rule failed (rather than waiting for a state never reached)."""
        if re.search(r"failed=[1-9]", self.output()):
            pytest.fail("a playbook run by the rulebook failed")
        return True

    def events(self):
        return len(re.findall(r"['\"]webhook['\"]: ['\"]", self.output()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


@pytest.fixture
def run_rulebook(tools, emulator, collections, tmp_path):
    started = []

    def start(name, **variables):
        rb = Rulebook(tools, ROOT / "extensions" / "eda" / "rulebooks" / name, variables, emulator, collections,
                      tmp_path)
        started.append(rb)
        rb.wait_listening()
        return rb
    yield start
    for rb in started:
        rb.stop()
        sys.stdout.write(rb.output()[-3000:])      # shown by pytest when the test failed


def api(emulator, method, path, **data):
    resp = requests.request(method, emulator + path, data=data or None, auth=AUTH, timeout=30)
    assert resp.status_code < 300, resp.text
    return resp.json() if resp.content else None


def control(emulator, name, body=None, method="POST"):
    resp = requests.request(method, emulator + "/_emulator/" + name, json=body if method == "POST" else None,
                            timeout=60)
    assert resp.status_code < 300, resp.text
    return resp.json()


def pool(emulator, ks, count):
    control(emulator, "seed", {"service_sid": ks, "phone_numbers": count})
    return api(emulator, "GET", "/v1/Services/%s/PhoneNumbers" % ks)["phone_numbers"]


def test_out_of_session_sms_opens_exactly_one_session_and_forgeries_change_nothing(run_rulebook, emulator):
    svc = api(emulator, "POST", "/v1/Services", UniqueName="eda-e2e")
    numbers = pool(emulator, svc["sid"], 2)
    rb = run_rulebook("out_of_session.yml", proxy_service="eda-e2e", agent_number='"%s"' % AGENT)
    api(emulator, "POST", "/v1/Services/%s" % svc["sid"],
        OutOfSessionCallbackUrl=rb.base + "/out-of-session")

    # 100 forged or unsigned requests: 100 x 403, no event, nothing changed
    fields = {"AccountSid": EMULATOR_ACCOUNT, "MessageSid": "SM" + "a" * 32, "From": CUSTOMER,
              "To": numbers[0]["phone_number"], "Body": "forged"}
    statuses = []
    with requests.Session() as http:
        for i in range(100):
            headers = {} if i % 2 else {"X-Twilio-Signature": "forged%03d" % i}
            statuses.append(http.post(rb.base + "/out-of-session", data=fields, headers=headers, timeout=10)
                            .status_code)
    assert statuses == [403] * 100
    assert rb.events() == 0

    # one simulated out-of-session SMS, signed by the emulator: one event, one playbook run, one new session
    answer = control(emulator, "inbound", {"from": CUSTOMER, "to": numbers[0]["phone_number"], "body": "hello?"})
    assert answer == {"result": "dropped", "status": 204}        # the source's default answer: empty (204)

    def session_with_both():
        rb.playbooks_ok()
        sessions = api(emulator, "GET", "/v1/Services/%s/Sessions" % svc["sid"])["sessions"]
        if not sessions:
            return None
        parts = api(emulator, "GET", "/v1/Services/%s/Sessions/%s/Participants"
                    % (svc["sid"], sessions[0]["sid"]))["participants"]
        return sessions if len(parts) == 2 else None
    sessions = wait_for("the session the playbook opens", session_with_both, proc=rb.proc)
    parts = api(emulator, "GET", "/v1/Services/%s/Sessions/%s/Participants"
                % (svc["sid"], sessions[0]["sid"]))["participants"]
    assert len(sessions) == 1 and sessions[0]["unique_name"].startswith("contact-SM")
    assert sorted(p["identifier"] for p in parts) == sorted([CUSTOMER, AGENT])
    customer = next(p for p in parts if p["identifier"] == CUSTOMER)
    assert customer["proxy_identifier"] == numbers[0]["phone_number"]
    assert rb.events() == 1
    log = control(emulator, "webhooks", method="GET")["webhooks"]
    assert [(e["webhook"], e["status"]) for e in log] == [("out_of_session", 204)]
    wait_for("the playbook's end", lambda: "PLAY RECAP" in rb.output(), proc=rb.proc)
    assert len(api(emulator, "GET", "/v1/Services/%s/Sessions" % svc["sid"])["sessions"]) == 1
    assert TOKEN not in rb.output() and EMULATOR_TOKEN not in rb.output()


def test_failed_interaction_reserves_its_proxy_number(run_rulebook, emulator):
    svc = api(emulator, "POST", "/v1/Services", UniqueName="eda-failed")
    pool(emulator, svc["sid"], 2)
    rb = run_rulebook("failed_interactions.yml")
    api(emulator, "POST", "/v1/Services/%s" % svc["sid"], CallbackUrl=rb.base + "/callback")
    kc = api(emulator, "POST", "/v1/Services/%s/Sessions" % svc["sid"], UniqueName="ride-1")["sid"]
    a = api(emulator, "POST", "/v1/Services/%s/Sessions/%s/Participants" % (svc["sid"], kc), Identifier=CUSTOMER)
    b = api(emulator, "POST", "/v1/Services/%s/Sessions/%s/Participants" % (svc["sid"], kc), Identifier=AGENT)
    control(emulator, "interactions", {"service_sid": svc["sid"], "session_sid": kc,
                                       "inbound_participant_sid": a["sid"], "outbound_participant_sid": b["sid"],
                                       "outbound_resource_status": "failed"})

    def reserved():
        rb.playbooks_ok()
        numbers = api(emulator, "GET", "/v1/Services/%s/PhoneNumbers" % svc["sid"])["phone_numbers"]
        return [n["phone_number"] for n in numbers if n["is_reserved"]]
    assert wait_for("the reserved number", reserved, proc=rb.proc) == [b["proxy_identifier"]]
    assert rb.events() == 1
    log = control(emulator, "webhooks", method="GET")["webhooks"]
    assert [(e["webhook"], e["status"]) for e in log] == [("callback", 200)]
