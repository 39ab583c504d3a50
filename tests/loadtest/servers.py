"""The app servers the load test starts, kills and starts again (gunicorn on
loopback), and its own PostgreSQL database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench import load

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = ("127.0.0.1", 5432)


def listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Server:
    """One gunicorn (a master and its workers, in a process group of their
    own, so that SIGKILL takes all of them at once, as a crash would)."""

    def __init__(self, name: str, env: dict, *, workers: int, timeout: int = 30):
        self.name = name
        self.port = load.free_port()
        self.env = env | {"PYTHONPATH": str(ROOT)}
        self.workers = workers
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "purgequiz.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--timeout={self.timeout}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name}: gunicorn exited at start")
            if listening("127.0.0.1", self.port):
                return
            time.sleep(0.05)
        self.kill()
        raise SystemExit(f"{self.name}: gunicorn did not start in 30 s")

    def worker_pids(self) -> list[int]:
        """The workers' pids (children of the master), from /proc."""
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{self.process.pid}\n" in text:
                pids.append(int(status.parent.name))
        return pids

    def kill(self) -> None:
        """SIGKILL to the master and every worker."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def pg_url(database: str, base: str = "") -> str:
    """postgres://... of `database` on the server of `base` (DATABASE_URL when
    it is PostgreSQL's, else postgres@127.0.0.1:5432)."""
    base = base or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin(base: str):
    import psycopg

    return psycopg.connect(pg_url("postgres", base), autocommit=True)


def pg_create(database: str, base: str = "") -> None:
    """A fresh, empty database of the load test's own."""
    pg_drop(database, base)
    with _admin(base) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')


def pg_drop(database: str, base: str = "") -> None:
    with _admin(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def pg_cut_connections(database: str, base: str = "") -> int:
    """Cut every connection to the database but this one (as a failover or a
    restarted pooler would); returns how many were cut."""
    import psycopg

    with psycopg.connect(pg_url(database, base), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return sum(1 for (done,) in rows if done)


def seed_plan(env: dict, students: int) -> dict:
    """Migrate and seed the database `env` names, in a process of its own
    (tests/loadtest/seed.py), and return the plan the clients follow."""
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.loadtest.seed", str(students)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(seeded.stdout)
