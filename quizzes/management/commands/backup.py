"""`manage.py backup PATH`: a consistent copy of the SQLite database while
the app runs, by SQLite's online backup API (readers and writers go on; the
copy is the database as of one moment, WAL included). PostgreSQL is backed
up with its own tools (pg_dump), as the README says."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

PAGES_PER_STEP = 1024  # then the lock is let go, so the app's writers go on


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database to PATH while the app "
        "runs (SQLite's online backup API). For PostgreSQL use pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the copy (a new file).")
        parser.add_argument(
            "--force", action="store_true", help="Replace PATH if it exists."
        )

    def handle(self, *args, path, force, verbosity, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.vendor}: back it up with its own "
                "tools (for PostgreSQL: pg_dump --format=custom, see the README)."
            )
        source = Path(connection.settings_dict["NAME"])
        target = Path(path)
        if target.resolve() == source.resolve():
            raise CommandError("The copy cannot be the database itself.")
        if target.exists() and not force:
            raise CommandError(f"{target} exists: choose another name or --force.")
        if not target.parent.is_dir():
            raise CommandError(f"No such directory: {target.parent}")
        partial = target.with_name(target.name + ".partial")
        with sqlite3.connect(source) as live, sqlite3.connect(partial) as copy:
            live.backup(copy, pages=PAGES_PER_STEP)
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"The copy failed its integrity check: {ok}")
        partial.replace(target)  # whole or not at all
        if verbosity:
            size = target.stat().st_size
            self.stdout.write(f"Backed up {source.name} to {target} ({size:,} bytes).")
