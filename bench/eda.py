#!/usr/bin/env python
# Copyright (c) 2026, community.twilio contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How many signed webhooks a second the proxy_webhook event source turns into events, against the floor of a
plain aiohttp echo server (the same form parsing and queue, no signature check and no answer logic).

    python bench/eda.py [--rate 200] [--seconds 10] [--burst 2000] [--concurrency 50]

Each server runs in a child process of its own, as ansible-rulebook runs the source (``main(queue, args)`` with an
asyncio queue that a consumer drains); this process is the load: first paced at --rate webhooks a second for
--seconds, then --burst webhooks as fast as --concurrency connections allow. Every request carries a valid
X-Twilio-Signature (computed before the clock starts). The child counts the events its queue received and prints
the count when it is stopped, so "lost" is requests answered 2xx minus events queued. Prints figures; asserts none.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "proxy_webhook.py")
TOKEN = "0123456789abcdef0123456789abcdef"      # a benchmark token, not anyone's secret
PREFIX = "/twilio"


# ------------------------------------------------------------------ the servers (child processes)
async def _serve(kind, port):
    from aiohttp import web

    queue = asyncio.Queue()
    count = 0

    async def consume():
        nonlocal count
        while True:
            await queue.get()
            count += 1

    consumer = asyncio.create_task(consume())
    if kind == "source":
        spec = importlib.util.spec_from_file_location("proxy_webhook", SOURCE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        server = asyncio.create_task(module.main(queue, {"port": port, "auth_token": TOKEN}))
    else:
        async def echo(request):
            form = await request.post()
            await queue.put({"twilio": dict(form), "meta": {"endpoint": request.match_info["endpoint"]}})
            return web.Response(status=200)

        async def health(request):
            return web.json_response({"status": "ok"})

        app = web.Application()
        app.router.add_get(PREFIX + "/health", health)
        app.router.add_post(PREFIX + "/{endpoint}", echo)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        server = asyncio.create_task(asyncio.Event().wait())
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await asyncio.sleep(0.2)            # let the consumer drain what is queued
    server.cancel()
    consumer.cancel()
    await asyncio.gather(server, consumer, return_exceptions=True)
    print(json.dumps({"events": count}), flush=True)


# ------------------------------------------------------------------ the load (this process)
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def requests_for(base, n, offset):
    """n signed callback webhooks -> [(url, form, headers)], signatures computed now (not on the clock)."""
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(TOKEN)
    url = base + "/callback"
    out = []
    for i in range(offset, offset + n):
        form = {"interactionSid": "KI%032x" % i, "interactionServiceSid": "KS" + "1" * 32,
                "interactionSessionSid": "KC" + "2" * 32, "interactionAccountSid": "AC" + "3" * 32,
                "interactionType": "Message", "interactionData": '{"body":"bench %d"}' % i,
                "outboundResourceStatus": "sent", "outboundParticipantSid": "KP" + "4" * 32}
        out.append((url, form, {"X-Twilio-Signature": validator.compute_signature(url, form)}))
    return out


async def _send(http, item, latencies, statuses):
    url, form, headers = item
    started = time.perf_counter()
    try:
        async with http.post(url, data=form, headers=headers) as resp:
            await resp.read()
            statuses.append(resp.status)
    except OSError:
        statuses.append(0)
    latencies.append(time.perf_counter() - started)


async def paced(base, rate, seconds, offset):
    import aiohttp

    items = requests_for(base, int(rate * seconds), offset)
    latencies, statuses = [], []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http:
        start = time.perf_counter()
        tasks = []
        for i, item in enumerate(items):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_send(http, item, latencies, statuses)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return len(items), statuses, latencies, elapsed


async def burst(base, n, concurrency, offset):
    import aiohttp

    items = requests_for(base, n, offset)
    latencies, statuses = [], []
    pending = iter(items)

    async def worker(http):
        for item in pending:
            await _send(http, item, latencies, statuses)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        start = time.perf_counter()
        await asyncio.gather(*(worker(http) for dummy in range(concurrency)))
        elapsed = time.perf_counter() - start
    return len(items), statuses, latencies, elapsed


def wait_healthy(base, proc):
    import urllib.error
    import urllib.request

    for dummy in range(600):
        if proc.poll() is not None:
            sys.exit("the server exited with %s" % proc.returncode)
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    sys.exit("the server did not answer its health check")


def measure(kind, args):
    port = free_port()
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", kind, "--port", str(port)],
                            stdout=subprocess.PIPE, text=True)
    base = "http://127.0.0.1:%d%s" % (port, PREFIX)
    try:
        wait_healthy(base, proc)
        rows = [("paced %d/s x %d s" % (args.rate, args.seconds), asyncio.run(paced(base, args.rate, args.seconds, 0))),
                ("burst %d, %d connections" % (args.burst, args.concurrency),
                 asyncio.run(burst(base, args.burst, args.concurrency, 10 ** 6)))]
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=60)[0]
    events = json.loads(out.strip().splitlines()[-1])["events"]
    return rows, events


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rate", type=int, default=200, help="paced webhooks a second (default 200)")
    parser.add_argument("--seconds", type=int, default=10, help="how long the paced run lasts (default 10)")
    parser.add_argument("--burst", type=int, default=2000, help="webhooks of the unpaced run (default 2000)")
    parser.add_argument("--concurrency", type=int, default=50, help="connections of the unpaced run (default 50)")
    parser.add_argument("--serve", choices=["source", "echo"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve, args.port))
        return
    header = ("server", "run", "sent", "2xx", "elapsed", "events/s", "p50 ms", "p99 ms")
    print("%-16s %-28s %6s %6s %8s %10s %8s %8s" % header)
    for kind, label in (("echo", "aiohttp echo"), ("source", "proxy_webhook")):
        rows, events = measure(kind, args)
        ok_total = 0
        for run, (sent, statuses, latencies, elapsed) in rows:
            ok = sum(1 for s in statuses if 200 <= s < 300)
            ok_total += ok
            lat = sorted(latencies)
            print("%-16s %-28s %6d %6d %7.2fs %10.0f %8.1f %8.1f" % (
                label, run, sent, ok, elapsed, ok / elapsed, statistics.median(lat) * 1000,
                lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000))
        print("%-16s events queued %d of %d answered 2xx: %d lost" % (label, events, ok_total, ok_total - events))
    load = " ".join("%.1f" % x for x in os.getloadavg())
    print("(%s, %d CPUs, load average %s)" % (sys.version.split()[0], os.cpu_count(), load))


if __name__ == "__main__":
    main()
