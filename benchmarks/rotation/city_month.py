"""Benchmark: a city's month of rosters generated through Celery:
a city's month (65 townships, about 3,500 cadres) generated through Celery
with 2 workers.

    createdb -h 127.0.0.1 -U postgres cadrecare_citybench     # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_citybench \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python -m benchmarks.rotation.city_month [--workers 2] [--day 20]

What it does:

1. Builds the demo city once in the database named by ``DATABASE_URL``
   (``seed_demo``: about 65 townships and 3,500 cadres; kept for later runs;
   the database is created if missing). Use a database of its own: the run
   deletes the month's rosters there before it starts.
2. Puts every rotation policy on one generation day (``--day``, default 20):
   the demo spreads the counties over the 15th, 20th and 25th, and the
   benchmark wants the whole city in one daily run, the busiest day possible.
3. Starts ``--workers`` real Celery workers on the Redis of ``REDIS_URL``, each
   its own node with one pool process (``celery -A config worker -c 1``), like
   ``docker compose up --scale worker=N`` with one process each: two workers,
   two solves at a time on the two cores. Pending messages of that Redis
   database are purged first, so give it a database of its own.
4. Sends the beat's own task, ``generation_due_run_task`` for the day (this
   month's ``--day``), which makes one run with an item per township and fans
   the items out; the benchmark only watches the database until no item is
   queued.
5. Reports the wall time from the task sent to the last item finished, each
   township's solve time (median, p95, max), the items' and the solver's
   statuses, the workers' CPU time and the load average while it ran; judges
   every roster written with the shared ``roster_check.py`` (never the
   solver's own report); names the infeasible townships with their reasons;
   and estimates a province of 1,400 townships from the cost per township.
   Figures go to stdout and ``benchmarks/out/rotation/city_month-N.json``
   (N workers). ``--workers 0`` runs the same task in this process, every
   township one after another (Celery's eager mode): the yardstick.
   Exit status 1 if a roster is invalid or the run did not finish.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import django

from benchmarks.roster.__main__ import DEFAULT_CHECKER, _spread, judge, load_checker

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "benchmarks" / "out" / "rotation"
PROVINCE_TOWNSHIPS = 1400
PROVINCE_CADRES = 70_000


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.rotation.city_month",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--townships", type=int, default=65, help="for seed_demo, when the database is empty")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="Celery worker nodes, one process each; 0: every township in this process, in turn",
    )
    parser.add_argument("--day", type=int, default=20, help="generation day of this month (the beat's 'today')")
    parser.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds")
    parser.add_argument("--checker", type=Path, default=DEFAULT_CHECKER, help="path to roster_check.py")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ or "REDIS_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (PostgreSQL, a database of its own) and REDIS_URL (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    checker = load_checker(args.checker)
    _create_database()

    from django.core.management import call_command

    from cadrecare.core import clock
    from cadrecare.org.models import Cadre, OrgUnit
    from cadrecare.rotation.choices import RunKind, RunStatus
    from cadrecare.rotation.models import GenerationItem, GenerationRun, Roster, RotationPolicy
    from config.celery import app
    from scheduler.tasks.rotation import generation_due_run_task

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", townships=args.townships)
        print(f"seeded in {time.monotonic() - started:.0f}s")
    today = clock.today().replace(day=args.day)
    month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    moved = RotationPolicy.objects.exclude(generation_day=args.day).update(generation_day=args.day)
    # A run of an earlier benchmark: start afresh (the fan-out leaves units with a roster alone).
    GenerationRun.objects.filter(kind=RunKind.SCHEDULED, scheduled_for=today).delete()
    Roster.objects.filter(month=month).delete()
    print(
        f"{Cadre.objects.filter(unit__kind='township').count()} township cadres in "
        f"{OrgUnit.objects.filter(kind='township').count()} townships; {moved} policies moved to day {args.day}; "
        f"generating {month:%Y-%m} as the beat would on {today}"
    )

    OUT.mkdir(parents=True, exist_ok=True)
    if args.workers == 0:
        run, wall, cpu, loads, started_at = _run_in_process(app, generation_due_run_task, today)
    else:
        run, wall, cpu, loads, started_at = _run_on_workers(app, generation_due_run_task, today, args)

    if run is None or run.items.filter(status=RunStatus.QUEUED).exists():
        print(f"not finished within {args.timeout:.0f}s")
        return 1
    items = list(GenerationItem.objects.filter(run=run).select_related("unit", "roster__current"))
    report = _report(
        items, checker, wall=wall, cpu=cpu, loads=loads, workers=args.workers, month=month, started_at=started_at
    )
    figures = json.dumps(report, ensure_ascii=False, indent=1)
    (OUT / f"city_month-{args.workers}.json").write_text(figures, encoding="utf-8")
    return 0 if report["rosters_invalid"] == 0 else 1


def _run_on_workers(app: Any, task: Any, today: dt.date, args: argparse.Namespace) -> tuple[Any, ...]:
    """The beat's task sent to `args.workers` Celery workers; returns when no item is queued."""
    from cadrecare.core import clock
    from cadrecare.rotation.choices import RunKind, RunStatus
    from cadrecare.rotation.models import GenerationRun

    app.control.purge()
    workers = _start_workers(args.workers)
    try:
        _wait_for_workers(app, args.workers)
        cpu_before = _cpu_seconds(workers)
        print("uptime at the start:", _uptime())
        loads = [os.getloadavg()]
        started_at, started = clock.now(), time.monotonic()
        task.delay(today.isoformat())
        run = None
        last_print = 0.0
        while time.monotonic() - started < args.timeout:
            time.sleep(2)
            loads.append(os.getloadavg())
            run = run or GenerationRun.objects.filter(kind=RunKind.SCHEDULED, scheduled_for=today).first()
            if run is None:
                continue
            counts = Counter(run.items.values_list("status", flat=True))
            if time.monotonic() - last_print >= 30:
                last_print = time.monotonic()
                print(f"  {time.monotonic() - started:6.0f}s  {dict(counts)}  load {loads[-1][0]:.1f}", flush=True)
            if counts and not counts[RunStatus.QUEUED]:
                break
        wall = time.monotonic() - started
        cpu = _cpu_seconds(workers) - cpu_before
        print("uptime at the end:  ", _uptime())
    finally:
        _stop_workers(workers)
    return run, wall, cpu, loads, started_at


