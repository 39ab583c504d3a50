"""What an essay becomes: sections, claims, and the questions made from them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from quizzes import kinds


class Essay(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(help_text="The essay as imported; claims point into it.")
    attribution = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("essay_detail", kwargs={"slug": self.slug})


class Section(models.Model):
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    heading = models.CharField(max_length=200, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["essay", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["essay", "order"], name="section_order_unique_per_essay"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="section_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def text(self) -> str:
        return self.essay.body[self.start : self.end]

    @property
    def prose(self) -> str:
        """The section's text without its heading ("Heading:" or "## Heading")."""
        text = self.text
        unmarked = text.lstrip("#").lstrip()
        if self.heading and unmarked.startswith(self.heading):
            rest = unmarked[len(self.heading) :]
            if rest[:1] in (":", "\n", ""):
                text = rest[1:]
        return text.strip()

    @property
    def label(self) -> str:
        return self.label_for(heading=self.heading, order=self.order)

    @property
    def opening(self) -> str:
        """The section's first words: a preview beside an untitled one's name."""
        words = self.prose.split()
        return " ".join(words[:8]) + (" …" if len(words) > 8 else "")

    @staticmethod
    def label_for(*, heading: str, order: int) -> str:
        """A section's name on every page: its heading, else its number (for
        reads that take the two columns without the row)."""
        return heading or f"Section {order + 1}"


