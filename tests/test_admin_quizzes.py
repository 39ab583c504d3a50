import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from quizzes.models import DeckSettings, Quiz, QuizQuestion
from tests.factories import (
    CardFactory,
    ClaimFactory,
    DeckSettingsFactory,
    EssayFactory,
    QuestionFactory,
    QuizFactory,
    ReviewFactory,
    SectionFactory,
    TeacherFactory,
    quiz_with,
    single_choice_question,
)

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"

QUIZZES = reverse("admin:quizzes_quiz_changelist")
ADD_QUIZ = reverse("admin:quizzes_quiz_add")
QUESTIONS = reverse("admin:quizzes_question_changelist")
SEARCH = reverse("admin:quizzes_question_autocomplete")
DECKS = reverse("admin:quizzes_decksettings_changelist")
ADD_DECK = reverse("admin:quizzes_decksettings_add")


def quiz_data(*, essay, items=(), quiz=None, **fields) -> dict:
    """The quiz form as a browser posts it, with ``items`` as the inline's
    (question, order) rows."""
    data = {
        "title": "The Great Purge",
        "essay": essay.pk,
        "shuffle_questions": "on",
        "shuffle_choices": "",
        "time_limit_minutes": 15,
        "attempts_allowed": 2,
        "reveal": Quiz.Reveal.AFTER_ATTEMPT,
        "pass_mark": 75,
        "grading": Quiz.Grading.HIGHEST,
        "is_published": "on",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for i, (question, order) in enumerate(items):
        data |= {
            f"items-{i}-question": question.pk,
            f"items-{i}-order": order,
            f"items-{i}-quiz": quiz.pk if quiz else "",
        }
    return data


def change_quiz(client, quiz, *, items, **fields):
    """Post the quiz's change form: its current rows first, then ``items``
    as the rows they become plus any new ones."""
    existing = list(quiz.items.order_by("order", "id"))
    fields.setdefault("essay", quiz.essay)
    data = quiz_data(title=quiz.title, items=items, quiz=quiz, **fields)
    data["items-INITIAL_FORMS"] = len(existing)
    data |= {f"items-{i}-id": item.pk for i, item in enumerate(existing)}
    return client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)


def page(response) -> str:
    """The page as a teacher sees it, errors included."""
    assert response.status_code == 200
    return response.content.decode()


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- quizzes: list, add ----------------------------------------------------------


def test_the_quiz_list_and_add_form_load(teacher_client):
    quiz = QuizFactory(title="Kirov and after")

    assert quiz.title in page(teacher_client.get(QUIZZES))
    form = page(teacher_client.get(ADD_QUIZ))
    assert 'name="items-TOTAL_FORMS"' in form
    assert 'name="pass_mark"' in form


def test_a_teacher_makes_a_quiz_with_its_questions_in_order(teacher_client):
    essay = EssayFactory()
    first, second = (
        single_choice_question(essay=essay),
        single_choice_question(essay=essay),
    )

    response = teacher_client.post(
        ADD_QUIZ, quiz_data(essay=essay, items=[(second, 0), (first, 1)])
    )

    assert response.status_code == 302
    quiz = Quiz.objects.get()
    assert (quiz.title, quiz.essay) == ("The Great Purge", essay)
    assert quiz.shuffle_questions
    assert not quiz.shuffle_choices
    assert (quiz.time_limit_minutes, quiz.attempts_allowed) == (15, 2)
    assert (quiz.reveal, quiz.pass_mark, quiz.is_published) == (
        Quiz.Reveal.AFTER_ATTEMPT,
        75,
        True,
    )
    assert [item.question for item in quiz.items.order_by("order")] == [
        second,
        first,
    ]


