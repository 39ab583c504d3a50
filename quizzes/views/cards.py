"""Flashcards: the deck list, a deck's page, the study page (front, back,
rating, undo) and statistics."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes import charts, grading, scheduling, services
from quizzes.forms import RateForm, ScopeForm, UndoForm
from quizzes.models import Card, DeckSettings, Essay, Review, Section
from quizzes.selectors import decks as deck_reads
from quizzes.selectors import queue as queue_reads
from quizzes.selectors import stats as stat_reads
from quizzes.selectors.questions import question_parts, question_snapshot
from quizzes.views import HtmxHttpRequest
from quizzes.views.links import links

NO_SUCH_PART = "No such part of this deck: go back to the deck and choose again."
HELD = (
    "This card waits until you finish your quiz: its answer is one of the "
    "quiz's. It comes back when you hand the quiz in."
)
STUDY = "quizzes/study.html"


def _deck_or_404(slug: str, *, student=None) -> Essay:
    essay = deck_reads.deck_essay(slug, student=student)
    if essay is None:
        raise Http404("No such deck.")
    return essay


def _section_or_404(essay: Essay, section: int | None) -> Section | None:
    if section is None:
        return None
    return get_object_or_404(essay.sections, order=section)


def _scope(data, *, essay: Essay) -> dict:
    """The section and position asked for; 404 unless they are in the deck."""
    form = ScopeForm(data)
    if not form.is_valid():
        raise Http404(NO_SUCH_PART)
    section = form.cleaned_data["section"]
    return form.cleaned_data | {"section_obj": _section_or_404(essay, section)}


def _bad_post(form: forms.Form, *, card_id: int, student) -> str | None:
    """Why a rating or undo POST is refused, or None.

    Checked before anything is saved: the page shown after the write
    continues in the posted section, so it must be a section of the card's
    deck.
    """
    if form.is_valid():
        section = form.cleaned_data["section"]
        if (
            section is None
            or Section.objects.filter(
                order=section,
                essay__questions__cards__pk=card_id,
                essay__questions__cards__student=student,
            ).exists()
        ):
            return None
        return NO_SUCH_PART
    if "section" in form.errors or "cram" in form.errors:
        return NO_SUCH_PART
    if "review" in form.errors:
        return "Which rating to undo?"
    return "Rate the card with 1, 2, 3 or 4."


def _scope_query(section: int | None, cram: int | None = None) -> str:
    pairs = (("section", section), ("cram", cram))
    params = {key: value for key, value in pairs if value is not None}
    return "?" + urlencode(params) if params else ""


def _back(card: Card, *, now) -> dict:
    """The answer side: the right answer, the passage, and each rating's interval."""
    question = card.question
    snapshot = question_snapshot(
        question,
        question_parts(question),
        seed=0,
        shuffle_choices=False,
        essay=question.essay,
    )
    scheduler = scheduling.build_scheduler(DeckSettings.for_essay(question.essay))
    intervals = scheduling.preview_intervals(
        scheduler, card.pk, services.cards.card_state(card), now=now
    )
    return {
        "answers": grading.right_answers(snapshot),
        "pairs": snapshot["pairs"],
        "passage": snapshot["passage"],
        "ratings": [
            (value, label, scheduling.format_interval(intervals[value]))
            for value, label in Review.Rating.choices
        ],
    }


def _study(
    request: HtmxHttpRequest,
    *,
    essay: Essay,
    section: int | None,
    section_obj: Section | None = None,
    cram: int | None = None,
    first: int | None = None,
    flip: bool = False,
    problem: str | None = None,
    status: int = 200,
    missing: int = 0,
) -> HttpResponse:
    """The study page at its next card (`first` in front, its answer shown if
    `flip`), or (htmx) just the study area."""
    now = timezone.now()
    student = request.user
    queue = queue_reads.study_queue(
        student=student, essay=essay, section=section, now=now, cram=cram, first=first
    )
    context = {
        "essay": essay,
        "section": section,
        "section_obj": section_obj,
        "cram": cram,
        "queue": queue,
        "card": queue.card,
        "now": now,
        "problem": problem,
        "undo": queue.undo,
        "scope_query": _scope_query(section, cram),
        "limits": DeckSettings.for_essay(essay),
        "missing": missing,
    }
    if flip and queue.card is not None and queue.card.pk == first:
        context |= {"flipped": True, **_back(queue.card, now=now)}
    template_name = STUDY
    # A history restore wants the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#study_area"
    return render(request, template_name, context, status=status)


def _refused(
    request: HtmxHttpRequest, form: forms.Form, *, pk: int, problem: str, flip: bool
) -> HttpResponse:
    """A refused rating or undo: the study area again, the message inside it
    and the card kept (status 400: study.js lets htmx swap it in)."""
    cards = Card.objects.select_related("question__essay__deck_settings")
    card = get_object_or_404(cards, pk=pk, student=request.user)
    scope = {}
    if problem != NO_SUCH_PART:
        scope = {key: form.cleaned_data.get(key) for key in ("section", "cram")}
    return _study(
        request,
        essay=card.question.essay,
        section=scope.get("section"),
        cram=scope.get("cram"),
        first=pk if flip else None,
        flip=flip,
        problem=problem,
        status=400,
    )


def _held(card_id: int, student) -> bool:
    """Whether the card is held back for its student (an open quiz attempt,
    an exam not closed yet)."""
    return queue_reads.card_held(student=student, card_id=card_id, now=timezone.now())


