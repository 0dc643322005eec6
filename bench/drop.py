"""A 선착순 drop, a phase of bench/checkout.py: a thousand buyers press 구매 at the same moment for a hundred units.

Three bursts against the same gunicorn, each with every buyer sending exactly one request at the same moment:

1. browsing at rest: the browsers fetch a product page and a category page, back to back, for a few seconds;
2. framework floor at the drop's size: every buyer posts once to the no-op endpoint (same authentication), while
   the browsers browse as they will during the drop;
3. the drop: every buyer posts one order for one unit of one SKU with ``--drop-stock`` units, while the
   browsers keep browsing; a thread samples the SKU's stock every 50 ms.

Goals (issue 22): exactly ``--drop-stock`` orders, 0 oversell, 0 5xx, 0 transport errors, every loser told 409
``out_of_stock``, the losers' p99 no worse than the floor burst's p99, browsing p95 during the drop at most 3x
its p95 at rest. ``--drop-repeats`` (3) runs the three bursts that many times in a row, each on a new SKU, and
judges the two ratios on their median (``DropRuns``).
"""

import asyncio
import json
import statistics
import threading
import time
from collections import Counter

from bench.checkout import ADDRESS, Client, make_product, make_users, percentile

BROWSE_AT_REST_SECONDS = 8


class DropResult:
    def __init__(self, product, stock):
        self.product, self.stock = product, stock
        self.latencies, self.statuses, self.codes = [], Counter(), Counter()
        self.loser_latencies, self.winner_latencies = [], []
        self.floor_latencies, self.rest_browsing, self.drop_browsing = [], [], []
        self.timeline, self.server_errors, self.elapsed = [], 0, 0.0

    def losers_ratio(self):
        """The losers' p99 over the floor burst's p99 (goal <= 1)."""
        return _p(self.loser_latencies, 0.99) / _p(self.floor_latencies, 0.99)

    def browsing_ratio(self):
        """Browsing p95 during the drop over browsing p95 at rest (goal <= 3)."""
        return _p(self.drop_browsing, 0.95) / _p(self.rest_browsing, 0.95)

    def summarize(self):
        created = self.statuses.get(201, 0)
        transport = self.statuses.get(0, 0)
        losers = sum(self.statuses.values()) - created
        refused_right = self.codes.get("out_of_stock", 0)
        loser_p99, floor_p99 = _p(self.loser_latencies, 0.99), _p(self.floor_latencies, 0.99)
        rest_p95, drop_p95 = _p(self.rest_browsing, 0.95), _p(self.drop_browsing, 0.95)
        print(f"drop: {created} orders for {self.stock} units (goal: exactly {self.stock}) "
              f"{_met(created == self.stock)}")  # fmt: skip
        print(f"drop: 5xx {self.server_errors - transport}, transport errors {transport} (goal 0, 0) "
              f"{_met(self.server_errors == 0)}")  # fmt: skip
        print(f"drop: losers {losers}, told 409 out_of_stock {refused_right} {_met(losers == refused_right)}")
        print(f"drop: losers p99 {loser_p99:.0f} ms vs floor burst p99 {floor_p99:.0f} ms, ratio "
              f"{loser_p99 / floor_p99:.2f} (goal <= 1) {_met(loser_p99 <= floor_p99)}")  # fmt: skip
        print(f"drop: browsing p95 {drop_p95:.0f} ms during vs {rest_p95:.0f} ms at rest, ratio "
              f"{drop_p95 / rest_p95:.2f} (goal <= 3) {_met(drop_p95 <= 3 * rest_p95)}")  # fmt: skip


class DropRuns:
    """Several drops in one run (``--drop-repeats``), each with its own browsing at rest and floor burst, one after
    another on the same server. One drop's ratios move with the machine more than code changes move them (the
    floor burst's own p99 was seen anywhere from 2.3 to 7.3 s on the same code), so the verdict on the two ratio
    goals is the median over the drops; the counts (orders, 5xx, 409s) must hold in every one."""

    def __init__(self, runs):
        self.runs = runs

    @property
    def server_errors(self):
        return sum(run.server_errors for run in self.runs)

    def summarize(self):
        for number, run in enumerate(self.runs, 1):
            if len(self.runs) > 1:
                print(f"-- drop {number} of {len(self.runs)}")
            run.summarize()
        if len(self.runs) > 1:
            losers = statistics.median(run.losers_ratio() for run in self.runs)
            browsing = statistics.median(run.browsing_ratio() for run in self.runs)
            each = ", ".join(f"{run.losers_ratio():.2f}" for run in self.runs)
            print(f"drop, median of {len(self.runs)}: losers p99 / floor burst p99 {losers:.2f} ({each}) "
                  f"(goal <= 1) {_met(losers <= 1)}")  # fmt: skip
            each = ", ".join(f"{run.browsing_ratio():.2f}" for run in self.runs)
            print(f"drop, median of {len(self.runs)}: browsing p95 during / at rest {browsing:.2f} ({each}) "
                  f"(goal <= 3) {_met(browsing <= 3)}")  # fmt: skip


def _p(values, fraction):
    return 1000 * percentile(values, fraction) if values else float("nan")


def _met(ok):
    return "MET" if ok else "MISSED"


