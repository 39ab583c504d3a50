"""The work that leaves the request (quizzes/tasks.py): an admin import run
by the real database worker, its steps as it goes, and its failures, which
save nothing but the job's error."""

import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from quizzes import tasks
from quizzes.essays import EssayError
from quizzes.models import Claim, Essay, ImportJob, Question, Section
from quizzes.services import import_jobs

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:quizzes_essay_import")


@pytest.fixture
def database_backend(settings, monkeypatch):
    """The backend `make run` and `make serve` use, and the pytest process's
    signal handlers back as they were after the worker set its own.

    A worker process has a connection of its own, which it checks each time
    it wakes (close_old_connections). Here it shares the test's connection,
    inside the test's transaction, which that check would close (with
    CONN_HEALTH_CHECKS on PostgreSQL): the test keeps it open instead.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


def run_worker() -> None:
    """`manage.py db_worker --batch`: every task waiting, then it stops."""
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0
    )


def test_the_worker_runs_an_import_queued_from_the_admin(
    database_backend, teacher_client, seed_text
):
    response = teacher_client.post(IMPORT, {"title": "The Purge", "text": seed_text})

    job = ImportJob.objects.get()
    task = DBTaskResult.objects.get()
    assert (job.status, job.progress, str(task.id)) == ("queued", 0, job.task_id)
    assert Essay.objects.count() == 0  # nothing imported inside the request
    waiting = teacher_client.get(response.url).content.decode()
    assert "Waiting for the worker" in waiting
    assert "hx-get" in waiting

    run_worker()

    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.step, job.progress) == ("done", "finished", 100)
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    essay = Essay.objects.get()
    done = teacher_client.get(response.url).content.decode()
    assert f"{essay.questions.count()} questions created" in done
    assert reverse("admin:quizzes_essay_change", args=[essay.pk]) in done
    assert "hx-get" not in done


def test_a_failure_inside_the_transaction_saves_nothing_but_the_error(
    database_backend, teacher, seed_text, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug while saving questions")

    # After the essay, its sections and claims are written, in the transaction.
    monkeypatch.setattr("quizzes.services.imports._questions_sync", broken)
    job = import_jobs.import_job_create(teacher=teacher, text=seed_text, title="T")

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.error, job.text) == ("failed", tasks.FAILED, "")
    assert job.step == "saving"  # where it stopped
    for model in (Essay, Section, Claim, Question):
        assert model.objects.count() == 0
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert task.exception_class_path == "builtins.RuntimeError"
    assert "a bug while saving questions" in task.traceback


def test_a_refusal_found_by_the_import_is_the_teachers_message(
    teacher, seed_text, monkeypatch
):
    def refuse(parsed):
        raise EssayError("This text gives no question.")

    monkeypatch.setattr("quizzes.services.imports.generation.generate", refuse)

    job = import_jobs.import_job_create(teacher=teacher, text=seed_text, title="T")

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "This text gives no question.")
    assert Essay.objects.count() == 0


def test_the_progress_moves_step_by_step(teacher, seed_text, monkeypatch):
    seen = []
    record = import_jobs.import_job_step

    def recorded(*, job_id, step):
        record(job_id=job_id, step=step)
        job = ImportJob.objects.get(pk=job_id)
        seen.append((job.status, job.step, job.progress))

    monkeypatch.setattr(import_jobs, "import_job_step", recorded)

    job = import_jobs.import_job_create(teacher=teacher, text=seed_text, title="T")

    job.refresh_from_db()
    assert seen == [
        ("running", "parsing", 5),
        ("running", "generating", 25),
        ("running", "saving", 75),
    ]
    assert (job.status, job.progress) == ("done", 100)


def test_a_job_runs_once(teacher, seed_text):
    job = import_jobs.import_job_create(teacher=teacher, text=seed_text, title="T")
    questions = Question.objects.count()

    assert tasks.essay_import_run.call(job.pk) == "not queued"
    assert tasks.essay_import_run.call(job.pk + 1) == "not queued"  # no such job
    assert Question.objects.count() == questions
