"""`manage.py backup`: a consistent SQLite copy while the app writes."""

import sqlite3
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


def _backup(source, target, **options):
    """The command against a database file of our own (the tests' database
    is in memory, or PostgreSQL)."""
    settings_dict = dict(connection.settings_dict, NAME=str(source))
    with (
        mock.patch.object(connection, "vendor", "sqlite"),
        mock.patch.object(connection, "settings_dict", settings_dict),
    ):
        call_command("backup", str(target), verbosity=0, **options)


def test_a_backup_is_consistent_while_the_app_writes(tmp_path):
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, value TEXT)")
        db.executemany("INSERT INTO answers (value) VALUES (?)", [("a",)] * 5000)
    stop = threading.Event()

    def write():
        with sqlite3.connect(live, timeout=20) as db:
            while not stop.is_set():
                db.execute("INSERT INTO answers (value) VALUES ('during')")
                db.commit()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        target = tmp_path / "copy.sqlite3"
        _backup(live, target)
    finally:
        stop.set()
        writer.join()

    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM answers").fetchone()[0] >= 5000
    assert not (tmp_path / "copy.sqlite3.partial").exists()


def test_a_backup_refuses_to_overwrite_or_to_copy_onto_itself(tmp_path):
    live = tmp_path / "live.sqlite3"
    sqlite3.connect(live).close()
    target = tmp_path / "copy.sqlite3"
    target.write_text("an older backup")

    with pytest.raises(CommandError, match="exists"):
        _backup(live, target)
    with pytest.raises(CommandError, match="itself"):
        _backup(live, live, force=True)
    with pytest.raises(CommandError, match="No such directory"):
        _backup(live, tmp_path / "nowhere" / "copy.sqlite3")
    _backup(live, target, force=True)
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_another_database_is_pointed_to_its_own_tools(tmp_path):
    with (
        mock.patch.object(connection, "vendor", "postgresql"),
        pytest.raises(CommandError, match="pg_dump"),
    ):
        call_command("backup", str(tmp_path / "x.sqlite3"))