def test_a_teacher_opens_a_quiz_to_practice_and_grades_by_the_last_attempt(
    teacher_client,
):
    quiz = quiz_with([single_choice_question()], open_practice=False)
    form = page(
        teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    )
    assert "Open practice" in form
    assert "Grade by" in form

    response = change_quiz(
        teacher_client,
        quiz,
        items=[(item.question, 0) for item in quiz.items.all()],
        open_practice="on",
        grading=Quiz.Grading.LAST,
    )

    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.open_practice
    assert quiz.grading == Quiz.Grading.LAST


def test_a_teacher_adds_a_question_to_a_quiz(teacher_client):
    old = single_choice_question()
    quiz = quiz_with([old])
    new = single_choice_question(essay=quiz.essay)

    response = change_quiz(teacher_client, quiz, items=[(old, 0), (new, 1)])

    assert response.status_code == 302
    assert [item.question for item in quiz.items.order_by("order")] == [old, new]


def search_questions(client, essay, term="", url=SEARCH) -> list[str]:
    """What the quiz editor's question search offers, as a teacher reads it."""
    response = client.get(
        url,
        {
            "term": term,
            "app_label": "quizzes",
            "model_name": "quizquestion",
            "field_name": "question",
            "essay": essay.pk,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_quiz_form_searches_questions_instead_of_listing_them(teacher_client):
    quiz = quiz_with([single_choice_question(prompt="In the quiz")])
    single_choice_question(essay=quiz.essay, prompt="Same essay, published")

    form = page(
        teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    )

    assert "In the quiz" in form  # the row's own question
    assert "Same essay, published" not in form  # found by searching
    assert f'data-ajax--url="{SEARCH}"' in form
    assert "js/admin-quiz-questions.js" in form


@pytest.mark.parametrize("url", [SEARCH, reverse("admin:autocomplete")])
def test_the_question_search_finds_published_questions_of_the_quizs_essay(
    teacher_client, url
):
    essay = EssayFactory()
    single_choice_question(essay=essay, prompt="Who was Kirov?")
    single_choice_question(essay=essay, prompt="Who was Yezhov?")
    single_choice_question(essay=essay, prompt="Who was Bukharin?", status="draft")
    single_choice_question(prompt="Who was Kirov, elsewhere?")

    everything = search_questions(teacher_client, essay, url=url)
    kirov = search_questions(teacher_client, essay, "kirov", url=url)
    by_choice = search_questions(teacher_client, essay, "wrong answer a", url=url)

    assert [text.split(" · ")[0] for text in everything] == [
        "Who was Kirov?",
        "Who was Yezhov?",
    ]
    assert [text.split(" · ")[0] for text in kirov] == ["Who was Kirov?"]
    assert len(by_choice) == 2  # a choice's text finds its question, once


def test_the_question_search_offers_nothing_without_an_essay(teacher_client):
    single_choice_question()

    response = teacher_client.get(
        SEARCH,
        {"term": "", "app_label": "quizzes", "model_name": "quizquestion"}
        | {"field_name": "question"},
    )

    assert response.json()["results"] == []


def test_students_cannot_search_questions(student_client):
    question = single_choice_question()

    response = student_client.get(
        SEARCH,
        {"term": "", "app_label": "quizzes", "model_name": "quizquestion"}
        | {"field_name": "question", "essay": question.essay.pk},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert question.prompt not in response.content.decode()


def test_the_question_search_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    essay = EssayFactory()
    for order in range(20):
        question_at(SectionFactory(essay=essay), order)

    with django_assert_max_num_queries(8):
        assert len(search_questions(teacher_client, essay)) == 20


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            lambda essay: single_choice_question(essay=essay, status="draft"),
            "Select a valid choice.",
        ),
        (
            lambda essay: single_choice_question(),
            "This question is from another essay.",
        ),
    ],
    ids=["draft", "other-essay"],
)
def test_the_quiz_form_refuses_a_question_it_may_not_have(
    teacher_client, question, message
):
    essay = EssayFactory()
    fine, refused = single_choice_question(essay=essay), question(essay)

    response = teacher_client.post(
        ADD_QUIZ, quiz_data(essay=essay, items=[(fine, 0), (refused, 1)])
    )

    assert message in page(response)
    assert not Quiz.objects.exists()
    assert not QuizQuestion.objects.exists()


