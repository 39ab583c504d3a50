"""`make bench`: PurgeQuiz's hot paths under gunicorn, against Django's floor.

Absolute numbers depend on the machine and whatever else it is doing, so each
figure is printed as a ratio to the floor measured in the same run: a
logged-in POST that loads the session and user, checks CSRF and writes one
row, the least an answer or a rating must do. Every page and POST aims at
half the floor's throughput or better. The run is on SQLite, then on
PostgreSQL when something listens on 127.0.0.1:5432 (a database of its own,
made and dropped). Everything runs on loopback and stops by itself.

    python tests/bench/run.py [--db sqlite|postgresql] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import data, load  # noqa: E402

WORKERS = 2  # gunicorn workers: one per core of the benchmark machine
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
# Its own database, made and dropped; BENCH_PG_DATABASE lets two runs coexist.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "purgequiz_bench")


def pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def pg_database(action: str) -> None:
    """Make (or drop) the benchmark's own PostgreSQL database."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        if action == "make":
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")


def setup_django(db: str, tmp: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    if db == "postgresql":
        pg_database("make")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from tests.bench.urls import FLOOR_TABLE

    key = "BIGSERIAL PRIMARY KEY" if db == "postgresql" else "INTEGER PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} "
            f"(id {key}, user_id INTEGER NOT NULL)"
        )


def analyze(db: str) -> None:
    """PostgreSQL plans by its statistics and reads an index alone where its
    visibility map says the rows are settled, both of which autovacuum keeps
    up on a running server but a database loaded a moment ago lacks."""
    if db == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def floor_scenarios(key: str) -> list[data.Scenario]:
    def forever(method: str, path: str, post: bool):
        def requests(worker):
            request = load.Request(method, path, "", data.headers(key, post=post))
            while True:
                yield request

        return requests

    return [
        data.Scenario(
            "bare Django view (GET)",
            forever("GET", "/bench/bare/", False),
            max_requests=600,
            target=None,
        ),
        data.Scenario(
            "floor: session, user, 1 row (POST)",
            forever("POST", "/bench/floor/", True),
            max_requests=600,
            target=None,
        ),
    ]


def client_for(request: load.Request):
    """A test client with the request's cookies, and its other headers."""
    from django.test import Client

    pairs = dict(request.headers)
    client = Client()
    for part in pairs.pop("Cookie").split("; "):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    extra = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in pairs.items()
        if name != "Content-Type"
    }
    return client, extra


def send(request: load.Request):
    """One request through Django in-process (no server, no network)."""
    client, extra = client_for(request)
    if request.method == "POST":
        return client.post(
            request.path,
            request.body,
            content_type="application/x-www-form-urlencoded",
            **extra,
        )
    return client.get(request.path, **extra)


def queries_of(scenario: data.Scenario) -> tuple[int, int]:
    """The queries and status of one request of the spare stream, in-process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = next(scenario.requests(data.STREAMS - 1))
    with CaptureQueriesContext(connection) as queries:
        response = send(request)
    return len(queries), response.status_code


def serve(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "purgequiz.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def measure(db: str, names: list[str]) -> bool:
    """One database's table; False if a request failed or a target missed."""
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(db, Path(tmp))
        try:
            print(f"[{db}] preparing data: a quiz, decks of 100 and 10,000 cards")
            scenarios = data.student_scenarios()
            print(f"[{db}] preparing classes of 30 and 300 students")
            scenarios += data.teacher_scenarios()
            print(f"[{db}] preparing the admin's essay of 12,000 drafts")
            scenarios += data.admin_scenarios()
            analyze(db)
            from django.contrib.auth import get_user_model

            someone = get_user_model().objects.get(username="question-reader")
            floor = floor_scenarios(data.session_for(someone))
            chosen = [
                s for s in scenarios if not names or any(n in s.name for n in names)
            ]
            counted = {s.name: queries_of(s) for s in chosen}
            from django.db import connections

            connections.close_all()
            port = load.free_port()
            server = serve(port, dict(os.environ))
            try:
                results = [
                    (
                        s,
                        load.run(
                            s.name,
                            port,
                            s.requests,
                            concurrency=data.CONCURRENCY,
                            max_requests=s.max_requests,
                        ),
                    )
                    for s in floor + chosen
                ]
            finally:
                server.terminate()
                server.wait(timeout=10)
        finally:
            if db == "postgresql":
                from django.db import connections

                connections.close_all()
                pg_database("drop")
    return report(db, results, counted)


def report(db: str, results, counted: dict) -> bool:
    floor = results[1][1]
    print(
        f"\n{db}: gunicorn, {WORKERS} sync workers, "
        f"{data.CONCURRENCY} client threads, floor {floor.throughput:.0f} req/s"
    )
    print(
        f"{'scenario':40} {'req':>5} {'req/s':>7} {'median':>9} {'p95':>9} "
        f"{'queries':>7} {'vs floor':>9} {'target':>7} {'errors':>6}"
    )
    good = True
    for scenario, result in results:
        ratio = result.throughput / floor.throughput
        queries, status = counted.get(scenario.name, ("", 200))
        verdict = ""
        if scenario.target is not None:
            met = ratio >= scenario.target
            verdict = "ok" if met else f"<{scenario.target:.1f}"
            good &= met
        errors = result.errors + (status != 200)
        good &= errors == 0
        print(
            f"{result.name:40} {result.requests:5d} {result.throughput:7.1f} "
            f"{result.median_ms:7.1f}ms {result.p95_ms:7.1f}ms {queries!s:>7} "
            f"{ratio:8.2f}x {verdict:>7} {errors:6d}"
        )
    by_name = {result.name: result for _s, result in results}
    sizes = [by_name.get(f"next card, {n:,} cards") for n in (100, 10_000)]
    if all(sizes):
        growth = sizes[1].median_ms / sizes[0].median_ms
        good &= growth <= 1.2
        print(
            f"next card with 10,000 cards takes {growth:.2f}x the median time of "
            "100 (target: at most 1.2x)"
        )
    for page in ("gradebook", "mastery map"):
        few, many = (
            next(
                (r for r in by_name.values() if r.name.startswith(f"{page}, {n} ")),
                None,
            )
            for n in data.CLASS_SIZES
        )
        if few and many:
            growth = many.median_ms / few.median_ms
            few_n, many_n = data.CLASS_SIZES
            print(f"{page}: {many_n} students take {growth:.1f}x the time of {few_n}")
    return good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"])
    parser.add_argument("names", nargs="*", help="only the scenarios naming these")
    args = parser.parse_args()
    if args.db:
        sys.exit(0 if measure(args.db, args.names) else 1)
    # Each database in a process of its own: Django is set up once per process.
    dbs = ["sqlite"] + (["postgresql"] if pg_reachable() else [])
    if len(dbs) == 1:
        print("Nothing listens on 127.0.0.1:5432: SQLite only.")
    codes = [
        subprocess.call([sys.executable, __file__, "--db", db, *args.names])
        for db in dbs
    ]
    if any(codes):
        raise SystemExit("a target was missed or a request failed (see above)")


if __name__ == "__main__":
    main()
