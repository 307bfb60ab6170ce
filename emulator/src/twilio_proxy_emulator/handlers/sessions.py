"""Sessions: /v1/Services/{ServiceSid}/Sessions[/{Sid}] (the session may be named by its unique name on GET);
a session's participants may come with its create, as the repeated ``Participants`` form key."""

import json

from .. import params as P
from ..errors import invalid, rule
from ..rules import MAX_PARTICIPANTS
from ..views import SESSION_VIEW
from . import listing
from .participants import PARTICIPANT_PARAMS

MODES = ["message-only", "voice-only", "voice-and-message"]
SETTABLE_STATUSES = ["open", "in-progress", "closed"]
SESSION_CREATE_PARAMS = {
    "UniqueName": P.Str(max=191),
    "DateExpiry": P.Date(),
    "Ttl": P.Int(min=0),
    "Mode": P.Enum(values=MODES),
    "Status": P.Enum(values=SETTABLE_STATUSES),
}
SESSION_UPDATE_PARAMS = {"DateExpiry": P.Date(), "Ttl": P.Int(min=0), "Status": P.Enum(values=SETTABLE_STATUSES)}
SESSION_UPDATE_REJECT = {
    "UniqueName": "A Session's UniqueName cannot be updated.",
    "Mode": "A Session's Mode cannot be updated.",
    "Participants": "Participants cannot be given on Session update.",
}
# keys accepted inside one JSON element of Session create's repeated "Participants" field
PARTICIPANT_JSON_KEYS = {
    "Identifier": "Identifier", "identifier": "Identifier",
    "FriendlyName": "FriendlyName", "friendly_name": "FriendlyName",
    "ProxyIdentifier": "ProxyIdentifier", "proxy_identifier": "ProxyIdentifier",
    "ProxyIdentifierSid": "ProxyIdentifierSid", "proxy_identifier_sid": "ProxyIdentifierSid",
}


def _parse_participants(form):
    out = []
    for raw in form.get("Participants", []):
        try:
            obj = json.loads(raw)
        except ValueError:
            raise invalid("Participants", "Each element must be a JSON object.") from None
        if not isinstance(obj, dict):
            raise invalid("Participants", "Each element must be a JSON object.")
        fields = {}
        for key, value in obj.items():
            name = PARTICIPANT_JSON_KEYS.get(key)
            if name is None:
                raise invalid("Participants", "Unknown participant key %r." % key)
            if value is not None:
                fields[name] = [str(value)]
        out.append(P.parse(fields, PARTICIPANT_PARAMS, required=["Identifier"]))
    if len(out) > MAX_PARTICIPANTS:
        raise rule(80609, "Too Many Added Participants: a Session can have at most two participants.")
    return out


def list_sessions(rules, req):
    sessions = rules.store.sessions[req.service["sid"]]
    return 200, listing(req, SESSION_VIEW, sessions, lambda rec: SESSION_VIEW.render(rules.refresh(rec), req.base))


def create_session(rules, req):
    values = P.parse(req.form, SESSION_CREATE_PARAMS)
    participants = _parse_participants(req.form)
    rec = rules.create_session(req.service, values, participants)
    return 201, SESSION_VIEW.render(rec, req.base)


def fetch_session(rules, req):
    return 200, SESSION_VIEW.render(req.session, req.base)


def update_session(rules, req):
    values = P.parse(req.form, SESSION_UPDATE_PARAMS, reject=SESSION_UPDATE_REJECT)
    return 200, SESSION_VIEW.render(rules.update_session(req.service, req.session, values), req.base)


def delete_session(rules, req):
    rules.delete_session(req.session)
    return 204, None
