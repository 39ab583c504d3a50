"""The import_* and export_* commands of the question files (GIFT, Moodle
XML, CSV), made from one pattern: read the file, parse it with its format
module (quizzes.interchange), save through services.interchange in one
transaction; or the other way. The commands stay thin."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import services
from quizzes.interchange import items as ix
from quizzes.interchange.formats import FORMATS
from quizzes.models import Essay, Question, Quiz


def import_command(key: str) -> type[BaseCommand]:
    fmt = FORMATS[key]

    class Command(BaseCommand):
        help = (
            f"Import the questions of a {fmt.name} file into an essay, as drafts "
            "for a teacher to review: into an existing essay (--essay SLUG) or a "
            "new one (--title TITLE). One transaction: a question refused "
            "refuses the file, naming its line."
        )

        def add_arguments(self, parser):
            parser.add_argument("path", help=f"A {fmt.name} file (at most 1 MB).")
            target = parser.add_mutually_exclusive_group(required=True)
            target.add_argument("--essay", help="The slug of the essay to add to.")
            target.add_argument("--title", help="The title of a new essay.")
            parser.add_argument(
                "--dry-run",
                action="store_true",
                help="Check the file and report what it would import; save nothing.",
            )

        def handle(self, *args, path, essay, title, dry_run, verbosity, **options):
            try:
                data = Path(path).read_bytes()
            except FileNotFoundError:
                raise CommandError(f"No such file: {path}") from None
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
            target = None
            if essay:
                target = Essay.objects.filter(slug=essay).first()
                if target is None:
                    raise CommandError(f"No essay has the slug “{essay}”.")
            try:
                report = services.interchange.questions_import(
                    parsed=fmt.read(data),
                    essay=target,
                    title=title or "",
                    dry_run=dry_run,
                )
            except ix.InterchangeError as error:
                raise CommandError(f"{path}: {error}") from None
            if verbosity >= 1:
                lines = report.lines()
                self.stdout.write(self.style.SUCCESS(lines[0]))
                for line in lines[1:]:
                    self.stdout.write(f"  {line}")

    return Command


def export_command(key: str) -> type[BaseCommand]:
    fmt = FORMATS[key]

    class Command(BaseCommand):
        help = (
            f"Export questions to a {fmt.name} file: an essay's (--essay SLUG) "
            "or a quiz's (--quiz ID); retired ones never, drafts unless "
            "--published."
        )

        def add_arguments(self, parser):
            source = parser.add_mutually_exclusive_group(required=True)
            source.add_argument("--essay", help="The slug of the essay.")
            source.add_argument("--quiz", type=int, help="The id of the quiz.")
            parser.add_argument("-o", "--output", required=True, help="The file.")
            parser.add_argument(
                "--published", action="store_true", help="Published questions only."
            )

        def handle(self, *args, essay, quiz, output, published, verbosity, **options):
            questions, category = _chosen(essay=essay, quiz=quiz)
            questions = questions.exclude(status=Question.Status.RETIRED)
            if published:
                questions = questions.published()
            found = services.interchange.questions_items(questions)
            if not found:
                raise CommandError("No question to export.")
            data = fmt.write(found, category)
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
            if verbosity >= 1:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{len(found)} question{'s' * (len(found) != 1)} written "
                        f"to {output} ({fmt.name})."
                    )
                )

    return Command


def _chosen(*, essay: str | None, quiz: int | None):
    """The questions asked for, and the category they go out under."""
    if essay:
        found = Essay.objects.filter(slug=essay).first()
        if found is None:
            raise CommandError(f"No essay has the slug “{essay}”.")
        return Question.objects.filter(essay=found).in_essay_order(), found.title
    found = Quiz.objects.filter(pk=quiz).first()
    if found is None:
        raise CommandError(f"No quiz has the id {quiz}.")
    return Question.objects.filter(quiz_items__quiz=found).order_by(
        "quiz_items__order", "quiz_items__id"
    ), found.title
