from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import include, path
from django.views.decorators.http import require_POST

# The floor's table, made by make bench (tests/bench/run.py), not a model.
FLOOR_TABLE = "bench_floor"


def bare(request: HttpRequest) -> HttpResponse:
    """The yardstick: Django's full middleware stack and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    """The least an answer or a rating must do: load the session and its
    user, check CSRF, and write one row in a transaction."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("log in")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (user_id) VALUES (%s)", [request.user.pk]
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/floor/", floor),
    path("", include("purgequiz.urls")),
]
