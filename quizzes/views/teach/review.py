"""The Teach area: the review queue, an essay's drafts one at a time.

A teacher publishes, retires, edits in place, skips and goes back, by key
or button; "publish all without warnings" is one bulk step. Each decision
is one transaction (services.questions) and goes on a short log in the
teacher's session, newest last, which undo walks back step by step: no table
is needed, and nothing the page sends says what to undo but the log's length
(so a second press of u, or a stale tab, undoes nothing twice).

Essays are shared by all teachers (the admin lists them all); reviewing
needs the right to change questions, and a question is fetched through its
essay, so another essay's question is a 404.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from quizzes import kinds, services
from quizzes.models import Essay, Question
from quizzes.selectors import review as review_reads
from quizzes.selectors.questions import question_parts
from quizzes.services.questions import QuestionContent, QuestionRefused
from quizzes.views import HtmxHttpRequest
from quizzes.views.teach import cached, teacher_view

QUEUE = "quizzes/teach/review.html"
LOG = "review_log"
LOG_LENGTH = 50  # undo steps kept per essay
DECISIONS = {
    "publish": (Question.Status.PUBLISHED, "Published"),
    "retire": (Question.Status.RETIRED, "Retired"),
    "draft": (Question.Status.DRAFT, "Back to draft"),
}


def _essay(request: HtmxHttpRequest, pk: int) -> Essay:
    """The essay, to a user with the right to change questions; else 404."""
    essay = review_reads.essay_to_review(request.user, pk)
    if essay is None:
        raise Http404("No such page.")
    return essay


def _question(essay: Essay, pk: int) -> Question:
    return get_object_or_404(Question.objects.for_essay(essay), pk=pk)


def _queue_url(essay: Essay, at: int | None = None, **more) -> str:
    query = {"at": at} if at is not None else {}
    query |= more
    url = reverse("teach_review", kwargs={"essay": essay.pk})
    return url + ("?" + urlencode(query) if query else "")


def _label(question: Question) -> str:
    text = " ".join(question.prompt.split())
    return text if len(text) <= 60 else text[:57] + "…"


# The log: {essay id: [entry, ...]} in the session. An entry is a status
# change {"ids", "from", "to", "label"} ("bulk": the drafts without
# warnings published together) or an edit {"ids": [id], "edit": the
# content before, "flag": edited_by_teacher before, "version": after, "label"}.
def _log(request: HtmxHttpRequest, essay: Essay) -> list[dict]:
    return request.session.get(LOG, {}).get(str(essay.pk), [])


def _log_set(request: HtmxHttpRequest, essay: Essay, entries: list[dict]) -> None:
    logs = request.session.get(LOG, {})
    logs[str(essay.pk)] = entries[-LOG_LENGTH:]
    request.session[LOG] = logs


def _log_push(request: HtmxHttpRequest, essay: Essay, entry: dict) -> None:
    _log_set(request, essay, [*_log(request, essay), entry])


class EditForm(forms.Form):
    """The question's own words and its parts' texts: the rows it has stay
    (add or remove one in the admin); accepted answers are one a line."""

    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), strip=True)
    explanation = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )

    def __init__(self, *args, question: Question, parts: list, **kwargs):
        content = QuestionContent.of(question, parts)
        kwargs.setdefault("initial", {"prompt": content.prompt})
        super().__init__(*args, **kwargs)
        self.question, self.part = question, kinds.part(question.kind)
        self.initial |= {"explanation": content.explanation}
        if question.kind == kinds.TRUE_FALSE:
            self.fields["is_true"] = forms.TypedChoiceField(
                label="The statement is",
                choices=[("true", "True"), ("false", "False")],
                coerce=lambda value: value == "true",
                widget=forms.RadioSelect,
            )
            self.initial["is_true"] = "true" if content.is_true else "false"
        if self.part == kinds.ACCEPTED:
            self.fields["accepted"] = forms.CharField(
                label="Accepted answers (one a line)",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial["accepted"] = "\n".join(content.accepted_answers)
        for n, (first, second) in enumerate(content.choices or content.pairs):
            self._row_fields(n, first, second)

    def _row_fields(self, n: int, first: str, second) -> None:
        if self.part == kinds.CHOICES:
            self.fields[f"choice_{n}"] = forms.CharField(label=f"Choice {n + 1}")
            self.fields[f"correct_{n}"] = forms.BooleanField(
                label="correct", required=False
            )
            self.initial |= {f"choice_{n}": first, f"correct_{n}": second}
        else:
            self.fields[f"left_{n}"] = forms.CharField(label=f"Item {n + 1}")
            self.fields[f"right_{n}"] = forms.CharField(label=f"Its match {n + 1}")
            self.initial |= {f"left_{n}": first, f"right_{n}": second}

    def rows(self) -> list[tuple]:
        """(first field, second field) of each part row, for the template."""
        names = (
            ("choice", "correct") if self.part == kinds.CHOICES else ("left", "right")
        )
        count = sum(1 for name in self.fields if name.startswith(names[0] + "_"))
        return [
            (self[f"{names[0]}_{n}"], self[f"{names[1]}_{n}"]) for n in range(count)
        ]

    def content(self) -> QuestionContent:
        data = self.cleaned_data
        rows = [(data[a.name], data[b.name]) for a, b in self.rows()]
        return QuestionContent(
            prompt=data["prompt"],
            explanation=data["explanation"],
            is_true=data.get("is_true"),
            choices=tuple(rows) if self.part == kinds.CHOICES else (),
            accepted_answers=tuple(data.get("accepted", "").splitlines()),
            pairs=tuple(rows) if self.part == kinds.PAIRS else (),
        )

    def refused(self, error: QuestionRefused) -> None:
        for problem in error.problems:
            self.add_error(
                problem.field if problem.field in ("prompt", "is_true") else None,
                problem.message,
            )


def _context(request: HtmxHttpRequest, essay: Essay, page, form, note: str) -> dict:
    if page.question is not None and form is True:
        form = EditForm(question=page.question, parts=page.parts)
    log = _log(request, essay)
    context = {"essay": essay, "page": page, "form": form or None, "note": note}
    context["queue_url"] = _queue_url(essay)
    return context | {"last": log[-1] if log else None, "step": len(log)}


def _render(
    request: HtmxHttpRequest,
    essay: Essay,
    *,
    at: int | None = None,
    after: int | None = None,
    form: EditForm | None = None,
    edit: bool = False,
    note: str = "",
    status: int = 200,
) -> HttpResponse:
    """The queue's page, or (htmx) its area, with the URL that reloads it.
    Shown as it is (no note, no form sent back) it is kept under the queue's
    version (``review.queue_version``: what the page reads anyway), with the
    teacher's undo step in the key."""
    order = review_reads.review_order(essay)
    try:
        version, shown = review_reads.queue_version(essay, order, at=at, after=after)
    except Question.DoesNotExist:
        raise Http404("No such question in this essay.") from None

    def build():
        page = review_reads.review_page(essay, at=at, after=after, order=order)
        return _context(request, essay, page, form or edit, note), None

    htmx = request.htmx and not request.htmx.history_restore_request
    if note or form is not None or status != 200:
        response = cached.uncached_page(
            request,
            QUEUE,
            build()[0],
            part="queue",
            only="queue" if htmx else None,
            status=status,
        )
    else:
        log = _log(request, essay)
        response = cached.kept_page(
            request,
            name="review",
            version=version,
            template=QUEUE,
            now=timezone.now(),
            build=build,
            params=(essay.pk, at, after, edit, repr(log[-1:]), len(log)),
            part="queue",
        )
    if shown is not None:
        response["HX-Replace-Url"] = _queue_url(essay, shown)
    return response


