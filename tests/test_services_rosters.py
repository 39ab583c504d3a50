"""Students made from a roster, all or none; passwords reset; co-teachers
added; students removed."""

from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone

from quizzes import services
from quizzes.models import Enrolment
from quizzes.rosters import RosterRow
from quizzes.selectors.classes import roster_checked
from quizzes.services.classes import ClassRefused
from quizzes.services.rosters import RosterRefused, roster_import
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
User = get_user_model()


def row(line, username, first="Ann", last="Lee", email="") -> RosterRow:
    return RosterRow(line, username, first, last, email)


def problems(*rows: RosterRow) -> list[list[str]]:
    return [r.problems for r in roster_checked(list(rows))]


# --- checking rows against the site ---------------------------------------------


def test_a_username_someone_has_is_taken_in_any_case():
    UserFactory(username="Asmith")
    (found,) = problems(row(2, "asmith"))
    assert found == [
        "The username asmith is taken. (A student who already has an account "
        "joins with the class code instead.)"
    ]


@pytest.mark.parametrize("username", ["j smith", "ann!", "-dash", "+plus", "@at", "=x"])
def test_a_username_django_or_a_spreadsheet_would_refuse_is_explained(username):
    (found,) = problems(row(2, username))
    assert found == [
        "A username is letters, digits and . _ @ + - (no spaces), "
        "starting with a letter or a digit."
    ]


@pytest.mark.parametrize("username", ["asmith", "a.smith", "a_smith-2", "josé", "a@b"])
def test_usernames_django_allows_pass(username):
    assert problems(row(2, username)) == [[]]


def test_a_bad_email_is_named():
    (found,) = problems(row(2, "asmith", email="ann@example"))
    assert found == ["“ann@example” is not an email address."]


def test_the_site_check_runs_the_files_own_checks_too():
    found = problems(row(2, "asmith", first=""), row(3, "ASMITH"))
    assert found == [
        ["No first name.", "The username asmith is also on row 3 of the file."],
        ["The username ASMITH is also on row 2 of the file."],
    ]


def test_sixty_usernames_are_checked_in_one_query(django_assert_num_queries):
    rows = [row(n, f"student_{n}") for n in range(60)]
    with django_assert_num_queries(1):
        roster_checked(rows)


# --- the import ----------------------------------------------------------------


def test_the_import_makes_enrolled_accounts_that_log_in_with_their_password(teacher):
    classroom = ClassroomFactory(teacher=teacher)
    logins = roster_import(
        classroom=classroom,
        rows=[row(2, "asmith", "Alice", "Smith", "a@example.org"), row(3, "bjones")],
        now=NOW,
    )
    assert [(x["username"], x["first_name"], x["last_name"]) for x in logins] == [
        ("asmith", "Alice", "Smith"),
        ("bjones", "Ann", "Lee"),
    ]
    alice = User.objects.get(username="asmith")
    assert (alice.get_full_name(), alice.email, alice.is_staff) == (
        "Alice Smith",
        "a@example.org",
        False,
    )
    assert set(classroom.students.values_list("username", flat=True)) == {
        "asmith",
        "bjones",
    }
    assert Enrolment.objects.get(student=alice).joined_at == NOW
    assert authenticate(username="asmith", password=logins[0]["password"]) == alice
    assert authenticate(username="bjones", password=logins[0]["password"]) is None


def test_a_generated_password_is_hashed_lightly_then_at_full_strength_on_login(
    settings,
):
    # The production hashers (the tests' own conftest hashes fast).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    classroom = ClassroomFactory()
    (login,) = roster_import(classroom=classroom, rows=[row(2, "asmith")], now=NOW)
    stored = User.objects.get(username="asmith").password
    assert stored.startswith("pbkdf2_sha256$10000$")
    assert login["password"] not in stored
    authenticate(username="asmith", password=login["password"])
    upgraded = User.objects.get(username="asmith").password
    assert upgraded.startswith("pbkdf2_sha256$1000000$")


