from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quizzes import services
from quizzes.models import Essay

DEMO_ESSAY = settings.BASE_DIR / "quizzes" / "data" / "great_purge.txt"
DEMO_TITLE = "The Causes of Stalin's Great Purge"
DEMO_SLUG = "great-purge"
TEACHER = "teacher"
STUDENTS = ["student1", "student2", "student3"]
# Names, so the teacher's pages read as they will with a real class.
NAMES = {
    "teacher": ("Maria", "Lopez"),
    "student1": ("Anna", "Petrova"),
    "student2": ("Ben", "Okafor"),
    "student3": ("Chloé", "Martin"),
}


class Command(BaseCommand):
    help = (
        "Set up a demo: import the default essay (questions published) unless it is "
        "there, create the demo teacher and students with the password from "
        "DEMO_PASSWORD, and the teacher's 'Demo class' with the essay's quiz "
        "assigned, a flashcard goal and two weeks of the students' history. Safe "
        "to run again: it resets the demo passwords and creates nothing twice."
    )

    @transaction.atomic
    def handle(self, *args, verbosity, **options):
        try:
            teachers = Group.objects.get(name="Teachers")
        except Group.DoesNotExist:
            raise CommandError(
                "The Teachers group is missing: run `manage.py migrate` first."
            ) from None
        essay = Essay.objects.filter(slug=DEMO_SLUG).first()
        if essay:
            essay_note = f"The essay “{essay.title}” is already imported."
        else:
            # Published, so students have a deck and quizzes at once.
            report = services.imports.essay_import(
                text=DEMO_ESSAY.read_text(encoding="utf-8"),
                title=DEMO_TITLE,
                slug=DEMO_SLUG,
                publish=True,
            )
            essay_note = report.summary()

        teacher = self._user(TEACHER, is_staff=True)
        teacher.groups.add(teachers)
        students = [self._user(name, is_staff=False) for name in STUDENTS]
        essay = Essay.objects.get(slug=DEMO_SLUG)
        classroom = services.demo.demo_class_create(
            teacher=teacher, students=students, essay=essay, now=timezone.now()
        )
        class_note = (
            f"“{classroom.name}” is ready: code {classroom.join_code}."
            if classroom
            else "The demo class is already there."
        )

        if verbosity >= 1:
            self.stdout.write(essay_note)
            self.stdout.write(class_note)
            self.stdout.write(
                f"Demo logins (password: {settings.DEMO_PASSWORD}):\n"
                f"  {TEACHER} (teacher, admin at /admin/)\n"
                f"  {', '.join(STUDENTS)} (students)"
            )

    @staticmethod
    def _user(username: str, *, is_staff: bool):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = is_staff
        user.is_superuser = False
        user.is_active = True
        user.first_name, user.last_name = NAMES[username]
        # Set on every run so the documented password always works.
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        return user
