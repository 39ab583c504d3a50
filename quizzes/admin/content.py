"""Essays and what their import made: sections and claims (read only)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join

from quizzes import selectors, services
from quizzes.admin.base import ListAdmin, ViewOnlyAdmin, on_changelist, passage
from quizzes.forms import EssayImportForm
from quizzes.models import Claim, Essay, ImportJob, Question, Section

# An essay's page shows its first sections and claims; an essay of thousands
# (a 1 MB text) is read in full from the Sections and Claims lists.
INLINE_ROWS = 25
TEXT_SHOWN = 5000  # characters of the text on an essay's admin page


def _count(model, field: str):
    """How many rows of ``model`` point to the essay: a subquery per essay,
    not a join (a join of sections and questions counts their product)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by()
    counted = rows.values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _table(headers: list[str], rows) -> str:
    """A read-only table of an essay's first rows: plain HTML, not an
    inline's formset (a form and its widgets per row cost a page of 50 rows
    tens of milliseconds, for nothing a teacher can change here)."""
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    cells = "<td>{}</td>" * len(headers)
    body = format_html_join("", f"<tr>{cells}</tr>", rows)
    return format_html(
        '<table class="admin-rows"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        head,
        body,
    )


@admin.register(Essay)
class EssayAdmin(ListAdmin):
    list_display = ["title", "slug", "section_count", "questions", "updated_at"]
    search_fields = ["title", "slug"]
    readonly_fields = [
        "text",
        "questions",
        "contents",
        "first_sections",
        "first_claims",
        "created_at",
        "updated_at",
    ]
    fields = [
        "title",
        "slug",
        "attribution",
        "questions",
        "contents",
        "first_sections",
        "first_claims",
        "text",
    ]

    def get_queryset(self, request):
        essays = (
            super()
            .get_queryset(request)
            .annotate(
                section_total=_count(Section, "essay"),
                question_total=_count(Question, "essay"),
            )
        )
        # The list shows titles and counts: a 1 MB body stays in the database.
        return essays.defer("body") if on_changelist(request) else essays

    @admin.display(description="text")
    def text(self, essay: Essay):
        """The text's opening (a 1 MB text in full is a page nobody reads
        here); the whole of it on the essay's own page."""
        body = essay.body
        if len(body) <= TEXT_SHOWN:
            return format_html('<div class="admin-passage">{}</div>', body)
        return format_html(
            '<div class="admin-passage">{}…</div><p>{} characters in all: the whole '
            'text is on <a href="{}">the essay\'s page</a>.</p>',
            body[:TEXT_SHOWN],
            f"{len(body):,}",
            reverse("essay_detail", args=[essay.slug]),
        )

    @admin.display(description="contents")
    def contents(self, essay: Essay):
        claims = essay.claims.count()
        return format_html(
            "{} sections, {} claims (the first {} of each below; all of them in "
            '<a href="{}?essay__id__exact={}">Sections</a> and '
            '<a href="{}?essay__id__exact={}">Claims</a>)',
            essay.section_total,
            claims,
            INLINE_ROWS,
            reverse("admin:quizzes_section_changelist"),
            essay.pk,
            reverse("admin:quizzes_claim_changelist"),
            essay.pk,
        )

    @admin.display(description=f"sections (the first {INLINE_ROWS})")
    def first_sections(self, essay: Essay):
        # Each passage cut from the body by the database: not a copy of a
        # 1 MB body per row.
        sections = (
            essay.sections.filter(order__lt=INLINE_ROWS)
            .order_by("order")
            .annotate(
                excerpt=Substr("essay__body", F("start") + 1, F("end") - F("start"))
            )
            .defer("essay__body")
        )
        change = reverse("admin:quizzes_section_change", args=[0])[: -len("0/change/")]
        return _table(
            ["section", "passage"],
            (
                (
                    format_html('<a href="{}{}/change/">{}</a>', change, s.pk, s.label),
                    format_html('<div class="admin-passage">{}</div>', s.excerpt),
                )
                for s in sections
            ),
        )

    @admin.display(description=f"claims (the first {INLINE_ROWS})")
    def first_claims(self, essay: Essay):
        claims = (
            essay.claims.filter(order__lt=INLINE_ROWS)
            .order_by("order")
            .select_related("section")
        )
        change = reverse("admin:quizzes_claim_change", args=[0])[: -len("0/change/")]
        return _table(
            ["#", "section", "claim", "asked"],
            (
                (
                    format_html('<a href="{}{}/change/">{}</a>', change, c.pk, c.order),
                    c.section.label if c.section else "—",
                    c.text,
                    "yes" if c.is_question_source else "no",
                )
                for c in claims
            ),
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        status = self.admin_site.admin_view(self.import_status_view)
        return [
            path("import/", view, name="quizzes_essay_import"),
            path("import/<int:pk>/", status, name="quizzes_essay_import_status"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # An essay is made by importing its text: that is what makes its
        # sections, claims and questions.
        return redirect("admin:quizzes_essay_import")

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, essay: Essay) -> int:
        return essay.section_total

    @admin.display(description="questions", ordering="question_total")
    def questions(self, essay: Essay):
        total = getattr(essay, "question_total", None)
        if total is None:
            total = essay.questions.count()
        url = reverse("admin:quizzes_question_changelist")
        return format_html(
            '<a href="{}?essay__id__exact={}">{} question{}</a>',
            url,
            essay.pk,
            total,
            "" if total == 1 else "s",
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The text is checked here, in the request, and imported by the task
        worker (quizzes/tasks.py): a long essay takes seconds."""
        if not request.user.has_perm("quizzes.add_essay"):
            raise PermissionDenied
        if request.method == "POST":
            form = EssayImportForm(request.POST, request.FILES)
        else:
            form = EssayImportForm()
        if form.is_bound and form.is_valid():
            job = services.import_jobs.import_job_create(
                teacher=request.user,
                text=form.cleaned_data["essay_text"],
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"],
                fallback_title=form.cleaned_data["fallback_title"],
                publish=form.cleaned_data["publish"],
                name=form.cleaned_data["name"],
            )
            return redirect("admin:quizzes_essay_import_status", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import an essay",
            "form": form,
            "jobs": selectors.imports.recent_jobs(teacher=request.user),
        }
        return TemplateResponse(request, "admin/quizzes/essay/import.html", context)

    def import_status_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """How far an import has got, polled over htmx until it ends. A job is
        its teacher's own: anyone else's is a 404."""
        if not request.user.has_perm("quizzes.add_essay"):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.select_related("essay").defer("text", "essay__body"),
            pk=pk,
            teacher=request.user,
        )
        template_name = "admin/quizzes/essay/import_status.html"
        # The Back button restores history with a full page, not the part.
        if request.htmx and not request.htmx.history_restore_request:
            if request.GET.get("seen") == job.state:
                # Nothing new: htmx swaps nothing, and a screen reader does
                # not read the same step out again every second.
                response = HttpResponse(status=204)
                patch_vary_headers(response, ["HX-Request"])
                return response
            template_name += "#job"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import of “{job.name}”",
            "job": job,
        }
        response = TemplateResponse(request, template_name, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


@admin.register(Section)
class SectionAdmin(ViewOnlyAdmin):
    # __str__ is the section's label, which holds its place ("Section 3").
    list_display = ["__str__", "essay"]
    list_filter = ["essay"]
    list_select_related = ["essay"]
    search_fields = ["heading", "essay__title"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("essay__body")


@admin.register(Claim)
class ClaimAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "essay", "section", "order", "is_question_source"]
    list_filter = ["essay", "is_question_source"]
    list_select_related = ["essay", "section"]
    search_fields = ["text"]
    readonly_fields = ["source_passage"]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if on_changelist(request):
            rows = rows.defer("essay__body")  # a claim's page shows its passage
        return rows

    @admin.display(description="passage")
    def source_passage(self, claim: Claim):
        return passage(claim)
