"""The authoring pages in a browser: the question editor shows what its kind
uses, the quiz editor searches questions, and axe finds nothing serious."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Question
from tests.factories import (
    PASSWORD,
    AcceptedAnswerFactory,
    ChoiceFactory,
    ClaimFactory,
    EssayFactory,
    MatchPairFactory,
    QuestionFactory,
    QuizFactory,
    QuizQuestionFactory,
    SectionFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def essay():
    essay = EssayFactory(
        title="The Great Purge",
        body="Causes: Stalin feared rivals. Kirov was popular.",
    )
    section = SectionFactory(essay=essay, heading="Causes", end=len(essay.body))
    ClaimFactory(section=section, start=8, end=29)
    return essay


def one_of_each_kind(essay) -> dict[str, Question]:
    claim = essay.claims.get()
    made = {}
    for kind, prompt in [
        ("single", "Whom did Stalin fear?"),
        ("multiple", "Which were feared?"),
        ("true_false", "Stalin feared rivals."),
        ("cloze", "Stalin feared _____."),
        ("matching", "Match each name with a fact."),
    ]:
        made[kind] = QuestionFactory(
            essay=essay,
            claim=claim,
            kind=kind,
            prompt=prompt,
            is_true=True if kind == "true_false" else None,
        )
    ChoiceFactory(question=made["single"], text="Rivals", is_correct=True)
    ChoiceFactory(question=made["single"], text="Nobody")
    ChoiceFactory(question=made["multiple"], text="Rivals", is_correct=True)
    ChoiceFactory(question=made["multiple"], text="Kirov", is_correct=True)
    AcceptedAnswerFactory(question=made["cloze"], text="rivals")
    MatchPairFactory(question=made["matching"], left="Stalin", right="feared")
    MatchPairFactory(question=made["matching"], left="Kirov", right="popular")
    return made


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings, one line per element."""
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            for node in violation["nodes"]:
                found.append(
                    f"{violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {node['target']}"
                )
    return found


def test_the_question_editor_has_no_serious_accessibility_violation(
    page, live_server, login, essay
):
    login(page, TeacherFactory())
    urls = [reverse("admin:quizzes_question_add")] + [
        reverse("admin:quizzes_question_change", args=[question.pk])
        for question in one_of_each_kind(essay).values()
    ]
    found = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("#question_form")).to_be_visible()
        if violations := serious_violations(page):
            found[url] = violations
    for url, violations in found.items():
        print(url, *violations, sep="\n  ")
    assert found == {}


def visible_parts(page) -> set[str]:
    parts = {
        "choices": page.locator("#choices-group"),
        "accepted answers": page.locator("#accepted_answers-group"),
        "pairs": page.locator("#pairs-group"),
        "statement is true": page.get_by_label("Statement is true"),
    }
    return {name for name, locator in parts.items() if locator.is_visible()}


def test_the_question_editor_shows_only_what_its_kind_uses(
    page, live_server, login, essay, screenshot
):
    login(page, TeacherFactory())
    page.goto(f"{live_server.url}{reverse('admin:quizzes_question_add')}")
    assert visible_parts(page) == set()
    kind = page.get_by_label("Kind")
    for label, parts in [
        ("Single choice", {"choices"}),
        ("Multiple answer", {"choices"}),
        ("True / false", {"statement is true"}),
        ("Fill in the blank", {"accepted answers"}),
        ("Matching", {"pairs"}),
    ]:
        kind.select_option(label=label)
        assert visible_parts(page) == parts, label
    screenshot(page, "admin-question-add-matching")


def test_changing_the_kind_keeps_the_old_parts_in_sight_to_delete(
    page, live_server, login, essay
):
    single = one_of_each_kind(essay)["single"]
    login(page, TeacherFactory())
    page.goto(
        f"{live_server.url}{reverse('admin:quizzes_question_change', args=[single.pk])}"
    )
    assert visible_parts(page) == {"choices"}
    page.get_by_label("Kind").select_option(label="Fill in the blank")
    assert visible_parts(page) == {"choices", "accepted answers"}
    expect(page.locator("#choices-group")).to_contain_text(
        "A “Fill in the blank” question uses none of these: delete them."
    )
    page.get_by_label("Kind").select_option(label="Multiple answer")
    assert visible_parts(page) == {"choices"}
    expect(page.locator("#choices-group .unused-part-note")).to_be_hidden()


def test_without_javascript_the_question_editor_shows_every_part(
    browser, live_server, essay
):
    teacher = TeacherFactory()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", teacher.username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}{reverse('admin:quizzes_question_add')}")
    assert visible_parts(page) == {
        "choices",
        "accepted answers",
        "pairs",
        "statement is true",
    }
    context.close()


def test_a_teacher_adds_a_question_to_a_quiz_by_searching(
    page, live_server, login, essay, screenshot
):
    questions = one_of_each_kind(essay)
    QuestionFactory(essay=essay, prompt="Whom did Stalin fear? (draft)", status="draft")
    QuestionFactory(prompt="Whom did Stalin fear? (another essay)")
    quiz = QuizFactory(essay=essay, title="Causes")
    QuizQuestionFactory(quiz=quiz, question=questions["true_false"], order=0)
    login(page, TeacherFactory())
    page.goto(
        f"{live_server.url}{reverse('admin:quizzes_quiz_change', args=[quiz.pk])}"
    )
    expect(page.locator("#items-0 .select2-selection")).to_contain_text(
        "Stalin feared rivals. · True / false · Causes"
    )
    page.locator("#items-1 .select2-selection").click()
    page.locator(".select2-search__field").fill("fear")
    options = page.locator(".select2-results__option")
    expect(options).to_have_text(
        [
            "Whom did Stalin fear? · Single choice · Causes",
            "Which were feared? · Multiple answer · Causes",
            "Stalin feared rivals. · True / false · Causes",
            "Stalin feared _____. · Fill in the blank · Causes",
        ]
    )
    screenshot(page, "admin-quiz-search")
    assert serious_violations(page) == []
    options.first.click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [item.question for item in quiz.items.order_by("order")] == [
        questions["true_false"],
        questions["single"],
    ]
