"""Flashcards: each student's FSRS memory state per question, and the log of
every rating (a *review*)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction

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


class CardQuerySet(models.QuerySet):
    """Cards removed, or moved to another student or question, leave their
    decks' CardsMade rows untrue: each such write voids them."""

    def delete(self):
        pairs = list(self.values_list("student_id", "question__essay_id"))
        done = super().delete()
        cards_made_void_pairs(pairs)
        return done

    def update(self, **kwargs):
        if not _MOVES.isdisjoint(kwargs):
            pairs = list(self.values_list("student_id", "question__essay_id"))
            with transaction.atomic(using=self.db):
                done = super().update(**kwargs)
                cards_made_void_pairs(pairs)
            return done
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if _MOVES.isdisjoint(fields):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        mine = self.model.objects.filter(pk__in=[card.pk for card in objs])
        pairs = list(mine.values_list("student_id", "question__essay_id"))
        with transaction.atomic(using=self.db):
            done = super().bulk_update(objs, fields, batch_size=batch_size)
            cards_made_void_pairs(pairs)
        return done


# The fields whose change takes a card from its student's deck.
_MOVES = frozenset({"student", "student_id", "question", "question_id"})


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

    objects = CardQuerySet.as_manager()

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

    def save(self, *args, update_fields=None, **kwargs):
        moved = []
        if not self._state.adding and (
            update_fields is None or not _MOVES.isdisjoint(update_fields)
        ):
            moved = list(
                Card.objects.filter(pk=self.pk)
                .exclude(student=self.student_id, question=self.question_id)
                .values_list("student_id", "question__essay_id")
            )
        super().save(*args, update_fields=update_fields, **kwargs)
        cards_made_void_pairs(moved)

    def delete(self, *args, **kwargs):
        pairs = [(self.student_id, self.question.essay_id)]
        done = super().delete(*args, **kwargs)
        cards_made_void_pairs(pairs)
        return done

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


class CardsMade(models.Model):
    """The student has a card of every question the essay publishes: the
    study page and the deck list then have no question without a card to
    count (a count that reads every question of the deck).

    Written by services.cards.deck_cards_create, which makes those cards;
    every write that could make it untrue deletes it: a question published
    (or made, or moved to the essay, published), a card deleted or moved
    (Question's and Card's querysets and saves, cards_made_void). A
    question retired or drafted only shrinks the published set.
    """

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name_plural = "cards made"
        constraints = [
            models.UniqueConstraint(
                fields=["student", "essay"], name="cards_made_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.essay_id}"


def lock_essays(essay_ids) -> None:
    """Where rows are locked, the essays' rows, until the transaction ends:
    making a deck's cards and voiding its CardsMade rows take turns, so that
    a question published while the cards are made is never missed. SQLite
    runs one writer at a time anyway."""
    if connection.features.has_select_for_update and essay_ids:
        with transaction.atomic(savepoint=False):
            list(
                Essay.objects.select_for_update(no_key=True)
                .filter(pk__in=sorted(set(essay_ids)))
                .order_by("pk")
                .values_list("pk", flat=True)
            )


def cards_made_void(essay_ids) -> None:
    """The essays' published questions changed: no student has all its cards.
    Called after the write (in or out of a transaction): the lock waits for a
    deck_cards_create under way, which cannot have seen the write, and then
    its row is deleted too."""
    essay_ids = {pk for pk in essay_ids if pk is not None}
    if not essay_ids:
        return
    with transaction.atomic(savepoint=False):
        lock_essays(essay_ids)
        CardsMade.objects.filter(essay__in=essay_ids).delete()


def cards_made_void_pairs(pairs) -> None:
    """Cards of these (student, essay) pairs were removed (or moved away)."""
    pairs = set(pairs)
    if not pairs:
        return
    students = {student for student, _essay in pairs}
    essays = {essay for _student, essay in pairs}
    # Students x essays: a few rows more voided at most, in one statement.
    CardsMade.objects.filter(student__in=students, essay__in=essays).delete()
