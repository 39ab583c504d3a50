"""Flashcards: deck list, deck page, the reviewer, statistics."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from quizzes import progress, scheduling, services
from quizzes.models import Card, Essay, Question, Review, Section


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# Larger numbers are no section or position of any deck, and would overflow
# the database's integers.
_MAX_POSITION = 2**31 - 1
NO_SUCH_PART = "No such part of this deck: go back to the deck and choose again."


class ScopeForm(forms.Form):
    """Which part of a deck: a section (by order) and, for study ahead, a position."""

    section = forms.IntegerField(min_value=0, max_value=_MAX_POSITION, required=False)
    cram = forms.IntegerField(min_value=0, max_value=_MAX_POSITION, required=False)


class RateForm(ScopeForm):
    rating = forms.TypedChoiceField(choices=Review.Rating.choices, coerce=int)
    token = forms.IntegerField(min_value=0)
    duration_ms = forms.IntegerField(min_value=0, required=False)


class UndoForm(ScopeForm):
    review = forms.IntegerField(min_value=1)


def _scope(data, *, essay: Essay) -> dict:
    """The section and position asked for; 404 unless they are in the deck."""
    form = ScopeForm(data)
    if not form.is_valid():
        raise Http404(NO_SUCH_PART)
    return form.cleaned_data | {
        "section_obj": _section_or_404(essay, form.cleaned_data["section"])
    }


def _bad_post(form: forms.Form, *, card_id: int, student) -> str | None:
    """Why a rating or undo POST is refused, or None.

    Checked before anything is saved: the reviewer shown after the write
    continues in the posted section, so it must be a section of the card's
    deck.
    """
    if form.is_valid():
        section = form.cleaned_data["section"]
        if section is None or _card_deck_has_section(card_id, student, section):
            return None
        return NO_SUCH_PART
    if "section" in form.errors or "cram" in form.errors:
        return NO_SUCH_PART
    if "review" in form.errors:
        return "Which review to undo?"
    return "Rate the card with 1, 2, 3 or 4."


def _card_deck_has_section(card_id: int, student, section: int) -> bool:
    return Section.objects.filter(
        order=section,
        essay__questions__cards__pk=card_id,
        essay__questions__cards__student=student,
    ).exists()


def _scope_query(section: int | None, cram: int | None = None) -> str:
    pairs = (("section", section), ("cram", cram))
    params = {key: value for key, value in pairs if value is not None}
    return "?" + urlencode(params) if params else ""


def _passage(question: Question) -> SafeString | None:
    """The claim's section with the claim marked; every piece escaped."""
    claim = question.claim
    if claim is None:
        return None
    body, section = question.essay.body, claim.section
    start, end = min(section.start, claim.start), max(section.end, claim.end)
    return format_html(
        "{}<mark>{}</mark>{}",
        body[start : claim.start],
        body[claim.start : claim.end],
        body[claim.end : end],
    )


def _answers(question: Question) -> list:
    match question.kind:
        case Question.Kind.SINGLE | Question.Kind.MULTIPLE:
            return [c.text for c in question.choices.all() if c.is_correct]
        case Question.Kind.CLOZE:
            return [a.text for a in question.accepted_answers.all()]
        case Question.Kind.TRUE_FALSE:
            return ["True" if question.is_true else "False"]
        case Question.Kind.MATCHING:
            return [(p.left, p.right) for p in question.pairs.all()]
    return []


def _back(card: Card, *, now) -> dict:
    question = card.question
    limits = progress.deck_settings_or_default(question.essay)
    scheduler = scheduling.build_scheduler(limits)
    intervals = scheduling.preview_intervals(
        scheduler, card.pk, services.card_state(card), now=now
    )
    answers = _answers(question)
    return {
        "answers": answers,
        "passage": _passage(question),
        "ratings": [
            (value, label, scheduling.format_interval(intervals[value]))
            for value, label in Review.Rating.choices
        ],
    }


def _reviewer(
    request: HtmxHttpRequest,
    *,
    essay: Essay,
    section: int | None,
    section_obj: Section | None = None,
    cram: int | None = None,
    first: int | None = None,
    undo: Review | None = None,
) -> HttpResponse:
    now = timezone.now()
    if cram is not None:
        card = progress.cram_card(
            student=request.user, essay=essay, section=section, position=cram
        )
        queue = progress.Queue(card=card, counts=progress.QueueCounts())
    else:
        queue = progress.next_card(
            student=request.user,
            essay=essay,
            limits=progress.deck_settings_or_default(essay),
            now=now,
            section=section,
            first=first,
        )
    context = {
        "essay": essay,
        "section": section,
        "cram": cram,
        "queue": queue,
        "card": queue.card,
        "undo": undo,
        "now": now,
        "scope_query": _scope_query(section, cram),
        "limits": progress.deck_settings_or_default(essay),
        "section_obj": section_obj,
    }
    template_name = "quizzes/review.html"
    if request.htmx:
        template_name += "#reviewer"
    return render(request, template_name, context)


def _section_or_404(essay: Essay, section: int | None):
    if section is None:
        return None
    return get_object_or_404(essay.sections, order=section)


@require_GET
@login_required
def decks(request: HtmxHttpRequest) -> HttpResponse:
    rows = progress.decks(student=request.user, now=timezone.now())
    return render(request, "quizzes/decks.html", {"decks": rows})


