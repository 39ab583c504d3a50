"""Teachers build quizzes and tune deck settings; they read attempts and cards."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "quiz": ["add", "change", "view"],
    "quizquestion": ["add", "change", "delete", "view"],
    "decksettings": ["add", "change", "view"],
    "attempt": ["view"],
    "response": ["view"],
    "card": ["view"],
    "review": ["view"],
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
    dependencies = [("quizzes", "0003_quizzes_and_cards")]

    operations = [migrations.RunPython(grant, revoke)]