def _distribution(name, values):
    cuts = (0.5, 0.9, 0.95, 0.99, 1.0)
    print(f"{name} ({len(values)}): " + ", ".join(f"p{int(100 * f)} {_p(values, f):.0f} ms" for f in cuts))


async def _burst(clients, send):
    """Every client sends one request at the same moment; [(latency, status, body)] in client order."""

    async def one(client):
        started = time.perf_counter()
        status, body = await send(client)
        return time.perf_counter() - started, status, body

    outcomes = await asyncio.gather(*(one(client) for client in clients))
    for client in clients:
        if client.writer is not None:
            client.writer.close()
    return outcomes


async def _browse(host, port, paths, count, stop, latencies):
    async def loop(index):
        client = Client(host, port, "")
        n = index
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = await client.get(paths[n % len(paths)])
            latencies.append(time.perf_counter() - started)
            n += 1
            if status != 200:
                print(f"browsing answered {status}")
        if client.writer is not None:
            client.writer.close()

    await asyncio.gather(*(loop(index) for index in range(count)))


def _stock_sampler(sku_id, started, timeline, stop):
    from django.db import connection

    from catalog.models import Sku

    last = None
    while not stop.is_set():
        stock = Sku.objects.values_list("stock", flat=True).get(pk=sku_id)
        if stock != last:
            timeline.append((time.perf_counter() - started, stock))
            last = stock
        time.sleep(0.05)
    connection.close()


def run(args, *, host, port, meter):
    """The three bursts; returns a ``DropResult`` (printed by ``summarize`` at the end of bench/checkout.py)."""
    print(f"\n## 선착순 drop: {args.drop_buyers} buyers at once for {args.drop_stock} units, "
          f"{args.drop_browsers} browsers")  # fmt: skip
    tokens = make_users(args.drop_buyers)
    product = make_product("drop", args.drop_stock)
    result = DropResult(product, args.drop_stock)
    paths = [product.get_absolute_url(), product.category.get_absolute_url()]
    # By SKU, as the app orders today (a product id costs a query to find its SKU before anything is refused).
    body = {"lines": [{"sku_id": product.sku.pk, "quantity": 1}], "address": ADDRESS}

    async def browse_at_rest():
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(BROWSE_AT_REST_SECONDS, stop.set)
        await _browse(host, port, paths, args.drop_browsers, stop, result.rest_browsing)

    asyncio.run(browse_at_rest())
    _distribution("browsing at rest", result.rest_browsing)

    async def floor():
        # The same conditions as the drop but the endpoint: the browsers are browsing here too.
        stop = asyncio.Event()
        browsing = asyncio.create_task(_browse(host, port, paths, args.drop_browsers, stop, []))
        await asyncio.sleep(0.5)
        outcomes = await _burst([Client(host, port, t) for t in tokens], lambda c: c.post("/bench/noop/", body))
        stop.set()
        await browsing
        return outcomes

    result.floor_latencies = [latency for latency, _, _ in asyncio.run(floor())]
    _distribution("floor burst (no-op, same authentication, while the browsers browse)", result.floor_latencies)

    async def drop():
        stop = asyncio.Event()
        browsing = asyncio.create_task(_browse(host, port, paths, args.drop_browsers, stop, result.drop_browsing))
        await asyncio.sleep(0.5)  # the browsers are under way when the drop opens
        outcomes = await _burst([Client(host, port, t) for t in tokens], lambda c: c.post("/api/v1/orders/", body))
        stop.set()
        await browsing
        return outcomes

    before = meter.sample()
    stop_sampling, started = threading.Event(), time.perf_counter()
    sampler = threading.Thread(target=_stock_sampler, args=(product.sku.pk, started, result.timeline, stop_sampling))
    sampler.start()
    outcomes = asyncio.run(drop())
    result.elapsed = time.perf_counter() - started
    stop_sampling.set()
    sampler.join()
    after = meter.sample()

    for latency, status, response in outcomes:
        result.latencies.append(latency)
        result.statuses[status] += 1
        if status == 201:
            result.winner_latencies.append(latency)
        else:
            result.loser_latencies.append(latency)
            if status >= 400 and response:
                result.codes[json.loads(response).get("code", "?")] += 1
    result.server_errors = sum(n for status, n in result.statuses.items() if status >= 500 or status == 0)
    print(f"drop statuses {dict(sorted(result.statuses.items()))}; codes {dict(result.codes)}; "
          f"{result.elapsed:.1f} s")  # fmt: skip
    _distribution("winners", result.winner_latencies)
    _distribution("losers", result.loser_latencies)
    _distribution("browsing during the drop", result.drop_browsing)
    print("stock timeline (s: stock): " + ", ".join(f"{at:.2f}: {stock}" for at, stock in _thin(result.timeline)))
    print("CPU seconds: " + ", ".join(f"{k} {after[k] - before[k]:.1f}" for k in after))
    return result


def _thin(timeline, points=24):
    """At most ``points`` samples, always keeping the first and the last."""
    if len(timeline) <= points:
        return timeline
    step = len(timeline) / (points - 1)
    return [timeline[int(i * step)] for i in range(points - 1)] + [timeline[-1]]