def test_the_quiz_form_refuses_another_essays_question_when_changing(teacher_client):
    question = single_choice_question()
    quiz = quiz_with([question])
    stranger = single_choice_question()

    response = change_quiz(teacher_client, quiz, items=[(question, 0), (stranger, 1)])

    assert "Select a valid choice." in page(response)
    assert quiz.items.count() == 1


def test_moving_a_quiz_to_another_essay_refuses_its_old_questions(teacher_client):
    question = single_choice_question()
    quiz = quiz_with([question])
    elsewhere = EssayFactory()

    response = change_quiz(teacher_client, quiz, items=[(question, 0)], essay=elsewhere)

    assert "This question is from another essay." in page(response)
    quiz.refresh_from_db()
    assert quiz.essay != elsewhere


def test_a_quiz_whose_question_was_retired_can_still_be_saved(teacher_client):
    question = single_choice_question()
    quiz = quiz_with([question])
    question.status = "retired"
    question.save()

    response = change_quiz(teacher_client, quiz, items=[(question, 0)], pass_mark=90)

    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.pass_mark == 90
    assert [item.question for item in quiz.items.all()] == [question]


def test_the_quiz_form_refuses_the_same_question_twice(teacher_client):
    question = single_choice_question()

    response = teacher_client.post(
        ADD_QUIZ,
        quiz_data(essay=question.essay, items=[(question, 0), (question, 1)]),
    )

    assert "Please correct the duplicate data" in page(response)
    assert not Quiz.objects.exists()


def test_a_pass_mark_over_100_is_refused(teacher_client):
    essay = EssayFactory()

    response = teacher_client.post(ADD_QUIZ, quiz_data(essay=essay, pass_mark=101))

    assert "Ensure this value is less than or equal to 100." in page(response)
    assert not Quiz.objects.exists()


# --- the "Make a quiz from these questions" action ----------------------------------


def make_quiz(client, questions):
    return client.post(
        QUESTIONS,
        {"action": "make_quiz", "_selected_action": [q.pk for q in questions]},
    )


def test_a_teacher_makes_a_quiz_from_selected_questions(teacher_client):
    essay = EssayFactory(title="The Great Purge")
    section = SectionFactory(essay=essay)
    late = single_choice_question(
        essay=essay, claim=ClaimFactory(section=section, order=5)
    )
    early = single_choice_question(
        essay=essay, claim=ClaimFactory(section=section, order=1)
    )

    response = make_quiz(teacher_client, [late, early])

    quiz = Quiz.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert shown_messages(response) == [
        "Made the quiz “The Great Purge: 2 selected questions”. "
        "Check its settings and publish it."
    ]
    assert quiz.essay == essay
    assert not quiz.is_published
    # In the essay's order, not the order of the selection.
    assert [item.question for item in quiz.items.order_by("order")] == [early, late]


def test_making_a_quiz_from_only_drafts_is_refused(teacher_client):
    draft = single_choice_question(status="draft")

    response = make_quiz(teacher_client, [draft])

    assert response.status_code == 302
    assert response.url == QUESTIONS
    assert shown_messages(response) == [
        "None of the selected questions is published: publish them first."
    ]
    assert not Quiz.objects.exists()


def test_making_a_quiz_leaves_out_drafts_and_says_so(teacher_client):
    published = single_choice_question()
    draft = single_choice_question(essay=published.essay, status="draft")

    response = make_quiz(teacher_client, [published, draft])

    quiz = Quiz.objects.get()
    assert "(1 unpublished left out)" in shown_messages(response)[0]
    assert [item.question for item in quiz.items.all()] == [published]


