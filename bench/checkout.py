"""Checkout under load: POST /api/v1/orders/ from many clients against gunicorn, MariaDB and Redis.

    make bench-checkout BENCH_ARGS="--clients 200 --steady-seconds 60 --workers 4 --threads 2"
    .venv/bin/python bench/checkout.py --help

Starts gunicorn on --bind with bench.settings (the store plus a no-op endpoint), makes users and their session
tokens on the server (SessionStore, no log-ins), then runs, each with --clients concurrent keep-alive clients:

1. framework floor: POST /bench/noop/ (same authentication and permission as the order API, no work);
2. hot product: everyone orders one product until its stock is gone;
3. overlapping multi-product orders ([a], [a, b], [b, a], [b, c], ...) until stock is gone or time is up;
4. steady run: one product with plenty of stock, --steady-seconds long;
5. 선착순 drop (bench/drop.py): --drop-buyers clients press 구매 once, at the same moment, on one SKU with
   --drop-stock units, while --drop-browsers clients browse product and category pages;
6. database ceiling: raw conditional UPDATE transactions on one product row, from --db-threads connections.

For each it prints requests per second, p50/p95/p99 latency, status counts and the CPU seconds of the server,
MariaDB, Redis and this load generator; it checks stock against the orders created, and prints the steady
order rate as a ratio of the framework floor and of the database ceiling. --profile SECONDS records the
gunicorn workers with py-spy during the steady run and prints where the order requests spend their time.
"""

import argparse
import asyncio
import functools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULTS = {
    "DATABASE_URL": "mysql://root@127.0.0.1:3306/shop_bench_orders",
    "REDIS_URL": "redis://127.0.0.1:6379/4",
    # The deployment's broker (deploy/docker-compose.yml): an order's email task is published to RabbitMQ.
    "CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
}
for name, value in DEFAULTS.items():
    os.environ.setdefault(name, value)
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DJANGO_DEBUG="0",
    SECRET_KEY="bench-only-secret-key",
    ALLOWED_HOSTS="127.0.0.1,localhost",
    THROTTLE_ORDER_PLACE="10000000/min",
    LOG_LEVEL="ERROR",
)
ADDRESS = {"recipient": "김하늘", "phone": "010-1234-5678", "postal_code": "06236", "address": "서울 강남구 테헤란로 1"}


