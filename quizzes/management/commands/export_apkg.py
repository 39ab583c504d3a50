from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from quizzes import services
from quizzes.interchange.items import InterchangeError
from quizzes.models import Essay


class Command(BaseCommand):
    help = (
        "Export an essay's published questions as an Anki package (.apkg): one "
        "note per question, stable ids (importing a later export updates the "
        "notes instead of adding copies); with --student, their cards carry "
        "their schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--essay", required=True, help="The essay's slug.")
        parser.add_argument("-o", "--output", required=True, help="The .apkg file.")
        parser.add_argument("--student", help="A student's username: their schedule.")
        parser.add_argument(
            "--section", type=int, help="Only this section (its number)."
        )

    def handle(self, *args, essay, output, student, section, verbosity, **options):
        found = Essay.objects.filter(slug=essay).first()
        if found is None:
            raise CommandError(f"No essay has the slug “{essay}”.")
        who = None
        if student:
            who = get_user_model().objects.filter(username=student).first()
            if who is None:
                raise CommandError(f"No user is called “{student}”.")
        try:
            data = services.interchange.deck_package(
                essay=found, student=who, section=section
            )
        except InterchangeError as error:
            raise CommandError(str(error)) from None
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Anki package written to {output}."))
