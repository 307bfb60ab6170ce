"""Services: /v1/Services and /v1/Services/{Sid} (the service may be named by its unique name on GET)."""

from .. import params as P
from ..views import SERVICE_VIEW
from . import listing

GEO_MATCH_LEVELS = ["area-code", "overlay", "radius", "country", "extended-area-code"]
SELECTION = ["avoid-sticky", "prefer-sticky"]
SERVICE_PARAMS = {
    "UniqueName": P.Str(nullable=False, max=191),
    "DefaultTtl": P.Int(min=0),
    "CallbackUrl": P.Url(),
    "GeoMatchLevel": P.Enum(values=GEO_MATCH_LEVELS),
    "NumberSelectionBehavior": P.Enum(values=SELECTION),
    "InterceptCallbackUrl": P.Url(),
    "OutOfSessionCallbackUrl": P.Url(),
    "ChatInstanceSid": P.Sid(prefix="IS"),
}


def list_services(rules, req):
    return 200, listing(req, SERVICE_VIEW, rules.store.services)


def create_service(rules, req):
    rec = rules.new_service(P.parse(req.form, SERVICE_PARAMS, required=["UniqueName"]))
    return 201, SERVICE_VIEW.render(rec, req.base)


def fetch_service(rules, req):
    return 200, SERVICE_VIEW.render(req.service, req.base)


def update_service(rules, req):
    rec = rules.update_service(req.service, P.parse(req.form, SERVICE_PARAMS))
    return 200, SERVICE_VIEW.render(rec, req.base)


def delete_service(rules, req):
    rules.delete_service(req.service)
    return 204, None