def test_making_a_quiz_from_two_essays_is_refused(teacher_client):
    response = make_quiz(
        teacher_client, [single_choice_question(), single_choice_question()]
    )

    assert shown_messages(response) == [
        "A quiz covers one essay: select questions of a single essay."
    ]
    assert not Quiz.objects.exists()


def test_a_quiz_made_from_an_essay_with_a_long_title_fits(teacher_client):
    essay = EssayFactory(title="A" * 200)
    question = single_choice_question(essay=essay)

    response = make_quiz(teacher_client, [question])

    assert response.status_code == 302
    quiz = Quiz.objects.get()
    assert len(quiz.title) <= Quiz._meta.get_field("title").max_length
    assert quiz.title.startswith("A" * 100)


# --- "Add to a quiz…": add by filter ------------------------------------------------


def action_data(questions, *, quiz=None) -> dict:
    """The changelist's action form, or, given ``quiz``, the intermediate
    page's form applied."""
    data = {"action": "add_to_quiz", "_selected_action": [q.pk for q in questions]}
    if quiz is None:
        return data | {"index": 0, "select_across": 0}
    return data | {"quiz": quiz.pk, "apply": "yes"}


def add_to_quiz(client, questions, *, quiz=None, url=QUESTIONS):
    return client.post(url, action_data(questions, quiz=quiz))


def quiz_questions(quiz) -> list:
    return [item.question for item in quiz.items.order_by("order", "id")]


@pytest.fixture
def section():
    return SectionFactory(heading="The Kirov affair")


def question_at(section, order: int, **kwargs):
    claim = ClaimFactory(section=section, order=order)
    return single_choice_question(essay=section.essay, claim=claim, **kwargs)


def test_the_add_to_quiz_page_lists_the_questions_and_the_essays_quizzes(
    teacher_client, section
):
    late = question_at(section, 7, prompt="Late question")
    early = question_at(section, 2, prompt="Early question")
    draft = question_at(section, 3, prompt="A draft", status="draft")
    QuizFactory(essay=section.essay, title="Weekly check")
    QuizFactory(essay=section.essay, title="Final test", is_published=False)
    QuizFactory(title="Another essay's quiz")

    form = page(add_to_quiz(teacher_client, [late, draft, early]))

    assert form.index("Early question") < form.index("Late question")
    assert "A draft" not in form
    assert "1 selected question is not published" in form
    assert "The Kirov affair" in form
    assert "Final test (0 questions, not published)" in form
    assert "Weekly check (0 questions, published)" in form
    assert "Another essay" not in form
    # Drafts go back with the form too, so the count on apply is the same.
    for question in [late, draft, early]:
        assert f'name="_selected_action" value="{question.pk}"' in form
    assert 'name="action" value="add_to_quiz"' in form
    assert 'name="apply"' in form


def test_adding_to_a_quiz_appends_in_the_essays_order_and_skips_duplicates(
    teacher_client, section
):
    there = question_at(section, 5)
    quiz = quiz_with([there], title="Weekly check")
    late = question_at(section, 9)
    early = question_at(section, 1)
    draft = question_at(section, 2, status="draft")

    response = add_to_quiz(teacher_client, [late, there, draft, early], quiz=quiz)

    assert response.status_code == 302
    assert response.url == QUESTIONS
    quiz_url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert shown_messages(response) == [
        f'2 questions added to <a href="{quiz_url}">Weekly check</a>; '
        "1 already in it; 1 not published, left out."
    ]
    # At the end, in the essay's order: what the quiz had stays first.
    assert quiz_questions(quiz) == [there, early, late]
    orders = list(quiz.items.order_by("order").values_list("order", flat=True))
    assert orders == sorted(set(orders))


def test_adding_only_questions_a_quiz_has_adds_nothing_and_says_so(
    teacher_client, section
):
    question = question_at(section, 1)
    quiz = quiz_with([question], title="Weekly check")

    response = add_to_quiz(teacher_client, [question], quiz=quiz)

    assert "0 questions added to" in shown_messages(response)[0]
    assert "; 1 already in it." in shown_messages(response)[0]
    assert quiz_questions(quiz) == [question]