@require_GET
@login_required
def deck(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    essay = get_object_or_404(Essay.objects.select_related("deck_settings"), slug=slug)
    now = timezone.now()
    context = {
        "essay": essay,
        "sections": progress.deck_sections(student=request.user, essay=essay, now=now),
        "queue": progress.queue_summary(
            student=request.user,
            essay=essay,
            limits=progress.deck_settings_or_default(essay),
            now=now,
        ),
        "leeches": progress.leeches(student=request.user, essay=essay),
        "now": now,
    }
    return render(request, "quizzes/deck.html", context)


@require_GET
@login_required
@never_cache
@vary_on_headers("HX-Request")
def review(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The reviewer: the full page, or (htmx) the next card."""
    essay = get_object_or_404(Essay.objects.select_related("deck_settings"), slug=slug)
    scope = _scope(request.GET, essay=essay)
    if not request.htmx:
        # Cards are made when a student first studies a deck, and again for
        # questions published since.
        services.deck_cards_create(
            student=request.user, essay=essay, now=timezone.now()
        )
        essay = Essay.objects.select_related("deck_settings").get(pk=essay.pk)
    return _reviewer(request, essay=essay, **scope)


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
    essay = card.question.essay
    scope = _scope(request.GET, essay=essay)
    now = timezone.now()
    context = {"card": card, "now": now, **scope, **_back(card, now=now)}
    if request.htmx:
        return render(request, "quizzes/review.html#back", context)
    card.front_items = [p.left for p in card.question.pairs.all()]
    context |= {
        "essay": essay,
        "queue": progress.Queue(card=card, counts=progress.QueueCounts()),
        "flipped": True,
        "scope_query": _scope_query(scope["section"], scope["cram"]),
    }
    return render(request, "quizzes/review.html", context)


@require_POST
@login_required
@never_cache
def card_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = RateForm(request.POST)
    if problem := _bad_post(form, card_id=pk, student=request.user):
        return HttpResponseBadRequest(problem)
    data = form.cleaned_data
    scope = {"section": data["section"], "cram": data["cram"]}
    if data["cram"] is not None:
        # Studying ahead never changes the schedule: nothing is stored.
        cards = Card.objects.select_related("question__essay__deck_settings")
        card = get_object_or_404(cards, pk=pk, student=request.user)
        scope["cram"] += 1
    else:
        try:
            card, review_ = services.card_review(
                student=request.user,
                card_id=pk,
                rating=data["rating"],
                token=data["token"],
                duration_ms=data["duration_ms"],
                now=timezone.now(),
            )
        except Card.DoesNotExist:
            raise Http404("No such card.") from None
        scope["undo"] = review_
    essay = card.question.essay
    if not request.htmx:
        query = _scope_query(scope["section"], scope["cram"])
        return redirect(reverse("review", args=[essay.slug]) + query)
    return _reviewer(request, essay=essay, **scope)


@require_POST
@login_required
@never_cache
def review_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Take back the card's last rating (if `review` is still its last)."""
    form = UndoForm(request.POST)
    if problem := _bad_post(form, card_id=pk, student=request.user):
        return HttpResponseBadRequest(problem)
    section = form.cleaned_data["section"]
    try:
        card, undone = services.review_undo(
            student=request.user, card_id=pk, review_id=form.cleaned_data["review"]
        )
    except Card.DoesNotExist:
        raise Http404("No such card.") from None
    essay = card.question.essay
    if not request.htmx:
        return redirect(reverse("review", args=[essay.slug]) + _scope_query(section))
    return _reviewer(
        request, essay=essay, section=section, first=card.pk if undone else None
    )


@require_GET
@login_required
def stats(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    essay = get_object_or_404(Essay, slug=slug) if slug else None
    now = timezone.now()
    kwargs = {"student": request.user, "now": now, "essay": essay}
    forecast = progress.due_forecast(**kwargs)
    history = progress.reviews_per_day(**kwargs)
    passed, total = progress.true_retention(**kwargs)
    context = {
        "essay": essay,
        "forecast": _bars(forecast),
        "forecast_total": sum(n for _day, n in forecast),
        "heatmap": _heatmap(history),
        "history_total": sum(n for _day, n in history),
        "history_days": sum(1 for _day, n in history if n),
        "retention": (passed, total, passed / total if total else None),
        "sections": progress.section_retrievability(
            student=request.user, now=now, essay=essay
        ),
    }
    return render(request, "quizzes/card_stats.html", context)


# --- Server-rendered charts ------------------------------------------------

_BAR_WIDTH, _BAR_GAP, _CHART_HEIGHT = 18, 4, 120


def _bars(points) -> dict:
    top = max([n for _day, n in points] + [1])
    bars = []
    for i, (day, n) in enumerate(points):
        height = round(n / top * _CHART_HEIGHT)
        bars.append(
            {
                "day": day,
                "n": n,
                "x": i * (_BAR_WIDTH + _BAR_GAP),
                "y": _CHART_HEIGHT - height,
                "height": height,
                "label_x": i * (_BAR_WIDTH + _BAR_GAP) + _BAR_WIDTH / 2,
            }
        )
    return {
        "bars": bars,
        "top": top,
        "width": len(points) * (_BAR_WIDTH + _BAR_GAP),
        "height": _CHART_HEIGHT,
        "bar_width": _BAR_WIDTH,
    }


def _heatmap(points) -> dict:
    """Weeks as columns, Monday to Sunday as rows, like a contribution graph."""
    top = max([n for _day, n in points] + [1])
    offset = points[0][0].weekday() if points else 0
    cells = []
    for i, (day, n) in enumerate(points):
        column, row = divmod(i + offset, 7)
        level = 0 if n == 0 else min(4, 1 + int(3 * n / top))
        cells.append(
            {"day": day, "n": n, "x": column * 14, "y": row * 14, "level": level}
        )
    columns = (len(points) + offset + 6) // 7
    return {"cells": cells, "width": columns * 14, "height": 7 * 14}
