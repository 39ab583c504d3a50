from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes import essays, services


class Command(BaseCommand):
    help = (
        "Import a plain-text essay: its sections, claims and generated questions. "
        "Importing again under the same slug updates the essay; questions a "
        "teacher edited are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A UTF-8 plain-text file (at most 1 MB).")
        parser.add_argument(
            "--title",
            default="",
            help="Default: the text's '# Title' line, else the file name.",
        )
        parser.add_argument("--slug", default="", help="Default: made from the title.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new questions at once instead of leaving them as drafts.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what the import would do, and save nothing.",
        )

    def handle(self, *args, path, title, slug, publish, dry_run, verbosity, **options):
        source = Path(path)
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            report = services.imports.essay_import(
                text=essays.decode(data),
                title=title,
                slug=slug,
                fallback_title=services.imports.title_from_filename(source.stem),
                publish=publish,
                dry_run=dry_run,
            )
        except essays.EssayError as error:
            raise CommandError(f"{path}: {error}") from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(report.summary()))
        if verbosity >= 2:
            state = "new" if report.essay_created else "updated"
            self.stdout.write(
                f"  essay: {report.slug} ({state})\n"
                f"  claims removed: {report.claims_removed}\n"
                f"  questions unchanged: {report.unchanged}\n"
                f"  drafts skipped (too long to store): {report.skipped}"
            )
        if dry_run and verbosity >= 1:
            self.stdout.write("Dry run: nothing was saved.")
