"""Payments under load: Toss confirms against the local Toss fake, as a ratio of order placement in the same run,
and the time from a server crash after Toss's DONE to the order showing paid through reconciliation.

    make bench-payments BENCH_ARGS="--clients 50 --seconds 20"
    .venv/bin/python bench/payments.py --help

Starts gunicorn (deploy/gunicorn.conf.py, production settings over plain HTTP on loopback) against MariaDB and
Redis, with TOSS_API_BASE pointing at the Toss fake (tests/payments/fake_toss.py) running in this process, then:

1. place: --clients clients POST /api/v1/orders/ for --seconds (one product, plenty of stock);
2. confirm: the same clients POST /api/v1/payments/toss/confirm/ for every order placed in 1 (each order first
   "authenticated" at the fake, as the widget would), until all are confirmed;
3. crash: --crashed orders are left as a server that died between Toss's DONE and its own COMMIT leaves them
   (attempt recorded, Toss DONE, nothing applied); a real Celery worker with beat (Redis broker) reconciles them;
   the time until every one shows paid is printed with the reconciliation settings that bound it.

Prints requests/s, latency percentiles, statuses and CPU per phase, the confirm rate as a ratio of the placement
rate, and checks that Toss confirmed each payment exactly once.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "mysql://root@127.0.0.1:3306/shop_bench_payments")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")

from bench import checkout as bench  # noqa: E402 (sets the production environment first)
from tests.payments.fake_toss import FakeToss  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bind", default="127.0.0.1:8101")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--rounds", type=int, default=3, help="place/confirm rounds (spreads a neighbour's load over both)"
    )
    parser.add_argument("--crashed", type=int, default=100)
    parser.add_argument("--reconcile-after", type=int, default=10, help="PAYMENT_RECONCILE_AFTER_SECONDS")
    parser.add_argument("--reconcile-interval", type=int, default=5, help="PAYMENT_RECONCILE_INTERVAL_SECONDS")
    args = parser.parse_args()

    toss = FakeToss().start()
    os.environ.update(
        TOSS_API_BASE=toss.url,
        TOSS_SECRET_KEY=toss.secret_key,
        PAYMENT_RECONCILE_AFTER_SECONDS=str(args.reconcile_after),
        PAYMENT_RECONCILE_INTERVAL_SECONDS=str(args.reconcile_interval),
        CELERY_BROKER_URL=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7"),
    )
    bench.prepare_database()
    tokens = bench.make_users(args.clients)
    product = bench.make_product("결제벤치", 10_000_000)
    host, port = args.bind.split(":")
    server = bench.start_server(args.bind, args.workers, args.threads, ROOT / "var/bench-payments-gunicorn.log")
    try:
        meter = bench.CpuMeter(server.pid)
        totals = {"placed": 0, "place_s": 0.0, "paid": 0, "confirm_s": 0.0}
        keys = []
        for _ in range(args.rounds):
            placed = place(args, host, port, tokens, meter, product)
            confirmed = confirm(args, host, port, tokens, meter, toss, placed.orders)
            totals["placed"] += placed.statuses.get(201, 0)
            totals["place_s"] += placed.elapsed
            totals["paid"] += confirmed.statuses.get(201, 0)
            totals["confirm_s"] += confirmed.elapsed
            keys += confirmed.keys
            print(f"\nround: confirm rate / placement rate = {confirmed.created_rate / placed.created_rate:.2f}")
        place_rate, paid_rate = totals["placed"] / totals["place_s"], totals["paid"] / totals["confirm_s"]
        print(f"\nall rounds: confirm rate / placement rate = {paid_rate / place_rate:.2f} "
              f"({paid_rate:.0f} paid/s vs {place_rate:.0f} placed/s)")  # fmt: skip
        once = all(toss.executed["confirm", key] == 1 for key in keys)
        print(f"Toss confirmed each of {len(keys)} payments exactly once: {once}")
    finally:
        bench.stop_server(server)
    crash_recovery(args, toss, product)
    toss.stop()


def place(args, host, port, tokens, meter, product):
    orders = []

    def request_for(index):
        return "/api/v1/orders/", bench.order_body([(product.pk, 1)])

    def until(status, body):
        if status == 201:
            order = bench.json.loads(body)
            orders.append((order["number"], order["total"]))
        return time.perf_counter() >= deadline

    deadline = time.perf_counter() + args.seconds / args.rounds
    phase = bench.run_phase("place orders", host=host, port=port, tokens=tokens, meter=meter,
                            request_for=request_for, until=until)  # fmt: skip
    phase.orders = orders
    return phase


def confirm(args, host, port, tokens, meter, toss, orders):
    """Each client confirms the orders its own user placed (the API refuses anyone else's)."""
    from orders.models import Order

    numbers = [number for number, _ in orders]
    owner = dict(Order.objects.filter(number__in=numbers).values_list("number", "user__email"))
    queues = {index: [] for index in range(len(tokens))}
    for number, total in orders:
        queues[int(owner[number].removeprefix("bench").split("@")[0])].append((number, total))
    keys = []

    def request_for(index):
        number, total = queues[index][-1]
        key = toss.authenticate(order_id=number, amount=total)
        keys.append(key)
        return "/api/v1/payments/toss/confirm/", {"paymentKey": key, "orderId": number, "amount": total}

    def per_client(index):
        def until(status, body):
            queues[index].pop()
            return not queues[index]

        return until

    until = type("Until", (), {"per_client": staticmethod(per_client)})()
    assert all(queues.values()), "every client placed at least one order"
    phase = bench.Phase("confirm payments")
    before, started = meter.sample(), time.perf_counter()
    bench.asyncio.run(bench.drive(host, port, tokens, phase, request_for, until))
    phase.elapsed = time.perf_counter() - started
    after = meter.sample()
    phase.cpu = {name: after[name] - before[name] for name in after}
    # The confirm API answers 200 (not 201) for a paid order: count those as "created".
    phase.statuses[201] = phase.statuses.pop(200, 0)
    bench.report(phase)
    phase.keys = keys
    return phase


def crash_recovery(args, toss, product):
    from accounts.models import User
    from orders import services as order_services
    from orders.models import Order
    from payments import services
    from tests.payments.conftest import HOME

    user = User.objects.get(email="bench0@example.com")
    crashed = []
    for _ in range(args.crashed):
        order = order_services.order_place(user=user, address=HOME, lines=[(product.pk, 1)])
        key = toss.authenticate(order_id=order.number, amount=order.total)
        services._attempt_begin(order=order, payment_key=key, amount=order.total)
        toss.confirm({"paymentKey": key, "orderId": order.number, "amount": order.total})  # DONE; we never heard
        crashed.append(order.pk)
    crashed_at = time.perf_counter()
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--beat", "--pool=solo", "--loglevel=WARNING",
         "--schedule", str(ROOT / "var/bench-beat-schedule")],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while Order.objects.filter(pk__in=crashed, status=Order.Status.PAID).count() < len(crashed):
            if time.perf_counter() - crashed_at > 600:
                raise SystemExit("reconciliation did not finish in 10 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - crashed_at
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(f"\n## crash after Toss's DONE -> paid through reconciliation ({args.crashed} orders)")
    print(f"all paid {elapsed:.1f} s after the crash (reconcile after {args.reconcile_after} s, beat every "
          f"{args.reconcile_interval} s; includes the worker's start-up)")  # fmt: skip
    once = all(count == 1 for (kind, _), count in toss.executed.items() if kind == "confirm")
    print(f"Toss confirmed each exactly once: {once}")


if __name__ == "__main__":
    main()