def _run_in_process(app: Any, task: Any, today: dt.date) -> tuple[Any, ...]:
    """`--workers 0`: the same task and items, run one after another in this
    process (Celery's eager mode), the yardstick the workers are measured by."""
    from cadrecare.core import clock
    from cadrecare.rotation.choices import RunKind
    from cadrecare.rotation.models import GenerationRun

    app.conf.task_always_eager = True
    print("uptime at the start:", _uptime())
    loads = [os.getloadavg()]
    started_at, started, cpu_before = clock.now(), time.monotonic(), time.process_time()
    task.delay(today.isoformat())
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_before
    loads.append(os.getloadavg())
    print("uptime at the end:  ", _uptime())
    return (
        GenerationRun.objects.filter(kind=RunKind.SCHEDULED, scheduled_for=today).first(),
        wall,
        cpu,
        loads,
        started_at,
    )


def _report(
    items: list[Any],
    checker: Any,
    *,
    wall: float,
    cpu: float,
    loads: list[tuple[float, float, float]],
    workers: int,
    month: dt.date,
    started_at: dt.datetime,
) -> dict[str, Any]:
    """Print the figures and return them for the JSON file."""
    solve = [item.solve_seconds for item in items if item.solve_seconds is not None]
    statuses = Counter(item.status for item in items)
    versions = [item.roster.current for item in items if item.roster and item.roster.current]
    solver_statuses = Counter(version.solver_status for version in versions)
    verdicts = Counter()
    cadres = []
    for version in versions:
        cadres.append(len(version.problem["cadres"]))
        verdict = judge(checker, json.dumps(version.problem), version.solution)
        verdicts["infeasible" if verdict["valid"] is None else "valid" if verdict["valid"] else "invalid"] += 1
    db_wall = (max(item.finished_at for item in items) - started_at).total_seconds()
    processes = max(workers, 1)  # 0 workers: one process, this one
    per_township = wall * processes / len(items)
    cpu_per_township = cpu / len(items)
    province = PROVINCE_TOWNSHIPS * per_township / processes
    one_minute = [load[0] for load in loads]
    print()
    print(
        f"{len(items)} townships ({sum(cadres)} cadres in the rosters written), month {month:%Y-%m}, "
        f"{f'{workers} workers x 1 process' if workers else 'one after another in one process'}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"wall time: {wall:.0f}s from the beat task sent to the last item finished ({db_wall:.0f}s by the "
        f"items' finish times)"
    )
    print(f"solve time per township median / p95 / max: {_spread(solve)}")
    print(
        f"workers' CPU time: {cpu:.0f}s ({cpu_per_township:.1f}s per township); "
        f"1-minute load average during the run: mean {statistics.mean(one_minute):.1f}, "
        f"max {max(one_minute):.1f}"
    )
    print(f"items: {dict(statuses)}; solver status of the rosters: {dict(solver_statuses)}")
    print(f"shared checker: {dict(verdicts)}")
    for item in items:
        if item.status in ("infeasible", "failed"):
            reasons = "; ".join(reason.get("message", "") for reason in item.reasons)
            print(f"  {item.status}: {item.unit.name}: {reasons}")
    print(
        f"province estimate: {PROVINCE_TOWNSHIPS} townships x {per_township:.1f} worker-seconds per township "
        f"/ {processes} processes = {province / 60:.0f} min ({province / 3600:.1f} h)"
    )
    return {
        "month": f"{month:%Y-%m}",
        "townships": len(items),
        "cadres": sum(cadres),
        "workers": workers,
        "cores": os.cpu_count(),
        "wall_seconds": round(wall, 1),
        "wall_seconds_by_items": round(db_wall, 1),
        "solve_seconds": sorted(round(s, 2) for s in solve),
        "solve_spread": _spread(solve),
        "worker_cpu_seconds": round(cpu, 1),
        "items": dict(statuses),
        "solver_statuses": dict(solver_statuses),
        "checker": dict(verdicts),
        "rosters_invalid": verdicts["invalid"],
        "load_average_1min": {
            "mean": round(statistics.mean(one_minute), 2),
            "max": max(one_minute),
            "start": loads[0],
            "end": loads[-1],
        },
        "not_solved": [
            {"unit": item.unit.name, "status": item.status, "reasons": item.reasons}
            for item in items
            if item.status not in ("solved",)
        ],
        "worker_seconds_per_township": round(per_township, 2),
        "province_estimate_seconds": round(province),
    }


# ---------------------------------------------------------------------------
# Database and worker processes
# ---------------------------------------------------------------------------


def _create_database() -> None:
    """CREATE DATABASE for DATABASE_URL's name if it does not exist yet."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"created database {db['NAME']}")


def _start_workers(count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    processes = []
    for number in range(1, count + 1):
        log = (OUT / f"worker{number}.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--concurrency=1",
                    "-n",
                    f"citybench{number}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return processes


def _wait_for_workers(app: Any, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= count:
            return
    raise SystemExit(f"the {count} workers did not answer within 120 s (see {OUT}/worker*.log)")


def _cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """User + system CPU seconds of every live process in the workers' sessions
    (each worker's main process and its pool child)."""
    sessions = {process.pid for process in processes}
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:  # field 6 of stat, the session id, after pid and (comm)
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _stop_workers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
