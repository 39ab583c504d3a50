"""Importing an essay in the admin: the form checks the text in the request,
queues the import and sends the teacher to its status page, which follows it
to its summary or its error. Tasks run at once here (tests/conftest.py); the
worker itself is in tests/test_tasks.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.essays import MAX_ESSAY_BYTES
from quizzes.models import Essay, ImportJob, Question
from tests.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:quizzes_essay_import")


def status_url(job) -> str:
    return reverse("admin:quizzes_essay_import_status", args=[job.pk])


def job_of(teacher, **fields) -> ImportJob:
    values = {"text": "# T\n\nA sentence.", "name": "The Purge"} | fields
    return ImportJob.objects.create(teacher=teacher, **values)


def test_the_essay_list_links_to_the_import(teacher_client):
    response = teacher_client.get(reverse("admin:quizzes_essay_changelist"))
    assert IMPORT in response.content.decode()
    assert teacher_client.get(reverse("admin:quizzes_essay_add")).url == IMPORT


def test_importing_pasted_text_shows_its_progress_page_then_the_summary(
    teacher_client, teacher, seed_text
):
    response = teacher_client.post(IMPORT, {"title": "The Purge", "text": seed_text})

    job = ImportJob.objects.get()
    assert response.url == status_url(job)
    assert (job.teacher, job.status, job.progress) == (teacher, "done", 100)
    essay = Essay.objects.get()
    assert job.essay == essay
    assert job.text == ""  # the essay holds it now
    page = teacher_client.get(response.url).content.decode()
    created = essay.questions.count()
    assert created > 0
    assert f"{created} questions created" in page
    assert reverse("admin:quizzes_essay_change", args=[essay.pk]) in page
    assert "Import of “The Purge”" in page
    assert "hx-get" not in page  # finished: nothing more to poll
    assert set(essay.questions.values_list("status", flat=True)) == {"draft"}


def test_importing_an_uploaded_file_titles_it_from_the_name(teacher_client, seed_text):
    upload = SimpleUploadedFile("stalins_purge.txt", seed_text.encode(), "text/plain")

    response = teacher_client.post(IMPORT, {"file": upload, "publish": "on"})

    assert response.status_code == 302
    essay = Essay.objects.get()
    assert (essay.title, essay.slug) == ("Stalins Purge", "stalins-purge")
    assert set(essay.questions.values_list("status", flat=True)) == {"published"}
    assert "Stalins Purge" in teacher_client.get(response.url).content.decode()


IMPORT_ERRORS = [
    ({}, "Paste the essay&#x27;s text or upload a file."),
    ({"text": "Some text.", "upload": b"Some text."}, "not both"),
    ({"text": "   \n  "}, "The essay is empty"),
    ({"upload": b""}, "The essay is empty"),
    ({"upload": b"\x00\x01\x02binary"}, "binary file"),
    ({"upload": b"caf\xe9 au lait. It was good."}, "not UTF-8"),
    ({"upload": b"x" * (MAX_ESSAY_BYTES + 1)}, "too big"),
    ({"text": "Word. " * (MAX_ESSAY_BYTES // 5)}, "too long"),
    ({"text": "# Title\n\n12.\n\n--"}, "no sentences"),
    ({"text": "A sentence without a title."}, "Give the essay a title"),
    ({"text": "# T\n\nA sentence.", "slug": "Not a slug"}, "valid"),
]


@pytest.mark.parametrize(("fields", "message"), IMPORT_ERRORS)
def test_the_import_form_shows_why_it_cannot_import(teacher_client, fields, message):
    data = {key: value for key, value in fields.items() if key != "upload"}
    if "upload" in fields:
        data["file"] = SimpleUploadedFile("essay.txt", fields["upload"])

    response = teacher_client.post(IMPORT, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Essay.objects.count() == 0
    assert ImportJob.objects.count() == 0  # refused in the request: nothing queued


def test_importing_again_reports_kept_questions(teacher_client, seed_text):
    report = services.imports.essay_import(text=seed_text, title="The Purge")
    Question.objects.filter(pk=Question.objects.first().pk).update(
        edited_by_teacher=True
    )

    response = teacher_client.post(
        IMPORT, {"title": "The Purge", "text": seed_text}, follow=True
    )

    assert "0 questions created, 0 updated, 1 kept, 0 retired" in (
        response.content.decode()
    )
    assert Essay.objects.get().pk == report.essay_id


def test_the_import_post_needs_the_csrf_token(teacher, seed_text):
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=teacher.username, password=PASSWORD)
    data = {"title": "The Purge", "text": seed_text}

    refused = browser.post(IMPORT, data)
    browser.get(IMPORT)  # the form sets the cookie the token goes with
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(IMPORT, data | {"csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert ImportJob.objects.count() == 1


# --- the status page -------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "progress", "shown"),
    [
        ("waiting", 0, "Waiting for the worker"),
        ("parsing", 5, "Step 1 of 3:</strong> Reading the essay"),
        ("generating", 25, "Step 2 of 3:</strong> Generating questions"),
        ("saving", 75, "Step 3 of 3:</strong> Saving the essay"),
    ],
)
def test_a_running_import_shows_its_step_and_polls(
    teacher_client, teacher, step, progress, shown
):
    status = "queued" if step == "waiting" else "running"
    job = job_of(teacher, status=status, step=step, progress=progress)

    page = teacher_client.get(status_url(job)).content.decode()

    assert shown in page
    assert f'<progress class="import-progress" max="100" value="{progress}"' in page
    assert f'hx-get="{status_url(job)}?seen={job.state}"' in page
    assert "htmx" in page
    assert "<script>" not in page


def test_htmx_gets_only_the_part_it_swaps(teacher_client, teacher):
    job = job_of(teacher, status="running", step="generating", progress=25)

    part = teacher_client.get(status_url(job), headers={"HX-Request": "true"})
    page = teacher_client.get(status_url(job))

    assert part.content.decode().lstrip().startswith('<div id="import-job"')
    assert "breadcrumbs" not in part.content.decode()
    assert "breadcrumbs" in page.content.decode()
    assert "HX-Request" in part["Vary"]
    assert "HX-Request" in page["Vary"]


def test_a_failed_import_says_why_and_that_nothing_was_saved(teacher_client, teacher):
    job = job_of(teacher, status="failed", step="saving", error="Another essay <b>")

    page = teacher_client.get(status_url(job)).content.decode()

    assert 'class="errornote"' in page
    assert "Another essay &lt;b&gt;" in page
    assert "Nothing of the essay was saved." in page
    assert "hx-get" not in page


def test_an_import_is_its_teachers_own(client, teacher, student):
    job = job_of(teacher)
    other = TeacherFactory()

    client.login(username=other.username, password=PASSWORD)
    assert client.get(status_url(job)).status_code == 404
    client.login(username=student.username, password=PASSWORD)
    assert "login" in client.get(status_url(job))["Location"]  # not staff
    client.logout()
    assert "login" in client.get(status_url(job))["Location"]


def test_the_import_page_lists_the_teachers_latest_imports(teacher_client, teacher):
    own = job_of(teacher, name="My essay", status="done")
    theirs = job_of(TeacherFactory(), name="Their essay")

    page = teacher_client.get(IMPORT).content.decode()

    assert "My essay" in page
    assert status_url(own) in page
    assert "Their essay" not in page
    assert status_url(theirs) not in page


def test_the_status_page_reads_a_fixed_number_of_queries(
    teacher_client, teacher, django_assert_max_num_queries
):
    job = job_of(teacher, status="done", summary="Imported.")
    teacher_client.get(status_url(job))  # the session, the permissions cached

    with django_assert_max_num_queries(6):
        teacher_client.get(status_url(job))


def test_a_poll_with_nothing_new_answers_204_and_a_change_swaps_the_part(
    teacher_client, teacher
):
    job = job_of(teacher, status="running", step="parsing", progress=5)
    page = teacher_client.get(status_url(job)).content.decode()
    assert f"?seen={job.state}" in page
    htmx = {"HX-Request": "true"}

    same = teacher_client.get(status_url(job), {"seen": job.state}, headers=htmx)
    assert (same.status_code, same.content) == (204, b"")
    services.import_jobs.import_job_step(job_id=job.pk, step="generating")
    job.refresh_from_db()
    moved = teacher_client.get(
        status_url(job), {"seen": "running-parsing-0"}, headers=htmx
    )
    assert moved.status_code == 200
    assert "Step 2 of 3" in moved.content.decode()
    assert f"?seen={job.state}" in moved.content.decode()


@pytest.mark.parametrize(
    ("status", "step", "said", "polls"),
    [
        ("running", "generating", "stopped during “Generating questions”", False),
        ("queued", "waiting", "waited more than ten minutes", True),
    ],
)
def test_a_job_its_worker_lost_says_so_instead_of_running_for_ever(
    teacher_client, teacher, status, step, said, polls
):
    from datetime import timedelta

    from django.utils import timezone

    job = job_of(teacher, status=status, step=step)
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - timedelta(minutes=11)
    )

    page = teacher_client.get(status_url(job)).content.decode()
    recent = teacher_client.get(IMPORT).content.decode()

    assert said in page
    assert "Nothing of the essay was saved" in page
    assert ("hx-get" in page) is polls  # a waiting job still starts with a worker
    assert "Stopped (import again)" in recent


def test_a_job_that_moves_is_not_stalled(teacher):
    from datetime import timedelta

    from django.utils import timezone

    job = job_of(teacher, status="queued")
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - timedelta(minutes=11)
    )
    services.import_jobs.import_job_start(job_id=job.pk)
    services.import_jobs.import_job_step(job_id=job.pk, step="parsing")
    job.refresh_from_db()
    assert not job.stalled()
    assert job.stalled(now=timezone.now() + timedelta(minutes=11))
