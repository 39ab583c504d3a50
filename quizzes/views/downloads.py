"""A student's deck as a file to take home: an Anki package of the deck's
cards with their schedule (services.interchange.deck_package)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from quizzes import services
from quizzes.interchange.items import InterchangeError
from quizzes.selectors import decks as deck_reads
from quizzes.views import HtmxHttpRequest


@require_GET
@login_required
@never_cache
def deck_anki(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The deck (an essay, or one section with ?section=N) as an .apkg that
    Anki opens; importing a later download updates the notes rather than
    adding copies. Cards held back by an open quiz are left out. Reads
    only: a GET writes nothing."""
    essay = deck_reads.deck_essay(slug, student=request.user)
    if essay is None:
        raise Http404("No such deck.")
    section = request.GET.get("section", "")
    if section and not section.isdecimal():
        raise Http404("No such section.")
    order = int(section) if section else None
    if order is not None and not essay.sections.filter(order=order).exists():
        raise Http404("No such section.")
    try:
        data = services.interchange.deck_package(
            essay=essay, student=request.user, section=order
        )
    except InterchangeError as error:
        return HttpResponse(str(error), status=404, content_type="text/plain")
    name = slugify(essay.title) or "deck"
    if order is not None:
        name += f"-section-{order}"
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name}.apkg"'
    return response
