"""The account's own numbers and short codes (deterministic, sized by the CLI flags)."""

import hashlib

US_BASE = 5550000          # "+1415%07d" % (US_BASE + i)
US_MAX = 10_000_000 - US_BASE
GB_NUMBERS = 5             # +4477009000NN, i = 0..4
SHORT_CODE_BASE = 89000

NUMBER_CAPABILITIES = {
    "sms_inbound": True, "sms_outbound": True,
    "voice_inbound": True, "voice_outbound": True,
    "mms_inbound": True, "mms_outbound": True,
    "fax_inbound": False, "fax_outbound": False,
}
SHORT_CODE_CAPABILITIES = {"sms_inbound": True, "sms_outbound": True, "mms_inbound": False, "mms_outbound": False}

# Calling code -> ISO country, enough for geo matching by country (longest prefix wins).
CALLING_CODES = {
    "1": "US", "44": "GB", "33": "FR", "49": "DE", "34": "ES", "39": "IT", "31": "NL", "46": "SE", "47": "NO",
    "45": "DK", "41": "CH", "43": "AT", "32": "BE", "353": "IE", "351": "PT", "61": "AU", "64": "NZ", "81": "JP",
    "82": "KR", "86": "CN", "91": "IN", "52": "MX", "55": "BR", "54": "AR", "27": "ZA", "65": "SG", "852": "HK",
}


def country_of(e164):
    """ISO country of an E.164 number from its calling code, or None when unknown."""
    digits = e164[1:] if e164.startswith("+") else e164
    for length in (3, 2, 1):
        country = CALLING_CODES.get(digits[:length])
        if country:
            return country
    return None


def sid_for(prefix, value):
    return prefix + hashlib.sha256(value.encode()).hexdigest()[:32]


def _us_friendly(number):
    d = number[2:]
    return "(%s) %s-%s" % (d[:3], d[3:6], d[6:])


class Inventory:
    """Numbers (``IncomingPhoneNumbers``) and short codes the emulated account owns; read-only."""

    def __init__(self, numbers=200, short_codes=10):
        if numbers < 0 or numbers > US_MAX:
            raise ValueError("--numbers must be between 0 and %d" % US_MAX)
        if short_codes < 0 or short_codes > 100000 - SHORT_CODE_BASE:
            raise ValueError("--short-codes must be between 0 and %d" % (100000 - SHORT_CODE_BASE))
        self.numbers = []
        self._places = {}       # sid -> order of first arrival (a number released and restored keeps it)
        self.number_by_sid = {}
        self.number_by_e164 = {}
        self.us_numbers = 0
        self.bought = []        # entries bought through the API, in order
        self.released = []      # entries of the CLI's inventory released through the API
        self.grow(numbers)
        for i in range(GB_NUMBERS):
            number = "+4477009000%02d" % i
            self._add(self._number(number, "GB", number))
        self.short_codes = []
        for i in range(short_codes):
            code = "%05d" % (SHORT_CODE_BASE + i)
            self.short_codes.append({
                "sid": sid_for("SC", code), "short_code": code, "friendly_name": code,
                "iso_country": "US", "capabilities": dict(SHORT_CODE_CAPABILITIES),
            })
        self.short_code_by_sid = {s["sid"]: s for s in self.short_codes}
        self.short_code_by_code = {s["short_code"]: s for s in self.short_codes}

    def _add(self, entry):
        self._places.setdefault(entry["sid"], len(self._places))
        self.numbers.append(entry)
        self.number_by_sid[entry["sid"]] = entry
        self.number_by_e164[entry["phone_number"]] = entry

    def grow(self, count):
        """The account buys ``count`` more US numbers (the next ones of the sequence) -> the new entries."""
        if self.us_numbers + count > US_MAX:
            raise ValueError("the account can own at most %d US numbers" % US_MAX)
        added = []
        for i in range(self.us_numbers, self.us_numbers + count):
            number = "+1415%07d" % (US_BASE + i)
            if number in self.number_by_e164:       # bought through the API already (numbers.py)
                continue
            added.append(self._number(number, "US", _us_friendly(number)))
            self._add(added[-1])
        self.us_numbers += count
        return added

    def buy(self, entry):
        """A number bought through the 2010-04-01 API (numbers.py) joins the account (until ``restore``)."""
        self._add(entry)
        self.bought.append(entry)

    def release(self, sid):
        """A number released through the 2010-04-01 API leaves the account -> its entry (back on ``restore``)."""
        entry = self.number_by_sid.pop(sid)
        del self.number_by_e164[entry["phone_number"]]
        self.numbers.remove(entry)
        if entry in self.bought:
            self.bought.remove(entry)
        else:
            self.released.append(entry)
        return entry

    def restore(self):
        """Undo every purchase and release (the emulator's reset): the account as the CLI flags made it."""
        for entry in list(self.bought):
            self.release(entry["sid"])
        if self.released:
            for entry in self.released:
                self._add(entry)
            self.numbers.sort(key=lambda entry: self._places[entry["sid"]])     # back in their first places
        self.released = []

    @staticmethod
    def _number(number, country, friendly):
        return {
            "sid": sid_for("PN", number), "phone_number": number, "friendly_name": friendly,
            "iso_country": country, "capabilities": dict(NUMBER_CAPABILITIES),
        }
