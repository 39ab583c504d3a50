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
  published in review): each of its essays' and quizzes' ``updated_at``,
  an essay's questions' latest ``updated_at`` and the count and id sum of
  its published ones, a quiz's items' count and id sum (so a question
  published or dropped, which a bulk update does not date, changes it too).

All of it is one query: the classroom is fetched with its version
(``taught_class``), so a cached page costs the query that fetches the class
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

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
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
from quizzes.selectors.classes import locked_params, locked_sql

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


def _text(sql: str) -> str:
    return f"COALESCE(CAST(({sql}) AS TEXT), '')"


def _joined(*texts: str) -> str:
    return " || ':' || ".join(_text(text) for text in texts)


def _all(text: str) -> str:
    """The texts of a subquery's rows joined (in the database's dialect)."""
    if connection.vendor == "postgresql":
        return f"string_agg({text}, ',')"
    return f"group_concat({text}, ',')"


def _parts() -> dict[str, str]:
    """Each part of the version: a scalar subquery on the class's row, as
    text. The content goes essay by essay and quiz by quiz through
    correlated subqueries on an indexed equality, so that neither planner
    walks the site's questions whatever it guesses of the class's work; and
    few subqueries, as planning them is most of the statement's cost."""
    t = _tables()
    here = f'"{t["classroom"]}"."id"'
    work = f'FROM "{t["assignment"]}" a WHERE a.classroom_id = {here}'
    in_essays = (
        f'SELECT z.essay_id FROM "{t["quiz"]}" z WHERE z.id IN (SELECT a.quiz_id '
        f"{work}) UNION SELECT a.essay_id {work} AND a.essay_id IS NOT NULL"
    )
    questions = f'FROM "{t["question"]}" q WHERE q.essay_id = s.id'
    # CASE rather than a WHERE on the status: the essay's index, never the
    # site's published questions.
    published = f"q.status = '{Question.Status.PUBLISHED}'"
    essay = _joined(
        "s.id",
        "s.updated_at",
        f"SELECT MAX(q.updated_at) {questions}",
        f"SELECT SUM(CASE WHEN {published} THEN 1 END) {questions}",
        f"SELECT SUM(CASE WHEN {published} THEN q.id END) {questions}",
    )
    items = f'FROM "{t["item"]}" i WHERE i.quiz_id = a.quiz_id'
    quiz = _joined(
        "a.quiz_id",
        f'SELECT z.updated_at FROM "{t["quiz"]}" z WHERE z.id = a.quiz_id',
        f"SELECT COUNT(*) {items}",
        f"SELECT SUM(i.id) {items}",
    )
    enrolled = f'FROM "{t["enrolment"]}" e WHERE e.classroom_id = {here}'
    return {
        "enrolled": f"SELECT {_joined('COUNT(*)', 'SUM(e.stamp)')} {enrolled}",
        "essays": f'SELECT {_all(essay)} FROM "{t["essay"]}" s '
        f"WHERE s.id IN ({in_essays})",
        "quizzes": f"SELECT {_all(quiz)} {work} AND a.quiz_id IS NOT NULL",
    }


def _version_sql() -> str:
    """The parts as one text (one column to read back)."""
    return " || '|' || ".join(_text(sql) for sql in _parts().values())


@functools.cache
def _own_class_sql(vendor: str, locked: bool) -> str:
    t = _tables()
    teachers = Classroom.teachers.through._meta.db_table
    here = f'"{t["classroom"]}"."id"'
    extra = ""
    if locked:
        names = _all("x.username")
        extra = f", (SELECT {names} FROM ({locked_sql()}) x) AS locked_usernames"
    return (
        f'SELECT "{t["classroom"]}".*, {_version_sql()} AS content_version{extra} '
        f'FROM "{t["classroom"]}" WHERE {here} = %s AND EXISTS '
        f'(SELECT 1 FROM "{teachers}" t WHERE t.classroom_id = {here} '
        "AND t.user_id = %s)"
    )


def taught_class(teacher, pk: int, *, locked: bool = False) -> Classroom | None:
    """The class if this teacher teaches it (``Classroom.objects.taught_by``'s
    rule), with its version, and with ``locked`` the usernames of its
    students locked out now (``classes.locked_sql``); else None.
    One raw statement: on a cached page it is most of the work, and the ORM
    took longer to build it than the database to run it."""
    sql = _own_class_sql(connection.vendor, locked)
    params = locked_params(pk) if locked else []
    found = list(Classroom.objects.raw(sql, [*params, pk, teacher.pk]))
    if not found:
        return None
    classroom = found[0]
    if locked:
        names = classroom.locked_usernames
        classroom.locked = set(names.split(",")) if names else set()
    return classroom


def version_of(classroom: Classroom) -> str:
    """The class's version, from a classroom read by ``taught_class``: its
    own row's (the stamp, and what the page headers show of it) and what
    ``content_version`` read of its enrolments and its work."""
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


RECENT = _Recent(budget=32 * 1024 * 1024)


def _shared():
    """The shared cache (Redis, with REDIS_URL), or None when the default
    cache is this process's memory anyway: RECENT alone then, rather than a
    second, pickled copy of every page."""
    shared = caches["default"]
    return None if isinstance(shared, LocMemCache) else shared


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
    return kept(wanted, version=version, now=now, build=build)


def kept(
    wanted: str,
    *,
    version: str,
    now: datetime,
    build: Callable[[], tuple[dict, datetime | None]],
) -> dict:
    """``cached``'s keeping, for any page or part: the parts kept under
    ``wanted`` (what they depend on, the language included) if they were made
    at ``version`` (read from the database now) and have not run out; else
    ``build``'s, kept."""
    key = "teach:" + hashlib.sha1(wanted.encode()).hexdigest()
    entry = RECENT.get(key)
    if _fresh(entry, version, now):
        return entry.parts
    shared = _shared()
    entry = shared.get(key) if shared else None
    if not _fresh(entry, version, now):
        parts, valid_until = build()
        entry = Entry(version, valid_until, parts)
        if shared:
            shared.set(key, entry, TIMEOUT)
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