# --- Setup (on the server side, through the ORM) -----------------------------------------------------------
def prepare_database():
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    subprocess.run(
        ["mariadb", "-h", url.hostname, "-P", str(url.port or 3306), "-u", url.username or "root", "-e",
         f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"],
        check=True,
    )  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages (the drop's browsers) need the manifest


def make_users(count):
    """Users and their X-Session-Token values, made directly in the session store."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    password = make_password(None)
    tokens = []
    for n in range(count):
        user, _ = User.objects.get_or_create(email=f"bench{n}@example.com", defaults={"password": password})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        tokens.append(session.session_key)
    return tokens


def make_product(name, stock):
    from catalog.models import Category, Product, Sku, StockMovement

    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "벤치"})
    slug = f"bench-{name}-{time.time_ns()}"
    product = Product.objects.create(category=category, name=name, slug=slug, price=12_900, status="on_sale")
    product.sku = Sku.objects.create(product=product, code=f"P{product.id}")
    Sku.objects.filter(pk=product.sku.pk).update(stock=stock)
    StockMovement.objects.create(sku=product.sku, delta=stock, reason=StockMovement.Reason.IMPORT)
    product.stock = stock  # the opening stock, for stock_check
    return product


def stock_check(products):
    """(product id, initial, now, ordered) for each product; consistent when now == initial - ordered."""
    from django.db.models import Sum

    from catalog.models import Sku
    from orders.models import OrderLine

    rows = []
    for product in products:
        now = Sku.objects.get(pk=product.sku.pk).stock
        ordered = OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))["n"] or 0
        rows.append((product.pk, product.stock, now, ordered))
    return rows


# --- Processes and CPU ------------------------------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def pid_of(name):
    result = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True)
    return int(result.stdout.split()[0]) if result.stdout.split() else None


class CpuMeter:
    def __init__(self, server_pid):
        self.pids = {"server": lambda: [server_pid, *children(server_pid)], "mariadb": lambda: [pid_of("mariadbd")],
                     "redis": lambda: [pid_of("redis-server")]}  # fmt: skip

    def sample(self):
        sample = {name: sum(cpu_seconds(pid) for pid in pids() if pid) for name, pids in self.pids.items()}
        own = os.times()
        sample["load generator"] = own.user + own.system
        # Everything else on this shared machine (other developers' work): all busy CPU minus the above.
        busy = sum(int(n) for n in Path("/proc/stat").read_text().split()[1:9]) - sum(
            int(n) for n in Path("/proc/stat").read_text().split()[4:6]
        )
        sample["other processes"] = busy / CLOCK_TICKS - sum(sample.values())
        return sample


def start_server(bind, workers, threads, log_path, redis_locks=True):
    """gunicorn with the deployment's own config (deploy/gunicorn.conf.py), only bind and sizes changed."""
    command = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    # Production settings, served over plain HTTP on loopback: no redirect to HTTPS (a load balancer does TLS).
    environment = {**os.environ, "GUNICORN_BIND": bind, "GUNICORN_WORKERS": str(workers),
                   "GUNICORN_THREADS": str(threads), "SECURE_SSL_REDIRECT": "0"}  # fmt: skip
    if not redis_locks:
        environment["STOCK_LOCK_REDIS_URL"] = ""
    log = open(log_path, "w")  # noqa: SIM115 - the server writes to it until stop_server
    server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    host, port = bind.split(":")
    for _ in range(100):
        try:
            asyncio.run(_probe(host, int(port)))
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


async def _probe(host, port):
    _, writer = await asyncio.open_connection(host, port)
    writer.close()


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# --- The load generator: asyncio, raw HTTP/1.1 keep-alive ------------------------------------------------
class Client:
    def __init__(self, host, port, token):
        self.host, self.port, self.token = host, port, token
        self.reader = self.writer = None

    async def post(self, path, body):
        payload = json.dumps(body).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nX-Session-Token: {self.token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n")  # fmt: skip
        return await self._exchange(head, payload)

    async def get(self, path):
        return await self._exchange(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept-Language: ko\r\n\r\n", b"")

    async def _exchange(self, head, payload):
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(head.encode() + payload)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt == 2:
                    return 0, b""
        return 0, b""

    async def _response(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
        body = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, body


class Phase:
    def __init__(self, name):
        self.name, self.latencies, self.statuses, self.codes = name, [], Counter(), Counter()

    def record(self, started, status, body):
        self.latencies.append(time.perf_counter() - started)
        self.statuses[status] += 1
        if status >= 400 and body:
            try:
                self.codes[json.loads(body).get("code", "?")] += 1
            except ValueError:  # not the store's JSON: a balancer's own error page
                self.codes[f"non-JSON {status}"] += 1


async def drive(host, port, tokens, phase, request_for, until):
    """Every client sends request_for(client_index) back to back until until(phase, status, body) is true."""
    clients = [Client(host, port, token) for token in tokens]

    async def loop(index, client):
        done = until.per_client(index) if hasattr(until, "per_client") else until
        while True:
            path, body = request_for(index)
            started = time.perf_counter()
            status, response = await client.post(path, body)
            phase.record(started, status, response)
            if done(status, response):
                return

    await asyncio.gather(*(loop(i, c) for i, c in enumerate(clients)))
    for client in clients:
        if client.writer is not None:
            client.writer.close()


def run_phase(name, *, host, port, tokens, meter, request_for, until):
    phase = Phase(name)
    before, started = meter.sample(), time.perf_counter()
    asyncio.run(drive(host, port, tokens, phase, request_for, until))
    phase.elapsed = time.perf_counter() - started
    after = meter.sample()
    phase.cpu = {name: after[name] - before[name] for name in after}
    report(phase)
    return phase


def timed(seconds):
    deadline = time.perf_counter() + seconds
    return lambda status, body: time.perf_counter() >= deadline


def sold_out_or(deadline):
    """Stop a client after 5 out-of-stock answers in a row (its shapes are sold out), or at the deadline."""
    streak = Counter()

    def until(status, body):
        return deadline(status, body)

    def per_client(index):
        def until(status, body):
            streak[index] = streak[index] + 1 if status == 409 else 0
            return streak[index] >= 5 or deadline(status, body)

        return until

    until.per_client = per_client
    return until


# How the order phases' lines name what they buy: "sku" (the app since options: sku_id) or "product" (product_id,
# resolved to the product's only SKU by one more query; the only way code before options can be asked).
LINES = {"kind": "sku"}


def order_body(lines):
    """An order of (product, quantity) lines; a product given by its id is always named by product_id."""

    def line(product, quantity):
        if isinstance(product, int):
            return {"product_id": product, "quantity": quantity}
        if LINES["kind"] == "sku" and hasattr(product, "sku"):
            return {"sku_id": product.sku.pk, "quantity": quantity}
        return {"product_id": product.pk, "quantity": quantity}

    return {"lines": [line(product, quantity) for product, quantity in lines], "address": ADDRESS}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def report(phase):
    count = len(phase.latencies)
    created = phase.statuses.get(201, 0)
    server_errors = sum(n for status, n in phase.statuses.items() if status >= 500 or status == 0)
    phase.rate = count / phase.elapsed
    phase.created_rate = created / phase.elapsed
    print(f"\n## {phase.name}")
    print(f"requests {count} in {phase.elapsed:.1f} s = {phase.rate:.0f}/s; orders created {created} "
          f"= {phase.created_rate:.0f}/s")  # fmt: skip
    print("latency ms: p50 {:.0f}  p95 {:.0f}  p99 {:.0f}  max {:.0f}".format(
        *(1000 * percentile(phase.latencies, f) for f in (0.5, 0.95, 0.99, 1.0))))  # fmt: skip
    print(f"statuses {dict(sorted(phase.statuses.items()))}; error codes {dict(phase.codes)}; 5xx {server_errors}")
    print("CPU seconds: " + ", ".join(f"{k} {v:.1f} ({100 * v / phase.elapsed:.0f}%)" for k, v in phase.cpu.items()))
    phase.server_errors = server_errors


# --- Database ceiling -------------------------------------------------------------------------------------
def database_ceiling(product, threads, seconds):
    """Raw BEGIN; UPDATE ... SET stock = stock - 1 WHERE id = %s AND stock >= 1; COMMIT on one row."""
    import MySQLdb

    url = urlparse(os.environ["DATABASE_URL"])
    counts = [0] * threads
    deadline = time.perf_counter() + seconds
    sql = "UPDATE catalog_sku SET stock = stock - 1 WHERE id = %s AND stock >= 1"

    def run(index):
        conn = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root",
                               password=url.password or "", database=url.path.lstrip("/"))  # fmt: skip
        cursor = conn.cursor()
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        while time.perf_counter() < deadline:
            cursor.execute("BEGIN")
            cursor.execute(sql, (product.sku.pk,))
            conn.commit()
            counts[index] += 1
        conn.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    rate = sum(counts) / (time.perf_counter() - started)
    print(f"\n## database ceiling\nconditional UPDATE transactions on one row, {threads} connections: {rate:.0f}/s")
    return rate


# --- Profile ----------------------------------------------------------------------------------------------
PROFILE_BUCKETS = [
    ("stock locks (Redis acquire/release)", ("stock_locks_acquire", "stock_locks_release")),
    ("stock UPDATE", ("stock_take",)),
    ("order, event and lines INSERT", ("_order_create", "_order_lines_create")),
    ("BEGIN/COMMIT", ("Atomic.__exit__", "Atomic.__enter__")),
    ("lines check SELECT (prices, stock)", ("lines_check",)),
    ("authentication (session token, user)", ("perform_authentication",)),
    ("throttle (Redis)", ("check_throttles",)),
    ("request parsing and validation", ("_valid (orders/api/views.py",)),
    ("response (serializer, lines and history SELECTs)", ("Serializer.data", "Response.rendered_content")),
    ("connection health check", ("close_if_health_check_failed",)),
]


def profile_workers(server_pid, seconds, out_dir):
    """py-spy every gunicorn worker at once (wall clock: waits included), raw folded stacks per worker."""
    recorders = [
        subprocess.Popen([str(ROOT / ".venv/bin/py-spy"), "record", "--pid", str(pid), "--duration", str(seconds),
                          "--format", "raw", "--output", str(out_dir / f"profile-{pid}.txt"), "--rate", "100",
                          "--nonblocking", "--idle"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for pid in children(server_pid)
    ]  # fmt: skip
    for recorder in recorders:
        recorder.wait()


def summarize_profile(out_dir):
    """Share of the order requests' samples (wall time, waits included) in each part of the order path."""
    totals, buckets = 0, Counter()
    for path in out_dir.glob("profile-*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if "WSGIHandler.__call__" not in stack:
                continue
            totals += int(count)
            label = next((label for label, keys in PROFILE_BUCKETS if any(k in stack for k in keys)), None)
            buckets[label or "other (middleware, routing, DRF, rendering)"] += int(count)
    print(f"\n## where an order request's time goes (py-spy, all workers, {totals} samples)")
    for label, count in buckets.most_common():
        print(f"{label:52s} {100 * count / max(totals, 1):5.1f}%")


# --- Main -------------------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--bind", default="127.0.0.1:8100")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (deploy default 4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (deploy default 2)")
    parser.add_argument("--no-redis-locks", action="store_true", help="the database guard alone, for comparison")
    parser.add_argument("--phases", default="floor,hot,overlap,steady,drop,ceiling")
    parser.add_argument("--drop-buyers", type=int, default=1000, help="선착순 drop: buyers pressing 구매 at once")
    parser.add_argument("--drop-stock", type=int, default=100)
    parser.add_argument(
        "--drop-repeats",
        type=int,
        default=3,
        help="drops in a row, each with its own floor burst; judged on the median",
    )
    parser.add_argument("--drop-browsers", type=int, default=50, help="clients browsing during the drop")
    parser.add_argument("--floor-seconds", type=int, default=15)
    parser.add_argument("--hot-stock", type=int, default=2000)
    parser.add_argument("--overlap-stock", type=int, default=600)
    parser.add_argument("--overlap-seconds", type=int, default=20)
    parser.add_argument("--steady-seconds", type=int, default=60)
    parser.add_argument("--db-threads", type=int, default=16)
    parser.add_argument("--db-seconds", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, help="py-spy the workers this many seconds (steady run)")
    parser.add_argument(
        "--lines",
        choices=["sku", "product"],
        default="sku",
        help="order lines name the SKU (the app) or the product (as code before options must be asked)",
    )
    args = parser.parse_args()
    LINES["kind"] = args.lines

    print(f"load average before: {os.getloadavg()}; cores: {os.cpu_count()}")
    prepare_database()
    tokens = make_users(args.clients)
    host, port = args.bind.split(":")
    port = int(port)
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    server = start_server(args.bind, args.workers, args.threads, var / "gunicorn.log", not args.no_redis_locks)
    phases = set(args.phases.split(","))
    print(f"gunicorn {args.workers} workers x {args.threads} threads; {args.clients} clients; "
          f"stock locks: {'database guard alone' if args.no_redis_locks else 'Redis + database guard'}; "
          f"order lines name the {args.lines}")  # fmt: skip
    meter = CpuMeter(server.pid)
    run = functools.partial(run_phase, host=host, port=port, tokens=tokens, meter=meter)
    results, consistent = {}, True
    try:
        warm = make_product("warm-up", 10_000)
        run("warm-up", request_for=lambda i: ("/api/v1/orders/", order_body([(warm, 1)])), until=timed(3))
        if "floor" in phases:
            results["floor"] = run(
                "framework floor: no-op endpoint, same authentication",
                request_for=lambda i: ("/bench/noop/", order_body([(warm, 1)])),
                until=timed(args.floor_seconds),
            )
        if "hot" in phases:
            hot = make_product("hot", args.hot_stock)
            results["hot"] = run(
                f"hot product: stock {args.hot_stock}, {args.clients} clients until sold out",
                request_for=lambda i: ("/api/v1/orders/", order_body([(hot, 1)])),
                until=lambda status, body: status in (409, 0),
            )
            consistent &= check("hot product", [hot], expect_sold_out=True)
        if "overlap" in phases:
            products = [make_product(f"overlap-{n}", args.overlap_stock) for n in range(4)]
            results["overlap"] = run(
                "overlapping multi-product orders",
                request_for=overlapping_orders(products),
                until=sold_out_or(timed(args.overlap_seconds)),
            )
            consistent &= check("overlapping", products)
        if "steady" in phases:
            steady = make_product("steady", 10_000_000)
            profiler = None
            if args.profile:
                for old in var.glob("profile-*.txt"):
                    old.unlink()
                profiler = threading.Thread(target=profile_workers, args=(server.pid, args.profile, var))
                threading.Timer(5, profiler.start).start()
            results["steady"] = run(
                f"steady run: {args.steady_seconds} s",
                request_for=lambda i: ("/api/v1/orders/", order_body([(steady, 1)])),
                until=timed(args.steady_seconds),
            )
            consistent &= check("steady", [steady])
            if profiler:
                profiler.join()
        if "drop" in phases:
            from bench import drop

            runs = []
            for _ in range(args.drop_repeats):
                runs.append(drop.run(args, host=host, port=port, meter=meter))
                consistent &= check("drop", [runs[-1].product], expect_sold_out=True)
            results["drop"] = drop.DropRuns(runs)
    finally:
        stop_server(server)

    ceiling = None
    if "ceiling" in phases:
        ceiling = database_ceiling(make_product("ceiling", 100_000_000), args.db_threads, args.db_seconds)
    if args.profile:
        summarize_profile(var)
    summarize(results, ceiling, consistent)


def overlapping_orders(products):
    shapes = [[0], [0, 1], [1, 0], [1, 2], [2, 1], [2, 3], [3, 0], [0, 1, 2, 3], [3, 2, 1, 0]]
    rng = random.Random(8)

    def request_for(index):
        shape = shapes[(index + rng.randrange(len(shapes))) % len(shapes)]
        return "/api/v1/orders/", order_body([(products[n], rng.randint(1, 3)) for n in shape])

    return request_for


def summarize(results, ceiling, consistent):
    print("\n## summary")
    errors = sum(phase.server_errors for phase in results.values())
    for name in ("hot", "overlap", "steady"):
        if name in results:
            phase = results[name]
            print(f"{name}: orders/s {phase.created_rate:.0f}; p50/p95/p99 ms " + "/".join(
                f"{1000 * percentile(phase.latencies, f):.0f}" for f in (0.5, 0.95, 0.99)))  # fmt: skip
    if "steady" in results:
        rate = results["steady"].created_rate
        if "floor" in results:
            floor = results["floor"].rate
            print(f"framework floor {floor:.0f}/s; steady ratio {rate / floor:.2f} (goal >= 0.50)")
        if ceiling:
            print(f"database ceiling {ceiling:.0f}/s; steady ratio {rate / ceiling:.2f}")
        print(f"steady p99 {1000 * percentile(results['steady'].latencies, 0.99):.0f} ms (goal < 1000)")
    if "drop" in results:
        results["drop"].summarize()
    print(f"5xx or dropped in all phases: {errors} (goal 0); stock consistent with orders: {consistent}")
    print(f"load average after: {os.getloadavg()}")


def check(name, products, expect_sold_out=False):
    ok = True
    for pid, initial, now, ordered in stock_check(products):
        good = now == initial - ordered and now >= 0 and (now == 0 or not expect_sold_out)
        ok &= good
        print(f"stock check {name}: product {pid} initial {initial} now {now} ordered {ordered} -> "
              f"{'OK' if good else 'WRONG'}")  # fmt: skip
    return ok


if __name__ == "__main__":
    main()
