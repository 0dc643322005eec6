"""Orders per second through HAProxy with one and with two web instances, as a ratio measured in one run.

    .venv/bin/python bench/scaleout.py --clients 64 --workers 2 --threads 2 --seconds 20 --rounds 2

Starts two gunicorn instances of the store (bench.settings: production settings, MariaDB, Redis) and HAProxy
(round-robin, tests/scaleout/servers.py) in front of one of them, then of both; makes users and their session
tokens on the server, then alternates rounds (one instance, two instances, one, two, ...) of POST
/api/v1/orders/ from --clients keep-alive clients against one product with plenty of stock, so a drift in the
load of this shared machine hits both sides alike. Prints orders/s, latency and CPU per round, the ratio
two/one per pair of rounds and overall, and checks the stock against the orders created.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "mysql://root@127.0.0.1:3306/shop_bench_scaleout")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")

from bench import checkout  # noqa: E402 (sets the benchmark's settings and environment first)
from tests.scaleout.servers import free_port, start_haproxy  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    parser.add_argument("--seconds", type=int, default=20, help="length of each round")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of rounds (one instance, then two)")
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}")
    checkout.prepare_database()
    tokens = checkout.make_users(args.clients)
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    binds = [f"127.0.0.1:{free_port()}" for _ in range(2)]
    servers = [checkout.start_server(bind, args.workers, args.threads, var / f"scaleout-web{n}.log")
               for n, bind in enumerate(binds, start=1)]  # fmt: skip
    balancers, results = [], {1: [], 2: []}
    product = checkout.make_product("scale-out", 10_000_000)
    order = ("/api/v1/orders/", checkout.order_body([(product.pk, 1)]))
    try:
        with tempfile.TemporaryDirectory() as one_dir, tempfile.TemporaryDirectory() as two_dir:
            for directory, backends in ((one_dir, binds[:1]), (two_dir, binds)):
                process, url = start_haproxy([f"http://{b}" for b in backends], directory=Path(directory))
                balancers.append((process, url))
            meters = {1: checkout.CpuMeter(servers[0].pid), 2: _MultiMeter(servers)}
            print(f"{len(servers)} instances x {args.workers} workers x {args.threads} threads; "
                  f"{args.clients} clients through HAProxy")  # fmt: skip
            for instances, (_, url) in zip((1, 2), balancers, strict=True):
                host, port = url.removeprefix("http://").split(":")
                _run(f"warm-up, {instances} instance(s)", host, int(port), tokens, meters[instances], order, 3)
            for round_number in range(1, args.rounds + 1):
                for instances, (_, url) in zip((1, 2), balancers, strict=True):
                    host, port = url.removeprefix("http://").split(":")
                    name = f"round {round_number}: {instances} instance(s)"
                    results[instances].append(
                        _run(name, host, int(port), tokens, meters[instances], order, args.seconds)
                    )
    finally:
        for process, _ in balancers:
            process.stop()
        for server in servers:
            checkout.stop_server(server)
    _summarize(results)
    checkout.check("scale-out product", [product])
    print(f"load average after: {os.getloadavg()}")


def _run(name, host, port, tokens, meter, order, seconds):
    return checkout.run_phase(
        name, host=host, port=port, tokens=tokens, meter=meter, request_for=lambda i: order,
        until=checkout.timed(seconds),
    )  # fmt: skip


class _MultiMeter(checkout.CpuMeter):
    """CPU of both instances counted as "server"."""

    def __init__(self, servers):
        super().__init__(servers[0].pid)
        self.pids["server"] = lambda: [p for s in servers for p in (s.pid, *checkout.children(s.pid))]


def _per_cpu(phase):
    """Orders per CPU second of the web instances: the cost of an order, whatever share of the machine it got."""
    return phase.statuses.get(201, 0) / max(phase.cpu["server"], 1e-9)


def _summarize(results):
    print("\n## orders/s through the balancer: two instances against one")
    for number, (one, two) in enumerate(zip(results[1], results[2], strict=True), start=1):
        print(f"round {number}: one {one.created_rate:.0f}/s, two {two.created_rate:.0f}/s, "
              f"ratio {two.created_rate / max(one.created_rate, 1e-9):.2f}; orders per server CPU second: "
              f"one {_per_cpu(one):.1f}, two {_per_cpu(two):.1f}")  # fmt: skip
    total = {n: sum(p.created_rate for p in phases) / len(phases) for n, phases in results.items()}
    errors = sum(p.server_errors for phases in results.values() for p in phases)
    print(f"mean: one {total[1]:.0f}/s, two {total[2]:.0f}/s, ratio {total[2] / max(total[1], 1e-9):.2f}; "
          f"5xx {errors}")  # fmt: skip


if __name__ == "__main__":
    main()
