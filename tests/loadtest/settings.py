"""Settings for the load test's servers: the project's, production-like
(DEBUG off), without collected static files (the test fetches pages only).

With LOADTEST_PAUSE_FILE set, a worker stops in the middle of storing an
answer (tests/test_sqlite_kill.py kills it there; see pause.py)."""

import os

from purgequiz.settings import *  # noqa: F403

DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None

if os.environ.get("LOADTEST_PAUSE_FILE"):
    from tests.loadtest import pause

    pause.install(os.environ["LOADTEST_PAUSE_FILE"])
