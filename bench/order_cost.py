"""What one order costs the server, in process: CPU, database statements and Redis commands per request.

    .venv/bin/python bench/order_cost.py [--orders 300] [--profile]

Sends --orders requests one after another through Django's whole stack (middleware, DRF, the same session-token
authentication as the mobile app) to the no-op endpoint of bench/urls.py, then to POST /api/v1/orders/ (one SKU,
a new address, as bench/checkout.py's steady run), and prints for each: CPU milliseconds per request (this
process's own CPU time, which a busy machine inflates far less than wall time), SQL statements per request and
Redis commands per request (counted on a private redis-server started for the run, so nothing else's commands
are counted), the CPU the database server and that Redis spent per request (read from /proc: everything else
they serve in that time counts too, so run it on a quiet machine), and the order's CPU as a ratio of the no-op's.
--profile prints cProfile's top functions of the order requests by own time. No concurrency: bench/checkout.py
measures that; this shows where one order's work is.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis():
    port = free_port()
    folder = tempfile.mkdtemp(prefix="order-cost-redis-")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port, folder
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--database", default="mysql://root@127.0.0.1:3306/shop_bench_cost")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672//", help="'' for the file broker")
    parser.add_argument("--rounds", type=int, default=3, help="alternate no-op and order rounds; the best of each")
    parser.add_argument("--profile", choices=["order", "refusal"], help="cProfile (CPU time) of these requests")
    parser.add_argument(
        "--lines",
        choices=["sku", "product"],
        default="sku",
        help="name the SKU (the app) or the product (bench/checkout.py's steady run, and code before options)",
    )
    args = parser.parse_args()

    redis_server, redis_port, redis_folder = start_redis()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    # bench.checkout's import sets the rest of the environment (settings module, production switches).
    os.environ.update(DATABASE_URL=args.database, REDIS_URL=redis_url, SECURE_SSL_REDIRECT="0")
    if args.broker:
        os.environ["CELERY_BROKER_URL"] = args.broker
    try:
        from bench import checkout

        checkout.prepare_database()
        run(args, redis_port, redis_server.pid)
    finally:
        redis_server.terminate()
        redis_server.wait()
        shutil.rmtree(redis_folder, ignore_errors=True)


def run(args, redis_port, redis_pid):
    import json

    import redis
    from django.db import connection
    from django.test import Client

    from bench import checkout

    database_pid = checkout.pid_of("mariadbd") if connection.vendor == "mysql" else None

    def services_cpu():
        return (
            checkout.cpu_seconds(database_pid) if database_pid else 0.0,
            checkout.cpu_seconds(redis_pid),
        )

    token = checkout.make_users(1)[0]
    product = checkout.make_product("cost", 10_000_000)
    client = Client(HTTP_X_SESSION_TOKEN=token, HTTP_HOST="127.0.0.1")
    counter = redis.Redis(port=redis_port)

    def order_body(product):
        # Code from before options has no SKUs: its lines name the product.
        line = {"sku_id": product.sku.pk} if args.lines == "sku" else {"product_id": product.pk}
        return json.dumps({"lines": [{**line, "quantity": 1}], "address": checkout.ADDRESS})

    body = order_body(product)
    # A SKU sold out and flagged so (its last unit bought, the next buyer refused): a 선착순 drop's losers.
    gone = checkout.make_product("cost-sold-out", 1)
    refused_body = order_body(gone)
    assert client.post("/api/v1/orders/", refused_body, content_type="application/json").status_code == 201
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def measure(name, path, expected, body=body, profile=None):
        for _ in range(20):  # warm-up: connections, caches, imports
            assert client.post(path, body, content_type="application/json").status_code == expected
        statements.clear()
        commands_before = counter.info("stats")["total_commands_processed"]
        services_before = services_cpu()
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(count):
            if profile:
                profile.enable()
            for _ in range(args.orders):
                response = client.post(path, body, content_type="application/json")
                assert response.status_code == expected, response.content
            if profile:
                profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        services = [after - before for after, before in zip(services_cpu(), services_before, strict=True)]
        # The INFO call itself is one command.
        commands = counter.info("stats")["total_commands_processed"] - commands_before - 1
        figures = {
            "cpu_ms": cpu * 1000 / args.orders,
            "wall_ms": wall * 1000 / args.orders,
            "db_ms": services[0] * 1000 / args.orders,
            "redis_ms": services[1] * 1000 / args.orders,
            "sql": len(statements) / args.orders,
            "redis": commands / args.orders,
            "statements": statements[: len(statements) // args.orders],  # one request's
        }
        print(
            f"{name:<28} CPU {figures['cpu_ms']:6.2f} ms  wall {figures['wall_ms']:6.2f} ms  "
            f"SQL {figures['sql']:5.1f}  Redis {figures['redis']:4.1f}  per request; "
            f"database server CPU {figures['db_ms']:5.2f} ms, redis-server {figures['redis_ms']:4.2f} ms"
        )
        return figures

    print(f"{connection.vendor}; load average {os.getloadavg()}; {args.orders} requests each, best of {args.rounds}")
    best = {}
    for _ in range(args.rounds):
        rounds = {
            "no-op": measure("no-op (same authentication)", "/bench/noop/", 200),
            "order": measure("order (one SKU, new address)", "/api/v1/orders/", 201),
            "refusal": measure("refused: SKU flagged sold out", "/api/v1/orders/", 409, refused_body),
        }
        for kind, figures in rounds.items():
            if kind not in best or figures["cpu_ms"] < best[kind]["cpu_ms"]:
                best[kind] = figures
    floor, order, refusal = best["no-op"], best["order"], best["refusal"]
    print(
        f"best: no-op CPU {floor['cpu_ms']:.2f} ms, order CPU {order['cpu_ms']:.2f} ms (ratio "
        f"{order['cpu_ms'] / floor['cpu_ms']:.2f}), refusal CPU {refusal['cpu_ms']:.2f} ms (ratio "
        f"{refusal['cpu_ms'] / floor['cpu_ms']:.2f}); per order SQL {order['sql']:.1f}, Redis {order['redis']:.1f}; "
        f"per refusal SQL {refusal['sql']:.1f}, Redis {refusal['redis']:.1f}; load average {os.getloadavg()}"
    )
    # On a machine whose cores all serve these processes, this ratio bounds orders/s against no-ops/s.
    whole = {kind: f["cpu_ms"] + f["db_ms"] + f["redis_ms"] for kind, f in (("no-op", floor), ("order", order))}
    print(
        f"whole cost (this process, the database server, Redis): no-op {whole['no-op']:.2f} ms, order "
        f"{whole['order']:.2f} ms (ratio {whole['order'] / whole['no-op']:.2f}: at most "
        f"{whole['no-op'] / whole['order']:.2f} of the floor's rate)"
    )
    profile = cProfile.Profile(time.process_time) if args.profile else None
    if profile:
        if args.profile == "order":
            measure("order, profiled", "/api/v1/orders/", 201, profile=profile)
        else:
            measure("refusal, profiled", "/api/v1/orders/", 409, refused_body, profile=profile)
    print("one order's Redis commands:")
    for command in redis_commands_of(
        counter, lambda: client.post("/api/v1/orders/", body, content_type="application/json")
    ):
        print("   ", command[:150])
    print("one order's statements:")
    for sql in order["statements"]:
        print("   ", sql[:150])
    if profile:
        (ROOT / "var").mkdir(exist_ok=True)
        profile.dump_stats(str(ROOT / "var" / "order-cost.prof"))
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(35)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())


def redis_commands_of(counter, action):
    """The commands ``action`` sends to the private Redis, through MONITOR."""
    import threading

    seen, ready = [], threading.Event()

    def listen():
        with counter.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if command["command"] == "PING":
                    break
                seen.append(command["command"])

    listener = threading.Thread(target=listen)
    listener.start()
    ready.wait()
    time.sleep(0.2)
    action()
    time.sleep(0.2)
    counter.ping()
    listener.join(timeout=5)
    return seen


if __name__ == "__main__":
    main()