def test_the_filtered_list_keeps_its_filters_through_the_action(
    teacher_client, section
):
    question = question_at(section, 1)
    quiz = QuizFactory(essay=section.essay)
    filtered = (
        f"{QUESTIONS}?essay__id__exact={section.essay.pk}&status__exact=published"
    )

    assert page(add_to_quiz(teacher_client, [question], url=filtered))
    response = add_to_quiz(teacher_client, [question], quiz=quiz, url=filtered)

    assert response.url == filtered
    assert quiz_questions(quiz) == [question]


@pytest.mark.parametrize("apply", [False, True], ids=["asking", "applying"])
def test_adding_only_drafts_to_a_quiz_is_refused(teacher_client, section, apply):
    draft = question_at(section, 1, status="draft")
    quiz = QuizFactory(essay=section.essay)

    response = add_to_quiz(teacher_client, [draft], quiz=quiz if apply else None)

    assert response.status_code == 302
    assert shown_messages(response) == [
        "None of the selected questions is published: publish them first."
    ]
    assert not quiz.items.exists()


@pytest.mark.parametrize("apply", [False, True], ids=["asking", "applying"])
def test_adding_two_essays_questions_to_a_quiz_is_refused(teacher_client, apply):
    mine, theirs = single_choice_question(), single_choice_question()
    quiz = QuizFactory(essay=mine.essay)

    response = add_to_quiz(teacher_client, [mine, theirs], quiz=quiz if apply else None)

    assert response.status_code == 302
    assert shown_messages(response) == [
        "A quiz covers one essay: select questions of a single essay."
    ]
    assert not quiz.items.exists()


def test_a_quiz_of_another_essay_cannot_be_chosen(teacher_client, section):
    question = question_at(section, 1)
    QuizFactory(essay=section.essay)
    elsewhere = QuizFactory()

    response = add_to_quiz(teacher_client, [question], quiz=elsewhere)

    assert "Select a valid choice." in page(response)
    assert not elsewhere.items.exists()


def test_adding_to_a_quiz_when_the_essay_has_none_says_what_to_do(
    teacher_client, section
):
    question = question_at(section, 1)

    response = add_to_quiz(teacher_client, [question])

    assert response.status_code == 302
    assert shown_messages(response) == [
        f"“{section.essay.title}” has no quiz yet: make one with "
        "“Make a quiz from these questions”."
    ]


def test_students_and_strangers_cannot_add_to_a_quiz(client, student, section):
    question = question_at(section, 1)
    quiz = QuizFactory(essay=section.essay)

    anonymous = add_to_quiz(client, [question], quiz=quiz)
    client.force_login(student)
    as_student = add_to_quiz(client, [question], quiz=quiz)

    for response in [anonymous, as_student]:
        assert response.status_code == 302
        assert "login" in response.url
    assert not quiz.items.exists()


def test_staff_who_may_not_change_quizzes_are_not_offered_the_action(client, section):
    editor = TeacherFactory(username="question_editor")
    editor.groups.clear()
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_question", "change_question", "view_quiz"]
        )
    )
    client.force_login(editor)
    question = question_at(section, 1)
    quiz = QuizFactory(essay=section.essay)

    assert 'value="add_to_quiz"' not in page(client.get(QUESTIONS))
    response = add_to_quiz(client, [question], quiz=quiz)

    assert response.status_code == 302
    assert not quiz.items.exists()


def test_the_quiz_page_links_to_its_essays_published_questions(teacher_client, section):
    published = question_at(section, 1, prompt="Published, this essay")
    question_at(section, 2, prompt="Draft, this essay", status="draft")
    single_choice_question(prompt="Published, another essay")
    quiz = quiz_with([published])

    form = page(
        teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    )

    link = f"{QUESTIONS}?essay__id__exact={quiz.essay.pk}&status__exact=published"
    assert f'href="{escape(link)}">Add questions by filter<' in form
    listed = page(teacher_client.get(link))
    assert "Published, this essay" in listed
    assert "Draft, this essay" not in listed
    assert "Published, another essay" not in listed
    assert 'value="add_to_quiz"' in listed