def test_one_bad_row_and_nothing_is_made():
    UserFactory(username="taken")
    classroom = ClassroomFactory()
    with pytest.raises(RosterRefused) as refused:
        roster_import(
            classroom=classroom,
            rows=[row(2, "asmith"), row(3, "taken"), row(4, "bjones")],
            now=NOW,
        )
    assert [r.problems != [] for r in refused.value.rows] == [False, True, False]
    assert not User.objects.filter(username__in=["asmith", "bjones"]).exists()
    assert not classroom.enrolments.exists()


def test_a_username_taken_between_the_check_and_the_insert_rolls_everything_back():
    classroom = ClassroomFactory()
    UserFactory(username="late")
    # The check saw the site as it was a moment before the other account.
    with (
        mock.patch(
            "quizzes.services.rosters.roster_checked", side_effect=lambda rows: rows
        ),
        pytest.raises(RosterRefused, match="was taken a moment ago"),
    ):
        roster_import(
            classroom=classroom, rows=[row(2, "first"), row(3, "late")], now=NOW
        )
    assert not User.objects.filter(username="first").exists()
    assert not classroom.enrolments.exists()


def test_an_empty_roster_is_refused():
    with pytest.raises(RosterRefused, match="lists no students"):
        roster_import(classroom=ClassroomFactory(), rows=[], now=NOW)


def test_the_clear_passwords_are_stored_nowhere(teacher):
    logins = roster_import(
        classroom=ClassroomFactory(teacher=teacher),
        rows=[row(2, "asmith"), row(3, "bjones")],
        now=NOW,
    )
    out = StringIO()
    call_command("dumpdata", stdout=out)
    for login in logins:
        assert login["password"] not in out.getvalue()


# --- a password reset ----------------------------------------------------------


def test_a_reset_password_replaces_the_old_one(student):
    classroom = ClassroomFactory(students=[student])
    password = services.rosters.student_password_reset(
        classroom=classroom, student=student
    )
    assert authenticate(username=student.username, password=password) == student
    assert (
        authenticate(username=student.username, password="correct-horse-battery")
        is None
    )


def test_staff_are_never_reset_from_a_class():
    colleague = TeacherFactory()
    classroom = ClassroomFactory()
    Enrolment.objects.create(classroom=classroom, student=colleague, joined_at=NOW)
    before = User.objects.get(pk=colleague.pk).password
    with pytest.raises(ClassRefused, match="is a staff account"):
        services.rosters.student_password_reset(classroom=classroom, student=colleague)
    assert User.objects.get(pk=colleague.pk).password == before


def test_only_a_student_of_the_class_is_reset(student):
    with pytest.raises(ClassRefused, match="is not in"):
        services.rosters.student_password_reset(
            classroom=ClassroomFactory(), student=student
        )


# --- co-teachers and removals (services.classes) --------------------------------


def test_a_co_teacher_is_added_once(teacher):
    classroom = ClassroomFactory(teacher=teacher)
    colleague = TeacherFactory()
    services.classes.classroom_teacher_add(classroom=classroom, teacher=colleague)
    assert set(classroom.teachers.all()) == {teacher, colleague}
    with pytest.raises(ClassRefused, match="already teaches"):
        services.classes.classroom_teacher_add(classroom=classroom, teacher=colleague)


def test_a_student_of_the_class_is_not_made_its_teacher(student):
    classroom = ClassroomFactory(students=[student])
    with pytest.raises(ClassRefused, match="is a student of"):
        services.classes.classroom_teacher_add(classroom=classroom, teacher=student)


def test_a_removed_student_keeps_their_account(student):
    classroom = ClassroomFactory(students=[student])
    services.classes.classroom_student_remove(classroom=classroom, student=student)
    assert not classroom.students.exists()
    assert User.objects.filter(pk=student.pk).exists()
    with pytest.raises(ClassRefused, match="is not in"):
        services.classes.classroom_student_remove(classroom=classroom, student=student)
