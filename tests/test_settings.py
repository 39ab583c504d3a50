import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3.base import DatabaseWrapper

from purgequiz import settings as project_settings


def test_sqlite_file_database_uses_wal_and_immediate_transactions(
    tmp_path, django_db_blocker
):
    wrapper = DatabaseWrapper(
        {
            "NAME": str(tmp_path / "db.sqlite3"),
            "OPTIONS": project_settings.SQLITE_OPTIONS,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
        }
    )
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone()[0] == 1  # NORMAL
            assert wrapper.transaction_mode == "IMMEDIATE"
        finally:
            wrapper.close()


@pytest.mark.parametrize("value", ["full", "NORMAL"])
def test_sqlite_synchronous_is_chosen_by_a_setting(monkeypatch, value):
    monkeypatch.setenv("DJANGO_SQLITE_SYNCHRONOUS", value)
    try:
        options = importlib.reload(project_settings).SQLITE_OPTIONS
        assert f"synchronous={value.upper()};" in options["init_command"]
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_an_unknown_sqlite_synchronous_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_SQLITE_SYNCHRONOUS", "OFF")
    try:
        with pytest.raises(ImproperlyConfigured, match="NORMAL or FULL"):
            importlib.reload(project_settings)
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_templates_are_compiled_once_per_process():
    """The cached loader keeps each template's compiled nodes between
    requests (Django's default when no loaders are listed, DEBUG or not;
    django-template-partials wraps it)."""
    from django.template import engines

    def names(loaders):
        for loader in loaders:
            if isinstance(loader, tuple):
                yield loader[0]
                yield from names(loader[1])
            else:
                yield loader

    engine = engines["django"].engine
    assert "django.template.loaders.cached.Loader" in names(engine.loaders)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("on", True), ("0", False), ("", False)],
)
def test_debug_is_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    try:
        assert importlib.reload(project_settings).DEBUG is expected
    finally:
        monkeypatch.delenv("DJANGO_DEBUG")
        importlib.reload(project_settings)


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    try:
        database = importlib.reload(project_settings).DATABASES["default"]
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert database["NAME"] == "test"
        # Kept between requests, and checked before reuse: a connection the
        # database cut is opened again rather than failing a request.
        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_a_server_without_debug_refuses_the_repository_secret_key():
    with pytest.raises(ImproperlyConfigured, match="Set DJANGO_SECRET_KEY"):
        project_settings.require_secret_key(
            debug=False, secret_key=project_settings.DEV_SECRET_KEY
        )
    project_settings.require_secret_key(
        debug=True, secret_key=project_settings.DEV_SECRET_KEY
    )
    project_settings.require_secret_key(debug=False, secret_key="x" * 50)
