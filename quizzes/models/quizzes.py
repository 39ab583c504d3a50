"""What students sit: quizzes of questions, attempts at them, and answers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from quizzes.models.content import Essay, Question


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Quiz(models.Model):
    class Reveal(models.TextChoices):
        AFTER_EACH = "after_each", "After each question"
        AFTER_ATTEMPT = "after_attempt", "After the attempt"
        NEVER = "never", "Never"

    class Grading(models.TextChoices):
        # Moodle's "grading method", the two that schools use.
        HIGHEST = "highest", "Highest attempt"
        LAST = "last", "Last attempt"

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
    grading = models.CharField(
        "grade by",
        max_length=10,
        choices=Grading.choices,
        default=Grading.HIGHEST,
        help_text="Which attempt's score the gradebook shows.",
    )
    is_published = models.BooleanField("published", default=False)
    open_practice = models.BooleanField(
        "open practice",
        default=False,
        help_text="Every student may take it, assigned or not.",
    )
    exam_only = models.BooleanField(
        "exam only",
        default=False,
        help_text=(
            "Its questions stay out of the flashcard decks of the students it is "
            "assigned to until the assignment closes, so that no card gives an "
            "answer away before the exam."
        ),
    )
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


# Answers sent this long after the deadline still count: the page's clock and
# the network are not exact.
ANSWER_GRACE = timedelta(seconds=30)


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    is_practice = models.BooleanField(
        default=False, help_text="Practice runs are graded but never counted."
    )
    # The assignment the attempt was started for (None for open practice):
    # its dates decide whether the attempt is late.
    assignment = models.ForeignKey(
        "quizzes.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
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
    # Stored, though the responses could give them: the home page, the
    # gradebook and "best score" rank attempts in SQL without reading every
    # response, and a finished attempt's score must not move if a question
    # is later taken out of the quiz.
    points = models.FloatField(default=0)
    max_points = models.FloatField(default=0)
    score = models.FloatField(
        null=True, blank=True, help_text="Percent, set when the attempt finishes."
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["student", "quiz"]),
            # An assignment's attempts counted without reading their rows.
            models.Index(fields=["assignment", "is_practice"]),
        ]
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

    def is_overdue(self, now: datetime) -> bool:
        return self.deadline is not None and now > self.deadline + ANSWER_GRACE

    @cached_property
    def student_dates(self) -> tuple[datetime | None, datetime | None]:
        """(due, hard close) of the attempt's assignment for its student, both
        None for open practice. Read from the annotations that
        selectors.assignments.with_student_dates puts on the attempt, else
        with one query; the rule (an extension's due date moves both) is
        selectors.assignments.student_dates."""
        if self.assignment_id is None:
            return None, None
        if hasattr(self, "student_due_at"):
            return self.student_due_at, self.student_closes_at
        from quizzes.models.classes import Extension  # classes imports us

        assignment = self.assignment
        moved = (
            Extension.objects.filter(assignment=assignment, student=self.student_id)
            .values_list("due_at", flat=True)
            .first()
        )
        close = assignment.closes_at
        if close is not None and moved is not None:
            close = max(close, moved)
        return moved or assignment.due_at, close

    @property
    def is_late(self) -> bool:
        """Handed in after its due date (the student's extension's, if any),
        beyond the network's grace; never for open practice."""
        due, _ = self.student_dates
        if self.finished_at is None or due is None or self.is_practice:
            return False
        return self.finished_at > due + ANSWER_GRACE

    @property
    def passed(self) -> bool:
        return self.is_finished and (self.score or 0) >= self.quiz.pass_mark

    @property
    def shows_answers_now(self) -> bool:
        """Feedback right after each answer: practice runs always, unless never."""
        reveal = self.quiz.reveal
        if self.is_practice:
            return reveal != Quiz.Reveal.NEVER
        return reveal == Quiz.Reveal.AFTER_EACH

    @property
    def shows_answers_at_end(self) -> bool:
        """The result page shows the right answers (and practice runs are
        offered) unless the teacher keeps them hidden."""
        return self.quiz.reveal != Quiz.Reveal.NEVER


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
    # Equal to score == 1 as grading.grade gives it; stored so that counts of
    # right answers (results, item analysis) are plain SQL filters rather
    # than comparisons of floats.
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField()
    # A teacher's word on this answer, shown to the student; a changed score
    # is logged in ScoreOverride.
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["attempt", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} - {self.question_id}: {self.score:.2f}"
