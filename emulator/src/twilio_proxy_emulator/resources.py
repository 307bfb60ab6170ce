"""Resource descriptions: the response fields of each resource (as the spec lists them), its URL and links,
and the one generic serializer and list/paging helper every resource uses."""

import time
import urllib.parse

from .errors import invalid

MAX_PAGE_SIZE = 100          # Proxy returns at most 100 records a page
DEFAULT_PAGE_SIZE = 50


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Resource:
    def __init__(self, key, fields, path, links=None):
        self.key = key              # list key, e.g. "services"
        self.fields = fields        # response fields, in the spec's order
        self.path = path            # instance path template over record fields
        self.links = links or {}    # link name -> sub-path

    def url(self, rec, base):
        return base + self.path.format(**rec)

    def serialize(self, rec, base, extra=None):
        extra = extra or {}
        url = self.url(rec, base)
        out = {}
        for field in self.fields:
            if field == "url":
                value = url
            elif field == "links":
                value = {name: url + "/" + sub for name, sub in self.links.items()}
            elif field in extra:
                value = extra[field]
            else:
                value = rec.get(field)
            if field.startswith("date_") and isinstance(value, (int, float)):
                value = iso(value)
            out[field] = value
        return out


SERVICE = Resource(
    "services",
    ["sid", "unique_name", "account_sid", "chat_instance_sid", "callback_url", "default_ttl",
     "number_selection_behavior", "geo_match_level", "intercept_callback_url", "out_of_session_callback_url",
     "date_created", "date_updated", "url", "links"],
    "/v1/Services/{sid}",
    {"sessions": "Sessions", "phone_numbers": "PhoneNumbers", "short_codes": "ShortCodes"},
)
PHONE_NUMBER = Resource(
    "phone_numbers",
    ["sid", "account_sid", "service_sid", "date_created", "date_updated", "phone_number", "friendly_name",
     "iso_country", "capabilities", "url", "is_reserved", "in_use"],
    "/v1/Services/{service_sid}/PhoneNumbers/{sid}",
)
SHORT_CODE = Resource(
    "short_codes",
    ["sid", "account_sid", "service_sid", "date_created", "date_updated", "short_code", "iso_country",
     "capabilities", "url", "is_reserved"],
    "/v1/Services/{service_sid}/ShortCodes/{sid}",
)
SESSION = Resource(
    "sessions",
    ["sid", "service_sid", "account_sid", "date_started", "date_ended", "date_last_interaction", "date_expiry",
     "unique_name", "status", "closed_reason", "ttl", "mode", "date_created", "date_updated", "url", "links"],
    "/v1/Services/{service_sid}/Sessions/{sid}",
    {"interactions": "Interactions", "participants": "Participants"},
)
PARTICIPANT = Resource(
    "participants",
    ["sid", "session_sid", "service_sid", "account_sid", "friendly_name", "identifier", "proxy_identifier",
     "proxy_identifier_sid", "date_deleted", "date_created", "date_updated", "url", "links"],
    "/v1/Services/{service_sid}/Sessions/{session_sid}/Participants/{sid}",
    {"message_interactions": "MessageInteractions"},
)
_INTERACTION_FIELDS = [
    "sid", "session_sid", "service_sid", "account_sid", "data", "type", "inbound_participant_sid",
    "inbound_resource_sid", "inbound_resource_status", "inbound_resource_type", "inbound_resource_url",
    "outbound_participant_sid", "outbound_resource_sid", "outbound_resource_status", "outbound_resource_type",
    "outbound_resource_url", "date_created", "date_updated", "url"]
INTERACTION = Resource(
    "interactions", _INTERACTION_FIELDS,
    "/v1/Services/{service_sid}/Sessions/{session_sid}/Interactions/{sid}",
)
MESSAGE_INTERACTION = Resource(
    "interactions",   # the spec's list example uses "interactions" for MessageInteractions too
    _INTERACTION_FIELDS[:6] + ["participant_sid"] + _INTERACTION_FIELDS[6:],
    "/v1/Services/{service_sid}/Sessions/{session_sid}/Participants/{participant_sid}/MessageInteractions/{sid}",
)


# ------------------------------------------------------------------ paging
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


def v1_list(resource, source, query, base, path, serialize):
    """A Proxy v1 list response: {"<key>": [...], "meta": {...}} with absolute URLs on ``base``."""
    records, size, page, token, next_token = take_page(source, query)
    url = base + path
    return {
        resource.key: [serialize(rec) for rec in records],
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": url + "?" + _page_query(size, 0),
            "previous_page_url": (url + "?" + _page_query(size, page - 1)) if page > 0 else None,
            "next_page_url": (url + "?" + _page_query(size, page + 1, next_token)) if next_token is not None else None,
            "url": url + "?" + _page_query(size, page, token),
            "key": resource.key,
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
