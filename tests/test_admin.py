import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Essay, Question
from tests.factories import (
    ChoiceFactory,
    ClaimFactory,
    EssayFactory,
    QuestionFactory,
    SectionFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"

QUESTIONS = reverse("admin:quizzes_question_changelist")
ADD_QUESTION = reverse("admin:quizzes_question_add")
IMPORT = reverse("admin:quizzes_essay_import")


def change_url(question) -> str:
    return reverse("admin:quizzes_question_change", args=[question.pk])


def question_data(
    *,
    essay,
    kind="single",
    prompt="Which is right?",
    is_true="",
    explanation="",
    status="draft",
    choices=(),
    answers=(),
    pairs=(),
    question=None,
) -> dict:
    """The question change form as a browser posts it. Rows of an existing
    question carry their ``id``."""
    data = {
        "essay": essay.pk,
        "claim": "",
        "kind": kind,
        "status": status,
        "prompt": prompt,
        "is_true": is_true,
        "explanation": explanation,
    }
    for prefix, rows in [
        ("choices", choices),
        ("accepted_answers", answers),
        ("pairs", pairs),
    ]:
        initial = sum(1 for row in rows if "id" in row)
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows):
            if question is not None:
                row = {"question": question.pk, **row}
            data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return data


def choice_rows(question) -> list[dict]:
    return [
        {
            "id": c.pk,
            "position": c.order,
            "text": c.text,
            "is_correct": "on" if c.is_correct else "",
            "feedback": c.feedback,
        }
        for c in question.choices.all()
    ]


def errors(response) -> str:
    """The page's error messages, as a teacher reads them."""
    assert response.status_code == 200
    return response.content.decode()


# --- permissions -------------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/"])
def test_a_teacher_may_not_manage_users_or_groups(teacher_client, url):
    assert teacher_client.get(url).status_code == 403


def test_a_teacher_may_not_delete_questions_or_essays(teacher_client):
    question = single_choice_question()

    changelist = teacher_client.get(QUESTIONS)
    delete = reverse("admin:quizzes_question_delete", args=[question.pk])

    assert "delete_selected" not in changelist.content.decode()
    assert teacher_client.get(delete).status_code == 403
    essay_delete = reverse("admin:quizzes_essay_delete", args=[question.essay.pk])
    assert teacher_client.get(essay_delete).status_code == 403


def test_a_student_may_not_import(student_client):
    response = student_client.get(IMPORT)
    assert response.status_code == 302  # to the admin login
    assert "login" in response["Location"]


# --- questions: list, add, change, publish -----------------------------------


def test_a_teacher_lists_and_filters_questions(teacher_client):
    single_choice_question(prompt="About the trials")
    other = single_choice_question(prompt="About the army")

    response = teacher_client.get(QUESTIONS)
    filtered = teacher_client.get(QUESTIONS, {"essay__id__exact": other.essay.pk})
    searched = teacher_client.get(QUESTIONS, {"q": "Wrong answer A"})

    assert "About the trials" in response.content.decode()
    assert "About the trials" not in filtered.content.decode()
    assert "About the army" in filtered.content.decode()
    assert searched.context["cl"].result_count == 2  # found by a choice's text


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("trials", ["About the trials"]),
        ("answer", ["About the army", "About the trials"]),  # 3 choices, once each
        ("trials Wrong", ["About the trials"]),  # every word, here or in a choice
        ("army trials", []),
        ('"Wrong answer A"', ["About the army", "About the trials"]),
        ("nowhere", []),
    ],
)
def test_the_search_finds_each_word_in_the_prompt_or_a_choice_once(
    teacher_client, q, found
):
    single_choice_question(prompt="About the trials")
    single_choice_question(prompt="About the army")

    response = teacher_client.get(QUESTIONS, {"q": q})

    shown = sorted(str(question) for question in response.context["cl"].result_list)
    assert shown == found
    assert response.context["cl"].result_count == len(found)


