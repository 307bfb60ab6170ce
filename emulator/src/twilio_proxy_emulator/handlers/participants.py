"""Participants: /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants[/{Sid}] (no update; delete is soft)."""

from .. import params as P
from ..views import PARTICIPANT_VIEW
from . import listing

PARTICIPANT_PARAMS = {
    "Identifier": P.Str(nullable=False, max=191),
    "FriendlyName": P.Str(max=255),
    "ProxyIdentifier": P.Str(),
    "ProxyIdentifierSid": P.Sid(prefix="PN"),
}


def list_participants(rules, req):
    return 200, listing(req, PARTICIPANT_VIEW, rules.store.participants[req.session["sid"]])


def create_participant(rules, req):
    fields = P.parse(req.form, PARTICIPANT_PARAMS, required=["Identifier"])
    rec = rules.add_participant(req.service, req.session, fields)
    return 201, PARTICIPANT_VIEW.render(rec, req.base)


def fetch_participant(rules, req):
    return 200, PARTICIPANT_VIEW.render(req.participant, req.base)


def delete_participant(rules, req):
    rules.delete_participant(req.participant)
    return 200, None
