# -*- coding: utf-8 -*-
# Copyright (c) community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""proxy_webhook: Twilio Proxy's three webhooks (callback, intercept, out-of-session) as Event-Driven Ansible events,
each one checked against its ``X-Twilio-Signature`` with the twilio SDK's ``RequestValidator``."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
from typing import Any, Mapping

import yaml
from aiohttp import web
from twilio import request_validator
from twilio.request_validator import RequestValidator

DOCUMENTATION = r"""
---
short_description: Receive Twilio Proxy's signed webhooks as events
description:
  - An HTTP listener for the three webhooks a Twilio Proxy Service calls, each on its own path under I(path_prefix), namely
    C(callback) (C(callback_url), each new interaction), C(intercept) (C(intercept_callback_url), before each
    interaction) and C(out-of-session) (C(out_of_session_callback_url), a call or SMS to a pool number outside an
    open session).
  - Every request must carry a valid C(X-Twilio-Signature) (HMAC-SHA1 of the URL Twilio called and the sorted form
    parameters, checked with the twilio SDK's C(RequestValidator)); an unsigned or wrongly signed request is answered
    403 and never becomes an event.
  - >-
    Each accepted webhook puts one event on the queue,
    C({"twilio": {"webhook": "callback"|"intercept"|"out_of_session", <form fields>}, "meta": {"endpoint": ...,
    "answer": <HTTP status>}}). The form fields keep Twilio's names (C(interactionSid), C(From), ...).
  - Answers. C(callback) is answered 200 at once. C(intercept) is answered 200 (the interaction continues) unless a
    field of the webhook equals an entry of the block list (I(intercept_block), and the file I(intercept_block_file),
    re-read when it changes), then 403 (Twilio blocks the interaction); a rule can block by writing the file, the
    answer never waits for a rule, so it always comes within Twilio's timeout. C(out_of_session) is answered as
    I(out_of_session_answer) says.
  - C(GET <path_prefix>/health) answers 200 without a signature and without an event.
  - Credentials are never put in an event, a log line or an error message.
  - >-
    Event data reaches playbooks and job templates as extra vars, which Ansible evaluates as templates, and a text
    message's C(Body) (or any field) is written by whoever sends it. Unless I(template_guard=false), a space is put
    inside every C({{), C({%) and C({#) of a field value (C({{) becomes C({ {)), so that no webhook can run a template
    on the controller; C(meta.guarded) names the fields that were changed.
options:
  host:
    description: The address to listen on (C(0.0.0.0) for every interface).
    type: str
    default: 127.0.0.1
  port:
    description: The TCP port to listen on.
    type: int
    default: 5000
  path_prefix:
    description: The path under which the C(callback), C(intercept), C(out-of-session) and C(health) paths live.
    type: str
    default: /twilio
  public_url:
    description:
      - The URL Twilio calls for I(path_prefix), as Twilio sees it (for example C(https://eda.example.com/twilio)
        behind a reverse proxy or a load balancer that terminates TLS). The signature covers the URL, so it must be
        the one configured on the Proxy Service.
      - When unset, the URL is rebuilt from the request (scheme of this listener, its C(Host) header and path).
    type: str
  certfile:
    description: A PEM certificate (chain) file; with it the listener speaks HTTPS.
    type: str
  keyfile:
    description: The private key of I(certfile), when it is not in that file.
    type: str
  auth_token:
    description:
      - The account's auth token, which Twilio signs webhooks with. Falls back to C(TWILIO_AUTH_TOKEN).
      - One of I(auth_token) and I(api_secret) is required; a webhook is accepted when its signature matches either.
    type: str
  api_secret:
    description: An API key secret to check signatures with. Falls back to C(TWILIO_API_SECRET).
    type: str
  account_sid:
    description:
      - When set (or C(TWILIO_ACCOUNT_SID) is), a signed webhook that names another account (C(AccountSid) or
        C(interactionAccountSid)) is refused with 403.
    type: str
  max_body:
    description: The largest request body accepted, in bytes; a larger one is answered 413.
    type: int
    default: 65536
  intercept_block:
    description:
      - Values that block an interaction at the intercept webhook (answer 403) when any form field of the webhook
        equals one of them, for example a session SID (C(KC...)), a participant SID (C(KP...)) or a service SID.
    type: list
    elements: str
    default: []
  intercept_block_file:
    description:
      - A file of more block list entries, one a line (C(#) starts a comment), re-read whenever its modification time
        changes, so that a playbook run by a rule can block further interactions. A missing file is an empty list.
    type: str
  out_of_session_answer:
    description:
      - C(empty) answers 204 (Twilio does nothing more); C(twiml) answers I(out_of_session_twiml) as
        C(application/xml); C(auto_create) answers I(out_of_session_session) as C(application/json), and Proxy
        creates a session between the sender and that participant.
    type: str
    choices: [empty, twiml, auto_create]
    default: empty
  out_of_session_twiml:
    description: The TwiML answered when I(out_of_session_answer=twiml).
    type: str
    default: '<?xml version="1.0" encoding="UTF-8"?><Response/>'
  out_of_session_session:
    description:
      - >-
        The auto-create-session JSON answered when I(out_of_session_answer=auto_create) (Twilio's out-of-session
        callback response guide), for example C({"participantIdentifier": "+15551230000", "mode": "message-only",
        "ttl": 3600}). C(participantIdentifier) is required.
    type: dict
  template_guard:
    description:
      - Break Jinja delimiters in the event's field values (see the description). Turn it off only when no rule
        passes event data to a playbook or a job template.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Twilio Proxy webhooks
  hosts: all
  sources:
    - name: twilio_proxy
      community.twilio.proxy_webhook:
        host: 0.0.0.0
        port: 5000
        # what the Service's out_of_session_callback_url says, minus the trailing /out-of-session
        public_url: https://eda.example.com/twilio
        intercept_block_file: /var/lib/eda/blocked-sessions.txt
  rules:
    - name: Out-of-session contact
      condition: event.twilio.webhook == "out_of_session"
      action:
        run_playbook:
          name: extensions/eda/playbooks/open_session.yml
          extra_vars:
            proxy_service: rides-masking
            agent_number: "+15551230000"
    - name: A blocked interaction
      condition: event.twilio.webhook == "intercept" and event.meta.answer == 403
      action:
        debug:
          msg: "Blocked {{ event.twilio.interactionSid }}"
"""

