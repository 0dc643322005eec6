"""Real servers on loopback for the scale-out tests and bench/scaleout.py: gunicorn instances of the store and an
HAProxy in front of them, each a subprocess on a free port, stopped by its process group."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, seconds: float, what: str, process=None, log=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.2)
    tail = Path(log).read_text(errors="replace")[-3000:] if log and Path(log).exists() else ""
    raise RuntimeError(f"{what} did not come up\n{tail}")


class Process:
    """A subprocess in its own process group, with its output in a log file."""

    def __init__(self, command, *, log: Path, env=None):
        self.log = log
        with open(log, "wb") as out:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self):
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """SIGKILL the group: for a process whose part in the test is over and whose graceful exit is not tested."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def store_environment(*, database_url: str, redis_url: str, secret_key: str, **extra) -> dict:
    """Production settings (DJANGO_DEBUG=0) over plain HTTP on loopback: the balancer would do TLS."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_gunicorn(*, env: dict, log: Path, workers: int = 1, threads: int = 4) -> tuple[Process, str]:
    """gunicorn with the deployment's config (deploy/gunicorn.conf.py); returns the process and its URL."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
           "GUNICORN_THREADS": str(threads)}  # fmt: skip
    process = Process([GUNICORN, "config.wsgi", "-c", str(ROOT / "deploy/gunicorn.conf.py")], log=log, env=env)
    url = f"http://127.0.0.1:{port}"
    return process, url


def wait_for_store(process: Process, url: str, seconds: float = 90):
    wait_for(
        lambda: requests.get(f"{url}/healthz", timeout=2).status_code == 200,
        seconds=seconds, what=f"gunicorn at {url}", process=process.popen, log=process.log,
    )  # fmt: skip


HAPROXY_CONFIG = """\
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A loaded instance answers /healthz slowly: only five missed checks of 5 s take it out.
    timeout check 5s
    default-server inter 2s fall 5 rise 2
    option http-server-close
frontend store
    bind 127.0.0.1:{port}
    default_backend web
backend web
    balance roundrobin
    # Which instance answered, for the tests (a production balancer would not tell the world).
    http-response set-header X-Served-By %[srv_name]
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
{servers}
"""


def start_haproxy(backends: list[str], *, directory: Path) -> tuple[Process, str]:
    """HAProxy, round-robin over the given http://host:port backends, each health-checked on /healthz."""
    port = free_port()
    servers = "\n".join(
        f"    server web{n} {url.removeprefix('http://')} check" for n, url in enumerate(backends, start=1)
    )
    config = directory / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    process = Process([HAPROXY, "-db", "-f", str(config)], log=directory / "haproxy.log")
    url = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: requests.get(f"{url}/healthz", timeout=2).status_code == 200,
        seconds=30, what="haproxy", process=process.popen, log=process.log,
    )  # fmt: skip
    return process, url
