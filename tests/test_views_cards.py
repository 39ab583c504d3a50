import re
from datetime import timedelta

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from quizzes import selectors
from quizzes.models import Card, Claim, DeckSettings, Question, Review
from tests.factories import (
    PASSWORD,
    AcceptedAnswerFactory,
    CardFactory,
    ClaimFactory,
    EssayFactory,
    MatchPairFactory,
    QuestionFactory,
    ReviewFactory,
    SectionFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay():
    return EssayFactory(
        slug="purge",
        title="The Purge",
        body="Heading: The first claim is here. <script>alert(1)</script> follows.",
    )


@pytest.fixture
def claim(essay):
    section = SectionFactory(essay=essay, order=0, heading="Heading")
    return ClaimFactory(essay=essay, section=section, start=9, end=33)


@pytest.fixture
def question(essay, claim):
    return single_choice_question(essay=essay, claim=claim, prompt="Which is right?")


def _study(client, essay, **params):
    """The study page, after "Study now" (which makes the student's cards)."""
    client.post(reverse("study_start", args=[essay.slug]))
    return client.get(reverse("study", args=[essay.slug]), params)


def _card(student, question) -> Card:
    return Card.objects.get(student=student, question=question)


def _shown(response) -> Card | None:
    """The card a reviewer response shows (fragments carry no test context)."""
    match = re.search(r'data-card="(\d+)"', response.text)
    return Card.objects.get(pk=match[1]) if match else None


def _front(response) -> str:
    """The shown card's front: from the card to the answer side (or its button)."""
    return response.text.split('class="flashcard"', 1)[1].split('id="card-back"', 1)[0]


def _retire(question) -> None:
    question.status = Question.Status.RETIRED
    question.save()


def _rate(client, card, rating=3, **extra):
    data = {"rating": rating, "token": card.reps, "duration_ms": 1500, **extra}
    return client.post(
        reverse("card_rate", args=[card.pk]), data, headers={"HX-Request": "true"}
    )


def test_decks_lists_essays_with_published_questions(student_client, question):
    EssayFactory(title="Nothing published")
    response = student_client.get(reverse("decks"))
    assert response.status_code == 200
    assert "The Purge" in response.text
    assert "Nothing published" not in response.text


def test_deck_page_counts_new_cards_before_the_first_study(student_client, question):
    response = student_client.get(reverse("deck", args=["purge"]))
    assert response.status_code == 200
    assert not Card.objects.exists()
    assert response.context["deck"].counts.new == 1
    assert response.context["deck"].sections[0].new == 1
    assert "Study now" in response.text


def test_first_study_creates_one_card_per_published_question(
    student_client, student, essay, question
):
    QuestionFactory(essay=essay, status=Question.Status.DRAFT)
    _study(student_client, essay)
    _study(student_client, essay)
    assert list(
        Card.objects.filter(student=student).values_list("question", flat=True)
    ) == [question.pk]


def test_the_front_shows_no_answer_and_the_back_is_fetched(
    student_client, student, essay, question
):
    response = _study(student_client, essay)
    assert response["Cache-Control"].count("no-store")
    assert "Which is right?" in response.text
    assert "Right answer" not in response.text
    assert "Wrong answer" not in response.text

    card = _card(student, question)
    back = student_client.get(
        reverse("card_back", args=[card.pk]), headers={"HX-Request": "true"}
    )
    assert back.status_code == 200
    assert "Right answer" in back.text
    assert "Wrong answer" not in back.text
    assert "<mark>The first claim is here.</mark>" in back.text
    assert "Because the essay says so." in back.text
    # The buttons show what each rating would schedule.
    assert "1m" in back.text
    assert "10m" in back.text
    assert "<html" not in back.text


def test_the_passage_escapes_teacher_content(student_client, student, essay, claim):
    question = QuestionFactory(
        essay=essay, claim=claim, kind=Question.Kind.TRUE_FALSE, is_true=False
    )
    _study(student_client, essay)
    back = student_client.get(reverse("card_back", args=[_card(student, question).pk]))
    assert "<script>alert(1)</script>" not in back.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in back.text
    assert "False" in back.text


def test_fronts_by_kind(student_client, student, essay):
    tf = QuestionFactory(
        essay=essay, kind=Question.Kind.TRUE_FALSE, is_true=True, prompt="Stalin ruled."
    )
    response = _study(student_client, essay)
    assert "Stalin ruled." in response.text
    assert "True or false?" in response.text
    _retire(tf)

    pair = MatchPairFactory(question__essay=essay, left="Yezhov", right="NKVD chief")
    response = _study(student_client, essay)
    assert "Yezhov" in response.text
    assert "NKVD chief" not in response.text
    back = student_client.get(
        reverse("card_back", args=[_card(student, pair.question).pk])
    )
    assert "NKVD chief" in back.text
    _retire(pair.question)

    answer = AcceptedAnswerFactory(
        question__essay=essay, question__prompt="The _____ began in 1936.", text="purge"
    )
    response = _study(student_client, essay)
    front = _front(response)
    assert "The _____ began in 1936." in front
    assert "purge" not in front
    back = student_client.get(
        reverse("card_back", args=[_card(student, answer.question).pk])
    )
    assert "<strong>purge</strong>" in back.text


def test_rating_reschedules_and_shows_the_next_card(
    student_client, student, essay, question
):
    second = single_choice_question(essay=essay, prompt="Second question?")
    _study(student_client, essay)
    card = _card(student, question)
    response = _rate(student_client, card, rating=3)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    card.refresh_from_db()
    assert card.reps == 1
    assert card.due > timezone.now() + timedelta(minutes=9)
    review = Review.objects.get(card=card)
    assert review.rating == 3
    assert review.duration_ms == 1500
    assert review.state_before["last_review"] is None
    assert "Second question?" in response.text
    assert f'name="review" value="{review.pk}"' in response.text
    assert second.prompt in response.text


def test_a_review_card_is_due_when_the_button_it_was_rated_with_said(
    student_client, student, question
):
    now = timezone.now()
    card = CardFactory(
        student=student,
        question=question,
        state=Card.State.REVIEW,
        step=None,
        stability=8.0,
        difficulty=5.0,
        due=now,
        last_review=now - timedelta(days=8),
        reps=4,
    )
    # Three times (rate, undo), as a random interval could match once by luck.
    for _ in range(3):
        back = student_client.get(
            reverse("card_back", args=[card.pk]), headers={"HX-Request": "true"}
        )
        days = int(re.search(r'aria-label="Good, next in (\d+)d ', back.text)[1])
        assert days > 7  # long enough for fsrs to fuzz it, were fuzzing on
        _rate(student_client, card, rating=3)
        card.refresh_from_db()
        review = Review.objects.get()
        assert card.due == review.reviewed_at + timedelta(days=days)
        student_client.post(
            reverse("rating_undo", args=[card.pk]), {"review": review.pk}
        )
        card.refresh_from_db()
        assert card.reps == 4


def test_duration_is_clamped(student_client, student, essay, question):
    _study(student_client, essay)
    card = _card(student, question)
    _rate(student_client, card, duration_ms=99_999_999)
    assert Review.objects.get().duration_ms == 10 * 60 * 1000


def test_a_doubled_rating_post_reviews_once(student_client, student, essay, question):
    _study(student_client, essay)
    card = _card(student, question)
    first = _rate(student_client, card, rating=4)
    again = _rate(student_client, card, rating=1)  # the same stale token
    assert first.status_code == again.status_code == 200
    assert Review.objects.count() == 1
    card.refresh_from_db()
    assert card.reps == 1
    assert Review.objects.get().rating == 4
    assert "All done for today" in again.text


def test_rating_someone_elses_card_is_404(
    student_client, other_student, essay, question
):
    card = CardFactory(student=other_student, question=question)
    response = _rate(student_client, card)
    assert response.status_code == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"rating": 5, "token": 0},
        {"rating": 0, "token": 0},
        {"rating": "good", "token": 0},
        {"token": 0},
        {"rating": 3},
        {"rating": 3, "token": "x"},
        {"rating": 3, "token": 0, "duration_ms": "-4"},
    ],
)
def test_bad_rating_posts_are_400_and_change_nothing(
    student_client, student, essay, question, data
):
    _study(student_client, essay)
    card = _card(student, question)
    response = student_client.post(reverse("card_rate", args=[card.pk]), data)
    assert response.status_code == 400
    card.refresh_from_db()
    assert card.reps == 0
    assert not Review.objects.exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_rating_shows_its_message_in_the_study_area_keeping_the_card(
    student_client, student, essay, question, htmx
):
    # Never a bare text: htmx swaps the study area in (study.js lets a 400
    # through), and without htmx the whole page comes back, styled.
    _study(student_client, essay)
    card = _card(student, question)
    headers = {"HX-Request": "true"} if htmx else {}
    response = student_client.post(
        reverse("card_rate", args=[card.pk]),
        {"rating": 9, "token": 0},
        headers=headers,
    )
    assert response.status_code == 400
    text = response.text
    assert text.lstrip().startswith('<div id="study-area"' if htmx else "<!doctype")
    alert = r'<p class="[^"]*study-problem" role="alert">([^<]*)</p>'
    assert re.findall(alert, text) == ["Rate the card with 1, 2, 3 or 4."]
    assert _shown(response) == card
    assert 'data-rating="3"' in text  # the answer side is kept, to rate again
    assert not Review.objects.exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_undo_shows_its_message_in_the_study_area(
    student_client, student, essay, question, htmx
):
    _study(student_client, essay)
    card = _card(student, question)
    headers = {"HX-Request": "true"} if htmx else {}
    response = student_client.post(
        reverse("rating_undo", args=[card.pk]), {"review": "x"}, headers=headers
    )
    assert response.status_code == 400
    assert 'role="alert">Which rating to undo?</p>' in response.text
    assert _shown(response) == card
    assert "<!doctype" not in response.text if htmx else "<!doctype" in response.text


