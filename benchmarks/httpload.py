"""A gunicorn server as deployed, and concurrent clients timed against it: what the HTTP
benchmarks (bench_http.py, bench_public_cache.py) share.

`start_gunicorn` serves a database with DEBUG off and static files collected; `load` runs
`clients` threads for `seconds`, each opening a connection per request as a browser without
keep-alive would, and gives the requests per second and the median latency.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from procmem import children_of

ROOT = Path(__file__).resolve().parents[1]

# Sessions are signed with it: the server and a session made by a benchmark must share it.
SECRET_KEY = "bench-only-" + "x" * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
        **overrides,
    }


def start_gunicorn(
    database_url: str, port: int, workers: int, **env_overrides: str
) -> subprocess.Popen:
    env = server_env(database_url, **env_overrides)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - gunicorn writes it until stopped
        prefix="bench-gunicorn-", suffix=".log", delete=False
    )
    process = subprocess.Popen(  # noqa: S603 - gunicorn from this Python
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "/healthz", {})
            if status == 200 and len(children_of(process.pid)) == workers:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not start: " + Path(log.name).read_text()[-2000:])


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    """One GET on a new connection: the status and the response's headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    median_ms: float  # median latency


def load(
    port: int,
    path: str | Callable[[], str],
    headers: dict[str, str],
    clients: int,
    seconds: float,
    expect: int = 200,
) -> Load:
    """`clients` clients asking for `path` (or, if callable, a new address from it each
    request) for `seconds`; any status other than `expect` ends the benchmark."""
    next_path = path if callable(path) else lambda: path
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    wrong: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        mine, bad = [], []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            status, _ = request(port, next_path(), headers)
            mine.append(time.perf_counter() - started)
            if status != expect:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            wrong.extend(bad)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if wrong:
        raise SystemExit(f"{next_path()}: expected {expect}, got {sorted(set(wrong))}")
    return Load(len(latencies) / elapsed, statistics.median(latencies) * 1000)
