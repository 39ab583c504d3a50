"""The review queue: a teacher goes through an essay's drafts one at a time
(publish, retire, edit in place, skip, back), undoes, and publishes the drafts
without warnings in one step; students and visitors never get in."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from quizzes.selectors.attempts import quiz_questions_shown
from tests.factories import (
    AcceptedAnswerFactory,
    ChoiceFactory,
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    TeacherFactory,
    quiz_with,
    true_false_question,
)

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED, RETIRED = (
    Question.Status.DRAFT,
    Question.Status.PUBLISHED,
    Question.Status.RETIRED,
)
BODY = (
    "Causes: The first claim is here. The <b>second</b> claim follows.\n\n"
    "Results: A third claim ends it."
)


def essay_with_drafts(count: int = 4, *, warn_every: int = 2):
    """An essay whose claims each have a single-choice draft; every
    ``warn_every``-th one carries a generator warning."""
    essay = EssayFactory(body=BODY)
    section = SectionFactory(essay=essay, order=0, heading="Causes", start=0, end=65)
    claims = [
        ClaimFactory(section=section, essay=essay, order=0, start=8, end=32),
        ClaimFactory(section=section, essay=essay, order=1, start=33, end=65),
    ]
    questions = []
    for n in range(count):
        question = QuestionFactory(
            essay=essay,
            claim=claims[n % 2],
            status=DRAFT,
            origin=Question.Origin.GENERATED,
            prompt=f"Draft {n}: which <i>one</i>?",
            warnings=["starts with a pronoun"] if n % warn_every == 0 else [],
        )
        ChoiceFactory(question=question, text=f"Right {n}", is_correct=True, order=0)
        ChoiceFactory(question=question, text=f"Wrong {n}", order=1)
        questions.append(question)
    return essay, sorted(questions, key=lambda q: (q.claim.order, q.pk))


def queue_url(essay, at=None, **more):
    url = reverse("teach_review", kwargs={"essay": essay.pk})
    query = {"at": at} if at else {}
    query |= more
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def decide(client, essay, question, decision, **headers):
    url = reverse(
        "teach_review_decide", kwargs={"essay": essay.pk, "question": question.pk}
    )
    return client.post(url, {"decision": decision}, **headers)


def undo(client, essay, step):
    url = reverse("teach_review_undo", kwargs={"essay": essay.pk})
    return client.post(url, {"step": step}, HTTP_HX_REQUEST="true")


def status_of(question) -> str:
    question.refresh_from_db()
    return question.status


def test_the_queue_shows_the_first_draft_with_its_passage_and_warnings(
    teacher_client,
):
    essay, questions = essay_with_drafts()
    response = teacher_client.get(queue_url(essay))
    assert response.status_code == 200
    page = response.content.decode()
    first = questions[0]
    assert f'data-question="{first.pk}"' in page
    assert "4</strong> of 4 left" in page
    # Typed text is escaped; only the passage's <mark> is markup.
    assert "which &lt;i&gt;one&lt;/i&gt;?" in page
    assert "<mark>The first claim is here.</mark>" in page
    assert "The &lt;b&gt;second&lt;/b&gt; claim follows." in page
    assert "starts with a pronoun" in page
    assert "Right 0" in page
    assert "(correct)" in page
    assert "Publish all 2 without warnings" in page


def test_publishing_moves_to_the_next_draft_and_undo_puts_it_back(teacher_client):
    essay, questions = essay_with_drafts()
    first, second = questions[0], questions[1]
    response = decide(teacher_client, essay, first, "publish", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert status_of(first) == PUBLISHED
    page = response.content.decode()
    assert f'data-question="{second.pk}"' in page
    assert "3</strong> of 4 left" in page
    assert response["HX-Replace-Url"] == queue_url(essay, second.pk)
    assert "<html" not in page  # the area only

    response = undo(teacher_client, essay, step=1)
    assert response.status_code == 200
    assert status_of(first) == DRAFT
    assert f'data-question="{first.pk}"' in response.content.decode()
    # Pressed again, the same undo undoes nothing more.
    assert undo(teacher_client, essay, step=1).status_code == 409


def test_undo_walks_back_step_by_step(teacher_client):
    essay, questions = essay_with_drafts()
    decide(teacher_client, essay, questions[0], "publish")
    decide(teacher_client, essay, questions[1], "retire")
    assert [status_of(q) for q in questions[:2]] == [PUBLISHED, RETIRED]
    undo(teacher_client, essay, step=2)
    assert [status_of(q) for q in questions[:2]] == [PUBLISHED, DRAFT]
    undo(teacher_client, essay, step=1)
    assert [status_of(q) for q in questions[:2]] == [DRAFT, DRAFT]
    assert undo(teacher_client, essay, step=0).status_code == 409


def test_undo_leaves_alone_a_question_changed_since(teacher_client):
    essay, questions = essay_with_drafts()
    decide(teacher_client, essay, questions[0], "publish")
    Question.objects.filter(pk=questions[0].pk).update(status=RETIRED)
    response = undo(teacher_client, essay, step=1)
    assert "changed since" in response.content.decode()
    assert status_of(questions[0]) == RETIRED


def test_without_htmx_a_decision_redirects_to_the_next_draft(teacher_client):
    essay, questions = essay_with_drafts()
    response = decide(teacher_client, essay, questions[0], "retire")
    assert response.status_code == 302
    assert response["Location"] == queue_url(essay, questions[1].pk)
    page = teacher_client.get(response["Location"]).content.decode()
    assert "Retired: “Draft 0" in page
    assert "Undo retired" in page


def test_a_decision_needs_a_known_decision(teacher_client):
    essay, questions = essay_with_drafts()
    response = decide(teacher_client, essay, questions[0], "delete")
    assert response.status_code == 400
    assert status_of(questions[0]) == DRAFT


def test_skip_and_back_lead_through_the_drafts_and_wrap(teacher_client):
    essay, questions = essay_with_drafts(3)
    last = questions[-1]
    decide(teacher_client, essay, questions[1], "publish")
    page = teacher_client.get(queue_url(essay, questions[0].pk)).content.decode()
    # Skip passes over the published one; back from the last shows it.
    assert f'href="{queue_url(essay)}?at={last.pk}" data-key="j"' in page
    page = teacher_client.get(queue_url(essay, last.pk)).content.decode()
    assert f'href="{queue_url(essay)}?at={questions[1].pk}" data-key="k"' in page
    assert f'href="{queue_url(essay)}?at={questions[0].pk}" data-key="j"' in page
    page = teacher_client.get(queue_url(essay, questions[1].pk)).content.decode()
    assert "Back to draft" in page
    assert "rq-status-published" in page


def test_when_no_draft_is_left_the_queue_says_so(teacher_client):
    essay, questions = essay_with_drafts(1)
    response = decide(teacher_client, essay, questions[0], "publish")
    assert response.status_code == 302
    page = teacher_client.get(response["Location"]).content.decode()
    assert "No draft left" in page
    assert "0</strong> of 1 left" in page


def test_an_edit_in_place_is_saved_and_undone(teacher_client):
    essay, questions = essay_with_drafts()
    question = questions[0]
    url = reverse(
        "teach_review_edit", kwargs={"essay": essay.pk, "question": question.pk}
    )
    form = teacher_client.get(queue_url(essay, question.pk, edit=1)).content.decode()
    assert 'name="choice_1"' in form
    assert 'name="correct_0"' in form
    data = {
        "prompt": "Which is right, really?",
        "explanation": "Now explained.",
        "choice_0": "Right, edited",
        "choice_1": "Wrong 0",
        "correct_0": "on",
    }
    response = teacher_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    question.refresh_from_db()
    assert (question.prompt, question.explanation) == (data["prompt"], "Now explained.")
    assert question.edited_by_teacher
    assert question.version == 2
    assert question.choices.get(order=0).text == "Right, edited"
    assert question.status == DRAFT  # an edit decides nothing

    undo(teacher_client, essay, step=1)
    question.refresh_from_db()
    assert question.prompt == "Draft 0: which <i>one</i>?"
    assert question.choices.get(order=0).text == "Right 0"
    assert not question.edited_by_teacher
    assert question.version == 3  # what students saw as version 2 stays apart


def test_an_edit_that_breaks_the_question_is_refused_with_the_reason(
    teacher_client,
):
    essay, questions = essay_with_drafts()
    question = questions[0]
    url = reverse(
        "teach_review_edit", kwargs={"essay": essay.pk, "question": question.pk}
    )
    data = {"prompt": "Still fine?", "choice_0": "A", "choice_1": "B"}
    response = teacher_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "needs exactly one correct choice" in response.content.decode()
    question.refresh_from_db()
    assert question.prompt.startswith("Draft 0")
    assert question.version == 1


def test_a_true_false_and_a_cloze_are_edited_with_their_parts(teacher_client):
    essay, _ = essay_with_drafts(1)
    statement = true_false_question(essay=essay, status=DRAFT, is_true=True)
    cloze = QuestionFactory(
        essay=essay, kind=Question.Kind.CLOZE, status=DRAFT, prompt="It was _____."
    )
    AcceptedAnswerFactory(question=cloze, text="Kirov")
    edit = "teach_review_edit"
    teacher_client.post(
        reverse(edit, kwargs={"essay": essay.pk, "question": statement.pk}),
        {"prompt": statement.prompt, "explanation": "", "is_true": "false"},
    )
    teacher_client.post(
        reverse(edit, kwargs={"essay": essay.pk, "question": cloze.pk}),
        {"prompt": "It was _____.", "explanation": "", "accepted": "Kirov\nS. Kirov"},
    )
    statement.refresh_from_db()
    assert statement.is_true is False
    assert sorted(cloze.accepted_answers.values_list("text", flat=True)) == [
        "Kirov",
        "S. Kirov",
    ]


def test_publish_all_without_warnings_confirms_the_count_then_publishes(
    teacher_client,
):
    essay, questions = essay_with_drafts(4)
    url = reverse("teach_review_publish_clean", kwargs={"essay": essay.pk})
    page = teacher_client.get(url).content.decode()
    assert "Publish 2 drafts?" in page
    assert [status_of(q) for q in questions] == [DRAFT] * 4  # a GET writes nothing

    # A count that no longer holds is asked again.
    assert teacher_client.post(url, {"count": 3}).status_code == 409
    response = teacher_client.post(url, {"count": 2})
    assert response.status_code == 302
    expected = [DRAFT if q.warnings else PUBLISHED for q in questions]
    assert DRAFT in expected
    assert PUBLISHED in expected
    assert [status_of(q) for q in questions] == expected

    # One undo takes the whole step back.
    undo(teacher_client, essay, step=1)
    assert [status_of(q) for q in questions] == [DRAFT] * 4


def test_a_decision_is_what_quizzes_and_flashcards_read(teacher_client):
    """A decision is a status change like the admin's: a quiz shows its
    published questions, so one retired here leaves it and one published
    joins it (and the deck), undone alike."""
    essay, questions = essay_with_drafts(2)
    Question.objects.filter(pk=questions[0].pk).update(status=PUBLISHED)
    quiz = quiz_with(questions)

    def shown():
        return [q["question_id"] for q in quiz_questions_shown(quiz, seed=1)]

    assert shown() == [questions[0].pk]
    decide(teacher_client, essay, questions[1], "publish")
    assert shown() == [questions[0].pk, questions[1].pk]
    decide(teacher_client, essay, questions[0], "retire")
    assert shown() == [questions[1].pk]
    undo(teacher_client, essay, step=2)
    assert shown() == [questions[0].pk, questions[1].pk]
    assert list(Question.objects.published().for_essay(essay)) == questions


def test_another_essays_question_is_not_found(teacher_client):
    essay, _ = essay_with_drafts(1)
    other, theirs = essay_with_drafts(1)
    assert teacher_client.get(queue_url(essay, theirs[0].pk)).status_code == 404
    assert teacher_client.get(queue_url(essay) + "?at=x").status_code == 404
    assert decide(teacher_client, essay, theirs[0], "publish").status_code == 404
    assert status_of(theirs[0]) == DRAFT


@pytest.mark.parametrize("who", ["student", "visitor"])
def test_students_and_visitors_do_not_get_in(client, student, who):
    essay, questions = essay_with_drafts(1)
    if who == "student":
        client.force_login(student)
    expected = 404 if who == "student" else 403
    assert client.get(queue_url(essay)).status_code == expected
    assert decide(client, essay, questions[0], "publish").status_code == expected
    assert status_of(questions[0]) == DRAFT


def test_a_staff_member_without_the_right_to_change_questions_is_refused(client):
    teacher = TeacherFactory()
    teacher.groups.clear()
    teacher.user_permissions.add(Permission.objects.get(codename="view_classroom"))
    client.force_login(teacher)
    essay, _ = essay_with_drafts(1)
    assert client.get(queue_url(essay)).status_code == 404


@pytest.mark.parametrize("how", ["given", "group", "superuser"])
def test_the_right_to_change_questions_lets_in_however_it_is_held(client, how):
    """The one-query check (selectors.review.essay_to_review) says what
    has_perm says."""
    from django.contrib.auth.models import Group

    teacher = TeacherFactory()
    teacher.groups.clear()
    teacher.user_permissions.add(Permission.objects.get(codename="view_classroom"))
    right = Permission.objects.get(codename="change_question")
    if how == "given":
        teacher.user_permissions.add(right)
    elif how == "group":
        reviewers = Group.objects.create(name="Reviewers")
        reviewers.permissions.add(right)
        teacher.groups.add(reviewers)
    else:
        teacher.is_superuser = True
        teacher.save()
    client.force_login(teacher)
    essay, _ = essay_with_drafts(1)
    assert client.get(queue_url(essay)).status_code == 200
    assert (
        client.get(reverse("teach_review", args=[essay.pk + 1000])).status_code == 404
    )
    assert client.get(f"/teach/review/{2**64}/").status_code == 404


def test_every_post_needs_the_csrf_token(teacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    essay, questions = essay_with_drafts(1)
    assert decide(client, essay, questions[0], "publish").status_code == 403
    assert status_of(questions[0]) == DRAFT


def test_the_essay_list_counts_drafts_and_warnings(teacher_client):
    essay, _ = essay_with_drafts(4)
    page = teacher_client.get(reverse("teach_review_essays")).content.decode()
    assert reverse("teach_review", kwargs={"essay": essay.pk}) in page
    assert '<td class="num">4</td>\n        <td class="num">2</td>' in page


@pytest.mark.parametrize("count", [2, 40])
def test_the_queue_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries, count
):
    essay, questions = essay_with_drafts(count)
    decide(teacher_client, essay, questions[0], "publish")
    # Session, user, the right to teach, the essay with the right to review,
    # the queue's order, the question with its parts.
    with django_assert_max_num_queries(6):
        assert teacher_client.get(queue_url(essay, questions[1].pk)).status_code == 200
    # The write's savepoints and the session's save count too.
    with django_assert_max_num_queries(20):
        response = decide(
            teacher_client, essay, questions[1], "retire", HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert teacher_client.get(reverse("teach_review_essays")).status_code == 200
    with django_assert_max_num_queries(20):
        assert undo(teacher_client, essay, step=2).status_code == 200
    with django_assert_max_num_queries(6):
        edit = queue_url(essay, questions[1].pk, edit=1)
        assert teacher_client.get(edit).status_code == 200
    with django_assert_max_num_queries(8):
        publish = reverse("teach_review_publish_clean", kwargs={"essay": essay.pk})
        assert teacher_client.get(publish).status_code == 200


def test_the_admin_question_list_shows_warnings_and_filters_on_them(teacher_client):
    essay, questions = essay_with_drafts(2)
    Question.objects.filter(pk=questions[0].pk).update(
        warnings=["blank is the essay's <topic>", "few distractors"]
    )
    changelist = reverse("admin:quizzes_question_changelist")
    page = teacher_client.get(changelist).content.decode()
    assert "2: blank is the essay&#x27;s &lt;topic&gt; (+1 more)" in page
    with_warnings = teacher_client.get(changelist + "?warnings=yes")
    assert [q.pk for q in with_warnings.context["cl"].result_list] == [questions[0].pk]
    without = teacher_client.get(changelist + "?warnings=no")
    assert [q.pk for q in without.context["cl"].result_list] == [questions[1].pk]
    # The list links to the review queue of the essay it is filtered on.
    filtered = teacher_client.get(changelist + f"?essay__id__exact={essay.pk}")
    assert queue_url(essay) in filtered.content.decode()
    assert reverse("teach_review_essays") in page


def test_teachers_find_the_queue_from_their_classes_and_the_essay(teacher_client):
    essay, _ = essay_with_drafts(1)
    classes = teacher_client.get(reverse("teach_classes")).content.decode()
    assert reverse("teach_review_essays") in classes
    essay_page = teacher_client.get(essay.get_absolute_url()).content.decode()
    assert queue_url(essay) in essay_page


def test_students_see_no_link_to_the_queue_on_the_essay(student_client):
    essay, _ = essay_with_drafts(1)
    page = student_client.get(essay.get_absolute_url()).content.decode()
    assert queue_url(essay) not in page


def test_a_decided_question_goes_back_to_draft_and_that_is_undone_too(
    teacher_client,
):
    essay, questions = essay_with_drafts(2)
    decide(teacher_client, essay, questions[0], "publish")
    response = decide(
        teacher_client, essay, questions[0], "draft", HTTP_HX_REQUEST="true"
    )
    assert status_of(questions[0]) == DRAFT
    assert "Undo back to draft: “Draft 0" in response.content.decode()
    undo(teacher_client, essay, step=2)
    assert status_of(questions[0]) == PUBLISHED


def test_the_bulk_undo_leaves_alone_what_was_retired_since(teacher_client):
    essay, questions = essay_with_drafts(4)
    url = reverse("teach_review_publish_clean", kwargs={"essay": essay.pk})
    teacher_client.post(url, {"count": 2})
    clean = [q for q in questions if not q.warnings]
    decide(teacher_client, essay, clean[0], "retire")
    undo(teacher_client, essay, step=2)  # the retirement
    Question.objects.filter(pk=clean[0].pk).update(status=RETIRED)  # elsewhere
    response = undo(teacher_client, essay, step=1)
    assert "Undone: 1 of 2 back to draft." in response.content.decode()
    assert [status_of(q) for q in clean] == [RETIRED, DRAFT]
