"""Paging of every list: Proxy v1 lists (absolute URLs, at most 100 a page) and 2010-04-01 lists (relative URIs).

A ``PageToken`` continues right after the last record of the previous page (O(page), valid across deletes);
``Page`` without a token is an offset."""

import urllib.parse

from .errors import invalid

MAX_PAGE_SIZE = 100          # Proxy returns at most 100 records a page
DEFAULT_PAGE_SIZE = 50


def page_params(query, max_size=MAX_PAGE_SIZE):
    """(size, page, token) from PageSize/Page/PageToken; PageSize above ``max_size`` is capped."""
    def _int(name, default, minimum):
        raw = (query.get(name) or [None])[0]
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise invalid(name, "It must be an integer.") from None
        if value < minimum:
            raise invalid(name, "It must be %d or greater." % minimum)
        return value

    size = min(_int("PageSize", DEFAULT_PAGE_SIZE, 1), max_size)
    page = _int("Page", 0, 0)
    raw_token = (query.get("PageToken") or [""])[0]
    token = None
    if raw_token:
        try:
            if not raw_token.startswith("PT"):
                raise ValueError
            token = int(raw_token[2:])
        except ValueError:
            raise invalid("PageToken", "It was not provided by the API.") from None
    return size, page, token


def _page_query(size, page, token=None):
    q = [("PageSize", size), ("Page", page)]
    if token is not None:
        q.append(("PageToken", "PT%d" % token))
    return urllib.parse.urlencode(q)


def take_page(source, query, max_size=MAX_PAGE_SIZE):
    """Generic paging over a Collection or ListSource -> (records, size, page, token_in, next_token or None)."""
    size, page, token = page_params(query, max_size)
    records, next_token = source.page(token, page * size, size)
    return records, size, page, token, next_token


def v1_list(key, source, query, base, path, serialize):
    """A Proxy v1 list response: {"<key>": [...], "meta": {...}} with absolute URLs on ``base``."""
    records, size, page, token, next_token = take_page(source, query)
    url = base + path
    return {
        key: [serialize(rec) for rec in records],
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": url + "?" + _page_query(size, 0),
            "previous_page_url": (url + "?" + _page_query(size, page - 1)) if page > 0 else None,
            "next_page_url": (url + "?" + _page_query(size, page + 1, next_token)) if next_token is not None else None,
            "url": url + "?" + _page_query(size, page, token),
            "key": key,
        },
    }


def api2010_list(key, source, query, path, serialize):
    """A 2010-04-01 API list response (relative URIs, start/end)."""
    records, size, page, token, next_token = take_page(source, query, max_size=1000)
    start = page * size
    return {
        key: [serialize(rec) for rec in records],
        "page": page,
        "page_size": size,
        "start": start,
        "end": start + max(len(records) - 1, 0),
        "uri": path + "?" + _page_query(size, page, token),
        "first_page_uri": path + "?" + _page_query(size, 0),
        "previous_page_uri": (path + "?" + _page_query(size, page - 1)) if page > 0 else None,
        "next_page_uri": (path + "?" + _page_query(size, page + 1, next_token)) if next_token is not None else None,
    }
