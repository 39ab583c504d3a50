"""The Teach area's class pages as a teacher sees them: their classes, a
class's roster and settings, the projector code, the roster import and the
logins shown once."""

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quizzes import rosters
from quizzes.models import Classroom
from tests.factories import ClassroomFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
ROSTER = (
    "username;First Name;Last Name;Email\n"
    "asmith;Alice;Smith;alice@example.org\n"
    "bjones;Ben;Jones;\n"
    "cwong;=Chen;Wong;\n"
)


def students(count: int) -> list:
    """Students who never log in here: made without hashing a password each."""
    first = User.objects.count()
    return User.objects.bulk_create(
        User(username=f"pupil{first + n}", first_name="Pupil", last_name=f"{n:03}")
        for n in range(count)
    )


def upload(client, classroom, text: str | bytes, name="roster.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("teach_roster_import", args=[classroom.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="10B History")


# --- navigation and the Teach home ---------------------------------------------


def test_the_nav_links_teachers_to_their_classes(teacher_client):
    page = text(teacher_client.get(reverse("home")))
    assert f'href="{reverse("teach_classes")}">Classes</a>' in page


def test_students_see_no_classes_link(student_client):
    assert ">Classes</a>" not in text(student_client.get(reverse("home")))


def test_the_home_lists_active_classes_with_counts_and_codes_and_archived_apart(
    teacher, teacher_client
):
    active = ClassroomFactory(teacher=teacher, name="10B", students=students(2))
    ClassroomFactory(teacher=teacher, name="9C (last year)", archived=True)
    ClassroomFactory(name="Someone else's class")
    page = text(teacher_client.get(reverse("teach_classes")))
    assert "2 students" in page
    assert active.join_code in page
    assert page.index("10B") < page.index("Archived") < page.index("9C (last year)")
    assert "Someone else" not in page


def test_a_teacher_makes_a_class_and_lands_on_it(teacher, teacher_client):
    response = teacher_client.post(reverse("teach_classes"), {"name": " Year 10 "})
    classroom = Classroom.objects.get(name="Year 10")
    assert response.url == reverse("teach_class", args=[classroom.pk])
    assert list(classroom.teachers.all()) == [teacher]


def test_a_class_without_a_name_is_refused_on_the_form(teacher_client):
    response = teacher_client.post(reverse("teach_classes"), {"name": "  "})
    assert response.status_code == 422
    assert "This field is required." in text(response)
    assert not Classroom.objects.exists()


def test_names_typed_by_teachers_are_escaped(teacher, teacher_client):
    ClassroomFactory(teacher=teacher, name="<script>alert(1)</script>")
    page = text(teacher_client.get(reverse("teach_classes")))
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("count", [3, 60])
def test_the_home_runs_the_same_queries_for_any_class_size(
    teacher, teacher_client, django_assert_max_num_queries, count
):
    for _ in range(3):
        ClassroomFactory(teacher=teacher, students=students(count // 3))
    with django_assert_max_num_queries(5):
        assert teacher_client.get(reverse("teach_classes")).status_code == 200


# --- the class page ------------------------------------------------------------


def test_the_class_page_shows_the_roster_the_code_and_the_teachers(
    teacher, teacher_client, classroom
):
    alice = UserFactory(
        username="asmith", first_name="Alice", last_name="Smith", email="a@x.org"
    )
    classroom.enrolments.create(student=alice, joined_at="2026-09-03T08:00:00Z")
    page = text(teacher_client.get(reverse("teach_class", args=[classroom.pk])))
    for shown in ("Alice Smith", "asmith", "a@x.org", "3 Sep 2026", "1 student"):
        assert shown in page
    code = classroom.join_code
    assert f"{code[:4]}&#8201;{code[4:]}" in page  # large, in two groups
    assert 'aria-current="page">Students</a>' in page
    assert reverse("teach_class_code", args=[classroom.pk]) in page


@pytest.mark.parametrize("count", [3, 60])
def test_the_class_page_runs_the_same_queries_for_3_or_60_students(
    teacher_client, classroom, django_assert_max_num_queries, count
):
    for student in students(count):
        classroom.enrolments.create(student=student, joined_at="2026-09-03T08:00:00Z")
    classroom.teachers.add(TeacherFactory())
    # One of them asks which students are locked out by wrong passwords.
    with django_assert_max_num_queries(8):
        response = teacher_client.get(reverse("teach_class", args=[classroom.pk]))
    assert text(response).count("New password<") == count


def test_the_projector_shows_the_code_and_where_to_type_it(teacher_client, classroom):
    response = teacher_client.get(reverse("teach_class_code", args=[classroom.pk]))
    page = text(response)
    assert "Join the class" in page
    assert "http://testserver/" in page
    assert classroom.join_code[:4] in page
    assert classroom.join_code[4:] in page
    assert "site-header" not in page  # a page of its own, for the big screen


def test_the_projector_says_when_joining_is_closed(teacher_client, classroom):
    classroom.join_open = False
    classroom.save()
    page = text(teacher_client.get(reverse("teach_class_code", args=[classroom.pk])))
    assert "Joining is closed" in page


def test_a_new_code_replaces_the_old_one(teacher_client, classroom):
    old = classroom.join_code
    response = teacher_client.post(
        reverse("teach_code_regenerate", args=[classroom.pk]), follow=True
    )
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert f"The new code is {classroom.join_code}" in text(response)


def test_over_htmx_a_setting_swaps_just_the_code_card(teacher_client, classroom):
    response = teacher_client.post(
        reverse("teach_class_joining", args=[classroom.pk]),
        {"value": "off"},
        headers={"HX-Request": "true"},
    )
    page = text(response)
    assert page.lstrip().startswith('<article id="join"')
    assert "Joining is closed" in page
    assert "Reopen joining" in page
    assert "HX-Request" in response["Vary"]
    classroom.refresh_from_db()
    assert not classroom.join_open


def test_joining_is_reopened(teacher_client, classroom):
    classroom.join_open = False
    classroom.save()
    response = teacher_client.post(
        reverse("teach_class_joining", args=[classroom.pk]),
        {"value": "on"},
        follow=True,
    )
    assert "Joining is open" in text(response)
    classroom.refresh_from_db()
    assert classroom.join_open


def test_a_setting_without_on_or_off_is_a_bad_request(teacher_client, classroom):
    url = reverse("teach_class_joining", args=[classroom.pk])
    assert teacher_client.post(url, {"value": "maybe"}).status_code == 400


def test_a_class_is_archived_and_restored(teacher_client, classroom):
    url = reverse("teach_class_archive", args=[classroom.pk])
    page = text(teacher_client.post(url, {"value": "on"}, follow=True))
    assert "10B History is archived" in page
    assert "Restore the class" in page
    page = text(teacher_client.post(url, {"value": "off"}, follow=True))
    assert "10B History is restored" in page
    classroom.refresh_from_db()
    assert not classroom.archived


def test_a_co_teacher_is_added_by_username(teacher_client, classroom):
    colleague = TeacherFactory(username="mr_jones", first_name="Tom", last_name="Jones")
    response = teacher_client.post(
        reverse("teach_class_teachers", args=[classroom.pk]),
        {"username": "mr_jones"},
        follow=True,
    )
    assert "Tom Jones now teaches 10B History too." in text(response)
    assert colleague in classroom.teachers.all()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "No one has the username nobody."),
        ("a_student", "a_student is not a teacher, so cannot teach a class."),
        ("mrs_teacher", "mrs_teacher already teaches 10B History."),
        ("", "This field is required."),
    ],
)
def test_a_co_teacher_who_cannot_be_added_is_refused_with_why(
    teacher_client, classroom, username, message
):
    UserFactory(username="a_student")
    response = teacher_client.post(
        reverse("teach_class_teachers", args=[classroom.pk]), {"username": username}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert classroom.teachers.count() == 1


def test_a_student_is_removed_after_a_confirmation(teacher_client, classroom):
    alice = UserFactory(first_name="Alice", last_name="Smith")
    classroom.enrolments.create(student=alice, joined_at="2026-09-03T08:00:00Z")
    url = reverse("teach_student_remove", args=[classroom.pk, alice.pk])
    assert "Remove Alice Smith from 10B History?" in text(teacher_client.get(url))
    assert classroom.students.exists()  # asking removes no one
    page = text(teacher_client.post(url, follow=True))
    assert "Alice Smith is no longer in 10B History." in page
    assert not classroom.students.exists()
    assert teacher_client.post(url).status_code == 404  # not in the class any more


# --- a password reset ----------------------------------------------------------


def test_a_reset_shows_the_new_password_once(teacher_client, classroom, student):
    classroom.enrolments.create(student=student, joined_at="2026-09-03T08:00:00Z")
    response = teacher_client.post(
        reverse("teach_student_password", args=[classroom.pk, student.pk])
    )
    page = text(response)
    assert "Shown once." in page
    assert "no-store" in response["Cache-Control"]
    password = next(
        word
        for word in page.replace("<", " ").replace(">", " ").split()
        if len(word) == 10 and set(word) <= set(rosters.PASSWORD_ALPHABET)
    )
    assert authenticate(username=student.username, password=password) == student
    # Nothing keeps it: the class page does not offer it again.
    assert password not in text(
        teacher_client.get(reverse("teach_class", args=[classroom.pk]))
    )


def test_a_reset_logs_the_student_out_of_their_open_sessions(
    teacher_client, classroom, student
):
    classroom.enrolments.create(student=student, joined_at="2026-09-03T08:00:00Z")
    their_phone = Client()
    their_phone.force_login(student)
    teacher_client.post(
        reverse("teach_student_password", args=[classroom.pk, student.pk])
    )
    assert "Log in to start" in text(their_phone.get(reverse("home")))


def test_a_staff_member_enrolled_in_a_class_is_not_reset(teacher_client, classroom):
    colleague = TeacherFactory(username="mr_jones")
    classroom.enrolments.create(student=colleague, joined_at="2026-09-03T08:00:00Z")
    page = text(
        teacher_client.post(
            reverse("teach_student_password", args=[classroom.pk, colleague.pk]),
            follow=True,
        )
    )
    assert "mr_jones is a staff account" in page
    assert "Staff account" in page  # and the roster offers no reset for them


# --- the roster import ---------------------------------------------------------


def test_the_import_form_explains_the_columns(teacher_client, classroom):
    page = text(teacher_client.get(reverse("teach_roster_import", args=[classroom.pk])))
    assert "username,first name,last name,email" in page
    assert "At most 200 students" in page


def test_a_roster_with_problems_shows_every_row_and_offers_no_import(
    teacher_client, classroom
):
    UserFactory(username="taken")
    response = upload(
        teacher_client,
        classroom,
        "username,first name,last name,email\n"
        "asmith,Alice,Smith,alice@example\n"
        "taken,Tom,Taken,\n"
        "asmith,Alan,,\n"
        "fine,Fay,Fine,\n",
    )
    page = text(response)
    assert "3 of the 4 rows have problems" in page
    for problem in (
        "“alice@example” is not an email address.",
        "The username taken is taken.",
        "No last name.",
        "The username asmith is also on row 4 of the file.",
    ):
        assert problem in page
    assert reverse("teach_roster_create", args=[classroom.pk]) not in page
    assert not User.objects.filter(username__in=["asmith", "fine"]).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file."),
        ("username,first name,last name\nzoé,Zoé,Brown\n".encode("latin-1"), "UTF-8"),
        (b"asmith,Alice,Smith\n", "The first row must name the columns"),
        (b"a" * (rosters.MAX_BYTES + 10), "a roster may be at most 256 KB"),
        (
            ("username,first name,last name\n" + "x,y,z\n" * 5000).encode(),
            "import at most 200 at a time",
        ),
    ],
)
def test_a_bad_file_gets_a_message_and_writes_nothing(
    teacher_client, classroom, data, message
):
    users = User.objects.count()
    response = upload(teacher_client, classroom, data)
    assert response.status_code == 422
    assert message in text(response)
    assert User.objects.count() == users


