"""The essay imports a teacher started in the admin (``ImportJob``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from quizzes.models import ImportJob

RECENT = 5  # the imports listed under the import form


def recent_jobs(*, teacher: AbstractBaseUser, limit: int = RECENT) -> QuerySet:
    """The teacher's latest imports, newest first, without the text they
    were given (up to 1 MB each): one query."""
    jobs = ImportJob.objects.filter(teacher=teacher).defer("text")
    return jobs.select_related("essay").defer("essay__body")[:limit]
