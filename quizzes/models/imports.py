"""An essay import a teacher started in the admin, run by the task worker:
what it was given, how far it has got, and what came of it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from quizzes.models.content import Essay


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "waiting for the worker"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    class Step(models.TextChoices):
        # In the order they run; each one's share of the bar is in PROGRESS.
        WAITING = "waiting", "Waiting for the worker"
        PARSING = "parsing", "Reading the essay into sections and claims"
        GENERATING = "generating", "Generating questions"
        SAVING = "saving", "Saving the essay and its questions"
        FINISHED = "finished", "Finished"

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    # What the form was given, checked in the request; the text is emptied
    # once the job has finished (the essay holds it from then on).
    text = models.TextField(blank=True)
    title = models.CharField(max_length=200, blank=True)
    slug = models.CharField(max_length=200, blank=True)
    fallback_title = models.CharField(max_length=200, blank=True)
    publish = models.BooleanField(default=False)
    # What the pages call it before it is saved: the title given, the text's
    # "# Title" line or the file's name.
    name = models.CharField(max_length=200, blank=True)
    # What came of it: the import's summary and its essay, or why it failed.
    summary = models.TextField(blank=True)
    essay = models.ForeignKey(
        Essay, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True)
    # The task runner's id for it (django-tasks' result id): the row of the
    # database backend's queue that runs it.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by every change of status or step: a job that has not moved for
    # STALLED is one a worker lost (killed, or never started).
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["teacher", "-created_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def stalled(self, now=None) -> bool:
        """Waiting or running, yet unchanged for longer than any step takes:
        the worker died with it (a killed worker does not give it back) or is
        not running. The page says so; nothing was saved."""
        now = now or timezone.now()
        return not self.is_finished and now - self.updated_at > STALLED

    @property
    def shown_status(self) -> str:
        """The status as the teacher reads it: a lost job says it stopped."""
        if self.stalled():
            return "stopped (import again)"
        return self.get_status_display()

    @property
    def polls(self) -> bool:
        """Whether its page keeps asking: until it ends, or stops for good
        (a lost running job never moves; a waiting one starts with a worker)."""
        lost = self.status == self.Status.RUNNING and self.stalled()
        return not self.is_finished and not lost

    @property
    def state(self) -> str:
        """What the status page shows, as one word: the page is swapped only
        when it changes (polls in between answer 204 No Content)."""
        return f"{self.status}-{self.step}-{int(self.stalled())}"

    @property
    def step_number(self) -> int | None:
        """1 to 3 while the import runs (parsing, generating, saving)."""
        steps = [self.Step.PARSING, self.Step.GENERATING, self.Step.SAVING]
        return steps.index(self.step) + 1 if self.step in steps else None


# A 1 MB essay's slowest step takes well under a minute.
STALLED = timedelta(minutes=10)

# How far along the bar each step starts, in percent: generating questions
# is most of a long essay's time.
PROGRESS = {
    ImportJob.Step.WAITING: 0,
    ImportJob.Step.PARSING: 5,
    ImportJob.Step.GENERATING: 25,
    ImportJob.Step.SAVING: 75,
    ImportJob.Step.FINISHED: 100,
}
