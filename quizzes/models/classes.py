"""Classes: classrooms of students taught by teachers, what is assigned to
them, and what a teacher changed for one student (extensions, overrides)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from quizzes.models.content import Claim, Essay, Section
from quizzes.models.quizzes import Quiz, Response

# A join code is read off a projector and typed on a phone: capitals and
# digits, without the look-alikes 0/O and 1/I.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user):
        """The classes this user teaches: the only ones a teacher may see."""
        return self.filter(teachers=user)

    def active(self):
        return self.filter(archived=False)


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classrooms_taught"
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrolment", related_name="classrooms"
    )
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True)
    join_open = models.BooleanField("students may join with the code", default=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counts the teacher-side changes to what the class's pages show (its
    # settings, roster, assignments, extensions, overrides): part of the
    # version that keys those pages' cache (quizzes.selectors.versions).
    stamp = models.PositiveIntegerField(default=0, editable=False)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="enrolments"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    joined_at = models.DateTimeField()
    # Counts the student's own changes (attempts, card ratings, name): one
    # row per student and class, so students never wait on each other's
    # writes. Summed over the class into its pages' cache version.
    stamp = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["classroom", "student__last_name", "student__username"]
        # The class's count and sum of stamps read from the index alone.
        indexes = [
            models.Index(fields=["classroom", "stamp"], name="enrolment_class_stamp")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="enrolled_once_per_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class AssignmentQuerySet(models.QuerySet):
    def for_student(self, student):
        """Assignments of the student's classes that are meant for them: the
        whole class's, or those naming the student."""
        return self.filter(
            Q(students__isnull=True) | Q(students=student),
            classroom__enrolments__student=student,
            classroom__archived=False,
        ).distinct()


class Assignment(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", "Quiz"
        CARDS = "cards", "Flashcard goal"

    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    title = models.CharField(max_length=200, blank=True)
    quiz = models.ForeignKey(
        Quiz,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    # A flashcard goal covers an essay, one of its sections, or chosen claims
    # (a goal set from the mastery map).
    essay = models.ForeignKey(
        Essay,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    claims = models.ManyToManyField(Claim, blank=True, related_name="assignments")
    target_recall = models.FloatField(
        "target recall",
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(0.99)],
        help_text="Flashcard goals: the predicted recall every card must reach "
        "on the due date (0.5 to 0.99).",
    )
    # Empty: the whole class. Otherwise only these students (a goal set for
    # the weak cells of the mastery map).
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assignments"
    )
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Optional hard close: no attempt starts after it, and open "
        "ones are closed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["classroom", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="cards") | Q(quiz__isnull=False),
                name="quiz_assignment_has_a_quiz",
            ),
            models.CheckConstraint(
                condition=Q(kind="quiz") | Q(essay__isnull=False),
                name="card_goal_has_an_essay",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("opens_at")),
                name="assignment_due_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(closes_at__gte=models.F("due_at")),
                name="assignment_closes_after_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title or (str(self.quiz) if self.quiz_id else str(self.essay))


class Extension(models.Model):
    """What a teacher gave one student on one assignment: more attempts,
    more minutes on each attempt's time limit, or a later due date."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extensions"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="one_extension_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"Extension for {self.student} on {self.assignment}"


class ScoreOverride(models.Model):
    """The log of a teacher changing a response's score: who, when, from
    what to what, and why (the comment the student sees)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="overrides"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score_before = models.FloatField()
    score_after = models.FloatField(
        validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["response", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.response}: {self.score_before:.2f} -> {self.score_after:.2f}"
