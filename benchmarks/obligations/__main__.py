"""Run the simulation: ``.venv/bin/python -m benchmarks.obligations --help``."""

from __future__ import annotations

import argparse
import os
import time

import psycopg

from benchmarks.obligations.report import report
from benchmarks.obligations.simulation import Simulation


def _fresh_database(url: str) -> None:
    """Drop and create the simulation's database: every run starts from the same demo city."""
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cadrecare_obligsim")
    _fresh_database(url)

    from benchmarks.province import give_logins, setup_province

    started = time.monotonic()
    setup_province(65)
    give_logins(without_login_every=20)
    print(f"demo city ready in {time.monotonic() - started:.0f}s", flush=True)
    simulation = Simulation(seed=args.seed, days=args.days)
    simulation.run()
    report(simulation)


if __name__ == "__main__":
    main()