def test_a_teacher_adds_a_question(teacher_client):
    essay = EssayFactory()
    data = question_data(
        essay=essay,
        prompt="Who led the NKVD in 1937?",
        choices=[
            {"position": "", "text": "Yezhov", "is_correct": "on"},
            {"position": "", "text": "Kirov"},
        ],
    )

    response = teacher_client.post(ADD_QUESTION, data)

    assert response.status_code == 302, response.context["errors"]
    question = Question.objects.get()
    assert question.origin == "authored"
    assert question.version == 1
    assert [(c.text, c.order) for c in question.choices.all()] == [
        ("Yezhov", 0),
        ("Kirov", 1),
    ]


def test_each_kind_names_the_parts_of_the_form_it_uses(teacher_client):
    page = teacher_client.get(ADD_QUESTION).content.decode()

    # What js/admin-question-kind.js shows for each kind, as quizzes.kinds says.
    for value, uses in [
        ("single", "choices"),
        ("multiple", "choices"),
        ("true_false", "is_true true_feedback false_feedback"),
        ("cloze", "accepted_answers"),
        ("matching", "pairs"),
    ]:
        assert f'<option value="{value}" data-uses="{uses}">' in page
    # Without the script every part is on the page, and the script is there.
    for group in ["choices-group", "accepted_answers-group", "pairs-group"]:
        assert f'id="{group}"' in page
    assert "js/admin-question-kind.js" in page


def test_every_field_of_a_part_has_a_name_for_screen_readers(teacher_client):
    question = single_choice_question()

    page = teacher_client.get(change_url(question)).content.decode()

    for name in [
        "Choice: position",
        "Choice: text",
        "Choice: is correct",
        "Choice: feedback",
        "Delete this choice",
        "Accepted answer: text",
        "Matching pair: left",
        "Matching pair: right",
    ]:
        assert f'aria-label="{name}"' in page


def test_changing_a_question_bumps_its_version_and_marks_it_edited(teacher_client):
    question = single_choice_question(origin="generated", generator_key="k:1")
    rows = choice_rows(question)
    rows[1]["text"] = "A better wrong answer"
    data = question_data(
        essay=question.essay,
        prompt=question.prompt,
        explanation=question.explanation,
        status=question.status,
        choices=rows,
        question=question,
    )

    response = teacher_client.post(change_url(question), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 2
    assert question.edited_by_teacher
    assert "A better wrong answer" in [c.text for c in question.choices.all()]


def test_saving_an_unchanged_question_keeps_its_version(teacher_client):
    question = single_choice_question(origin="generated", generator_key="k:1")
    data = question_data(
        essay=question.essay,
        prompt=question.prompt,
        explanation=question.explanation,
        status=question.status,
        choices=choice_rows(question),
        question=question,
    )

    assert teacher_client.post(change_url(question), data).status_code == 302

    question.refresh_from_db()
    assert question.version == 1
    assert not question.edited_by_teacher


def test_choices_can_swap_places_and_share_a_position(teacher_client):
    question = single_choice_question()
    rows = choice_rows(question)
    rows[0]["position"], rows[2]["position"] = 2, 0
    rows.append({"position": 0, "text": "New first"})
    data = question_data(
        essay=question.essay,
        prompt=question.prompt,
        explanation=question.explanation,
        status=question.status,
        choices=rows,
        question=question,
    )

    assert teacher_client.post(change_url(question), data).status_code == 302

    assert [c.text for c in question.choices.all()] == [
        "Wrong answer B",
        "New first",
        "Wrong answer A",
        "Right answer",
    ]
    assert [c.order for c in question.choices.all()] == [0, 1, 2, 3]


def test_a_teacher_publishes_retires_and_drafts_with_actions(teacher_client):
    questions = [single_choice_question(status="draft") for _ in range(3)]
    ids = [q.pk for q in questions[:2]]

    for action, status in [
        ("publish", "published"),
        ("retire", "retired"),
        ("back_to_draft", "draft"),
    ]:
        response = teacher_client.post(
            QUESTIONS, {"action": action, "_selected_action": ids}, follow=True
        )
        assert "2 questions" in response.content.decode()
        assert set(
            Question.objects.filter(pk__in=ids).values_list("status", flat=True)
        ) == {status}
    questions[2].refresh_from_db()
    assert questions[2].status == "draft"


# --- validation per kind -----------------------------------------------------

KIND_ERRORS = [
    (
        {"kind": "single", "choices": [{"text": "Only one", "is_correct": "on"}]},
        "A single choice question needs at least two choices.",
    ),
    (
        {
            "kind": "single",
            "choices": [
                {"text": "A", "is_correct": "on"},
                {"text": "B", "is_correct": "on"},
            ],
        },
        "A single choice question needs exactly one correct choice (it has 2).",
    ),
    (
        {"kind": "multiple", "choices": [{"text": "A"}, {"text": "B"}]},
        "A multiple answer question needs at least one correct choice.",
    ),
    (
        {"kind": "multiple", "choices": [{"text": "A", "is_correct": "on"}]},
        "A multiple answer question needs at least two choices.",
    ),
    ({"kind": "true_false"}, "Say whether the statement is true or false."),
    (
        {"kind": "true_false", "is_true": "true", "choices": [{"text": "A"}]},
        "A true / false question has no choices: delete them.",
    ),
    (
        {"kind": "cloze", "prompt": "No gap here", "answers": [{"text": "x"}]},
        "Mark the gap in a fill-in-the-blank prompt with _____.",
    ),
    (
        {"kind": "cloze", "prompt": "The _____ grew."},
        "A fill-in-the-blank question needs at least one accepted answer.",
    ),
    (
        {"kind": "matching", "pairs": [{"left": "A", "right": "1"}]},
        "A matching question needs at least two pairs.",
    ),
    (
        {
            "kind": "single",
            "choices": [{"text": "A", "is_correct": "on"}, {"text": "B"}],
            "pairs": [{"left": "A", "right": "1"}],
        },
        "Only matching questions have pairs: delete them.",
    ),
]


@pytest.mark.parametrize(("fields", "message"), KIND_ERRORS)
def test_a_question_that_does_not_fit_its_kind_shows_why(
    teacher_client, fields, message
):
    essay = EssayFactory()

    response = teacher_client.post(ADD_QUESTION, question_data(essay=essay, **fields))

    assert message in errors(response)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "true_false", "is_true": "false"},
        {"kind": "cloze", "prompt": "The _____ grew.", "answers": [{"text": "Gulag"}]},
        {
            "kind": "matching",
            "pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}],
        },
        {
            "kind": "multiple",
            "choices": [{"text": "A", "is_correct": "on"}, {"text": "B"}],
        },
    ],
)
def test_a_question_that_fits_its_kind_is_saved(teacher_client, fields):
    response = teacher_client.post(
        ADD_QUESTION, question_data(essay=EssayFactory(), **fields)
    )
    assert response.status_code == 302
    assert Question.objects.get().kind == fields["kind"]


