"""The client's address as django-axes records it: behind PROXY_COUNT
proxies (a load balancer, a reverse proxy), the address that many hops from
the right of X-Forwarded-For, which the client cannot forge; REMOTE_ADDR
when there is no proxy (a forwarded header then is anyone's to write)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    hops = settings.PROXY_COUNT
    if hops > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR")
