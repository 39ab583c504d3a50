"""On SQLite, a gunicorn worker killed (SIGKILL) in the middle of storing an
answer, while another student's answer waits for the lock, leaves the
database consistent: the other answer is stored, the killed one is not,
and the attempt takes it when it is sent again."""

import http.client
import os
import re
import secrets
import signal
import sqlite3
import threading
import time
from pathlib import Path

from tests.loadtest.seed import headers
from tests.loadtest.servers import Server, seed_plan

ROOT = Path(__file__).resolve().parents[1]


def post(port: int, session: str, path: str, body: str = "", *, htmx=True):
    """(status, Location), or (None, "") when the connection breaks."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            path,
            body=body.encode() or None,
            headers=headers(session, htmx=htmx),
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    except (OSError, http.client.HTTPException):
        return None, ""
    finally:
        conn.close()


def responses(db: Path, attempt: int, question: int) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT count(*) FROM quizzes_response"
            " WHERE attempt_id = ? AND question_id = ?",
            [attempt, question],
        ).fetchone()[0]


def test_a_worker_killed_mid_answer_leaves_sqlite_consistent(tmp_path):
    db = tmp_path / "kill.sqlite3"
    paused = tmp_path / "paused"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_")) and k != "DATABASE_URL"
    } | {
        "DJANGO_SETTINGS_MODULE": "tests.loadtest.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SQLITE_PATH": str(db),
        "PYTHONPATH": str(ROOT),
    }
    plan = seed_plan(env, 2)
    server = Server(
        "server", env | {"LOADTEST_PAUSE_FILE": str(paused)}, workers=2, timeout=120
    )
    server.start()
    try:
        port = server.port
        attempts = []
        for student in plan["students"]:
            status, location = post(
                port, student["session"], f"/quizzes/{plan['quiz']}/start/", htmx=False
            )
            assert status == 302
            attempts.append(int(re.search(r"/attempts/(\d+)/$", location).group(1)))
        question = plan["students"][0]["questions"][0]
        killed, waiting = {}, {}

        def answer(n, into):
            path = f"/attempts/{attempts[n]}/answer/{question}/"
            into["status"] = post(
                port, plan["students"][n]["session"], path, "choice=1"
            )[0]

        first = threading.Thread(target=answer, args=(0, killed))
        first.start()
        deadline = time.monotonic() + 30
        while not paused.exists() or not paused.read_text():
            assert time.monotonic() < deadline, "the answer never reached its insert"
            time.sleep(0.05)
        second = threading.Thread(target=answer, args=(1, waiting))
        second.start()
        time.sleep(1)  # the second answer now waits for the write lock
        os.kill(int(paused.read_text()), signal.SIGKILL)
        first.join(30)
        second.join(30)

        assert killed["status"] is None  # the connection broke: nothing said
        assert waiting["status"] == 200  # the lock was freed by the kill
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert responses(db, attempts[0], question) == 0  # rolled back
        assert responses(db, attempts[1], question) == 1

        # gunicorn has started another worker: the answer sent again is taken.
        status, _ = post(
            port,
            plan["students"][0]["session"],
            f"/attempts/{attempts[0]}/answer/{question}/",
            "choice=1",
        )
        assert status == 200
        assert responses(db, attempts[0], question) == 1
    finally:
        server.kill()