# --- essays (their import: tests/test_admin_imports.py) ---------------------


def test_the_essay_page_shows_sections_claims_and_its_questions(
    teacher_client, seed_text
):
    report = services.imports.essay_import(text=seed_text, title="The Purge")
    essay = Essay.objects.get()

    response = teacher_client.get(
        reverse("admin:quizzes_essay_change", args=[essay.pk])
    )

    page = response.content.decode()
    assert f"{report.created} questions" in page
    assert f"{QUESTIONS}?essay__id__exact={essay.pk}" in page
    for claim in essay.claims.all()[:3]:
        assert claim.text.replace("'", "&#x27;") in page
    assert "Consolidation of Power" in page
    # Read-only: no fields to edit or add sections and claims.
    assert 'name="sections-' not in page
    assert 'name="claims-' not in page


# --- escaping --------------------------------------------------------------------


def question_with_a_script():
    essay = EssayFactory(title=f"Essay {XSS}", body=f"Heading: Before. {XSS} After.")
    section = SectionFactory(essay=essay, heading=f"H {XSS}", start=0)
    start = essay.body.index(XSS)
    claim = ClaimFactory(section=section, start=start, end=start + len(XSS))
    question = QuestionFactory(essay=essay, claim=claim, prompt=f"Prompt {XSS}")
    ChoiceFactory(question=question, text=f"Choice {XSS}", is_correct=True, order=0)
    ChoiceFactory(question=question, text="Plain", order=1)
    return question


def test_teacher_text_is_escaped_in_the_question_list(teacher_client):
    question_with_a_script()

    page = teacher_client.get(QUESTIONS).content.decode()

    assert XSS not in page
    assert ESCAPED in page


