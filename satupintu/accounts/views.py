"""The demo's sign-in codes: with no SMS gateway, the texts stay in the outbox and a newcomer
reads the code here (only where SIGN_IN_DEMO_CODES is on: the embedded demo)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from satupintu.accounts import delivery


@never_cache
def demo_codes(request: HttpRequest) -> HttpResponse:
    if not settings.SIGN_IN_DEMO_CODES:
        raise Http404
    return render(request, "account/demo_codes.html", {"codes": delivery.recent_demo_codes()})