class Claim(models.Model):
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="claims")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="claims"
    )
    order = models.PositiveIntegerField(help_text="Position within the essay.")
    key = models.CharField(
        max_length=64,
        help_text="Stable identity across re-imports (hash of the claim's text).",
    )
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    is_question_source = models.BooleanField(
        default=True,
        help_text="False for sentences that only introduce a list.",
    )

    class Meta:
        ordering = ["essay", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["essay", "order"], name="claim_order_unique_per_essay"
            ),
            models.UniqueConstraint(
                fields=["essay", "key"], name="claim_key_unique_per_essay"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="claim_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."

    def passage(self, body: str | None = None) -> dict:
        """The claim's section with the claim marked, as plain text in three
        parts (``{% passage %}`` shows it, escaped)::

            {"heading": ..., "before": ..., "claim": ..., "after": ...}

        ``body`` is the essay's text when the caller has it already (one
        essay's body serves all its claims). The span is the section's,
        widened to the claim's should an edit have left them apart, so the
        claim is always shown whole.
        """
        body = self.essay.body if body is None else body
        section = self.section
        start = max(0, min(section.start, self.start))
        end = min(len(body), max(section.end, self.end))
        if not start <= self.start < self.end <= end:
            # Offsets that no longer fit the text: the claim alone.
            return {
                "heading": section.heading,
                "before": "",
                "claim": self.text,
                "after": "",
            }
        return {
            "heading": section.heading,
            "before": body[start : self.start],
            "claim": body[self.start : self.end],
            "after": body[self.end : end],
        }


class QuestionQuerySet(models.QuerySet):
    """A question published, or made or moved published, voids its essay's
    CardsMade rows (models.cards): some student has no card of it yet."""

    def update(self, **kwargs):
        moved = {"essay", "essay_id"} & kwargs.keys()
        # To draft or retired, the published set only shrinks.
        shrinks = kwargs.get("status") in (
            Question.Status.DRAFT,
            Question.Status.RETIRED,
        )
        if shrinks or not (moved or "status" in kwargs):
            return super().update(**kwargs)
        essays = set(self.order_by().values_list("essay_id", flat=True).distinct())
        for name in moved:
            essays.add(getattr(kwargs[name], "pk", kwargs[name]))
        done = super().update(**kwargs)
        _cards_made_void(essays)
        return done

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        _cards_made_void(q.essay_id for q in made if q.status == "published")
        return made

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        done = super().bulk_update(objs, fields, batch_size=batch_size)
        if {"status", "essay"} & set(fields):
            _cards_made_void(q.essay_id for q in objs if q.status == "published")
        return done

    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def for_essay(self, essay):
        return self.filter(essay=essay)

    def generated(self):
        return self.filter(origin=Question.Origin.GENERATED)

    def in_essay_order(self):
        """By their claim's place in the essay; essay-level questions last."""
        return self.order_by(F("claim__order").asc(nulls_last=True), "id")


class Question(models.Model):
    class Kind(models.TextChoices):
        # Declared once, in quizzes.kinds, with the rules of each kind.
        SINGLE = kinds.SINGLE, kinds.label(kinds.SINGLE)
        MULTIPLE = kinds.MULTIPLE, kinds.label(kinds.MULTIPLE)
        TRUE_FALSE = kinds.TRUE_FALSE, kinds.label(kinds.TRUE_FALSE)
        CLOZE = kinds.CLOZE, kinds.label(kinds.CLOZE)
        MATCHING = kinds.MATCHING, kinds.label(kinds.MATCHING)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    class Origin(models.TextChoices):
        GENERATED = "generated", "Generated"
        AUTHORED = "authored", "Written by a teacher"

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="questions")
    claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text="The passage the question comes from (optional when authored).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    origin = models.CharField(
        max_length=20, choices=Origin.choices, default=Origin.AUTHORED
    )
    generator_key = models.CharField(
        max_length=120,
        blank=True,
        help_text="Stable identity of a generated question across re-imports.",
    )
    prompt = models.TextField(
        help_text="For fill in the blank, mark the gap with _____ (five underscores)."
    )
    is_true = models.BooleanField(
        null=True,
        blank=True,
        verbose_name="statement is true",
        help_text="True / false questions only: whether the statement is true.",
    )
    explanation = models.TextField(blank=True)
    # What Moodle's questions carry and ours keep, so that a question bank
    # brought in from Moodle (quizzes/interchange/) goes out again whole.
    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="A short name for lists (Moodle's question name); optional.",
    )
    true_feedback = models.TextField(
        blank=True,
        help_text="True / false only: shown to a student who answers “true”.",
    )
    false_feedback = models.TextField(
        blank=True,
        help_text="True / false only: shown to a student who answers “false”.",
    )
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="What the generator doubts about this draft, for triage.",
    )
    edited_by_teacher = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["essay", "claim__order", "id"]
        # An essay's published questions counted without reading their rows.
        indexes = [models.Index(fields=["essay", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["essay", "generator_key"],
                condition=~Q(generator_key=""),
                name="generator_key_unique_per_essay",
            ),
            models.CheckConstraint(
                condition=Q(is_true__isnull=True) | Q(kind="true_false"),
                name="truth_value_only_for_true_false",
            ),
        ]

    def __str__(self) -> str:
        prompt = " ".join(self.prompt.split())
        return prompt if len(prompt) <= 90 else prompt[:87] + "..."

    def save(self, *args, update_fields=None, **kwargs):
        """Saved published, from another status or essay (or made so): its
        essay's CardsMade rows are void (see QuestionQuerySet)."""
        joins = self.status == self.Status.PUBLISHED and (
            update_fields is None or {"status", "essay"} & set(update_fields)
        )
        if joins and not self._state.adding:
            joins = (
                not Question.objects.filter(
                    pk=self.pk, status=self.status, essay=self.essay_id
                )
                .order_by()
                .exists()
            )
        super().save(*args, update_fields=update_fields, **kwargs)
        if joins:
            _cards_made_void([self.essay_id])

    def content_signature(self) -> tuple:
        """What a student sees and is graded against; a change bumps `version`."""
        return (
            self.kind,
            self.prompt,
            self.is_true,
            self.explanation,
            self.true_feedback,
            self.false_feedback,
            tuple(
                (c.text, c.is_correct, c.feedback, c.order, c.weight)
                for c in self.choices.all()
            ),
            tuple(
                sorted(
                    (a.text, a.weight, a.feedback) for a in self.accepted_answers.all()
                )
            ),
            tuple((p.left, p.right, p.order) for p in self.pairs.all()),
        )


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    weight = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=(
            "Percent of the mark this choice earns, -100 to 100 (Moodle's "
            "weights). Empty: a right choice earns the mark (single) or an even "
            "share of it (multiple), and a wrong one takes an even share away."
        ),
    )

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "order"], name="choice_order_unique_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class AcceptedAnswer(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="accepted_answers"
    )
    text = models.CharField(max_length=200)
    weight = models.FloatField(
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=(
            "Percent of the mark this answer earns (Moodle's short-answer "
            "weights): 100 for a right answer, less for a partly right one."
        ),
    )
    feedback = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "text"], name="accepted_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class MatchPair(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="pairs"
    )
    left = models.CharField(
        max_length=300,
        blank=True,
        help_text="Empty: an extra answer to choose from that matches no item.",
    )
    right = models.CharField(max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = "matching pair"
        constraints = [
            models.UniqueConstraint(
                fields=["question", "order"], name="pair_order_unique_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left} → {self.right}"


def _cards_made_void(essay_ids) -> None:
    from quizzes.models.cards import cards_made_void

    cards_made_void(essay_ids)
