"""Settings for `make bench`: the project's, plus a bare view to compare with."""

from purgequiz.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False
# The benchmark fetches pages, not stylesheets: no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Nor does whitenoise need to look for collected files.
STATIC_ROOT = None
