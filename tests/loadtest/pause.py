"""A worker that stops inside the answer's transaction, right after the
Response row is inserted and before the commit, and says so by writing its
pid to a file: the moment tests/test_sqlite_kill.py sends SIGKILL.

Only the first answer pauses (while the file does not exist yet), so the
server answers normally after the kill."""

import os
import time
from pathlib import Path

from django.db.backends.signals import connection_created

INSERT = 'INSERT INTO "quizzes_response"'
PAUSE_SECONDS = 60  # far longer than the test waits; it kills before


def install(pause_file: str) -> None:
    marker = Path(pause_file)

    def pause_after_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(INSERT) and not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(PAUSE_SECONDS)
        return result

    def wrap(sender, connection, **kwargs):
        if pause_after_insert not in connection.execute_wrappers:
            connection.execute_wrappers.append(pause_after_insert)

    connection_created.connect(wrap, weak=False)
