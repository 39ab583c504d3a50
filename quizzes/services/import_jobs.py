"""Essay imports started in the admin and run by the task worker: the job
made and queued, its steps recorded as it goes, its result or its error.

The import itself is ``services.imports.essay_import``, one transaction of
its own: a job that fails leaves nothing behind but its error."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from quizzes.models import ImportJob
from quizzes.models.imports import PROGRESS
from quizzes.services.imports import ImportReport


@transaction.atomic
def import_job_create(
    *,
    teacher: AbstractBaseUser,
    text: str,
    title: str = "",
    slug: str = "",
    fallback_title: str = "",
    publish: bool = False,
    name: str = "",
) -> ImportJob:
    """A job for text the form has checked, queued for the worker.

    Queued inside the transaction: with the database backend the job and its
    task row are committed together, so neither exists without the other.
    """
    from quizzes.tasks import essay_import_run  # the task imports services

    job = ImportJob.objects.create(
        teacher=teacher,
        text=text,
        title=title,
        slug=slug,
        fallback_title=fallback_title[:200],
        publish=publish,
        name=name[:200],
    )
    result = essay_import_run.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@transaction.atomic
def import_job_start(*, job_id: int) -> ImportJob | None:
    """The job, now running; None when it is not waiting any more (already
    run, or taken by another worker after a retry)."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return None
    job.status = ImportJob.Status.RUNNING
    job.updated_at = timezone.now()
    job.save(update_fields=["status", "updated_at"])
    return job


@transaction.atomic
def import_job_step(*, job_id: int, step: str) -> None:
    """The step the import has reached ("parsing", "generating", "saving")."""
    step = ImportJob.Step(step)
    ImportJob.objects.filter(pk=job_id).update(
        step=step, progress=PROGRESS[step], updated_at=timezone.now()
    )


@transaction.atomic
def import_job_done(*, job_id: int, report: ImportReport) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE,
        step=ImportJob.Step.FINISHED,
        progress=PROGRESS[ImportJob.Step.FINISHED],
        summary=report.summary(),
        essay_id=report.essay_id,
        text="",  # the essay holds it now
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


@transaction.atomic
def import_job_fail(*, job_id: int, error: str) -> None:
    """The reason, for the teacher; the bar stays where the import stopped."""
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED,
        error=error,
        text="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
