"""The version of what a class's Teach pages show, read from the database
on every request, and the cache of those pages' slow parts keyed by it.

A class's gradebook, mastery map, roster, item analysis and student pages
are built from thousands of rows; the same page asked again is served from
the cache while nothing it shows has changed. "Changed" is decided by the
database, never by the cache: the cache may be each process's own memory
(several app servers, each with its own), so an entry is used only if the
version stored with it equals the version read now. The version is

- the classroom's ``stamp`` (bumped by the teacher-side services:
  assignments, extensions, overrides, roster, settings, joins and leaves)
  and its ``created_at`` (a class made anew under a reused id differs);
- the count and the sum of its enrolments' ``stamp`` (each bumped by that
  student's own writes: attempts started and finished, cards made, rated
  or rescheduled, a rename), read from the (classroom, stamp) index;
- the content the class's work is on (edited in the admin, imported,
  published in review): the latest ``updated_at`` of its essays, quizzes
  and questions, and the count and id sum of the published questions and
  of the quizzes' items (so a question published or dropped, which a bulk
  update does not date, changes it too).

All of it is one query: the classroom is fetched with its version
(``with_version``), so a cached page costs the query that fetches the class
anyway, and a cache read.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from quizzes.models import (
    Assignment,
    Classroom,
    Enrolment,
    Essay,
    Question,
    Quiz,
    QuizQuestion,
)

# A safety net on memory: an entry not asked for in a day goes.
TIMEOUT = 24 * 60 * 60


def _tables() -> dict:
    return {
        "classroom": Classroom._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "quiz": Quiz._meta.db_table,
        "item": QuizQuestion._meta.db_table,
        "question": Question._meta.db_table,
        "essay": Essay._meta.db_table,
    }


def _parts() -> dict[str, str]:
    """Each part of the version: a scalar subquery on the class's row."""
    t = _tables()
    here = f'"{t["classroom"]}"."id"'
    quizzes = (
        f'SELECT a.quiz_id FROM "{t["assignment"]}" a WHERE a.classroom_id = {here}'
    )
    essays = (
        f'SELECT z.essay_id FROM "{t["quiz"]}" z WHERE z.id IN ({quizzes}) '
        f'UNION SELECT a.essay_id FROM "{t["assignment"]}" a '
        f"WHERE a.classroom_id = {here} AND a.essay_id IS NOT NULL"
    )
    enrolled = f'FROM "{t["enrolment"]}" e WHERE e.classroom_id = {here}'
    questions = f'FROM "{t["question"]}" q WHERE q.essay_id IN ({essays})'
    # CASE rather than a WHERE on the status: the planner then walks the
    # essay's questions by their essay index, never the site's published ones.
    published = f"q.status = '{Question.Status.PUBLISHED}'"
    items = f'FROM "{t["item"]}" i WHERE i.quiz_id IN ({quizzes})'
    return {
        "v_enrolled": f"SELECT COUNT(*) {enrolled}",
        "v_stamps": f"SELECT SUM(e.stamp) {enrolled}",
        "v_essays": f'SELECT MAX(s.updated_at) FROM "{t["essay"]}" s '
        f"WHERE s.id IN ({essays})",
        "v_quizzes": f'SELECT MAX(z.updated_at) FROM "{t["quiz"]}" z '
        f"WHERE z.id IN ({quizzes})",
        "v_items": f"SELECT COUNT(*) {items}",
        "v_item_ids": f"SELECT SUM(i.id) {items}",
        "v_questions": f"SELECT MAX(q.updated_at) {questions}",
        "v_published": f"SELECT SUM(CASE WHEN {published} THEN 1 END) {questions}",
        "v_published_ids": f"SELECT SUM(CASE WHEN {published} THEN q.id END) "
        f"{questions}",
    }


def _as_text(sql: str) -> str:
    return f"COALESCE(CAST(({sql}) AS TEXT), '')"


@functools.cache
def _version_sql() -> str:
    """The parts as one text (one column to read back)."""
    return " || '|' || ".join(_as_text(sql) for sql in _parts().values())


def with_version(classes: QuerySet | None = None) -> QuerySet:
    """Classes, each fetched with its version (``version_of``) in the same
    query. Pass to ``own_classroom(request, pk, queryset=...)``."""
    classes = classes if classes is not None else Classroom.objects.all()
    return classes.annotate(content_version=RawSQL(_version_sql(), ()))