LOGGER = logging.getLogger(__name__)

ENDPOINTS = {"callback": "callback", "intercept": "intercept", "out-of-session": "out_of_session"}
FORM = "application/x-www-form-urlencoded"
ACCOUNT_FIELDS = ("AccountSid", "interactionAccountSid")
AUTO_CREATE_FIELDS = ("uniqueName", "mode", "ttl", "dateExpiry", "participantIdentifier",
                      "participantProxyIdentifier", "participantFriendlyName")

# The argument schema is the documented one: one source for the docs and for the checks below.
ARGSPEC = yaml.safe_load(DOCUMENTATION)["options"]
_TYPES = {"str": str, "int": int, "list": list, "dict": dict, "bool": bool}
_JINJA = (("{{", "{ {"), ("{%", "{ %"), ("{#", "{ #"))


def check_args(args: dict[str, Any] | None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The source's arguments, checked against ARGSPEC and completed with defaults and ``TWILIO_*`` fallbacks.
    Raises ValueError naming the option (never its value: some are secrets)."""
    args = dict(args or {})
    environ = os.environ if environ is None else environ
    unknown = sorted(set(args) - set(ARGSPEC))
    if unknown:
        raise ValueError("proxy_webhook: unknown option(s): %s" % ", ".join(unknown))
    for env, name in (("TWILIO_AUTH_TOKEN", "auth_token"), ("TWILIO_API_SECRET", "api_secret"),
                      ("TWILIO_ACCOUNT_SID", "account_sid")):
        if args.get(name) is None and environ.get(env):
            args[name] = environ[env]
    out = {}
    for name, spec in ARGSPEC.items():
        value = args.get(name)
        if value is None:
            value = spec.get("default")
            out[name] = list(value) if isinstance(value, list) else value
            continue
        kind = _TYPES[spec["type"]]
        if kind is int and isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ValueError("proxy_webhook: option %s must be of type %s" % (name, spec["type"]))
        if kind is list and not all(isinstance(v, str) for v in value):
            raise ValueError("proxy_webhook: every element of option %s must be a string" % name)
        if "choices" in spec and value not in spec["choices"]:
            raise ValueError("proxy_webhook: option %s must be one of %s" % (name, ", ".join(spec["choices"])))
        out[name] = value
    if not out["auth_token"] and not out["api_secret"]:
        raise ValueError("proxy_webhook: auth_token or api_secret is required (or TWILIO_AUTH_TOKEN, "
                         "TWILIO_API_SECRET) to check X-Twilio-Signature")
    if not 0 < out["port"] < 65536:
        raise ValueError("proxy_webhook: option port must be between 1 and 65535")
    if out["max_body"] < 1024:
        raise ValueError("proxy_webhook: option max_body must be at least 1024")
    if out["keyfile"] and not out["certfile"]:
        raise ValueError("proxy_webhook: option keyfile needs certfile")
    if out["public_url"] and not out["public_url"].startswith(("https://", "http://")):
        raise ValueError("proxy_webhook: option public_url must be an http:// or https:// URL")
    out["path_prefix"] = "/" + out["path_prefix"].strip("/") if out["path_prefix"].strip("/") else ""
    if out["out_of_session_answer"] == "auto_create":
        session = out["out_of_session_session"]
        if not session or not session.get("participantIdentifier"):
            raise ValueError("proxy_webhook: out_of_session_answer=auto_create needs out_of_session_session with "
                             "participantIdentifier")
        extra = sorted(set(session) - set(AUTO_CREATE_FIELDS))
        if extra:
            raise ValueError("proxy_webhook: out_of_session_session: unknown field(s) %s" % ", ".join(extra))
    return out


def guard(fields: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The fields with every Jinja delimiter broken by a space -> (fields, names of the fields changed)."""
    out, changed = {}, []
    for key, value in fields.items():
        safe = value
        while any(start in safe for start, broken in _JINJA):
            for start, broken in _JINJA:
                safe = safe.replace(start, broken)
        out[key] = safe
        if safe != value:
            changed.append(key)
    return out, changed


class BlockList:
    """The intercept block list: the static entries and those of a file, re-read when its mtime changes."""

    def __init__(self, entries: list[str], path: str | None) -> None:
        self.static = frozenset(entries)
        self.path = path
        self.mtime: float | None = None
        self.from_file: frozenset[str] = frozenset()

    def entries(self) -> frozenset[str]:
        if self.path:
            try:
                mtime = os.stat(self.path).st_mtime_ns
            except OSError:
                mtime, self.from_file = None, frozenset()
            if mtime is not None and mtime != self.mtime:
                try:
                    with open(self.path, encoding="utf-8") as handle:
                        lines = (line.split("#", 1)[0].strip() for line in handle)
                        self.from_file = frozenset(line for line in lines if line)
                except (OSError, UnicodeDecodeError) as exc:
                    LOGGER.warning("proxy_webhook: cannot read intercept_block_file (%s); keeping the last list",
                                   type(exc).__name__)
                    return self.static | self.from_file
            self.mtime = mtime
        return self.static | self.from_file

    def blocks(self, fields: dict[str, str]) -> bool:
        entries = self.entries()
        return bool(entries) and any(value in entries for value in fields.values())


def signed_url(request: web.Request, public_url: str | None, prefix: str) -> str:
    """The URL Twilio signed: ``public_url`` standing for ``prefix``, or the request's own URL."""
    if public_url:
        rest = request.path[len(prefix):]
        query = request.query_string
        return public_url.rstrip("/") + rest + ("?" + query if query else "")
    return str(request.url)


class Listener:
    """The aiohttp application of one source."""

    def __init__(self, queue: asyncio.Queue, options: dict[str, Any]) -> None:
        self.queue = queue
        self.options = options
        self.validators = [RequestValidator(key) for key in (options["auth_token"], options["api_secret"]) if key]
        self.block = BlockList(options["intercept_block"], options["intercept_block_file"])
        self.prefix = options["path_prefix"]
        self.app = web.Application(client_max_size=options["max_body"])
        self.app.router.add_get(self.prefix + "/health", self.health)
        self.app.router.add_post(self.prefix + "/{endpoint}", self.webhook)

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    def _valid(self, request: web.Request, url: str, fields: dict[str, str], signature: str) -> bool:
        algorithm = None
        settings = request.headers.get("X-Twilio-Webhooks-Signature-Settings")
        if settings and hasattr(request_validator, "get_signature_algorithm"):   # twilio 9.x releases that have it
            algorithm = request_validator.get_signature_algorithm(settings)
        if algorithm:
            return any(v.validate(url, fields, signature, algorithm) for v in self.validators)
        return any(v.validate(url, fields, signature) for v in self.validators)

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        name = ENDPOINTS.get(request.match_info["endpoint"])
        if name is None:
            raise web.HTTPNotFound(text="unknown webhook")
        if request.content_type != FORM:
            raise web.HTTPUnsupportedMediaType(text="Twilio webhooks are %s" % FORM)
        signature = request.headers.get("X-Twilio-Signature", "")
        try:
            form = await request.post()          # bounded by client_max_size: 413 beyond max_body
        except web.HTTPRequestEntityTooLarge:
            LOGGER.warning("proxy_webhook: %s webhook over max_body refused", name)
            raise
        fields: dict[str, str] = {}
        for key, value in form.items():
            if isinstance(value, str):
                fields.setdefault(key, value)
        url = signed_url(request, self.options["public_url"], self.prefix)
        if not signature or not self._valid(request, url, fields, signature):
            LOGGER.warning("proxy_webhook: refused a %s %s webhook from %s", "wrongly signed" if signature
                           else "unsigned", name, request.remote)
            raise web.HTTPForbidden(text="invalid X-Twilio-Signature")
        account = self.options["account_sid"]
        if account and any(fields.get(f) not in (None, account) for f in ACCOUNT_FIELDS):
            LOGGER.warning("proxy_webhook: refused a %s webhook for another account", name)
            raise web.HTTPForbidden(text="webhook of another account")
        response = self.answer(name, fields)
        meta: dict[str, Any] = {"endpoint": name, "answer": response.status}
        if self.options["template_guard"]:
            fields, meta["guarded"] = guard(fields)
        event = {"twilio": dict(fields, webhook=name), "meta": meta}
        await self.queue.put(event)
        return response

    def answer(self, name: str, fields: dict[str, str]) -> web.Response:
        if name == "intercept":
            if self.block.blocks(fields):
                return web.Response(status=403, text="blocked")
            return web.Response(status=200)
        if name == "out_of_session":
            mode = self.options["out_of_session_answer"]
            if mode == "twiml":
                return web.Response(status=200, text=self.options["out_of_session_twiml"],
                                    content_type="application/xml")
            if mode == "auto_create":
                return web.Response(status=200, text=json.dumps(self.options["out_of_session_session"]),
                                    content_type="application/json")
            return web.Response(status=204)
        return web.Response(status=200)


def ssl_context(options: dict[str, Any]) -> ssl.SSLContext | None:
    if not options["certfile"]:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(options["certfile"], options["keyfile"])
    except (OSError, ssl.SSLError) as exc:
        raise ValueError("proxy_webhook: cannot load certfile/keyfile (%s)" % type(exc).__name__) from None
    return context


async def main(queue: asyncio.Queue, args: dict[str, Any]) -> None:
    """Serve the webhooks until cancelled (ansible-rulebook cancels the source on shutdown)."""
    options = check_args(args)
    listener = Listener(queue, options)
    runner = web.AppRunner(listener.app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, options["host"], options["port"], ssl_context=ssl_context(options))
    try:
        await site.start()
        LOGGER.info("proxy_webhook: listening on %s:%s%s", options["host"], options["port"], options["path_prefix"])
        await asyncio.Future()
    except asyncio.CancelledError:
        LOGGER.info("proxy_webhook: shutting down")
        raise
    finally:
        await runner.cleanup()


if __name__ == "__main__":

    class PrintQueue(asyncio.Queue):
        """Prints the events when the source is run by hand."""

        async def put(self, item: Any) -> None:
            print(json.dumps(item))  # noqa: T201

    asyncio.run(main(PrintQueue(), {"port": int(os.environ.get("PORT", "5000"))}))
