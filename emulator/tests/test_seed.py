"""The seed control's services form: a service list of several pages in one request."""

from conftest import assert_error


def test_seed_services_makes_a_list_of_pages(api):
    """120 services named prefix + index, skipping a name that exists; the list pages through all of them."""
    api.service("filler-3")
    resp = api.control("POST", "seed", {"services": 120, "prefix": "filler-"})
    assert resp.status_code == 200 and resp.json() == {"services": 119}
    names, page = set(), api.get("/v1/Services", params={"PageSize": 50})
    while True:
        names.update(s["unique_name"] for s in page.json()["services"])
        nxt = page.json()["meta"]["next_page_url"]
        if not nxt:
            break
        page = api.get(nxt)
    assert names == {"filler-%d" % i for i in range(120)}


def test_seed_services_refuses_a_bad_count(api):
    for bad in (-1, 1.5, "x", 10001, True):
        resp = api.control("POST", "seed", {"services": bad})
        assert resp.status_code == 400, bad
    assert_error(api.get("/v1/Services/seed-0"), 404, 20404)
