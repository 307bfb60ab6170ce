"""Bounds on what the control API accepts: numbers finite and in range, counts capped, path patterns that match in
bounded time. The control API has no authentication and every test drives it: nothing it is given may poison the
clock, exhaust the memory or stall the server."""

import json
import math
import re
from re import _parser as sre_parse  # pylint: disable=protected-access  # the stdlib's own parser (3.11+)

DAY = 86400.0
MAX_DAYS = 36500                      # a century: dates stay within what ISO 8601 and the spec print
MAX_CLOCK_OFFSET = MAX_DAYS * DAY     # the emulator's clock moves at most a century ahead, in all
MAX_SEED_SESSIONS = 1000000           # seeded in one request (100,000 take about a second)
MAX_SEED_NUMBERS = 100000
MAX_COUNT = 1000000                   # a fault's count, wait_for
MAX_DELAY = 300.0                     # seconds a fault may hold a request
MAX_RATE = 100000                     # rate_limit_rps, rate_limit_burst
MAX_TEXT = 100                        # prefixes
MAX_DEPTH = 20                        # nesting of a control request's JSON body

# Fault path patterns are searched in every request's path (outside the server's lock, yet holding the GIL while
# they run): a pattern is refused when its matching could take more than polynomial time in the path's length
# (a repeat inside a repeat, a repeated alternation, a back-reference) or has more than MAX_OPEN_REPEATS repeats
# without a small bound; and paths longer than MAX_MATCHED_PATH never match a fault (Twilio's are under 200).
MAX_PATTERN = 500
MAX_OPEN_REPEATS = 2
SMALL_REPEAT = 100
MAX_MATCHED_PATH = 500


def number(name, value, minimum=None, maximum=None, integer=False, above=None):
    """``value`` as a finite number within [minimum, maximum] (an int when ``integer``); ValueError naming
    ``name`` otherwise. ``above``: an exclusive lower bound."""
    if isinstance(value, str):  # "3600", as a template may render it
        try:
            value = float(value) if not value.strip().lstrip("-").isdigit() else int(value)
        except ValueError:
            raise ValueError("%s must be a number, got %r" % (name, value[:50])) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("%s must be a number, got %s" % (name, type(value).__name__))
    if not math.isfinite(value):
        raise ValueError("%s must be a finite number, got %r" % (name, value))
    if integer and value != int(value):
        raise ValueError("%s must be a whole number, got %r" % (name, value))
    if (minimum is not None and value < minimum) or (above is not None and value <= above) or \
            (maximum is not None and value > maximum):
        low = ">= %s" % minimum if minimum is not None else "> %s" % above if above is not None else ""
        high = "<= %s" % maximum if maximum is not None else ""
        raise ValueError("%s must be %s, got %r" % (name, " and ".join(x for x in (low, high) if x), value))
    return int(value) if integer or isinstance(value, int) else float(value)


def text(name, value, maximum=MAX_TEXT):
    """``value`` as a string of at most ``maximum`` characters, none a control character (it may become a header)."""
    if not isinstance(value, str) or len(value) > maximum or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("%s must be a string of at most %d characters, none a control character" % (name, maximum))
    return value


def loads(body):
    """A control request's JSON body; ValueError for what is not JSON, a number out of range (1e400, NaN,
    Infinity) or nesting deeper than Python can parse."""
    def refuse(constant):
        raise ValueError("body holds %s, which is not a number" % constant)

    def finite(literal):
        value = float(literal)
        if not math.isfinite(value):
            raise ValueError("body holds %s, which is out of range" % literal)
        return value

    too_deep = ValueError("body is nested more than %d levels deep" % MAX_DEPTH)
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=refuse, parse_float=finite)
    except RecursionError:
        raise too_deep from None
    if _depth(data) > MAX_DEPTH:
        raise too_deep
    return data


def _depth(value):
    """How deeply ``value`` nests lists and objects, counted up to MAX_DEPTH + 1 (without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                todo.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def path_pattern(pattern):
    """A fault's path pattern compiled, when its matching time is bounded (see above); ValueError otherwise."""
    text("path", pattern, MAX_PATTERN)
    compiled = re.compile(pattern)
    open_repeats = _check(sre_parse.parse(pattern), inside_repeat=False)
    if open_repeats > MAX_OPEN_REPEATS:
        raise ValueError("path %r has %d repeats without a bound of at most %d (such as .* or +); at most %d are "
                         "accepted, so that matching stays fast"
                         % (pattern, open_repeats, SMALL_REPEAT, MAX_OPEN_REPEATS))
    return compiled


def _check(items, inside_repeat):
    """The number of open repeats in a parsed pattern; ValueError for a construct that may backtrack without bound."""
    opens = 0
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            if high > 1 and inside_repeat:
                raise ValueError("a repeat inside a repeat (such as (a+)+) may take exponential time to match: "
                                 "write the path pattern without it")
            opens += high > SMALL_REPEAT
            opens += _check(sub, inside_repeat or high > 1)
        elif name == "BRANCH":
            if inside_repeat:
                raise ValueError("a repeated alternation (such as (a|ab)+) may take exponential time to match: "
                                 "write the path pattern without it")
            for branch in av[1]:
                opens += _check(branch, inside_repeat)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise ValueError("a back-reference may take exponential time to match: write the path pattern "
                             "without it")
        elif name == "ATOMIC_GROUP":
            opens += _check(av, inside_repeat)
        elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
            opens += _check(av[-1], inside_repeat)
    return opens
