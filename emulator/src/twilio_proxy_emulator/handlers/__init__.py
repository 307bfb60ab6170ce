"""The handlers of the Twilio API, one module per resource. Each handler takes the ``Rules`` and a ``Request``
whose path records the router has already looked up (``req.service``, ``req.session``, ``req.participant``, …)
and returns ``(status, body)``; ``body`` None is an empty body."""

from ..paging import v1_list


def listing(req, view, source, render=None):
    """A Proxy v1 list of ``source`` (a store Collection or ListSource) rendered with ``view``."""
    return v1_list(view.key, source, req.query, req.base, req.path, render or (lambda rec: view.render(rec, req.base)))
