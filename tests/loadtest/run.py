"""`make loadtest`: students answer quizzes and rate flashcards against real
gunicorn servers, then the database is counted: every answer and rating a
student saw succeed is stored exactly once, nothing stale is stored.

Two set-ups, each in a process of its own: one gunicorn on a temporary
SQLite file; two gunicorns on one PostgreSQL database of the run's own
(made and dropped by it), requests alternating between them, with faults:
one server killed (SIGKILL) and started again, and once every database
connection cut. The PostgreSQL set-up is skipped when nothing listens on
127.0.0.1:5432, unless CI=true. Loopback only, bounded in operations and
time; it stops its servers itself. Exits non-zero on any loss or double.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.loadtest import servers  # noqa: E402

SQLITE_WORKERS = 3
PG_SERVERS = 2
PG_WORKERS = 2  # each


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--max-operations", type=int, default=200_000, help="the run's bound"
    )
    parser.add_argument(
        "--setup", choices=["sqlite", "postgres", "both"], default="both"
    )
    parser.add_argument(
        "--pg-db", default="loadtest_pq", help="the database made and dropped"
    )
    return parser.parse_args(argv)


def _server_env() -> dict:
    # The servers' environment: production-like, whatever the caller's.
    return {
        key: value for key, value in os.environ.items() if not key.startswith("PYTEST")
    } | {"DJANGO_SETTINGS_MODULE": "tests.loadtest.settings"}


def _faults(servers_: list, database: str, base: str, seconds: float, log: list):
    """One server killed a third of the way in, then started again; the
    database connections cut two thirds of the way in."""
    started = time.monotonic()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + fraction * seconds - time.monotonic()))

    def when() -> str:
        return f"{time.monotonic() - started:.1f} s"

    at(0.3)
    victim = servers_[-1]
    killed = when()
    victim.kill()
    time.sleep(1)
    victim.start()
    log.append(f"{victim.name} killed (SIGKILL) at {killed}, serving again at {when()}")
    at(0.65)
    cut = servers.pg_cut_connections(database, base)
    log.append(f"{cut} database connections cut at {when()}")


def setup_run(args: argparse.Namespace) -> bool:
    """One set-up, in this process: seed, serve, load, count, report."""
    from tests.loadtest import check, seed, students

    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.loadtest.settings"
    # The seeded sessions are signed with it: the servers must share it.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    postgres = args.setup == "postgres"
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = ""
    with tempfile.TemporaryDirectory() as tmp:
        if postgres:
            servers.pg_create(args.pg_db, base)
            os.environ["DATABASE_URL"] = servers.pg_url(args.pg_db, base)
            title = (
                f"PostgreSQL ({args.pg_db}), {PG_SERVERS} gunicorn x {PG_WORKERS} "
                f"workers, {args.students} students, {args.seconds:.0f} s, faults"
            )
        else:
            os.environ.pop("DATABASE_URL", None)
            os.environ["SQLITE_PATH"] = str(Path(tmp) / "loadtest.sqlite3")
            title = (
                f"SQLite, 1 gunicorn x {SQLITE_WORKERS} workers, "
                f"{args.students} students, {args.seconds:.0f} s"
            )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        running = []
        try:
            call_command("migrate", verbosity=0)
            plan = seed.seed(args.students)
            connection.close()  # the faults would cut it; counting reopens
            if postgres:
                running = [
                    servers.Server(f"server {n + 1}", _server_env(), workers=PG_WORKERS)
                    for n in range(PG_SERVERS)
                ]
            else:
                running = [
                    servers.Server("server", _server_env(), workers=SQLITE_WORKERS)
                ]
            for server in running:
                server.start()
            faults: list[str] = []
            if postgres:
                threading.Thread(
                    target=_faults,
                    args=(running, args.pg_db, base, args.seconds, faults),
                    daemon=True,
                ).start()
            began = time.monotonic()
            ledger = students.run_students(
                plan,
                [server.port for server in running],
                seconds=args.seconds,
                operations=args.max_operations,
            )
            elapsed = time.monotonic() - began
            for server in running:
                server.stop()
            lines, ok = check.report(
                title, check.count(plan, ledger), ledger, faults, elapsed
            )
            print("\n".join(lines), flush=True)
            return ok
        finally:
            for server in running:
                server.kill()
            connection.close()
            if postgres:
                servers.pg_drop(args.pg_db, base)


def main(argv=None) -> int:
    args = arguments(argv)
    if args.setup != "both":
        return 0 if setup_run(args) else 1
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    setups = ["sqlite"]
    if servers.listening(*servers.PG_SERVER):
        setups.append("postgres")
    elif os.environ.get("CI") == "true":
        print("== PostgreSQL: nothing listens on 127.0.0.1:5432, and CI=true")
        return 1
    else:
        print("== PostgreSQL set-up skipped: nothing listens on 127.0.0.1:5432")
    failed = False
    for setup in setups:
        command = [sys.executable, __file__, "--setup", setup]
        command += [f"--students={args.students}", f"--seconds={args.seconds}"]
        command += [f"--max-operations={args.max_operations}", f"--pg-db={args.pg_db}"]
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        failed |= subprocess.run(command, cwd=ROOT, env=env).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
