"""Form-parameter parsing and validation (80701 "'<Param>' is invalid.")."""

import datetime
import re
import urllib.parse

from .errors import invalid

E164_RE = re.compile(r"^\+[1-9]\d{1,14}$")
CHANNEL_RE = re.compile(r"^[a-z][a-z0-9_-]*:\S+$")


def sid_re(prefix):
    return re.compile(r"^%s[0-9a-fA-F]{32}$" % prefix)


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def parse_datetime(raw):
    """ISO 8601 -> epoch seconds (naive values are UTC); None when unparseable."""
    try:
        value = datetime.datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.timestamp()


class Kind:
    """A parameter type. ``nullable``: an empty value clears the field (returns None)."""

    nullable = True

    def __init__(self, nullable=None, **opts):
        if nullable is not None:
            self.nullable = nullable
        self.opts = opts

    def __call__(self, name, raw):
        if raw == "":
            if self.nullable:
                return None
            raise invalid(name, "A value is required.")
        return self.convert(name, raw)

    def convert(self, name, raw):
        return raw


class Str(Kind):
    def convert(self, name, raw):
        maxlen = self.opts.get("max")
        if maxlen is not None and len(raw) > maxlen:
            raise invalid(name, "It must be %d characters or fewer." % maxlen)
        return raw


class Int(Kind):
    nullable = False

    def convert(self, name, raw):
        try:
            value = int(raw.strip())
        except ValueError:
            raise invalid(name, "It must be an integer.") from None
        if value < self.opts.get("min", 0):
            raise invalid(name, "It must be %d or greater." % self.opts.get("min", 0))
        return value


class Bool(Kind):
    nullable = False

    def convert(self, name, raw):
        low = raw.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        raise invalid(name, "It must be true or false.")


class Enum(Kind):
    nullable = False

    def convert(self, name, raw):
        if raw not in self.opts["values"]:
            raise invalid(name, "It must be one of: %s." % ", ".join(self.opts["values"]))
        return raw


class Sid(Kind):
    def convert(self, name, raw):
        if not sid_re(self.opts["prefix"]).match(raw):
            raise invalid(name, "It must be a %s SID (%s followed by 32 hex digits)." % (
                self.opts["prefix"], self.opts["prefix"]))
        return raw


class Url(Kind):
    def convert(self, name, raw):
        parts = urllib.parse.urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid(name, "It must be an absolute http(s) URL.")
        return raw


class Date(Kind):
    def convert(self, name, raw):
        value = parse_datetime(raw)
        if value is None:
            raise invalid(name, "It must be an ISO 8601 date-time.")
        return value


class E164(Kind):
    nullable = False

    def convert(self, name, raw):
        if not E164_RE.match(raw):
            raise invalid(name, "It must be an E.164 phone number.")
        return raw


def first(form, name):
    values = form.get(name)
    return values[0] if values else None


def parse(form, spec, required=(), reject=None):
    """Validate the form keys named in ``spec`` -> {snake_name: value} for the keys present.

    ``reject`` maps parameter names the operation does not accept to the reason given in the 80701 error.
    Other unknown keys are ignored, as Twilio does.
    """
    for name, why in (reject or {}).items():
        if name in form:
            raise invalid(name, why)
    out = {}
    for name in required:
        value = first(form, name)
        if value is None or value == "":
            raise invalid(name, "It is required.")
    for name, kind in spec.items():
        value = first(form, name)
        if value is not None:
            out[snake(name)] = kind(name, value)
    return out
