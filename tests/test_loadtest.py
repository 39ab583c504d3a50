"""`make loadtest`, short: 10 students for 10 s on this run's database (one
gunicorn on SQLite; on PostgreSQL two, with a server killed and the
connections cut, in a database of the load test's own), and nothing lost
or stored twice."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

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
