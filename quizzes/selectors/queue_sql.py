"""The study page's reads as SQL: the queue's definitions of
``selectors.queue`` (the kinds of card, the daily limits, buried siblings,
held-back cards) written out once as statement parts, so that showing the
next card costs two indexed statements and no ORM compiling.

Each statement is built once per shape (section or not, a card put first or
not, burying on or off) and cached; the values are parameters. The cards
are read through the (student, state, due) index and the new cards' partial
(student, due) one, in queue order, and each part stops at the daily limit:
the work grows with the cards due today up to the limits, not with the size
of the deck.
"""

from __future__ import annotations

from functools import lru_cache

from quizzes.models import Card, DeckSettings, Essay, Question
from quizzes.selectors import sql

LEARNING, REVIEW, RELEARNING = (
    Card.State.LEARNING.value,
    Card.State.REVIEW.value,
    Card.State.RELEARNING.value,
)
PUBLISHED = Question.Status.PUBLISHED.value

# An essay's columns but its body (possibly a megabyte), which the flashcard
# pages do not show; read if asked for.
ESSAY_WITHOUT = ("body",)


def essay_columns(essay: str = "e", settings: str = "ds") -> str:
    """An essay's columns (but its body) and its DeckSettings' (LEFT JOINed)."""
    return (
        f"{sql.columns(Essay, essay, without=ESSAY_WITHOUT)}, "
        f"{sql.columns(DeckSettings, settings)}"
    )


def essay_with_settings(values) -> Essay:
    """An Essay and its DeckSettings (or None) from ``essay_columns()``'s values."""
    essay, settings = sql.reader((Essay, ESSAY_WITHOUT), DeckSettings)(values)
    if settings is not None:
        sql.cache_related(settings, "essay", essay)
    sql.cache_related(essay, "deck_settings", settings)
    return essay


# The questions whose cards are held back (selectors.queue.held_back): those
# of quizzes the student has an open graded attempt at, and those of
# exam-only quizzes assigned to them (Assignment.objects.for_student) that
# have not closed.
HELD = """
SELECT hq.question_id FROM quizzes_quizquestion hq
WHERE hq.quiz_id IN (
    SELECT ha.quiz_id FROM quizzes_attempt ha
    WHERE ha.student_id = %(student)s AND ha.finished_at IS NULL
      AND NOT ha.is_practice
) OR hq.quiz_id IN (
    SELECT hg.quiz_id FROM quizzes_assignment hg
    JOIN quizzes_quiz hz ON hz.id = hg.quiz_id
    JOIN quizzes_classroom hk ON hk.id = hg.classroom_id
    JOIN quizzes_enrolment he ON he.classroom_id = hg.classroom_id
    WHERE he.student_id = %(student)s AND NOT hk.archived AND hz.exam_only
      AND COALESCE(hg.closes_at, hg.due_at) > %(now)s
      AND (NOT EXISTS (
            SELECT 1 FROM quizzes_assignment_students hs
            WHERE hs.assignment_id = hg.id)
        OR EXISTS (
            SELECT 1 FROM quizzes_assignment_students hs
            WHERE hs.assignment_id = hg.id AND hs.user_id = %(student)s))
)"""

# The claims of the student's cards rated today (selectors.queue.sibling_burial).
BURIED = """
SELECT bq.claim_id FROM quizzes_card bc CROSS JOIN quizzes_question bq
WHERE bq.id = bc.question_id AND bc.student_id = %(student)s
  AND bc.last_review >= %(day_start)s AND bq.claim_id IS NOT NULL"""

# The claims of the section studied.
SECTION_CLAIMS = """
SELECT sc.id FROM quizzes_claim sc
JOIN quizzes_section ss ON ss.id = sc.section_id
WHERE ss.essay_id = %(essay)s AND ss."order" = %(section)s"""

# The deck's active cards the queue may show now (selectors.queue._queue_cards).
# CROSS JOIN makes SQLite (which has no statistics unless ANALYZE ran) read
# the student's cards through an index first, then each card's question;
# PostgreSQL plans it as the inner join it is.
DECK = f"""
FROM quizzes_card c CROSS JOIN quizzes_question q
WHERE q.id = c.question_id AND c.student_id = %(student)s AND q.essay_id = %(essay)s
  AND q.status = '{PUBLISHED}' AND NOT c.suspended AND c.due <= %(reach)s
  AND c.question_id NOT IN (SELECT question_id FROM held)"""

