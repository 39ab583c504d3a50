"""Flashcards: each student's FSRS memory state per question, and the log of
every rating (a *review*)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from quizzes.models.content import Essay, Question

MAX_INTERVAL_DAYS = 36500
MAX_CARDS_PER_DAY = 9999


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
    # Bounded as Anki bounds them: a hundred years at most between reviews
    # (a longer one overflows a date), and daily limits a person can study.
    maximum_interval = models.PositiveIntegerField(
        "maximum interval (days)",
        default=36500,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)],
    )
    new_cards_per_day = models.PositiveIntegerField(
        default=20, validators=[MaxValueValidator(MAX_CARDS_PER_DAY)]
    )
    reviews_per_day = models.PositiveIntegerField(
        default=200, validators=[MaxValueValidator(MAX_CARDS_PER_DAY)]
    )
    bury_siblings = models.BooleanField(
        default=True,
        help_text=(
            "After a card is rated, the other new and review cards of the same "
            "claim wait until the next day, so that one card does not give "
            "another away (as in Anki)."
        ),
    )

    class Meta:
        verbose_name = "deck settings"
        verbose_name_plural = "deck settings"

    def __str__(self) -> str:
        return f"Deck settings for {self.essay}"

    @classmethod
    def for_essay(cls, essay: Essay) -> "DeckSettings":
        """The essay's saved settings (select_related ``deck_settings`` to
        save a query), or the defaults, unsaved."""
        try:
            return essay.deck_settings
        except cls.DoesNotExist:
            return cls(essay=essay)


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
    # Stored, not derived from lapses: a leech stays marked (and listed on
    # the deck page) after a teacher unsuspends it.
    is_leech = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due"]
        indexes = [
            models.Index(fields=["student", "due"], name="card_student_due"),
            # The cards rated today: the daily limits, and the claims whose
            # other cards are buried until tomorrow (selectors.queue).
            models.Index(
                fields=["student", "last_review"], name="card_student_last_review"
            ),
            # The study queue reads each kind of card in queue order, up to
            # the daily limits (selectors.queue_sql): learning and review
            # cards by state, new cards (never reviewed) from their own index.
            models.Index(fields=["student", "state", "due"], name="card_queue_state"),
            models.Index(
                fields=["student", "due"],
                condition=models.Q(last_review__isnull=True),
                name="card_queue_new",
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
    def state_label(self) -> str:
        """The card's state as a person says it: New until its first rating
        (FSRS keeps a card it has never seen in its Learning state)."""
        return "New" if self.last_review is None else self.get_state_display()


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
