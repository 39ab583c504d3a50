"""The count after a run: what the students saw stored against what the
database holds, and the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tests.loadtest.seed import PREFIX
from tests.loadtest.students import STALE_DURATION_MS, Ledger


@dataclass
class Count:
    answers_expected: int
    answers_stored: int
    ratings_expected: int
    ratings_stored: int
    duplicates: int  # a second row for one answer or one rating
    stale_stored: int  # a stale post that changed what was stored
    lost: int  # seen stored by a student, missing in the database
    unconfirmed: int  # stored, though no student saw it succeed (gave up)


def count(plan: dict, ledger: Ledger) -> Count:
    from quizzes.models import Response, Review

    choice_ids = plan["choice_ids"]
    rows = Response.objects.filter(
        attempt__student__username__startswith=PREFIX
    ).values_list("attempt_id", "question_id", "answer")
    per_answer = Counter((a, q) for a, q, _ in rows)
    stored_answers = {(a, q): answer for a, q, answer in rows}
    answers_stored = stale = lost = 0
    for (attempt, question), position in ledger.answers.items():
        answer = stored_answers.get((attempt, question))
        if answer is None:
            lost += 1
            continue
        answers_stored += 1
        if answer != {"choice_ids": [choice_ids[str(question)][position]]}:
            stale += 1  # another post's choice took its place
    reviews = Review.objects.filter(
        card__student__username__startswith=PREFIX
    ).values_list("card_id", "state_before", "rating", "duration_ms")
    per_rating = Counter((card, state["reps"]) for card, state, _, _ in reviews)
    stored_ratings = {
        (card, state["reps"]): (rating, ms) for card, state, rating, ms in reviews
    }
    ratings_stored = 0
    for key, sent in ledger.ratings.items():
        stored = stored_ratings.get(key)
        if stored is None:
            lost += 1
            continue
        ratings_stored += 1
        if stored != sent:
            stale += 1
    stale += sum(1 for _c, _s, _r, ms in reviews if ms == STALE_DURATION_MS)
    duplicates = sum(n - 1 for n in per_answer.values()) + sum(
        n - 1 for n in per_rating.values()
    )
    unconfirmed = len(set(per_answer) - set(ledger.answers)) + len(
        set(per_rating) - set(ledger.ratings)
    )
    return Count(
        answers_expected=len(ledger.answers),
        answers_stored=answers_stored,
        ratings_expected=len(ledger.ratings),
        ratings_stored=ratings_stored,
        duplicates=duplicates,
        stale_stored=stale,
        lost=lost,
        unconfirmed=unconfirmed,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(title: str, result: Count, ledger: Ledger, faults: list[str], elapsed):
    """The report's lines, and whether the run lost or doubled anything."""
    ms = [1000 * s for s in ledger.latencies]
    lines = [
        f"== {title}",
        f"  requests              {ledger.requests} in {elapsed:.0f} s "
        f"({ledger.posts} posts: {ledger.duplicated} sent twice, "
        f"{ledger.stale} stale)",
        f"  answers  expected / stored  {result.answers_expected} / "
        f"{result.answers_stored}",
        f"  ratings  expected / stored  {result.ratings_expected} / "
        f"{result.ratings_stored}",
        f"  duplicates stored     {result.duplicates}",
        f"  stale stored          {result.stale_stored}",
        f"  5xx                   {ledger.server_errors}",
        f"  failed requests       {ledger.failed} "
        f"(operations retried ok: {ledger.retried_ok}, gave up: {ledger.gave_up})",
        f"  refused (4xx)         {len(ledger.refused)}"
        + (f" ({', '.join(ledger.refused[:5])})" if ledger.refused else ""),
        f"  lost                  {result.lost}",
        f"  stored unconfirmed    {result.unconfirmed}",
        f"  latency p50 / p95     {percentile(ms, 0.5):.0f} ms / "
        f"{percentile(ms, 0.95):.0f} ms",
    ]
    lines += [f"  fault: {fault}" for fault in faults]
    ok = (
        result.lost == 0
        and result.duplicates == 0
        and result.stale_stored == 0
        and ledger.gave_up == 0
        and not ledger.refused
        and result.answers_expected > 0
        and result.ratings_expected > 0
    )
    lines.append("  OK: nothing lost, nothing stored twice" if ok else "  FAILED")
    return lines, ok
