"""Teachers run classes: they create them, enrol students, assign work, grant
extensions and override scores."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "classroom": ["add", "change", "view"],
    "enrolment": ["add", "change", "delete", "view"],
    "assignment": ["add", "change", "delete", "view"],
    "extension": ["add", "change", "delete", "view"],
    "scoreoverride": ["add", "view"],
    "response": ["change"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Teachers")
    codenames = [f"{a}_{model}" for model, actions in GRANTS.items() for a in actions]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quizzes", codename__in=codenames
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{a}_{model}" for model, actions in GRANTS.items() for a in actions]
    for group in Group.objects.filter(name="Teachers"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="quizzes", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0008_classes_and_assignments")]

    operations = [migrations.RunPython(grant, revoke)]
