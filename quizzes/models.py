from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


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
        return self.heading or f"Section {self.order + 1}"

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
        """The heading, or the opening words of an untitled section."""
        if self.heading:
            return self.heading
        words = self.text.split()
        return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


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


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Question.Status.DRAFT)

    def for_essay(self, essay):
        return self.filter(essay=essay)

    def generated(self):
        return self.filter(origin=Question.Origin.GENERATED)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple answer"
        TRUE_FALSE = "true_false", "True / false"
        CLOZE = "cloze", "Fill in the blank"
        MATCHING = "matching", "Matching"

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
    edited_by_teacher = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["essay", "claim__order", "id"]
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

    def content_signature(self) -> tuple:
        """What a student sees and is graded against; a change bumps `version`."""
        return (
            self.kind,
            self.prompt,
            self.is_true,
            self.explanation,
            tuple(
                (c.text, c.is_correct, c.feedback, c.order) for c in self.choices.all()
            ),
            tuple(sorted(a.text for a in self.accepted_answers.all())),
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
    left = models.CharField(max_length=300)
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


# --- Quizzes: what students sit -------------------------------------------


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Quiz(models.Model):
    class Reveal(models.TextChoices):
        AFTER_EACH = "after_each", "After each question"
        AFTER_ATTEMPT = "after_attempt", "After the attempt"
        NEVER = "never", "Never"

    title = models.CharField(max_length=200)
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="quizzes")
    questions = models.ManyToManyField(
        Question, through="QuizQuestion", related_name="quizzes"
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    time_limit_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty for no time limit."
    )
    attempts_allowed = models.PositiveIntegerField(
        default=0, help_text="0 for unlimited attempts."
    )
    reveal = models.CharField(
        "reveal answers",
        max_length=20,
        choices=Reveal.choices,
        default=Reveal.AFTER_EACH,
    )
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_published = models.BooleanField("published", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="pass_mark_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="quiz_items"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "order", "id"]
        verbose_name = "quiz question"
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question"], name="question_once_per_quiz"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order + 1}. {self.question}"


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    is_practice = models.BooleanField(
        default=False, help_text="Practice runs are graded but never counted."
    )
    practice_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_runs",
    )
    seed = models.PositiveIntegerField(help_text="Fixes the order of questions.")
    question_ids = models.JSONField(
        default=list, help_text="The questions of this sitting, in the order shown."
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    points = models.FloatField(default=0)
    max_points = models.FloatField(default=0)
    score = models.FloatField(
        null=True, blank=True, help_text="Percent, set when the attempt finishes."
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["student", "quiz"])]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "student"],
                condition=Q(finished_at__isnull=True, is_practice=False),
                name="one_open_attempt_per_student_and_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} - {self.quiz} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("attempt", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Response(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="responses"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="responses"
    )
    snapshot = models.JSONField(
        help_text="The question as shown: prompt, choices, correct answers, version."
    )
    answer = models.JSONField(help_text="What the student submitted.")
    score = models.FloatField(help_text="0 to 1.")
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} - {self.question_id}: {self.score:.2f}"


# --- Flashcards: FSRS memory state per student and question -----------------


class DeckSettings(models.Model):
    """The FSRS scheduler configuration of one essay's deck."""

    essay = models.OneToOneField(
        Essay, on_delete=models.CASCADE, related_name="deck_settings"
    )
    desired_retention = models.FloatField(
        default=0.9, validators=[MinValueValidator(0.7), MaxValueValidator(0.99)]
    )
    learning_steps = models.CharField(
        max_length=100, default="1m 10m", help_text="Space-separated, e.g. 1m 10m."
    )
    relearning_steps = models.CharField(
        max_length=100, default="10m", help_text="Space-separated, e.g. 10m."
    )
    maximum_interval = models.PositiveIntegerField(
        "maximum interval (days)", default=36500
    )
    new_cards_per_day = models.PositiveIntegerField(default=20)
    reviews_per_day = models.PositiveIntegerField(default=200)

    class Meta:
        verbose_name = "deck settings"
        verbose_name_plural = "deck settings"

    def __str__(self) -> str:
        return f"Deck settings for {self.essay}"


class Card(models.Model):
    class State(models.IntegerChoices):
        # The values of fsrs.State.
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    # A student's review history is kept: a question with cards is retired,
    # not deleted (like one with responses).
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="cards"
    )
    state = models.PositiveSmallIntegerField(
        choices=State.choices, default=State.LEARNING
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    suspended = models.BooleanField(default=False)
    is_leech = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due"]
        indexes = [
            models.Index(fields=["student", "due"], name="card_student_due"),
            # The cards reviewed today, for the daily limits (progress.next_card).
            models.Index(
                fields=["student", "last_review"], name="card_student_last_review"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "question"], name="one_card_per_student_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.question}"

    @property
    def is_new(self) -> bool:
        return self.last_review is None


class Review(models.Model):
    class Rating(models.IntegerChoices):
        # The values of fsrs.Rating.
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.JSONField(
        help_text="The card's columns before this review (for undo and optimisation)."
    )

    class Meta:
        ordering = ["card", "reviewed_at"]
        indexes = [models.Index(fields=["reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.card} rated {self.get_rating_display()}"
