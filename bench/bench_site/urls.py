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


urlpatterns = [*project_urlpatterns, path("bench/bare/", bare, name="bench_bare")]
