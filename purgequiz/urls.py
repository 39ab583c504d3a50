from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from quizzes.views.accounts import PasswordResetView

admin.site.site_header = "PurgeQuiz authoring"
admin.site.site_title = "PurgeQuiz"
admin.site.index_title = "Essays, questions and classes"
# The page is for reading questions; the sidebar would squeeze the list.
admin.site.enable_nav_sidebar = False


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever a page links: send them to the
    SVG icon. Not permanent: its hashed name changes when the icon does."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    # Before Django's own: the reset page says whether this site sends email.
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("quizzes.urls")),
]
