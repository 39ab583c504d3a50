"""Password reset in the site's look, honest about email: where the site
sends none, it says so (a student's teacher gives a new password from the
class page) instead of pretending to send a link."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class PasswordResetView(auth_views.PasswordResetView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "email_configured": settings.EMAIL_CONFIGURED
        }

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if not settings.EMAIL_CONFIGURED:
            response = self.get(request, *args, **kwargs)
            response.status_code = 409  # no link can be sent: the page says why
            return response
        return super().post(request, *args, **kwargs)