def _done(request: HtmxHttpRequest, essay: Essay, note: str, **where) -> HttpResponse:
    """After a write: the queue at its next place; without htmx, a redirect
    there (so a reload posts nothing twice) with the note as a message."""
    if request.htmx:
        return _render(request, essay, note=note, **where)
    messages.success(request, note)
    page = review_reads.review_page(essay, **where)
    return redirect(_queue_url(essay, page.question.pk if page.question else None))


@teacher_view
@require_GET
def review_essays(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.has_perm("quizzes.change_question"):
        raise Http404("No such page.")
    essays = review_reads.essays_to_review().order_by("title", "pk")
    return render(request, "quizzes/teach/review_essays.html", {"essays": essays})


@teacher_view
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def review(request: HtmxHttpRequest, essay: int) -> HttpResponse:
    """``?at=<question>`` shows that question; ``&edit=1`` opens its form."""
    essay_obj = _essay(request, essay)
    at = request.GET.get("at", "")
    if at and not at.isdigit():
        raise Http404("No such question in this essay.")
    edit = request.GET.get("edit") == "1"
    return _render(request, essay_obj, at=int(at) if at else None, edit=edit)


@teacher_view
@require_POST
def review_decide(request: HtmxHttpRequest, essay: int, question: int) -> HttpResponse:
    """``decision`` = publish, retire or draft; then the next draft."""
    essay_obj = _essay(request, essay)
    question_obj = _question(essay_obj, question)
    if request.POST.get("decision") not in DECISIONS:
        raise BadRequest("Publish, retire or move back to draft?")
    status, verb = DECISIONS[request.POST["decision"]]
    previous = services.questions.question_status_change(
        question=question_obj, status=status
    )
    label = _label(question_obj)
    if previous != status:
        entry = {"ids": [question_obj.pk], "from": previous, "to": status}
        _log_push(request, essay_obj, entry | {"label": label})
    return _done(request, essay_obj, f"{verb}: “{label}”", after=question_obj.pk)


@teacher_view
@require_POST
def review_edit(request: HtmxHttpRequest, essay: int, question: int) -> HttpResponse:
    """The in-place edit saved; the same question shown again, or its form
    with what to fix (422)."""
    essay_obj = _essay(request, essay)
    question_obj = _question(essay_obj, question)
    parts = question_parts(question_obj)
    form = EditForm(request.POST, question=question_obj, parts=parts)
    before = QuestionContent.of(question_obj, parts)
    try:
        if not form.is_valid():
            raise QuestionRefused([])
        changed = services.questions.question_edit(
            question=question_obj, content=form.content()
        )
    except QuestionRefused as error:
        form.refused(error)
        return _render(request, essay_obj, at=question_obj.pk, form=form, status=422)
    if changed:
        _log_push(request, essay_obj, _edit_entry(question_obj, before))
    note = "Saved." if changed else "Nothing changed."
    return _done(request, essay_obj, note, at=question_obj.pk)


def _edit_entry(question: Question, before: QuestionContent) -> dict:
    question.refresh_from_db(fields=["version"])
    return {
        "ids": [question.pk],
        "edit": before.as_data(),
        "flag": question.edited_by_teacher,
        "version": question.version,
        "label": _label(question),
    }


def _undo(essay: Essay, entry: dict) -> int:
    """Take back one logged step: how many questions it put back (none of
    those changed since by someone else)."""
    if "edit" not in entry:
        return services.questions.questions_status_undo(
            question_ids=entry["ids"], current=entry["to"], previous=entry["from"]
        )
    question = Question.objects.for_essay(essay).filter(pk=entry["ids"][0]).first()
    if question is None or question.version != entry["version"]:
        return 0
    try:
        services.questions.question_edit(
            question=question,
            content=QuestionContent.from_data(entry["edit"]),
            edited_by_teacher=entry["flag"],
        )
    except QuestionRefused:
        return 0
    return 1


@teacher_view
@require_POST
def review_undo(request: HtmxHttpRequest, essay: int) -> HttpResponse:
    """Undo the log's newest step; ``step`` (the log's length the page saw)
    must match, so a repeated press undoes nothing twice."""
    essay_obj = _essay(request, essay)
    log = _log(request, essay_obj)
    if not log or request.POST.get("step") != str(len(log)):
        note = "Nothing to undo." if not log else "That was undone already."
        return _render(request, essay_obj, note=note, status=409)
    entry = log[-1]
    _log_set(request, essay_obj, log[:-1])
    undone = _undo(essay_obj, entry)
    if entry.get("bulk"):  # back to the first draft
        note = f"Undone: {undone} of {len(entry['ids'])} back to draft."
        return _done(request, essay_obj, note)
    note = f"Undone: “{entry['label']}”." if undone else "It changed since: left as is."
    return _done(request, essay_obj, note, at=entry["ids"][0])


@teacher_view
@require_http_methods(["GET", "POST"])
def review_publish_clean(request: HtmxHttpRequest, essay: int) -> HttpResponse:
    """Confirm (GET, with the count), then publish every draft without
    warnings in one transaction (POST, only if the count is still right)."""
    essay_obj = _essay(request, essay)
    count = review_reads.clean_draft_count(essay_obj)
    if request.method == "POST" and request.POST.get("count") == str(count) and count:
        ids = services.questions.essay_drafts_publish_clean(essay=essay_obj)
        label = f"{len(ids)} draft{'' if len(ids) == 1 else 's'}"
        entry = {"ids": ids, "from": "draft", "to": "published", "bulk": True}
        _log_push(request, essay_obj, entry | {"label": label})
        messages.success(request, f"Published {len(ids)} drafts without warnings.")
        return redirect(_queue_url(essay_obj))
    stale = request.method == "POST"
    context = {"essay": essay_obj, "count": count, "stale": stale}
    template_name = "quizzes/teach/review_publish.html"
    return render(request, template_name, context, status=409 if stale else 200)


urlpatterns: list[URLPattern] = [
    path("review/", review_essays, name="teach_review_essays"),
    path("review/<int:essay>/", review, name="teach_review"),
    path(
        "review/<int:essay>/questions/<int:question>/decide/",
        review_decide,
        name="teach_review_decide",
    ),
    path(
        "review/<int:essay>/questions/<int:question>/edit/",
        review_edit,
        name="teach_review_edit",
    ),
    path("review/<int:essay>/undo/", review_undo, name="teach_review_undo"),
    path(
        "review/<int:essay>/publish-clean/",
        review_publish_clean,
        name="teach_review_publish_clean",
    ),
]
