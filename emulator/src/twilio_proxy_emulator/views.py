"""What the API answers for each resource: its response fields (in the spec's order), URL and links, and the one
serializer that renders a stored record (named ``*_VIEW``; the collection's ``Resource`` declarations are another
thing)."""

import time


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Serializer:
    """The response shape of one resource."""

    def __init__(self, key, fields, path, links=None):
        self.key = key              # list key, e.g. "services"
        self.fields = fields        # response fields, in the spec's order
        self.path = path            # instance path template over record fields
        self.links = links or {}    # link name -> sub-path

    def url(self, rec, base):
        return base + self.path.format(**rec)

    def render(self, rec, base, extra=None):
        """The record as the API shows it; ``extra`` supplies computed fields (e.g. ``in_use``)."""
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


SERVICE_VIEW = Serializer(
    "services",
    ["sid", "unique_name", "account_sid", "chat_instance_sid", "callback_url", "default_ttl",
     "number_selection_behavior", "geo_match_level", "intercept_callback_url", "out_of_session_callback_url",
     "date_created", "date_updated", "url", "links"],
    "/v1/Services/{sid}",
    {"sessions": "Sessions", "phone_numbers": "PhoneNumbers", "short_codes": "ShortCodes"},
)
PHONE_NUMBER_VIEW = Serializer(
    "phone_numbers",
    ["sid", "account_sid", "service_sid", "date_created", "date_updated", "phone_number", "friendly_name",
     "iso_country", "capabilities", "url", "is_reserved", "in_use"],
    "/v1/Services/{service_sid}/PhoneNumbers/{sid}",
)
SHORT_CODE_VIEW = Serializer(
    "short_codes",
    ["sid", "account_sid", "service_sid", "date_created", "date_updated", "short_code", "iso_country",
     "capabilities", "url", "is_reserved"],
    "/v1/Services/{service_sid}/ShortCodes/{sid}",
)
SESSION_VIEW = Serializer(
    "sessions",
    ["sid", "service_sid", "account_sid", "date_started", "date_ended", "date_last_interaction", "date_expiry",
     "unique_name", "status", "closed_reason", "ttl", "mode", "date_created", "date_updated", "url", "links"],
    "/v1/Services/{service_sid}/Sessions/{sid}",
    {"interactions": "Interactions", "participants": "Participants"},
)
PARTICIPANT_VIEW = Serializer(
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
INTERACTION_VIEW = Serializer(
    "interactions", _INTERACTION_FIELDS,
    "/v1/Services/{service_sid}/Sessions/{session_sid}/Interactions/{sid}",
)
MESSAGE_INTERACTION_VIEW = Serializer(
    "interactions",   # the spec's list example uses "interactions" for MessageInteractions too
    _INTERACTION_FIELDS[:6] + ["participant_sid"] + _INTERACTION_FIELDS[6:],
    "/v1/Services/{service_sid}/Sessions/{session_sid}/Participants/{participant_sid}/MessageInteractions/{sid}",
)
