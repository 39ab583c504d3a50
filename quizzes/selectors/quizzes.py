"""Reads for the student's home page: the quizzes they may sit, with their
own figures, and the essays with their sections. (Their assignments:
selectors.home.home_assignments.)"""

from datetime import datetime
from functools import cache

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from quizzes.models import Essay, Question, Quiz, QuizQuestion, Section
from quizzes.selectors import sql
from quizzes.selectors.assignments import (
    assignments_of,
    attempts_of,
    offered_extras,
)
from quizzes.selectors.home import AttemptFacts, essays_sql


def essays_with_sections(user=None) -> QuerySet:
    """Essays with their sections (prefetched) and published question count:
    for a visitor or a student only those with published questions (an
    essay of drafts is a teacher's work in progress), for a teacher all."""
    # Counted from the (essay, status) index, one essay at a time: a join
    # and GROUP BY over every question (and every essay's body) took 4 ms.
    published = (
        Question.objects.published()
        .filter(essay=OuterRef("pk"))
        .order_by()
        .values("essay")
        .annotate(n=Count("pk"))
        .values("n")
    )
    essays = Essay.objects.annotate(
        published_count=Coalesce(Subquery(published), 0, output_field=IntegerField())
    ).prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order")))
    if user is None or not user.is_staff:
        essays = essays.filter(published_count__gt=0)
    return essays


@cache  # the statement: per process, never data
def _sections_sql(count: int) -> str:
    ids = ", ".join(["%s"] * count)
    return (
        f"SELECT {sql.columns(Section, 's')} FROM {sql.q(Section._meta.db_table)} s"
        f" WHERE s.essay_id IN ({ids}) ORDER BY s.essay_id, s.{sql.q('order')}"
    )


def essays_listed(user=None) -> list[Essay]:
    """essays_with_sections as the home page lists them, in two queries
    written out (see selectors.sql): each essay with ``published_count``
    and its sections, in order, as ``section_list``."""
    read = sql.reader(Essay)
    essays = []
    for row in sql.fetch(
        essays_sql(sql.columns(Essay, "e")), [Question.Status.PUBLISHED]
    ):
        essay, essay.published_count = read(row)
        if essay.published_count or (user is not None and user.is_staff):
            essay.section_list = []
            essays.append(essay)
    if not essays:
        return essays
    by_pk = {essay.pk: essay for essay in essays}
    read = sql.reader(Section)
    for row in sql.fetch(_sections_sql(len(by_pk)), list(by_pk)):
        [section] = read(row)
        section.essay = by_pk[section.essay_id]
        section.essay.section_list.append(section)
    return essays


@cache  # the statement: per process, never data
def _quizzes_sql(offered: int | None) -> str:
    """Published quizzes with their essay and published question count; all
    of them (``offered`` None), or the open-practice ones and ``offered``
    more by id."""
    t = {m: sql.q(m._meta.db_table) for m in (Quiz, Essay, QuizQuestion, Question)}
    where = ""
    if offered is not None:
        ids = ", ".join(["%s"] * offered)
        where = " AND (z.open_practice = %s" + (f" OR z.id IN ({ids})" if ids else "")
        where += ")"
    return (
        f"SELECT {sql.columns(Quiz, 'z')},"
        f" {sql.columns(Essay, 'e', without=('body',))},"
        f" (SELECT COUNT(*) FROM {t[QuizQuestion]} i"
        f"  INNER JOIN {t[Question]} u ON u.id = i.question_id"
        "  WHERE i.quiz_id = z.id AND u.status = %s)"
        f" FROM {t[Quiz]} z INNER JOIN {t[Essay]} e ON e.id = z.essay_id"
        " WHERE z.is_published = %s" + where + " ORDER BY z.title, z.id"
    )


def quizzes_for(
    student,
    *,
    now: datetime,
    every_quiz: bool = False,
    assignments=None,
    attempts=None,
) -> list[Quiz]:
    """The published quizzes the student may take now (assigned to a class
    of theirs and open, or open practice; ``every_quiz`` for a teacher's
    previews), each with the student's attempts used and allowed now
    (``attempts_allowed_now``, 0 for unlimited), best score, open attempt
    and last result (none for ``every_quiz``): one query, and one for each
    of the student's ``assignments`` (assignments_of) and ``attempts``
    (attempts_of) the caller has not read."""
    extras = {}
    if not every_quiz:
        if assignments is None:
            assignments = assignments_of(student)
        extras = offered_extras(assignments, now)
    if attempts is None:
        # A teacher's previews count no attempts (a teacher sits none).
        attempts = [] if every_quiz else attempts_of(student)
    facts = AttemptFacts(attempts)
    offered = None if every_quiz else len(extras)
    params = [Question.Status.PUBLISHED, True]
    if offered is not None:
        params += [True, *extras]
    read = sql.reader(Quiz, (Essay, ("body",)))
    quizzes = []
    for row in sql.fetch(_quizzes_sql(offered), params):
        quiz, quiz.essay, quiz.question_count = read(row)
        allowed = quiz.attempts_allowed
        quiz.attempts_allowed_now = allowed and allowed + extras.get(quiz.pk, 0)
        for name, value in facts.of_quiz(quiz.pk).items():
            setattr(quiz, name, value)
        quizzes.append(quiz)
    return quizzes
