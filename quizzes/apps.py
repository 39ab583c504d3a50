from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_delete

        from quizzes.services import stamps

        # A student renamed (in the admin) shows renamed on the Teach pages.
        post_save.connect(
            stamps.user_saved, sender=get_user_model(), dispatch_uid="teach_stamps"
        )
        # Their attempts go with them: the classes' pages count them.
        pre_delete.connect(
            stamps.user_deleting,
            sender=get_user_model(),
            dispatch_uid="teach_stamps_delete",
        )