def _undo(client, response):
    """Press the undo button the response shows."""
    card, review = re.search(
        r'action="/flashcards/cards/(\d+)/undo/".*?name="review" value="(\d+)"',
        response.text,
        re.S,
    ).groups()
    return client.post(
        reverse("rating_undo", args=[card]),
        {"review": review},
        headers={"HX-Request": "true"},
    )


def test_undo_goes_back_through_the_sessions_ratings(student_client, student, essay):
    questions = [single_choice_question(essay=essay, prompt=f"Q{n}?") for n in "abc"]
    _study(student_client, essay)
    cards = [_card(student, q) for q in questions]
    before = {c.pk: Card.objects.filter(pk=c.pk).values().get() for c in cards}
    rated = []
    response = None
    for _ in cards:
        card = _shown(response) if response else cards[0]
        response = _rate(student_client, card, rating=4)
        rated.append(card)
    assert "Undo Easy" in response.text
    # A reload keeps the undo.
    assert "Undo Easy" in _study(student_client, essay).text
    restored = []
    while "data-undo" in response.text:
        response = _undo(student_client, response)
        assert response.status_code == 200
        restored.append(_shown(response))
    assert restored == rated[::-1]
    assert not Review.objects.exists()
    for card in cards:
        assert Card.objects.filter(pk=card.pk).values().get() == before[card.pk]
    # The counts include the card shown after each undo.
    assert 'data-count="new">3<' in response.text


