"""A session's Interactions, and a participant's MessageInteractions (a message sent to it)."""

from .. import params as P
from ..errors import invalid
from ..store import ListSource
from ..views import INTERACTION_VIEW, MESSAGE_INTERACTION_VIEW
from . import listing


def list_interactions(rules, req):
    return 200, listing(req, INTERACTION_VIEW, rules.store.interactions[req.session["sid"]])


def fetch_interaction(rules, req):
    return 200, INTERACTION_VIEW.render(req.interaction, req.base)


def delete_interaction(rules, req):
    rules.delete_interaction(req.interaction)
    return 204, None


def list_message_interactions(rules, req):
    mine = [i for i in rules.store.interactions[req.session["sid"]]
            if i.get("participant_sid") == req.participant["sid"]]
    return 200, listing(req, MESSAGE_INTERACTION_VIEW, ListSource(mine))


def fetch_message_interaction(rules, req):
    return 200, MESSAGE_INTERACTION_VIEW.render(req.message_interaction, req.base)


def create_message_interaction(rules, req):
    body = P.first(req.form, "Body")
    if not body and not req.form.get("MediaUrl"):
        raise invalid("Body", "One of Body or MediaUrl is required.")
    rec = rules.add_message(req.service, req.session, req.participant, body)
    if rules.webhooks is not None:
        rules.webhooks.interaction_made(req.service, rec, req.base)
    return 200, MESSAGE_INTERACTION_VIEW.render(rec, req.base)
