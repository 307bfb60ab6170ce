"""Command line: ``twilio-proxy-emulator --host 127.0.0.1 --port 0`` prints its base URL on the first line."""

import argparse
import signal
import sys
import threading

from . import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN, __version__
from .server import Emulator, base_url, loopback, make_server


def build_parser():
    p = argparse.ArgumentParser(prog="twilio-proxy-emulator",
                                description="A stateful local emulator of the Twilio Proxy v1 REST API.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free port (default 0)")
    p.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    p.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    p.add_argument("--api-key", default=DEFAULT_API_KEY)
    p.add_argument("--api-secret", default=DEFAULT_API_SECRET)
    p.add_argument("--numbers", type=int, default=200, help="US phone numbers the account owns (default 200)")
    p.add_argument("--short-codes", type=int, default=10, help="short codes the account owns (default 10)")
    p.add_argument("--state-file", help="persist the state to this JSON file (loaded on start)")
    p.add_argument("--no-fetch-by-unique-name", action="store_true",
                   help="answer 404 to GET /v1/Services/{UniqueName} and .../Sessions/{UniqueName}")
    p.add_argument("--rate-limit", action="store_true", help="enable Twilio-like rate limiting (30 rps/endpoint)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name or address the control API answers to besides loopback addresses and localhost "
                        "(repeatable)")
    p.add_argument("--seed-estate", action="store_true",
                   help="start with the hand-made estate of POST /_emulator/estate (unless the state file has one)")
    p.add_argument("--quiet", action="store_true", help="no access log on stderr")
    p.add_argument("--version", action="version", version="%(prog)s " + __version__)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        emulator = Emulator(args.account_sid, args.auth_token, args.api_key, args.api_secret,
                            numbers=args.numbers, short_codes=args.short_codes, state_file=args.state_file,
                            fetch_by_unique_name=not args.no_fetch_by_unique_name, rate_limit=args.rate_limit,
                            quiet=args.quiet, allowed_hosts=args.allow_host)
        if args.seed_estate and not len(emulator.store.services):
            summary = emulator.seed_estate()
            if not args.quiet:
                sys.stderr.write("seeded the estate: %s\n" % ", ".join(
                    "%s %d" % (k, v) for k, v in summary["counts"].items() if isinstance(v, int)))
        server = make_server(args.host, args.port, emulator)
    except (ValueError, OSError) as exc:
        sys.stderr.write("twilio-proxy-emulator: %s\n" % exc)
        return 2
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stdout.write(base_url(server) + "\n")
    sys.stdout.flush()
    if not loopback(server):
        sys.stderr.write("twilio-proxy-emulator: WARNING: listening on %s, not a loopback address: anyone who can "
                         "reach it can drive the control API under /_emulator/ (reset, faults, clock), which has no "
                         "authentication. Listen on 127.0.0.1 unless this network is yours alone.\n"
                         % server.server_address[0])
        sys.stderr.flush()
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="emulator-http", daemon=True)
    serving.start()
    emulator.store.start_autosave(stop)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        emulator.store.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
