"""Views, one module per domain: home, attempts, cards.

Every view is typed with ``HtmxHttpRequest``: django-htmx's middleware sets
``request.htmx``, and a view that renders a page or its part says which in
the view itself (``template_name += "#part"``).
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
