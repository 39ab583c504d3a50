import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from quizzes.essays import MAX_ESSAY_BYTES
from quizzes.models import (
    Attempt,
    Claim,
    Classroom,
    Essay,
    Question,
    Quiz,
    Review,
    Section,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def run(*args, verbosity=1) -> str:
    out = StringIO()
    call_command(*args, verbosity=verbosity, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def essay_file(tmp_path, seed_text) -> Path:
    path = tmp_path / "great_purge.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


def test_import_essay_imports_the_file_and_reports_what_it_did(essay_file):
    output = run("import_essay", str(essay_file))

    essay = Essay.objects.get()
    # No "# Title" line in the seed: the title comes from the file's name.
    assert (essay.title, essay.slug) == ("Great Purge", "great-purge")
    created = Question.objects.filter(essay=essay).count()
    assert created > 0
    assert f"{created} questions created, 0 updated, 0 kept, 0 retired" in output


def test_import_essay_again_creates_nothing(essay_file):
    run("import_essay", str(essay_file))
    before = Question.objects.count()

    output = run("import_essay", str(essay_file))

    assert "0 questions created, 0 updated, 0 kept, 0 retired" in output
    assert Question.objects.count() == before
    assert Essay.objects.count() == 1


def test_import_essay_options(essay_file):
    run(
        "import_essay", str(essay_file), "--title", "Causes", "--slug", "c", "--publish"
    )

    essay = Essay.objects.get()
    assert (essay.title, essay.slug) == ("Causes", "c")
    assert set(essay.questions.values_list("status", flat=True)) == {"published"}


def test_import_essay_publish_again_keeps_the_teachers_quiz(essay_file):
    run("import_essay", str(essay_file), "--publish")
    quiz = Quiz.objects.get()
    quiz.items.order_by("order").first().delete()
    quiz.is_published = False
    quiz.save()
    items = list(quiz.items.values_list("question_id", flat=True))

    output = run("import_essay", str(essay_file), "--publish")

    quiz.refresh_from_db()
    assert not quiz.is_published
    assert list(quiz.items.values_list("question_id", flat=True)) == items
    assert "Quiz “Great Purge: all sections” left as it was." in output


def test_import_essay_dry_run_saves_nothing(essay_file):
    output = run("import_essay", str(essay_file), "--dry-run")

    assert "Would import" in output
    assert "nothing was saved" in output
    assert Essay.objects.count() == Question.objects.count() == 0


def test_import_essay_output_follows_verbosity(essay_file):
    assert run("import_essay", str(essay_file), verbosity=0) == ""
    assert "claims removed" in run("import_essay", str(essay_file), verbosity=2)


BAD_FILES = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\n\t  \n", "empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "latin-1": (b"caf\xe9 au lait. The caf\xe9 was full.", "UTF-8"),
    "too big": (b"A sentence that goes on. " * (MAX_ESSAY_BYTES // 20), "too long"),
    "no sentence": (b"# Title\n\n12.\n\n-- 3 --\n", "no sentences"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_import_essay_refuses_bad_files_with_one_line(tmp_path, name):
    data, reason = BAD_FILES[name]
    path = tmp_path / "essay.txt"
    path.write_bytes(data)

    with pytest.raises(CommandError) as error:
        run("import_essay", str(path))

    message = str(error.value)
    assert reason in message
    assert "\n" not in message
    assert Essay.objects.count() == 0


def test_import_essay_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="No such file") as error:
        run("import_essay", str(tmp_path / "missing.txt"))
    assert "\n" not in str(error.value)
    assert Essay.objects.count() == 0


def test_import_essay_exits_non_zero_with_one_stderr_line(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_bytes(b"caf\xe9 au lait.")
    # A database of its own, never the developer's.
    env = os.environ | {"SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    env.pop("DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "import_essay", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not UTF-8" in lines[0]


def _counts() -> tuple[int, ...]:
    return (
        Essay.objects.count(),
        Section.objects.count(),
        Claim.objects.count(),
        Question.objects.count(),
        get_user_model().objects.count(),
        Classroom.objects.count(),
        Attempt.objects.count(),
        Review.objects.count(),
    )


def test_seed_demo_twice_makes_the_same_demo(client):
    first_output = run("seed_demo")
    first = _counts()
    run("seed_demo")

    assert _counts() == first
    essay = Essay.objects.get()
    assert (essay.title, essay.slug) == (
        "The Causes of Stalin's Great Purge",
        "great-purge",
    )
    assert essay.questions.published().exists()
    quiz = essay.quizzes.get()
    assert quiz.is_published
    # One question per claim at most, and the essay-wide matching one.
    assert 8 <= quiz.items.count() < essay.questions.published().count()
    teacher = get_user_model().objects.get(username="teacher")
    assert teacher.is_staff
    assert not teacher.is_superuser
    assert teacher.groups.filter(name="Teachers").exists()
    for username in ["teacher", "student1", "student2", "student3"]:
        assert username in first_output
        assert client.login(username=username, password=settings.DEMO_PASSWORD)
    students = get_user_model().objects.filter(username__startswith="student")
    assert not students.filter(is_staff=True).exists()


def test_seed_demo_gives_the_teacher_a_class_with_work_and_history():
    run("seed_demo")

    classroom = Classroom.objects.get(name="Demo class")
    assert [t.username for t in classroom.teachers.all()] == ["teacher"]
    students = sorted(s.username for s in classroom.students.all())
    assert students == ["student1", "student2", "student3"]
    goal, quiz_work = classroom.assignments.order_by("kind")
    assert quiz_work.quiz.is_published
    assert (goal.kind, goal.target_recall) == ("cards", 0.85)
    # Two finished attempts at the assignment (the third student has not
    # started) and days of reviews behind two students' decks.
    finished = Attempt.objects.filter(assignment=quiz_work, finished_at__isnull=False)
    assert sorted(finished.values_list("student__username", flat=True)) == [
        "student1",
        "student2",
    ]
    days = Review.objects.dates("reviewed_at", "day")
    assert len(days) >= 7
    assert Review.objects.filter(card__student__username="student3").count() == 0


def test_seed_demo_uses_the_configured_password(settings, client):
    settings.DEMO_PASSWORD = "another-demo-secret"

    output = run("seed_demo")

    assert "another-demo-secret" in output
    assert client.login(username="student2", password="another-demo-secret")


def test_seed_demo_keeps_an_essay_already_imported(seed_text):
    run("seed_demo")
    essay = Essay.objects.get()
    essay.title = "Renamed by a teacher"
    essay.save()

    output = run("seed_demo")

    assert "already imported" in output
    essay.refresh_from_db()
    assert essay.title == "Renamed by a teacher"


def test_migrations_make_no_demo_users():
    assert not get_user_model().objects.exists()