@functools.cache
def _own_class_sql() -> str:
    t = _tables()
    teachers = Classroom.teachers.through._meta.db_table
    here = f'"{t["classroom"]}"."id"'
    return (
        f'SELECT "{t["classroom"]}".*, {_version_sql()} AS content_version '
        f'FROM "{t["classroom"]}" WHERE {here} = %s AND EXISTS '
        f'(SELECT 1 FROM "{teachers}" t WHERE t.classroom_id = {here} '
        "AND t.user_id = %s)"
    )


def taught_class(teacher, pk: int) -> Classroom | None:
    """The class if this teacher teaches it (``Classroom.objects.taught_by``'s
    rule), with its version; else None. One raw statement: on a cached page
    it is most of the work, and the ORM took longer to build it than the
    database to run it."""
    found = list(Classroom.objects.raw(_own_class_sql(), [pk, teacher.pk]))
    return found[0] if found else None


def version_of(classroom: Classroom) -> str:
    """The class's version, from a classroom read through ``with_version``:
    its own row's (the stamp, and what the page headers show of it) and
    what ``content_version`` read of its enrolments and its work."""
    values = [classroom.pk, classroom.stamp, classroom.created_at.isoformat()]
    values += [classroom.name, classroom.join_code, classroom.join_open]
    values += [classroom.archived, classroom.content_version]
    return "|".join(str(value) for value in values)


@dataclass(frozen=True)
class Entry:
    version: str
    valid_until: datetime | None  # the first moment the page shows otherwise
    parts: dict


class _Recent:
    """The entries this process served last, up to a budget of bytes: a hit
    here skips the shared cache's copy (unpickling, or Redis sending a
    megabyte). Checked against the database's version like any entry."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.entries: OrderedDict[str, tuple[Entry, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            self.entries.move_to_end(key)
            return found[0]

    def put(self, key: str, entry: Entry) -> None:
        size = sum(len(b) for part in entry.parts.values() for b in part)
        with self.lock:
            if key in self.entries:
                self.used -= self.entries.pop(key)[1]
            self.entries[key] = (entry, size)
            self.used += size
            while self.used > self.budget and len(self.entries) > 1:
                self.used -= self.entries.popitem(last=False)[1][1]


RECENT = _Recent(budget=64 * 1024 * 1024)


def _fresh(entry, version: str, now: datetime) -> bool:
    return (
        isinstance(entry, Entry)
        and entry.version == version
        and (entry.valid_until is None or now < entry.valid_until)
    )


def cached(
    page: str,
    *,
    classroom: Classroom,
    teacher,
    params: tuple = (),
    now: datetime,
    build: Callable[[], tuple[dict, datetime | None]],
) -> dict:
    """The page's parts (a dict of tuples of bytes) from the cache, if they
    were made at this version of the class and have not run out; else built
    now (``build`` returns them and the moment they stop being true, or None
    for never) and kept. ``params`` are whatever else the output depends on
    (sort, filters, the student); the teacher and the language are in the
    key anyway. Call it before reading anything the page shows, so that a
    change made meanwhile is in a later version than the one stored."""
    version = version_of(classroom)
    wanted = repr((page, classroom.pk, teacher.pk, translation.get_language(), params))
    key = "teach:" + hashlib.sha1(wanted.encode()).hexdigest()
    entry = RECENT.get(key)
    if _fresh(entry, version, now):
        return entry.parts
    entry = cache.get(key)
    if not _fresh(entry, version, now):
        parts, valid_until = build()
        entry = Entry(version, valid_until, parts)
        cache.set(key, entry, TIMEOUT)
    RECENT.put(key, entry)
    return entry.parts


def html(text: str) -> bytes:
    """A part of a page as the cache keeps it: UTF-8, which the cache reads
    back as a copy (a str would be decoded again on every hit)."""
    return text.encode()


_SLOT = re.compile(rb"<!--teach-part:(\w+)-->")


def slot(name: str) -> SafeString:
    """Where a part goes in a page's template (``{{ grid }}``): put in by
    ``fill`` once the small page around it is rendered."""
    return mark_safe(f"<!--teach-part:{name}-->")  # noqa: S308 (a constant)


def fill(content: bytes, parts: dict) -> bytes:
    """The rendered page with each slot replaced by its part (the bytes
    among ``parts``), in one pass over the small page: a part's own text is
    never searched for slots."""
    pieces = _SLOT.split(content)
    # split keeps the captured names at the odd places.
    for i in range(1, len(pieces), 2):
        name = pieces[i].decode()
        part = parts.get(name)
        pieces[i] = part if isinstance(part, bytes) else str(slot(name)).encode()
    return b"".join(pieces)
