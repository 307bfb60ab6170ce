"""POST /_emulator/estate: a hand-made estate, deterministic, that follows the Proxy rules and reads as the API says."""

import collections
import datetime

from conftest import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN
from twilio_proxy_emulator.server import Emulator

ACTIVE = ("open", "in-progress")


def every(api, path, key):
    records, url = [], path + "?PageSize=100"
    while url:
        page = api.get(url).json()     # validated against the spec by the client
        records += page[key]
        url = page["meta"]["next_page_url"]
    return records


def instant(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def estate(api, **knobs):
    resp = api.control("POST", "estate", knobs)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_estate_is_what_the_api_reads(api):
    summary = estate(api)
    counts = summary["counts"]
    services = every(api, "/v1/Services", "services")
    assert sorted(s["unique_name"] for s in services) == sorted(s["unique_name"] for s in summary["services"])
    assert len(services) == counts["services"] == 4
    # different settings, one callback URL with credentials in it
    assert len({(s["default_ttl"], s["geo_match_level"], s["number_selection_behavior"]) for s in services}) == 4
    assert any("@" in (s["callback_url"] or "") and ":" in s["callback_url"].split("@")[0][8:] for s in services)
    assert any(s["chat_instance_sid"] for s in services)
    numbers = statuses = 0
    totals = collections.Counter()
    for service, expected in zip(sorted(services, key=lambda s: s["sid"]),
                                 sorted(summary["services"], key=lambda s: s["sid"])):
        pool = every(api, "/v1/Services/%s/PhoneNumbers" % service["sid"], "phone_numbers")
        codes = every(api, "/v1/Services/%s/ShortCodes" % service["sid"], "short_codes")
        sessions = every(api, "/v1/Services/%s/Sessions" % service["sid"], "sessions")
        assert (len(pool), sum(n["is_reserved"] for n in pool), len(codes), len(sessions)) == (
            expected["phone_numbers"], expected["reserved_phone_numbers"], expected["short_codes"],
            expected["sessions"])
        by_status = collections.Counter(s["status"] for s in sessions)
        assert by_status == expected["by_status"]
        totals.update(by_status)
        numbers += len(pool)
        statuses += len(sessions)
    assert numbers == counts["phone_numbers"] >= 150
    assert counts["reserved_phone_numbers"] > 0 and counts["short_codes"] >= 3
    assert statuses == counts["sessions"] >= 300
    assert set(totals) == {"open", "in-progress", "closed", "failed"} and totals == counts["by_status"]
    assert counts["without_unique_name"] > 0 and counts["expired"] > 0
    assert counts["participants"] >= 1.5 * counts["sessions"] and counts["interactions"] > 0


def test_estate_follows_the_proxy_rules_and_its_dates_are_realistic(api):
    estate(api)
    now = instant(api.control("GET", "time").json()["now"])
    pairs = collections.Counter()
    ages = []
    two = 0
    for service in every(api, "/v1/Services", "services"):
        pool = {n["sid"] for n in every(api, "/v1/Services/%s/PhoneNumbers" % service["sid"], "phone_numbers")}
        for session in every(api, "/v1/Services/%s/Sessions" % service["sid"], "sessions"):
            created, updated = instant(session["date_created"]), instant(session["date_updated"])
            assert created <= updated <= now, session
            if session["date_last_interaction"]:
                assert created <= instant(session["date_last_interaction"]) <= updated, session
            if session["status"] == "closed":
                assert session["date_ended"] and session["closed_reason"] in ("api", "expired"), session
                if session["closed_reason"] == "expired" and session["date_expiry"]:
                    assert instant(session["date_expiry"]) < now
            if session["date_expiry"] and session["status"] in ACTIVE:
                assert instant(session["date_expiry"]) > now
            parts = every(api, session["links"]["participants"], "participants")
            live = [p for p in parts if p["date_deleted"] is None]
            assert len(live) <= 2
            two += len(live) == 2
            for part in live:
                assert part["proxy_identifier_sid"] in pool, part
                if session["status"] in ACTIVE:
                    pairs[(part["identifier"], part["proxy_identifier_sid"])] += 1
            if session["status"] in ACTIVE:
                ages.append((now - updated).days)
    assert two > 200
    assert max(pairs.values()) == 1, "an identifier holds a proxy number in two active sessions"
    # stale active sessions and fresh ones, for age filters
    assert max(ages) > 30 and min(ages) < 1


def test_estate_is_deterministic(api):
    first = estate(api, sessions=40, phone_numbers=30)
    first_sessions = every(api, "/v1/Services/%s/Sessions" % first["services"][0]["sid"], "sessions")
    api.control("POST", "reset", {})
    second = estate(api, sessions=40, phone_numbers=30)
    second_sessions = every(api, "/v1/Services/%s/Sessions" % second["services"][0]["sid"], "sessions")
    first.pop("now")
    second.pop("now")
    assert first == second
    strip = ("date_created", "date_updated", "date_started", "date_ended", "date_last_interaction", "date_expiry")
    assert [{k: v for k, v in s.items() if k not in strip} for s in first_sessions] == [
        {k: v for k, v in s.items() if k not in strip} for s in second_sessions]
    assert estate(api, sessions=40, phone_numbers=30, seed=1, prefix="other-")["counts"] != first["counts"]


def test_estate_knobs_and_refusals(api):
    small = estate(api, sessions=10, phone_numbers=12, short_codes=1, prefix="small-")
    assert small["counts"]["sessions"] == 10 and small["counts"]["phone_numbers"] == 12
    assert small["counts"]["short_codes"] == 1
    assert all(s["unique_name"].startswith("small-") for s in small["services"])
    again = api.control("POST", "estate", {"prefix": "small-"})
    assert again.status_code == 400 and "already" in again.json()["error"]
    assert api.control("POST", "estate", {"nope": 1}).status_code == 400
    assert api.control("POST", "estate", {"sessions": -1}).status_code == 400
    assert api.control("POST", "estate", {"sessions": "many"}).status_code == 400
    assert api.control("POST", "estate", {"phone_numbers": 1001}).status_code == 400
    # nothing of a refused estate was created
    assert len(every(api, "/v1/Services", "services")) == 4


def test_estate_grows_the_account_when_it_owns_too_few_numbers():
    emulator = Emulator(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_API_KEY, DEFAULT_API_SECRET,
                        numbers=20, short_codes=2, quiet=True)
    summary = emulator.seed_estate({"phone_numbers": 300, "sessions": 50})
    assert summary["counts"]["phone_numbers"] == 300
    assert summary["counts"]["short_codes"] == 2
    assert summary["inventory_numbers"] == len(emulator.inventory.numbers) >= 300
    assert emulator.store.inventory_numbers == emulator.inventory.us_numbers


def test_estate_dates_and_rules_hold_for_any_seed():
    """In-process, over several seeds and ages: dates in order and never in the future, expiry consistent with the
    status, participants on pool numbers, no identifier on one proxy number in two active sessions."""
    for seed in range(12):
        emulator = Emulator(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_API_KEY, DEFAULT_API_SECRET,
                            numbers=100, quiet=True)
        emulator.seed_estate({"seed": seed, "max_age_days": [180, 3, 1, 400][seed % 4], "sessions": 120})
        store, now = emulator.store, emulator.store.now()
        pairs = collections.Counter()
        for service in store.services:
            pool = {n["sid"] for n in store.numbers[service["sid"]]}
            for session in store.sessions[service["sid"]]:
                emulator.rules.refresh(session)
                assert session["date_created"] <= session["date_updated"] <= now, (seed, session)
                if session["date_last_interaction"]:
                    assert session["date_created"] <= session["date_last_interaction"] <= session["date_updated"]
                if session["status"] == "closed":
                    assert session["date_created"] <= session["date_ended"] <= now, (seed, session)
                if session["status"] in ACTIVE and session["date_expiry"]:
                    assert session["date_expiry"] > now
                for part in store.participants[session["sid"]]:
                    assert session["date_created"] <= part["date_created"] <= part["date_updated"] <= now
                    if part["date_deleted"] is None:
                        assert part["proxy_identifier_sid"] in pool
                        if session["status"] in ACTIVE:
                            pairs[(part["identifier"], part["proxy_identifier_sid"])] += 1
                for interaction in store.interactions[session["sid"]]:
                    assert session["date_created"] <= interaction["date_created"] <= now
        assert max(pairs.values()) == 1, seed