# The kinds of card (selectors.queue.due_filters); learning cards by state
# (_learning), so that each is one indexed read.
KINDS = {
    "review": f"c.state = {REVIEW} AND c.due < %(day_end)s",
    "new": "c.last_review IS NULL",
}
NOT_BURIED = (
    " AND (q.claim_id IS NULL OR q.claim_id NOT IN (SELECT claim_id FROM buried))"
)
ORDER = " ORDER BY c.due, c.id"


def kind(name: str, bury: bool) -> str:
    statement = KINDS[name]
    if bury and name in ("review", "new"):
        statement += NOT_BURIED
    return statement


def _learning(state: int, until: str) -> str:
    """Learning (or relearning) cards already studied, due by `until`."""
    return f"c.last_review IS NOT NULL AND c.state = {state} AND c.due <= {until}"


# The student's cards rated today, read once for the limits and the burying.
RATED_TODAY = """
SELECT tc.id, tq.claim_id, tq.essay_id FROM quizzes_card tc
CROSS JOIN quizzes_question tq
WHERE tq.id = tc.question_id AND tc.student_id = %(student)s
  AND tc.last_review >= %(day_start)s"""


def ctes(*, section: bool, bury: bool, today: bool = False) -> str:
    """The statement's common parts; with `today`, today's rated cards are
    read once (rated_today) and burying takes its claims from them."""
    parts = [f"held(question_id) AS ({HELD})"]
    if today:
        parts.append(f"rated_today AS MATERIALIZED ({RATED_TODAY})")
    if bury:
        buried = (
            "SELECT claim_id FROM rated_today WHERE claim_id IS NOT NULL"
            if today
            else BURIED
        )
        parts.append(f"buried(claim_id) AS ({buried})")
    if section:
        parts.append(f"section_claims(id) AS ({SECTION_CLAIMS})")
    return "WITH " + ",\n".join(parts)


# The kinds of card in the queue, as `candidates` marks them.
IS_LEARNING, IS_REVIEW, IS_NEW = 1, 2, 3


def _candidates(bury: bool) -> str:
    """The cards the queue may show now, whole deck: the learning cards due
    within LEARN_AHEAD, and today's reviews and new cards (the deck's first
    ones in queue order, as many as the day's limits leave).

    Each part is one read of an index in queue order (the learning states
    one each: an IN would have SQLite walk every card due by then), which
    stops at the limit; every count and choice is then made from these few
    rows, which also keeps PostgreSQL's planning short.
    """
    parts = [
        f"SELECT c.id, c.due, {IS_LEARNING} AS kind, q.claim_id {DECK}"
        f" AND {_learning(state, '%(ahead)s')}"
        for state in (LEARNING, RELEARNING)
    ]
    for code, name, left in ((IS_REVIEW, "review", "review"), (IS_NEW, "new", "new")):
        parts.append(
            f"SELECT c.id, c.due, {code} AS kind, q.claim_id {DECK} AND "
            f"{kind(name, bury)}{ORDER} LIMIT (SELECT {left} FROM day_left)"
        )
    return " UNION ALL ".join(
        f"SELECT * FROM ({part}) k{n}" for n, part in enumerate(parts)
    )


