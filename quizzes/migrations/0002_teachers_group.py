"""The Teachers group: authoring rights on the content models, none on users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = [
    "essay",
    "section",
    "claim",
    "question",
    "choice",
    "acceptedanswer",
    "matchpair",
]
ACTIONS = ["add", "change", "view"]


def create_teachers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they
    # exist now so the group can be given them on a fresh database.
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Teachers")
    codenames = [f"{action}_{model}" for model in CONTENT_MODELS for action in ACTIONS]
    # Teachers may remove choices, answers and pairs while editing a question.
    codenames += ["delete_choice", "delete_acceptedanswer", "delete_matchpair"]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quizzes", codename__in=codenames
        )
    )


def remove_teachers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Teachers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_content"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_teachers_group, remove_teachers_group)]