def _held_page(request: HtmxHttpRequest, card: Card) -> HttpResponse:
    context = {
        "heading": "Card held back",
        "error": HELD,
        "back_url": reverse("deck", args=[card.question.essay.slug]),
        "back_label": "Back to the deck",
    }
    return render(request, "quizzes/attempt_error.html", context, status=409)


@require_GET
@login_required
def decks(request: HtmxHttpRequest) -> HttpResponse:
    rows = deck_reads.decks(student=request.user, now=timezone.now())
    # Each deck's three links, reversed once for the list (views.links).
    deck, start = links("deck", kind="slug"), links("study_start", kind="slug")
    stats = links("deck_stats", kind="slug")
    decks = [
        (essay, counts, deck(essay.slug), start(essay.slug), stats(essay.slug))
        for essay, counts in rows
    ]
    return render(request, "quizzes/decks.html", {"decks": decks})


@require_GET
@login_required
def deck(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(Essay.objects.select_related("deck_settings"), slug=slug)
    now = timezone.now()
    context = {
        "essay": essay,
        "deck": deck_reads.deck_page(student=request.user, essay=essay, now=now),
        "leeches": deck_reads.leeches(student=request.user, essay=essay),
        "now": now,
    }
    return render(request, "quizzes/deck.html", context)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def study(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The study page: the full page, or (htmx) the next card."""
    full = not request.htmx
    essay = _deck_or_404(slug, student=request.user if full else None)
    scope = _scope(request.GET, essay=essay)
    # A GET writes nothing: the cards of questions published since the
    # student last started are offered (study_start makes them).
    missing = 0
    if full and not essay.cards_made:
        missing = deck_reads.cards_missing(student=request.user, essay=essay)
    return _study(request, essay=essay, missing=missing, **scope)


@require_POST
@login_required
def study_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Make the student's cards for the deck's published questions (those
    published since too), then study: "Study now" posts here."""
    essay = get_object_or_404(Essay, slug=slug)
    scope = _scope(request.POST, essay=essay)
    services.cards.deck_cards_create(
        student=request.user, essay=essay, now=timezone.now()
    )
    query = _scope_query(scope["section"], scope["cram"])
    return redirect(reverse("study", args=[essay.slug]) + query)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def card_back(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The answer side, fetched only when the student flips the card."""
    cards = Card.objects.select_related(
        "question__claim__section", "question__essay__deck_settings"
    )
    card = get_object_or_404(cards, pk=pk, student=request.user)
    if _held(card.pk, request.user):
        return _held_page(request, card)
    scope = _scope(request.GET, essay=card.question.essay)
    if request.htmx and not request.htmx.history_restore_request:
        now = timezone.now()
        context = {"card": card, "now": now, **scope, **_back(card, now=now)}
        return render(request, f"{STUDY}#back", context)
    # Without htmx, the whole study page with this card flipped (when it is
    # still the one to show: the counts are the queue's).
    return _study(request, essay=card.question.essay, first=pk, flip=True, **scope)


@require_POST
@login_required
@never_cache
def card_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = RateForm(request.POST)
    if problem := _bad_post(form, card_id=pk, student=request.user):
        return _refused(request, form, pk=pk, problem=problem, flip=True)
    data = form.cleaned_data
    try:
        card, _review = services.cards.card_rate(
            student=request.user,
            card_id=pk,
            rating=data["rating"],
            token=data["token"],
            duration_ms=data["duration_ms"],
            now=timezone.now(),
            studying_ahead=data["cram"] is not None,
        )
    except Card.DoesNotExist:
        raise Http404("No such card.") from None
    except services.cards.CardHeld:
        return _refused(request, form, pk=pk, problem=HELD, flip=False)
    cram = None if data["cram"] is None else data["cram"] + 1
    essay = card.question.essay
    if not request.htmx:
        query = _scope_query(data["section"], cram)
        return redirect(reverse("study", args=[essay.slug]) + query)
    return _study(request, essay=essay, section=data["section"], cram=cram)


@require_POST
@login_required
@never_cache
def rating_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Take back a rating (if `review` is still its card's latest); the study
    area then offers the rating before it, back through the day's ratings."""
    form = UndoForm(request.POST)
    if problem := _bad_post(form, card_id=pk, student=request.user):
        return _refused(request, form, pk=pk, problem=problem, flip=False)
    section = form.cleaned_data["section"]
    try:
        card, undone = services.cards.rating_undo(
            student=request.user, card_id=pk, review_id=form.cleaned_data["review"]
        )
    except Card.DoesNotExist:
        raise Http404("No such card.") from None
    essay = card.question.essay
    if not request.htmx:
        return redirect(reverse("study", args=[essay.slug]) + _scope_query(section))
    first = card.pk if undone else None
    return _study(request, essay=essay, section=section, first=first)


@require_GET
@login_required
def stats(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    essays = Essay.objects.select_related("deck_settings")
    essay = get_object_or_404(essays, slug=slug) if slug else None
    scope = {"student": request.user, "now": timezone.now(), "essay": essay}
    forecast = stat_reads.due_forecast(**scope)
    history = stat_reads.reviews_per_day(**scope)
    passed, total = stat_reads.true_retention(**scope)
    context = {
        "essay": essay,
        "chart": charts.bars(forecast.days),
        "forecast_total": sum(n for _day, n in forecast.days),
        "today": forecast.days[0][1],
        "due_now": forecast.now,
        "later_today": forecast.later_today,
        "heatmap": charts.heatmap(history),
        "history_total": sum(n for _day, n in history),
        "history_days": sum(1 for _day, n in history if n),
        "retention": (passed, total, passed / total if total else None),
        "sections": stat_reads.section_retrievability(**scope),
    }
    return render(request, "quizzes/card_stats.html", context)