def test_only_a_cards_latest_rating_can_be_undone(
    student_client, student, essay, question
):
    _study(student_client, essay)
    card = _card(student, question)
    _rate(student_client, card, rating=1)
    first = Review.objects.get()
    card.refresh_from_db()
    _rate(student_client, card, rating=3)
    after = Card.objects.filter(pk=card.pk).values().get()
    response = student_client.post(
        reverse("rating_undo", args=[card.pk]),
        {"review": first.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Card.objects.filter(pk=card.pk).values().get() == after
    assert Review.objects.count() == 2


def test_the_next_card_is_never_a_sibling_of_the_one_just_rated(
    student_client, student, essay, claim
):
    first = single_choice_question(essay=essay, claim=claim, prompt="First?")
    single_choice_question(essay=essay, claim=claim, prompt="Sibling?")
    elsewhere = single_choice_question(essay=essay, prompt="Elsewhere?")
    _study(student_client, essay)
    response = _rate(student_client, _card(student, first), rating=4)
    assert _shown(response) == _card(student, elsewhere)
    assert 'data-count="new">1<' in response.text
    response = _rate(student_client, _card(student, elsewhere), rating=4)
    assert "All done for today" in response.text
    assert "1 card of sentences you studied today waits until tomorrow" in (
        response.text
    )


def test_the_answer_page_without_htmx_counts_the_card_it_shows(
    student_client, student, essay, question
):
    _study(student_client, essay)
    card = _card(student, question)
    response = student_client.get(reverse("card_back", args=[card.pk]))
    assert _shown(response) == card
    assert response.context["queue"].counts.new == 1
    assert 'data-rating="3"' in response.text


def test_undo_restores_the_card_and_removes_the_review(
    student_client, student, essay, question
):
    _study(student_client, essay)
    card = _card(student, question)
    before = Card.objects.filter(pk=card.pk).values().get()
    _rate(student_client, card, rating=1)
    review = Review.objects.get()
    url = reverse("rating_undo", args=[card.pk])
    response = student_client.post(
        url, {"review": review.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert not Review.objects.exists()
    assert Card.objects.filter(pk=card.pk).values().get() == before
    assert "Which is right?" in response.text
    # A second undo of the same review changes nothing.
    student_client.post(url, {"review": review.pk}, headers={"HX-Request": "true"})
    assert Card.objects.filter(pk=card.pk).values().get() == before


def test_undo_of_someone_elses_card_is_404(
    student_client, other_student, essay, question
):
    card = CardFactory(student=other_student, question=question)
    response = student_client.post(
        reverse("rating_undo", args=[card.pk]), {"review": 1}
    )
    assert response.status_code == 404


def test_rating_and_undo_need_the_csrf_token(student, essay, question):
    client = Client(enforce_csrf_checks=True)
    client.login(username=student.username, password=PASSWORD)
    page = client.get(reverse("study", args=[essay.slug]))
    start = reverse("study_start", args=[essay.slug])
    assert client.post(start).status_code == 403  # "Study now" needs it too
    token = page.context["csrf_token"]
    client.post(start, {"csrfmiddlewaretoken": str(token)})
    page = client.get(reverse("study", args=[essay.slug]))
    card = _card(student, question)
    data = {"rating": 3, "token": 0}
    assert client.post(reverse("card_rate", args=[card.pk]), data).status_code == 403
    assert (
        client.post(reverse("rating_undo", args=[card.pk]), {"review": 1}).status_code
        == 403
    )
    assert not Review.objects.exists()
    # The page carries the token for htmx in hx-headers.
    token = page.context["csrf_token"]
    assert f'"x-csrftoken": "{token}"' in page.text
    ok = client.post(
        reverse("card_rate", args=[card.pk]),
        data,
        headers={"X-CSRFToken": str(token), "HX-Request": "true"},
    )
    assert ok.status_code == 200
    assert Review.objects.count() == 1


@pytest.mark.parametrize("name", ["decks", "card_stats", "deck", "study", "deck_stats"])
def test_anonymous_users_are_sent_to_login(client, question, name):
    args = [] if name in {"decks", "card_stats"} else ["purge"]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_fragment_varies_on_hx_request(student_client, essay, question):
    response = _study(student_client, essay)
    assert "HX-Request" in response["Vary"]
    fragment = student_client.get(
        reverse("study", args=[essay.slug]), headers={"HX-Request": "true"}
    )
    assert fragment.text.lstrip().startswith('<div id="study-area"')


def test_new_card_limit_per_day(student_client, student, essay):
    for i in range(3):
        single_choice_question(essay=essay, prompt=f"Q{i}")
    _study(student_client, essay)  # makes the cards and the deck's settings
    DeckSettings.objects.filter(essay=essay).update(new_cards_per_day=2)
    for _ in range(2):
        card = _study(student_client, essay).context["card"]
        _rate(student_client, card, rating=4)
    response = _study(student_client, essay)
    assert response.context["card"] is None
    assert "All done for today" in response.text
    assert "More new cards tomorrow" in response.text
    assert "Study ahead" in response.text


def test_queue_order_learning_then_reviews_then_new(student, essay):
    now = timezone.now()
    new = CardFactory(student=student, question__essay=essay, due=now)
    review = CardFactory(
        student=student,
        question__essay=essay,
        state=Card.State.REVIEW,
        step=None,
        stability=5,
        difficulty=5,
        due=now - timedelta(days=1),
        last_review=now - timedelta(days=6),
        reps=3,
    )
    learning = CardFactory(
        student=student,
        question__essay=essay,
        state=Card.State.LEARNING,
        step=1,
        stability=2,
        difficulty=5,
        due=now - timedelta(minutes=1),
        last_review=now - timedelta(minutes=11),
        reps=1,
    )
    limits = DeckSettings(essay=essay)
    order = []
    for card in (learning, review, new):
        queue = selectors.queue.next_card(
            student=student, essay=essay, limits=limits, now=now
        )
        assert (
            queue.counts == selectors.queue.QueueCounts(new=1, learning=1, due=1)
            or order
        )
        order.append(queue.card)
        Card.objects.filter(pk=card.pk).update(suspended=True)
    assert order == [learning, review, new]


def test_questions_published_mid_session_wait_for_the_next_page_load(
    student_client, student, essay, question
):
    # The reviewer counts the cards it can show; the deck page counts every
    # published question, and the next full page load makes the new card.
    _study(student_client, essay)
    single_choice_question(essay=essay, prompt="Published later?")
    fragment = student_client.get(
        reverse("study", args=[essay.slug]), headers={"HX-Request": "true"}
    )
    assert 'data-count="new">1<' in fragment.text
    deck = student_client.get(reverse("deck", args=[essay.slug]))
    assert deck.context["deck"].counts.new == 2
    page = _study(student_client, essay)
    assert page.context["queue"].counts.new == 2


def test_section_scope(student_client, student, essay, question):
    other_section = SectionFactory(essay=essay, order=1, heading="Other")
    other = single_choice_question(
        essay=essay,
        claim=ClaimFactory(essay=essay, section=other_section, start=0, end=5),
        prompt="Other section question?",
    )
    response = _study(student_client, essay, section=1)
    assert response.context["card"].question == other
    assert "Other section question?" in response.text
    assert _study(student_client, essay, section=7).status_code == 404
    assert _study(student_client, essay, section="x").status_code == 404


def test_cram_mode_changes_nothing(student_client, student, essay, question):
    single_choice_question(essay=essay, prompt="Second?")
    _study(student_client, essay)
    card = _card(student, question)
    before = Card.objects.filter(pk=card.pk).values().get()
    response = _study(student_client, essay, cram=0)
    assert "Studying ahead" in response.text
    first = response.context["card"]
    response = _rate(student_client, first, rating=1, cram=0)
    assert response.status_code == 200
    assert not Review.objects.exists()
    assert Card.objects.filter(pk=card.pk).values().get() == before
    assert _shown(response) != first
    assert "undo" not in response.text.lower().replace("not saved", "")


def test_leeches_are_listed_on_the_deck_page(student_client, student, essay, question):
    CardFactory(
        student=student, question=question, is_leech=True, suspended=True, lapses=8
    )
    response = student_client.get(reverse("deck", args=[essay.slug]))
    assert "Which is right?" in response.text
    assert "8 lapses, suspended" in response.text


def test_editing_a_question_keeps_its_cards_and_history(
    student_client, student, essay, question
):
    _study(student_client, essay)
    card = _card(student, question)
    _rate(student_client, card, rating=3)
    question.prompt = "Which one is right, really?"
    question.save()
    card.refresh_from_db()
    assert card.reps == 1
    assert Review.objects.filter(card=card).count() == 1
    response = student_client.get(reverse("card_back", args=[card.pk]))
    assert "Which one is right, really?" in response.text


def test_stats_page(student_client, student, essay):
    now = timezone.now()
    studied = {"last_review": now - timedelta(days=5), "state": Card.State.REVIEW}
    for due in [now - timedelta(days=2), now] + [now + timedelta(days=2)] * 3:
        CardFactory(student=student, question__essay=essay, due=due, **studied)
    card = Card.objects.first()
    ReviewFactory.create_batch(2, card=card, reviewed_at=now)
    ReviewFactory(card=card, reviewed_at=now - timedelta(days=3))
    CardFactory(student=student, question__essay=essay)  # new: not in the forecast

    def day(delta: timedelta) -> str:
        return dateformat.format(now + delta, "D j M")

    for name, args in (("deck_stats", [essay.slug]), ("card_stats", [])):
        response = student_client.get(reverse(name, args=args))
        assert response.status_code == 200
        text = response.text
        assert (
            "5 reviews due in the next 30 days, 2 of them today: 2 to study now."
            in text
        )
        assert "the next 30 days; the busiest day has 3.</title>" in text
        assert f"<tr><td>{day(timedelta())}</td><td>2</td></tr>" in text
        assert f"<tr><td>{day(timedelta(days=2))}</td><td>3</td></tr>" in text
        assert "3 reviews on 2 of the last 90 days." in text
        assert "last 90 days: 3 reviews on 2 days.</title>" in text


def test_stats_tables_list_each_day_with_its_count(student_client, student, essay):
    # The charts' text alternative: a table of the days with reviews.
    now = timezone.now()
    card = CardFactory(student=student, question__essay=essay)
    ReviewFactory.create_batch(4, card=card, reviewed_at=now - timedelta(days=10))
    ReviewFactory(card=card, reviewed_at=now)
    response = student_client.get(reverse("deck_stats", args=[essay.slug]))
    history = response.text.split("Table of the reviews", 1)[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", history)
    assert rows == [
        (dateformat.format(now - timedelta(days=10), "D j M"), "4"),
        (dateformat.format(now, "D j M"), "1"),
    ]
    forecast = response.text.split("Table of the forecast", 1)[1].split("</table>")[0]
    assert "Nothing due." in forecast


def test_stats_tables_say_when_there_is_nothing(student_client, essay, question):
    response = student_client.get(reverse("deck_stats", args=[essay.slug]))
    assert "Nothing due." in response.text
    assert "No reviews yet." in response.text


# --- Query counts: fixed whatever the size of the deck -----------------------


def _bulk_deck(student, essay, section, n):
    """n cards over two sections, three to a claim: new, due, learning (rated
    today, so burying its claim) and due later."""
    sections = [section, SectionFactory(essay=essay, order=1, heading="Second")]
    after = essay.claims.aggregate(last=Max("order"))["last"] + 1
    claims = Claim.objects.bulk_create(
        Claim(
            essay=essay,
            section=sections[i % 2],
            order=after + i,
            key=f"bulk-{i}",
            text="The first claim is here.",
            start=9,
            end=33,
        )
        for i in range(n // 3 + 1)
    )
    questions = Question.objects.bulk_create(
        Question(
            essay=essay,
            claim=claims[i // 3],
            kind=Question.Kind.TRUE_FALSE,
            is_true=True,
            status=Question.Status.PUBLISHED,
            prompt=f"Statement {i}",
        )
        for i in range(n)
    )
    now = timezone.now()
    studied = {"stability": 5, "difficulty": 5, "reps": 2, "step": None}
    kinds = [
        {},
        {"state": Card.State.REVIEW, "due": now - timedelta(days=1)},
        {
            "state": Card.State.LEARNING,
            "step": 1,
            "due": now - timedelta(minutes=1),
            "last_review": now - timedelta(minutes=11),
        },
        {"state": Card.State.REVIEW, "due": now + timedelta(days=5)},
    ]
    cards = []
    for i, question in enumerate(questions):
        kind = kinds[i % len(kinds)]
        values = {"due": now} | (studied if kind else {}) | kind
        if kind and "last_review" not in kind:
            values["last_review"] = now - timedelta(days=3)
        cards.append(Card(student=student, question=question, **values))
    Card.objects.bulk_create(cards)
    ReviewFactory.create_batch(3, card=cards[2], reviewed_at=now - timedelta(days=2))


# Queries per page, whatever the size of the deck (the session and the user
# are 2 of each; a rating or an undo's transaction adds 2 savepoints; a
# rating that schedules its card past tomorrow asks which flashcard goals
# cover it, services.cards._goals_of; a flip asks whether an open quiz
# attempt holds the card back, a rating reads that with its card; the next
# card, its counts and the undo are one query).
QUERIES = {
    "study page": 5,
    "next card": 4,
    "flip": 4,
    # A rating and its undo each mark the Teach pages (services.stamps).
    "rating": 10,
    "undo": 10,
    "deck page": 8,
    "deck list": 6,
    "statistics": 10,
}


@pytest.mark.parametrize("size", [10, 2000])
@pytest.mark.parametrize("scope", [{}, {"section": 0}])
def test_query_counts(
    student_client, student, essay, claim, size, scope, django_assert_max_num_queries
):
    _bulk_deck(student, essay, claim.section, size)
    MatchPairFactory(question__essay=essay, question__claim=claim, left="L", right="R")
    htmx = {"HX-Request": "true"}
    url = reverse("study", args=[essay.slug])
    _study(student_client, essay)  # the first study saves the deck's settings
    # Within a section, each study request checks the section: one query more.
    with django_assert_max_num_queries(QUERIES["study page"] + len(scope)):
        page = student_client.get(url, scope)
    assert page.context["queue"].counts.total > 0
    with django_assert_max_num_queries(QUERIES["next card"] + len(scope)):
        fragment = student_client.get(url, scope, headers=htmx)
    card = _shown(fragment)
    with django_assert_max_num_queries(QUERIES["flip"] + len(scope)):
        back = student_client.get(
            reverse("card_back", args=[card.pk]), scope, headers=htmx
        )
    assert 'data-rating="3"' in back.text
    with django_assert_max_num_queries(QUERIES["rating"] + len(scope)):
        response = _rate(student_client, card, rating=3, **scope)
    assert _shown(response) not in (None, card)
    review = Review.objects.latest("pk")
    with django_assert_max_num_queries(QUERIES["undo"] + len(scope)):
        response = student_client.post(
            reverse("rating_undo", args=[card.pk]),
            {"review": review.pk, **scope},
            headers=htmx,
        )
    assert _shown(response) == card
    pages = {
        "deck page": reverse("deck", args=[essay.slug]),
        "deck list": reverse("decks"),
        "statistics": reverse("deck_stats", args=[essay.slug]),
    }
    for name, page_url in pages.items():
        with django_assert_max_num_queries(QUERIES[name]):
            response = student_client.get(page_url)
        assert response.status_code == 200, name


# --- The scope of a rating or an undo is checked before anything is saved ----

HUGE = 2**70


@pytest.mark.parametrize(
    "scope",
    [{"section": HUGE}, {"cram": HUGE}, {"section": 99}, {"section": -1}],
)
def test_a_rating_with_a_bad_scope_is_400_and_saves_nothing(
    student_client, student, essay, question, scope
):
    _study(student_client, essay)
    card = _card(student, question)
    before = Card.objects.filter(pk=card.pk).values().get()
    response = _rate(student_client, card, rating=3, **scope)
    assert response.status_code == 400
    assert "No such part of this deck" in response.text
    assert Card.objects.filter(pk=card.pk).values().get() == before
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "scope", [{"section": HUGE}, {"section": 99}, {"section": "x"}]
)
def test_an_undo_with_a_bad_scope_is_400_and_changes_nothing(
    student_client, student, essay, question, scope
):
    _study(student_client, essay)
    card = _card(student, question)
    _rate(student_client, card, rating=1)
    after = Card.objects.filter(pk=card.pk).values().get()
    review = Review.objects.get()
    response = student_client.post(
        reverse("rating_undo", args=[card.pk]),
        {"review": review.pk, **scope},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "No such part of this deck" in response.text
    assert Card.objects.filter(pk=card.pk).values().get() == after
    assert list(Review.objects.all()) == [review]


def test_a_rating_and_an_undo_within_a_section_carry_on_in_it(
    student_client, student, essay, question
):
    # Another claim of the section: the first one's other cards are buried.
    later = single_choice_question(
        essay=essay,
        claim=ClaimFactory(essay=essay, section=question.claim.section, order=5),
        prompt="Same section?",
    )
    _study(student_client, essay, section=0)
    card = _card(student, question)
    response = _rate(student_client, card, rating=3, section=0)
    assert response.status_code == 200
    assert _shown(response) == _card(student, later)
    assert 'name="section" value="0"' in response.text
    review = Review.objects.get()
    response = student_client.post(
        reverse("rating_undo", args=[card.pk]),
        {"review": review.pk, "section": 0},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert _shown(response) == card
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("study", {"section": HUGE}),
        ("study", {"cram": HUGE}),
        ("study", {"section": 99, "htmx": True}),
        ("card_back", {"section": HUGE}),
        ("card_back", {"section": 99, "htmx": True}),
    ],
)
def test_a_page_of_no_part_of_the_deck_is_404(
    student_client, student, essay, question, name, params
):
    _study(student_client, essay)
    arg = essay.slug if name == "study" else _card(student, question).pk
    headers = {"HX-Request": "true"} if params.pop("htmx", False) else {}
    response = student_client.get(reverse(name, args=[arg]), params, headers=headers)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["card_rate", "rating_undo"])
def test_posts_for_out_of_range_ids_are_refused(student_client, essay, name):
    data = {"rating": 3, "token": 0, "review": HUGE}
    response = student_client.post(reverse(name, args=[HUGE]), data)
    assert response.status_code in (400, 404)
    response = student_client.post(reverse(name, args=[1]), data | {"token": HUGE})
    assert response.status_code in (400, 404)


def test_studying_a_deck_by_get_writes_nothing(
    student_client, student, essay, question
):
    """A GET of the study page made the student's cards (and the deck's
    settings): a crawler or a prefetch wrote rows. Cards are made by "Study
    now" (a POST), and a GET offers the ones not made yet."""
    url = reverse("study", args=[essay.slug])

    page = student_client.get(url)

    assert page.status_code == 200
    assert not Card.objects.exists()
    assert not DeckSettings.objects.exists()
    assert "1 card to start" in page.text
    start = reverse("study_start", args=[essay.slug])
    assert f'action="{start}"' in page.text
    order = question.claim.section.order
    response = student_client.post(start, {"section": order})
    assert response.status_code == 302
    assert response.url == f"{url}?section={order}"
    assert _card(student, question)
    page = student_client.get(url)
    assert "to start" not in page.text
    assert 'data-card="' in page.text
    # A question published since is offered, not made, by the next GET.
    later = single_choice_question(essay=essay, claim=question.claim, prompt="New one?")
    page = student_client.get(url)
    assert Card.objects.count() == 1
    assert "1 new card was published for this deck." in page.text
    student_client.post(start)
    assert Card.objects.filter(question=later).exists()


def test_study_now_on_the_deck_pages_is_a_post(student_client, essay, question):
    start = reverse("study_start", args=[essay.slug])
    for page in (reverse("decks"), reverse("deck", args=[essay.slug])):
        text = student_client.get(page).text
        assert f'<form method="post" action="{start}"' in text
        assert 'href="' + reverse("study", args=[essay.slug]) + '"' not in text


def test_a_quizs_cards_wait_while_the_student_has_an_open_attempt(
    student_client, student, essay, question
):
    """A student read 64 card backs during a timed "never reveal" quiz and
    scored 100 %: while an attempt is open, the cards of its questions are
    out of the queue and the counts, and their backs and ratings refused."""
    from quizzes import services
    from tests.factories import quiz_with

    other = single_choice_question(essay=essay, claim=question.claim, prompt="Other?")
    student_client.post(reverse("study_start", args=[essay.slug]))
    held, free = _card(student, question), _card(student, other)
    quiz = quiz_with([question])
    attempt = services.attempts.attempt_start(quiz=quiz, student=student)
    back = reverse("card_back", args=[held.pk])
    rate = reverse("card_rate", args=[held.pk])

    page = student_client.get(reverse("study", args=[essay.slug]))
    refused = student_client.get(back)
    rated = student_client.post(rate, {"rating": 3, "token": held.reps})
    counts = selectors.queue.deck_counts(
        student=student, essays=[essay], now=timezone.now()
    )

    assert f'data-card="{free.pk}"' in page.text
    assert f'data-card="{held.pk}"' not in page.text
    assert refused.status_code == 409
    assert "waits until you finish your quiz" in refused.text
    assert "Which is right?" not in refused.text
    assert rated.status_code == 400
    assert "waits until you finish your quiz" in rated.text
    assert not Review.objects.filter(card=held).exists()
    assert counts[essay.pk].total == 1
    # Handed in, the card comes back.
    services.attempts.attempt_finish(attempt=attempt, now=timezone.now())
    assert student_client.get(back).status_code == 200


def test_an_exam_only_quizs_cards_wait_until_its_assignment_closes(
    student_client, student, other_student, essay, question
):
    """A teacher marks a quiz "exam only": its questions stay out of the
    decks of the students it is assigned to until the assignment closes;
    another student, not in the class, studies them as ever."""
    from tests.factories import AssignmentFactory, ClassroomFactory, quiz_with

    quiz = quiz_with([question])
    quiz.exam_only = True
    quiz.save()
    assignment = AssignmentFactory(
        classroom=ClassroomFactory(students=[student]), quiz=quiz
    )
    student_client.post(reverse("study_start", args=[essay.slug]))
    card = _card(student, question)
    back = reverse("card_back", args=[card.pk])
    now = timezone.now()

    assert student_client.get(back).status_code == 409
    assert (
        selectors.queue.deck_counts(student=student, essays=[essay], now=now)[
            essay.pk
        ].total
        == 0
    )
    assert (
        selectors.queue.deck_counts(student=other_student, essays=[essay], now=now)[
            essay.pk
        ].total
        == 1
    )
    assignment.closes_at = assignment.due_at = now - timedelta(minutes=1)
    assignment.opens_at = now - timedelta(days=2)
    assignment.save()
    assert student_client.get(back).status_code == 200