def test_the_quiz_form_labels_questions_with_their_kind_and_section(
    teacher_client, section
):
    quiz = quiz_with([question_at(section, 1, prompt="Who was Kirov?")])
    QuestionFactory(essay=quiz.essay, kind="true_false", is_true=True, prompt="Kirov")

    form = page(
        teacher_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    )

    assert "Who was Kirov? · Single choice · The Kirov affair" in form
    assert search_questions(teacher_client, quiz.essay) == [
        "Who was Kirov? · Single choice · The Kirov affair",
        "Kirov · True / false · no section",
    ]


def test_teacher_text_is_escaped_on_the_add_to_quiz_page(teacher_client):
    essay = EssayFactory(title=XSS)
    question = single_choice_question(
        essay=essay, prompt=XSS, claim=ClaimFactory(section__essay=essay)
    )
    question.claim.section.heading = XSS
    question.claim.section.save()
    QuizFactory(essay=essay, title=XSS)

    form = page(add_to_quiz(teacher_client, [question]))

    assert XSS not in form
    assert form.count(ESCAPED) >= 4  # prompt, section, essay, quiz


# --- queries -----------------------------------------------------------------------


def test_the_quiz_list_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    def add_quizzes(count):
        for _ in range(count):
            quiz_with([single_choice_question(), single_choice_question()])

    add_quizzes(1)
    with django_assert_max_num_queries(20) as few:
        assert teacher_client.get(QUIZZES).status_code == 200
    add_quizzes(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = teacher_client.get(QUIZZES).content.decode()
    assert page.count('class="field-question_count">2<') == 10


def test_the_add_to_quiz_page_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    def selection(count: int) -> list:
        section = SectionFactory()
        QuizFactory(essay=section.essay)
        QuizFactory(essay=section.essay)
        return [question_at(section, order) for order in range(count)]

    small, large = selection(1), selection(20)
    with django_assert_max_num_queries(20) as few:
        assert teacher_client.post(QUESTIONS, action_data(small)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        form = page(teacher_client.post(QUESTIONS, action_data(large)))
    assert form.count('name="_selected_action"') == 20


# --- deck settings -----------------------------------------------------------------


def deck_data(*, essay, **fields) -> dict:
    return {
        "essay": essay.pk,
        "desired_retention": 0.85,
        "learning_steps": "1m 10m",
        "relearning_steps": "10m",
        "maximum_interval": 365,
        "new_cards_per_day": 10,
        "reviews_per_day": 100,
        **fields,
    }


def test_a_teacher_adds_deck_settings(teacher_client):
    essay = EssayFactory()

    response = teacher_client.post(
        ADD_DECK, deck_data(essay=essay, learning_steps="30s 5m 1h 1d")
    )

    assert response.status_code == 302
    deck = DeckSettings.objects.get()
    assert (deck.essay, deck.desired_retention) == (essay, 0.85)
    assert (deck.learning_steps, deck.relearning_steps) == ("30s 5m 1h 1d", "10m")
    assert (deck.new_cards_per_day, deck.reviews_per_day) == (10, 100)


def test_a_teacher_changes_deck_settings(teacher_client):
    deck = DeckSettingsFactory()
    assert page(teacher_client.get(DECKS))

    response = teacher_client.post(
        reverse("admin:quizzes_decksettings_change", args=[deck.pk]),
        deck_data(essay=deck.essay, relearning_steps="5m 20m", maximum_interval=90),
    )

    assert response.status_code == 302
    deck.refresh_from_db()
    assert (deck.relearning_steps, deck.maximum_interval) == ("5m 20m", 90)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"learning_steps": ""}, "This field is required."),
        ({"relearning_steps": "   "}, "This field is required."),
        ({"learning_steps": "10x"}, "&#x27;10x&#x27; is not a step"),
        ({"learning_steps": "-1m"}, "&#x27;-1m&#x27; is not a step"),
        ({"relearning_steps": "1m banana"}, "&#x27;banana&#x27; is not a step"),
        ({"learning_steps": "0m"}, "a step must be longer than zero"),
        ({"learning_steps": "99999999999d"}, "is too long for a step"),
        (
            {"relearning_steps": "10m 400d", "maximum_interval": 365},
            "A step cannot be longer than the maximum interval (365 days).",
        ),
        ({"desired_retention": 0.5}, "greater than or equal to 0.7"),
        ({"desired_retention": 1.2}, "less than or equal to 0.99"),
    ],
)
def test_bad_deck_settings_are_refused_with_a_reason(teacher_client, fields, message):
    response = teacher_client.post(ADD_DECK, deck_data(essay=EssayFactory(), **fields))

    assert message in page(response)
    assert not DeckSettings.objects.exists()


