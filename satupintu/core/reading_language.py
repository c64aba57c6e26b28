"""The language a person reads the product's e-mails in: the one they last chose on its pages.

The page's language buttons post to ``/i18n/setlang/`` (``set_language`` below): Django's own view
sets the cookie for the pages, and for a signed-in person the choice is kept too
(``ReadingLanguage``), so an alert, a deadline warning or an escalation written by a scheduled job,
long after the request, reaches them in that language. Compose such a message inside
``in_language_of(user)``; everyone without a choice reads Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.views.i18n import set_language as django_set_language

from satupintu.core.models import ReadingLanguage

_KNOWN = {code for code, _ in settings.LANGUAGES}


def known(language: str | None) -> str:
    """``language`` when the product speaks it ("en-us" is "en"), else the product's (Indonesian)."""
    code = (language or "").lower().split("-")[0]
    return code if code in _KNOWN else settings.LANGUAGE_CODE


def language_of(user) -> str:  # type: ignore[no-untyped-def]
    """The chosen language of ``user`` (a user or a user's id), or the product's (Indonesian)."""
    user_id = user if isinstance(user, int) else getattr(user, "pk", None)
    if not user_id:
        return settings.LANGUAGE_CODE
    chosen = ReadingLanguage.objects.filter(user_id=user_id).values_list("language", flat=True).first()
    return chosen if chosen in _KNOWN else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Compose what ``user`` (a user or an id) will read inside this block: it is in their language."""
    language = language_of(user)
    with translation.override(language):
        yield language


def mail_for(user, compose: Callable[[], tuple[str, str]], link: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(subject, body) that ``compose`` gives in the language of ``user`` (a user or an id), the body
    ending with where to open it: one rule for every e-mail a scheduled job sends staff."""
    with in_language_of(user):
        subject, body = compose()
        return subject, f"{body}\n\n" + gettext("Buka: %(url)s") % {"url": link} + "\n"


def mail_each(people: list[tuple[int, str]], compose: Callable[[], tuple[str, str]], link: str,
              dedupe_prefix: str) -> int:
    """Queue one e-mail per (user id, address), each in that person's language (``mail_for``),
    deduplicated by ``<dedupe_prefix>:<user id>`` so a rerun of the job sends nothing twice.
    Returns how many were queued."""
    from satupintu.notifications.outbox import outbox_enqueue

    queued = 0
    for user_id, email in people:
        subject, body = mail_for(user_id, compose, link)
        if outbox_enqueue(channel="email", recipient=email, subject=subject, body=body,
                          dedupe_key=f"{dedupe_prefix}:{user_id}"):
            queued += 1
    return queued


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's view, and the choice kept for a signed-in person. Django validates the language and
    sets the cookie only for one it serves: that cookie is what is kept."""
    response = django_set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if request.user.is_authenticated and cookie is not None and cookie.value in _KNOWN:
        ReadingLanguage.objects.update_or_create(user=request.user, defaults={"language": cookie.value})
    return response
