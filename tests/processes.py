"""Real processes for the fault tests: a Redis server of the test's own (never
the machine's, which other checkouts share), the API under gunicorn and Celery
workers, all on the test database, and killed for real (SIGKILL)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import psycopg
import redis
import requests
from django.db import connection

from config.settings.celery import QUEUES

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, for a process started by the test."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def kill(process: subprocess.Popen) -> None:
    """SIGKILL a process started in its own session, with all its children."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class RedisServer:
    """A redis-server on a port of its own, in memory only: killing it loses
    everything in it, as a crashed or restarted Redis does."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        assert wait_until(lambda: self._answers(client), 10), "redis-server did not start"
        return self

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def kill(self) -> None:
        if self.process is not None:
            kill(self.process)
            self.process = None


def service_env(**extra: str) -> dict[str, str]:
    """The environment of a process serving the test database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_CONN_MAX_AGE": "0",
        **extra,
    }


def start_celery_worker(
    *,
    env: Mapping[str, str],
    concurrency: int = 1,
    queues: Sequence[str] = QUEUES,
    beat_schedule: Path | None = None,
    quiet: bool = False,
    log: Path | None = None,
) -> subprocess.Popen:
    """``celery -A config worker`` on the test database (``service_env``), in a
    session of its own, consuming ``queues`` (all of them by default: a
    worker started for one queue leaves the others' messages waiting), with
    an embedded beat writing ``beat_schedule`` when given, its output in
    ``log`` when given (else discarded when ``quiet``); stop it with
    ``stop_gracefully``."""
    beat = ["-B", "-s", str(beat_schedule)] if beat_schedule else []
    with contextlib.ExitStack() as files:
        output = files.enter_context(log.open("ab")) if log is not None else subprocess.DEVNULL if quiet else None
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--concurrency={concurrency}",
                "-Q",
                ",".join(queues),
                *beat,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=dict(env),
            start_new_session=True,
            stdout=output,
            stderr=output,
        )


def stop_gracefully(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (a worker finishes its task), then SIGKILL if it will not stop."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill(process)


def start_gunicorn(*, port: int, env: Mapping[str, str], workers: int = 2) -> subprocess.Popen:
    """The API under gunicorn on 127.0.0.1:``port``, answering once it returns."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(env),
        start_new_session=True,
    )

    def answers() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code < 500
        except (requests.ConnectionError, requests.Timeout):  # a worker's first request imports the whole API
            return False

    if not wait_until(answers, 60, interval=0.5):
        kill(process)
        raise AssertionError("gunicorn did not start")
    return process


def other_connection(*, autocommit: bool = False) -> psycopg.Connection:
    """A second connection to the test database, outside Django."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=autocommit,
    )


def terminate_backend(pid: int) -> None:
    """What a database restart, a failover or an idle-session killer does to a
    connection: PostgreSQL ends the backend ``pid``, asked from a second
    connection, and waits until it is gone."""
    with other_connection(autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]
