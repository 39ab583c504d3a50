"""`make loadtest`, short: 10 students for 10 s on this run's database (one
gunicorn on SQLite; on PostgreSQL two, with a server killed and the
connections cut, in a database of the load test's own), and nothing lost
or stored twice."""

import http.client
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.loadtest import servers
from tests.loadtest.seed import headers

ROOT = Path(__file__).resolve().parents[1]


def test_short_load_test_loses_nothing_and_stores_nothing_twice():
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith("postgres")
    # Never pytest-django's test_<name>: a database named after this run's.
    pg_db = "loadtest_" + (urlsplit(database_url).path.strip("/") or "pq")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "tests/loadtest/run.py", "--students=10"]
    command += ["--seconds=10", f"--pg-db={pg_db}"]
    command += ["--setup=postgres" if postgres else "--setup=sqlite"]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    report = done.stdout
    assert done.returncode == 0, report + done.stderr[-3000:]
    assert "OK: nothing lost, nothing stored twice" in report
    assert "  lost                  0\n" in report
    assert "  duplicates stored     0\n" in report
    if postgres:
        assert "killed (SIGKILL)" in report
        assert "database connections cut" in report


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL's connections (DATABASE_URL) only",
)
def test_a_connection_the_database_cut_is_opened_again_not_a_500():
    # Without CONN_HEALTH_CHECKS the first request after the cut is a 500.
    database_url = os.environ["DATABASE_URL"]
    pg_db = "loadtest_cut_" + urlsplit(database_url).path.strip("/")
    servers.pg_create(pg_db, database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")} | {
        "DATABASE_URL": servers.pg_url(pg_db, database_url),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "tests.loadtest.settings",
        "PYTHONPATH": str(ROOT),
    }
    server = servers.Server("server", env, workers=1)
    try:
        session = servers.seed_plan(env, 1)["students"][0]["session"]
        server.start()

        def deck_list() -> int:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", "/flashcards/", headers=headers(session, post=False))
            status = conn.getresponse().status
            conn.close()
            return status

        assert deck_list() == 200  # the worker now keeps its connection
        assert servers.pg_cut_connections(pg_db, database_url) >= 1
        assert deck_list() == 200
    finally:
        server.kill()
        servers.pg_drop(pg_db, database_url)