# --- what teachers may not do -------------------------------------------------------


@pytest.fixture
def review():
    return ReviewFactory(card=CardFactory(question=single_choice_question()))


@pytest.mark.parametrize("model", ["card", "review"])
def test_cards_and_reviews_are_read_only_for_teachers(teacher_client, review, model):
    obj = review if model == "review" else review.card
    change = reverse(f"admin:quizzes_{model}_change", args=[obj.pk])

    assert page(teacher_client.get(reverse(f"admin:quizzes_{model}_changelist")))
    assert 'name="_save"' not in page(teacher_client.get(change))
    add = reverse(f"admin:quizzes_{model}_add")
    assert teacher_client.get(add).status_code == 403
    assert teacher_client.post(add, {}).status_code == 403
    assert teacher_client.post(change, {"reps": 99}).status_code == 403
    delete = reverse(f"admin:quizzes_{model}_delete", args=[obj.pk])
    assert teacher_client.post(delete, {"post": "yes"}).status_code == 403
    review.card.refresh_from_db()
    assert review.card.reps == 0


def test_a_teacher_may_not_delete_quizzes_or_essays(teacher_client):
    quiz = quiz_with([single_choice_question()])

    assert "delete_selected" not in page(teacher_client.get(QUIZZES))
    for url in [
        reverse("admin:quizzes_quiz_delete", args=[quiz.pk]),
        reverse("admin:quizzes_essay_delete", args=[quiz.essay.pk]),
    ]:
        assert teacher_client.get(url).status_code == 403
        assert teacher_client.post(url, {"post": "yes"}).status_code == 403
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_a_student_cannot_open_the_quiz_admin(student_client):
    response = student_client.get(QUIZZES)

    assert response.status_code == 302
    assert "login" in response.url


# --- escaping -----------------------------------------------------------------------


def test_teacher_text_is_escaped_in_the_quiz_list(teacher_client):
    QuizFactory(title=XSS, essay=EssayFactory(title=XSS))

    quizzes = page(teacher_client.get(QUIZZES))

    assert XSS not in quizzes
    assert ESCAPED in quizzes


def test_the_quiz_change_page_runs_a_fixed_number_of_queries(
    teacher_client, django_assert_max_num_queries
):
    def change_page(count: int) -> str:
        # Each from its own section: the question <select> names them.
        essay = EssayFactory()
        questions = [
            question_at(SectionFactory(essay=essay), order) for order in range(count)
        ]
        return reverse("admin:quizzes_quiz_change", args=[quiz_with(questions).pk])

    small, large = change_page(1), change_page(20)
    with django_assert_max_num_queries(30) as few:
        assert teacher_client.get(small).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = teacher_client.get(large).content.decode()
    assert page.count('name="items-') >= 20