@lru_cache(maxsize=64)
def next_card_sql(vendor: str, *, section: bool, first: bool, bury: bool) -> str:
    """The queue's card and counts, and the rating Ctrl+Z takes back, in one
    statement (see queue.next_card).

    Anki's order: a learning card due now, then today's first review, then
    today's first new card, then a learning card due within LEARN_AHEAD. In
    a section, today's cards are still the deck's (the limits are the
    deck's), and the section shows those that fall in it. `vendor` keys the
    cache: the JSON parts differ.
    """
    mine = " AND k.claim_id IN (SELECT id FROM section_claims)" if section else ""

    def first_of(code: int) -> str:
        return (
            f"(SELECT k.id, k.due FROM candidates k WHERE k.kind = {code}{mine}"
            " ORDER BY k.due, k.id LIMIT 1)"
        )

    def count_of(code: int) -> str:
        return f"COUNT(CASE WHEN k.kind = {code} THEN 1 END)"

    first_ok = "0 = 1"
    if first:
        first_ok = f"EXISTS (SELECT 1 FROM candidates k WHERE k.id = %(first)s{mine})"
        if not section:
            # A review or new card of the deck is in the queue while the
            # day's limit is not spent, whether or not one of today's.
            first_ok += (
                f" OR EXISTS (SELECT 1 {DECK} AND c.id = %(first)s AND ("
                f"((SELECT review FROM day_left) > 0 AND {kind('review', bury)})"
                f" OR ((SELECT new FROM day_left) > 0 AND {kind('new', bury)})))"
            )
    put_first = "CASE WHEN pick.first_ok THEN %(first)s END, " if first else ""
    pairs = sql.JSON[vendor]["array_agg"].format(items='m."order", m."left"')
    return f"""{ctes(section=section, bury=bury, today=True)},
day_done AS ({_today_done(vendor)}),
day_left AS (SELECT
    CASE WHEN %(new_per_day)s > new THEN %(new_per_day)s - new ELSE 0 END AS new,
    CASE WHEN %(reviews_per_day)s > reviews THEN %(reviews_per_day)s - reviews
        ELSE 0 END AS review
    FROM day_done),
candidates AS MATERIALIZED ({_candidates(bury)}),
counted AS (SELECT {count_of(IS_NEW)} AS n_new,
    {count_of(IS_LEARNING)} AS n_learning, {count_of(IS_REVIEW)} AS n_review
    FROM candidates k WHERE 0 = 0{mine}),
pick AS (SELECT counted.*, fl.id AS learning, fl.due AS learning_due,
    fr.id AS review, fn.id AS new, {first_ok} AS first_ok
    FROM counted
    LEFT JOIN {first_of(IS_LEARNING)} fl ON 0 = 0
    LEFT JOIN {first_of(IS_REVIEW)} fr ON 0 = 0
    LEFT JOIN {first_of(IS_NEW)} fn ON 0 = 0
)
SELECT pick.n_new, pick.n_learning, pick.n_review,
    u.id, u.card_id, u.rating, u.reviewed_at,
    {sql.columns(Card, "c")}, {sql.columns(Question, "q")},
    CASE WHEN q.kind = 'matching' THEN (
        SELECT {pairs} FROM quizzes_matchpair m WHERE m.question_id = q.id
    ) END
FROM pick
LEFT JOIN ({LAST_RATING}) u ON 1 = 1
LEFT JOIN quizzes_card c ON c.id = COALESCE({put_first}
    CASE WHEN pick.learning_due <= %(now)s THEN pick.learning END,
    pick.review, pick.new, pick.learning)
LEFT JOIN quizzes_question q ON q.id = c.question_id"""


def _day_done(vendor: str, essays: str, *, grouped: bool) -> str:
    """Today's ratings in the decks that spend their limits (queue.day_left):
    a card's first rating spends a new card, a review card's rating a review.

    A card rated today has its last_review today, so the (student,
    last_review) index finds today's cards rather than read the deck.
    """
    json = sql.JSON[vendor]
    first_rating = json["is_null"].format(column="r.state_before", key="last_review")
    of_review = json["equals"].format(
        column="r.state_before", key="state", value=REVIEW
    )
    essay, group = ("q.essay_id, ", " GROUP BY q.essay_id") if grouped else ("", "")
    return f"""
SELECT {essay}COUNT(CASE WHEN {first_rating} THEN 1 END) AS new,
    COUNT(CASE WHEN {of_review} THEN 1 END) AS reviews
FROM quizzes_card c CROSS JOIN quizzes_review r CROSS JOIN quizzes_question q
WHERE r.card_id = c.id AND q.id = c.question_id
  AND c.student_id = %(student)s AND c.last_review >= %(day_start)s
  AND r.reviewed_at >= %(day_start)s AND q.essay_id IN ({essays}){group}"""


def _today_done(vendor: str) -> str:
    """_day_done for the deck %(essay)s, from rated_today."""
    json = sql.JSON[vendor]
    first_rating = json["is_null"].format(column="r.state_before", key="last_review")
    of_review = json["equals"].format(
        column="r.state_before", key="state", value=REVIEW
    )
    return f"""
SELECT COUNT(CASE WHEN {first_rating} THEN 1 END) AS new,
    COUNT(CASE WHEN {of_review} THEN 1 END) AS reviews
FROM rated_today t CROSS JOIN quizzes_review r
WHERE r.card_id = t.id AND t.essay_id = %(essay)s
  AND r.reviewed_at >= %(day_start)s"""