def test_no_file_at_all_is_asked_for(teacher_client, classroom):
    response = teacher_client.post(reverse("teach_roster_import", args=[classroom.pk]))
    assert response.status_code == 422
    assert "This field is required." in text(response)


@pytest.mark.parametrize("count", [3, 60])
def test_the_preview_runs_the_same_queries_for_3_or_60_rows(
    teacher_client, classroom, django_assert_max_num_queries, count
):
    body = "".join(f"s{n},First,Last\n" for n in range(count))
    with django_assert_max_num_queries(6):
        response = upload(teacher_client, classroom, "username,first,last\n" + body)
    assert f"Make {count} accounts" in text(response)


def test_a_valid_roster_is_previewed_then_made_then_shown_once(
    teacher_client, classroom
):
    preview = text(upload(teacher_client, classroom, ROSTER))
    assert "Every row is right" in preview
    assert "Make 3 accounts" in preview
    assert not User.objects.filter(username="asmith").exists()  # not yet

    token = preview.split('name="rows" value="')[1].split('"')[0]
    create = reverse("teach_roster_create", args=[classroom.pk])
    response = teacher_client.post(create, {"rows": token})
    logins_url = reverse("teach_roster_logins", args=[classroom.pk])
    assert response.url == logins_url
    assert set(classroom.students.values_list("username", flat=True)) == {
        "asmith",
        "bjones",
        "cwong",
    }

    page = text(teacher_client.get(logins_url))
    assert "Logins for 3 new students" in page
    assert "Shown once." in page
    download = teacher_client.get(logins_url, {"format": "csv"})
    assert download["Content-Disposition"] == (
        'attachment; filename="logins-10b-history.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [r["Username"] for r in rows] == ["asmith", "bjones", "cwong"]
    assert rows[2]["First name"] == "'=Chen"  # never a formula
    for login in rows:
        assert login["Password"] in page
        assert authenticate(username=login["Username"], password=login["Password"])

    # Posting the same preview again makes nothing more: the usernames are taken.
    again = teacher_client.post(create, {"rows": token})
    assert again.status_code == 409
    assert "The username asmith is taken" in text(again)

    done = teacher_client.post(reverse("teach_roster_done", args=[classroom.pk]))
    assert done.url == reverse("teach_class", args=[classroom.pk])
    gone = teacher_client.get(logins_url, follow=True)
    assert "No logins are waiting" in text(gone)
    assert rows[0]["Password"] not in text(gone)
    csv_gone = teacher_client.get(logins_url, {"format": "csv"})
    assert csv_gone.status_code == 302
    dump = StringIO()
    call_command("dumpdata", stdout=dump)  # sessions included
    assert not any(login["Password"] in dump.getvalue() for login in rows)


def test_a_second_file_before_done_adds_to_the_waiting_logins(
    teacher_client, classroom
):
    for roster in (
        "username,first,last\nann,Ann,A\n",
        "username,first,last\nbob,Bob,B\n",
    ):
        preview = text(upload(teacher_client, classroom, roster))
        token = preview.split('name="rows" value="')[1].split('"')[0]
        teacher_client.post(
            reverse("teach_roster_create", args=[classroom.pk]), {"rows": token}
        )
    page = text(teacher_client.get(reverse("teach_roster_logins", args=[classroom.pk])))
    assert "Logins for 2 new students" in page


def test_a_preview_from_another_class_or_tampered_is_refused(
    teacher, teacher_client, classroom
):
    other = ClassroomFactory(teacher=teacher)
    preview = text(upload(teacher_client, other, ROSTER))
    token = preview.split('name="rows" value="')[1].split('"')[0]
    create = reverse("teach_roster_create", args=[classroom.pk])
    for forged in (token, token[:-2] + "xx", ""):
        response = teacher_client.post(create, {"rows": forged}, follow=True)
        assert "That preview is out of date: upload the file again." in text(response)
    assert not User.objects.filter(username="asmith").exists()
