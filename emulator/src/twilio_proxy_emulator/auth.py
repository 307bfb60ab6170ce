"""HTTP Basic authentication of the Twilio API: account SID + auth token, or API key + secret."""

import base64
import hmac


class Credentials:
    def __init__(self, pairs):
        self.pairs = [(user.encode(), secret.encode()) for user, secret in pairs]

    def check(self, header):
        """Whether an ``Authorization`` header carries one of the pairs (compared in constant time)."""
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, separator, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        ok = False
        for sid, secret in self.pairs:
            ok |= hmac.compare_digest(user.encode(), sid) & hmac.compare_digest(password.encode(), secret)
        return bool(ok) and bool(separator)