def day_done_sql(essays: int) -> str:
    """_day_done for the decks %(essay_0)s ... (by essay)."""
    names = ", ".join(f"%(essay_{n})s" for n in range(essays))
    return _day_done(sql.vendor(), names, grouped=True)


# The rating Ctrl+Z takes back (queue.last_rating).
LAST_RATING = """
SELECT r.id, r.card_id, r.rating, r.reviewed_at
FROM quizzes_card c CROSS JOIN quizzes_review r CROSS JOIN quizzes_question q
WHERE r.card_id = c.id AND q.id = c.question_id
  AND c.student_id = %(student)s AND q.essay_id = %(essay)s
  AND c.last_review >= %(day_start)s AND r.reviewed_at = c.last_review
ORDER BY r.reviewed_at DESC, r.id DESC
LIMIT 1"""

# Whether a card of the student is held back (a flip, a rating).
CARD_HELD = f"""
WITH held(question_id) AS ({HELD})
SELECT 1 FROM quizzes_card c
WHERE c.id = %(card)s AND c.student_id = %(student)s
  AND c.question_id IN (SELECT question_id FROM held)"""


@lru_cache(maxsize=64)
def unmade_sql(burying: tuple[bool, ...]) -> str:
    """Per deck (%(essay_<n>)s, burying or not), how many of its published
    questions have no card of the student yet (queue.unmade_questions),
    counted up to %(cap_<n>)s: the new-card limit reaches no further, so
    a deck whose cards are made is read no further than that. None are
    missing where the student's CardsMade row says so (models.CardsMade)."""
    counts = []
    for n, bury in enumerate(burying):
        buried = (
            " AND (q.claim_id IS NULL OR q.claim_id NOT IN "
            "(SELECT claim_id FROM buried))"
            if bury
            else ""
        )
        counts.append(
            f"""CASE WHEN EXISTS (SELECT 1 FROM quizzes_cardsmade m
    WHERE m.student_id = %(student)s AND m.essay_id = %(essay_{n})s) THEN 0
ELSE (SELECT COUNT(*) FROM (
    SELECT q.id FROM quizzes_question q
    WHERE q.essay_id = %(essay_{n})s AND q.status = '{PUBLISHED}'
      AND NOT EXISTS (
        SELECT 1 FROM quizzes_card c
        WHERE c.student_id = %(student)s AND c.question_id = q.id)
      AND q.id NOT IN (SELECT question_id FROM held){buried}
    LIMIT %(cap_{n})s) u{n}) END"""
        )
    return f"{ctes(section=False, bury=any(burying))}\nSELECT {', '.join(counts)}"


@lru_cache(maxsize=64)
def deck_rows_sql(decks: int, off: int, bury: bool) -> str:
    """Per deck (%(essay_0)s ...), the student's new, learning and due cards
    (queue.deck_counts), new and due cards before the daily limits; burying
    spares the decks %(off_0)s ... that turn it off."""
    essays = ", ".join(f"%(essay_{n})s" for n in range(decks))
    waiting = ""
    if bury:
        spared = ", ".join(f"%(off_{n})s" for n in range(off))
        waiting = " AND (" + (f"q.essay_id IN ({spared}) OR " if off else "")
        waiting += (
            "q.claim_id IS NULL OR q.claim_id NOT IN (SELECT claim_id FROM buried))"
        )
    learning = " OR ".join(
        f"({_learning(state, '%(ahead)s')})" for state in (LEARNING, RELEARNING)
    )
    return f"""{ctes(section=False, bury=bury)}
SELECT q.essay_id,
    COUNT(CASE WHEN {KINDS["new"]}{waiting} THEN 1 END),
    COUNT(CASE WHEN {learning} THEN 1 END),
    COUNT(CASE WHEN {KINDS["review"]}{waiting} THEN 1 END)
FROM quizzes_card c CROSS JOIN quizzes_question q
WHERE q.id = c.question_id AND c.student_id = %(student)s
  AND q.essay_id IN ({essays}) AND q.status = '{PUBLISHED}' AND NOT c.suspended
  AND c.question_id NOT IN (SELECT question_id FROM held)
GROUP BY q.essay_id"""