def test_the_source_passage_marks_the_claim_and_escapes_it(teacher_client):
    question = question_with_a_script()

    page = teacher_client.get(change_url(question)).content.decode()

    assert XSS not in page
    assert f"Heading: Before. <mark>{ESCAPED}</mark> After." in page


def test_the_preview_shows_the_question_as_a_student_sees_it(teacher_client):
    question = question_with_a_script()
    preview = reverse("admin:quizzes_question_preview", args=[question.pk])

    assert preview in teacher_client.get(change_url(question)).content.decode()
    page = teacher_client.get(preview).content.decode()

    assert XSS not in page
    assert f"Prompt {ESCAPED}" in page
    assert f"Choice {ESCAPED}" in page
    assert page.count('type="radio"') == 2
    assert "is_correct" not in page
    assert "checked" not in page
    # The student's page, not a copy of it: the same form, graded by the
    # teachers' preview, which stores nothing (tests/test_views_preview.py).
    assert 'class="question-form"' in page
    assert f'hx-post="{reverse("preview_answer", args=[question.pk])}"' in page


def test_the_preview_of_an_unknown_question_answers_404(teacher_client):
    url = reverse("admin:quizzes_question_preview", args=[999999])
    assert teacher_client.get(url).status_code == 404


def test_preview_of_each_kind(teacher_client):
    essay = EssayFactory()
    cloze = QuestionFactory(essay=essay, kind="cloze", prompt="The _____ grew.")
    matching = QuestionFactory(essay=essay, kind="matching", prompt="Match")
    matching.pairs.create(left="Kirov", right="Murdered 1934", order=0)
    matching.pairs.create(left="Yezhov", right="NKVD chief", order=1)

    cloze_page = teacher_client.get(
        reverse("admin:quizzes_question_preview", args=[cloze.pk])
    ).content.decode()
    matching_page = teacher_client.get(
        reverse("admin:quizzes_question_preview", args=[matching.pk])
    ).content.decode()

    assert 'name="text"' in cloze_page
    assert "The _____ grew." in cloze_page
    assert matching_page.count("<select") == 2
    assert "NKVD chief" in matching_page


# --- queries ---------------------------------------------------------------------


def test_the_question_list_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    def add_questions(count):
        essay = EssayFactory()
        section = SectionFactory(essay=essay)
        for _ in range(count):
            claim = ClaimFactory(section=section)
            single_choice_question(essay=essay, claim=claim)

    add_questions(2)
    with django_assert_max_num_queries(20) as few:
        assert teacher_client.get(QUESTIONS).status_code == 200
    add_questions(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert teacher_client.get(QUESTIONS).status_code == 200


def test_teacher_text_is_escaped_on_the_essay_pages(teacher_client):
    question = question_with_a_script()
    essay_page = reverse("admin:quizzes_essay_change", args=[question.essay.pk])
    claim_page = reverse("admin:quizzes_claim_change", args=[question.claim.pk])

    for url in [reverse("admin:quizzes_essay_changelist"), essay_page, claim_page]:
        page = teacher_client.get(url).content.decode()
        assert XSS not in page
        assert ESCAPED in page


def test_a_teacher_renames_an_essay(teacher_client):
    essay = EssayFactory(title="Old")
    data = {
        "title": "New",
        "slug": essay.slug,
        "attribution": "",
        **{
            f"{prefix}-{name}": 0
            for prefix in ["sections", "claims"]
            for name in ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS"]
        },
    }

    response = teacher_client.post(
        reverse("admin:quizzes_essay_change", args=[essay.pk]), data
    )

    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.title == "New"


def test_a_lists_row_checkbox_is_the_one_django_renders(rf):
    from django.contrib import admin as django_admin

    from quizzes.admin.questions import QuestionAdmin

    question = single_choice_question(prompt='Who said "<b>trust</b>" & why?')
    ours = QuestionAdmin(Question, django_admin.site).action_checkbox(question)
    djangos = django_admin.ModelAdmin.action_checkbox(
        django_admin.ModelAdmin(Question, django_admin.site), question
    )

    assert ours == djangos
    assert "<b>" not in ours
