"""Open sessions that hold pool numbers, in bulk (``POST /_emulator/occupy``): how a test builds a busy service of
thousands of sessions without a request per session.

Each new session is open and has one participant whose proxy number comes from the service's unreserved pool,
round robin in pool order among the numbers of the participants' country (as geo-matching by country
does), so that every number's ``in_use`` grows evenly. Participants get distinct identifiers
(``+1650`` and seven digits, or ``identifier_prefix`` and the index), or all the one ``identifier`` given (then at
most one session per pool number: Proxy gives a participant a different number in each of its active sessions,
which is how a test exhausts a pool, error 80206). The Proxy rules stay whole: names are unique, the pool
numbers are the service's own, one participant never holds one number twice.
"""

from .inventory import country_of

MAX_OCCUPY = 100000


def occupy(rules, service, data):
    """``sessions`` new open sessions of ``service`` (the caller holds the store's lock) -> {"created": N}."""
    store = rules.store
    count = data.get("sessions", 0)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_OCCUPY:
        raise ValueError("sessions must be an integer from 0 to %d" % MAX_OCCUPY)
    prefix = str(data.get("prefix", "busy-"))
    identifier = data.get("identifier")
    ident_prefix = str(data.get("identifier_prefix", "+1650"))
    ks = service["sid"]
    country = country_of(identifier if identifier is not None else ident_prefix + "0000000")
    pool = [n for n in store.numbers[ks] if not n["is_reserved"] and n["iso_country"] == country]
    if count and not pool:
        raise ValueError("the service has no unreserved pool number of the participants' country (%s)" % country)
    if identifier is not None and count > len(pool):
        raise ValueError("one identifier can hold at most one session per pool number (%d)" % len(pool))
    start = len(store.sessions[ks])
    names = ["%s%d" % (prefix, start + i) for i in range(count)]
    taken = next((name for name in names if (ks, name) in store.session_names), None)
    if taken is not None:
        raise ValueError("a session named %s exists already: choose another prefix" % taken)
    created = 0
    for i, name in enumerate(names):
        session = rules.new_session(service, {"unique_name": name})
        store.add_session(session)
        number = pool[i % len(pool)]
        who = identifier if identifier is not None else "%s%07d" % (ident_prefix, start + i)
        store.add_participant(rules.new_record(
            "KP", session_sid=session["sid"], service_sid=ks, friendly_name=None, identifier=who,
            proxy_identifier=number["phone_number"], proxy_identifier_sid=number["sid"], date_deleted=None))
        created += 1
    store.mark_dirty()
    return {"created": created}
