"""All of satupintu.urls, plus /bench/bare/: the cheapest possible Django view.

The bare view goes through the same server, the same middleware stack and the same URL
resolver as the real pages, so "endpoint req/s / bare req/s" isolates what the endpoint
itself costs. It is placed last, like /api/v1/, so it gets no head start in URL resolution.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from satupintu.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def tracking_uncached(request: HttpRequest, code: str) -> HttpResponse:
    """The tracking API's cache-miss path (what the first look after each change costs):
    the same queries and encoding as satupintu.services.tracking, without either cache."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from satupintu.services import tracking
    from satupintu.services.tracking_codes import normalize_tracking_code

    body = tracking._build_public_status(normalize_tracking_code(code))
    return HttpResponse(json.dumps(body, cls=DjangoJSONEncoder).encode(), content_type="application/json")


urlpatterns = [
    *project_urlpatterns,
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/tracking-uncached/<str:code>/", tracking_uncached, name="bench_tracking_uncached"),
]
