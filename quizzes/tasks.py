"""Work that leaves the request: run by the task worker (``manage.py
db_worker``, django-tasks' database backend) and, under the tests, at once.
Thin, like the management commands: each task calls services."""

import logging

from django_tasks import task

from quizzes import services
from quizzes.essays import EssayError

logger = logging.getLogger(__name__)

FAILED = (
    "The import stopped on an error in PurgeQuiz, not in your text; nothing was "
    "saved. The error is in the worker's log for the administrator: try again, "
    "and if it fails again, tell them."
)


@task()
def essay_import_run(job_id: int) -> str:
    """An admin import (``ImportJob``): its steps recorded as they begin, then
    its summary, or its error with nothing of the essay saved."""
    job = services.import_jobs.import_job_start(job_id=job_id)
    if job is None:
        return "not queued"

    def progress(step: str) -> None:
        services.import_jobs.import_job_step(job_id=job_id, step=step)

    try:
        report = services.imports.essay_import(
            text=job.text,
            title=job.title,
            slug=job.slug,
            fallback_title=job.fallback_title,
            publish=job.publish,
            progress=progress,
        )
    except EssayError as error:
        # The text changed its meaning since the form checked it (another
        # essay took the slug, say): the teacher's reason, as the form says it.
        services.import_jobs.import_job_fail(job_id=job_id, error=str(error))
        return "failed"
    except Exception:
        logger.exception("Import job %s failed", job_id)
        services.import_jobs.import_job_fail(job_id=job_id, error=FAILED)
        raise  # the task runner records it as failed, with the traceback
    services.import_jobs.import_job_done(job_id=job_id, report=report)
    return "done"
