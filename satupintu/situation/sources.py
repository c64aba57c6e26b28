"""Sources: adding one, switching it on or off, asking for it now.

Who may do it is `situation.access`; what a source URL may be is decided here, for the room's
form and the admin alike (`Source.clean` calls `check_source_url`): an http(s) link (core.links)
whose host resolves only to addresses the outbound guard lets us reach (core.netguard). The
guard checks again at every fetch and redirect hop; this check is so an officer hears at once.
"""

from __future__ import annotations

from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.core.links import is_web_link
from satupintu.core.netguard import OutboundRefused, check_url
from satupintu.organization.models import Office
from satupintu.situation.models import Source, SourceKind

ADDABLE_KINDS = (SourceKind.FEED, SourceKind.PAGE, SourceKind.SOCIAL)
FETCHED_KINDS = (SourceKind.FEED, SourceKind.PAGE)
URL_MAX = 500  # Source.url
BAD_URL = "Alamat sumber harus URL http(s) yang sah."
# Neutral on purpose: the same words for a forbidden address and a name that does not resolve.
REFUSED_URL = "Alamat sumber tidak dapat dihubungi atau tidak diizinkan."


def check_source_url(kind: str, url: str) -> None:
    """Raise DomainError(field="url") unless `url` may be fetched for a source of `kind`."""
    if kind not in FETCHED_KINDS and not url:
        return  # a social import has no address of its own
    if not is_web_link(url, URL_MAX):
        raise DomainError("invalid_url", BAD_URL, field="url")
    try:
        check_url(url)
    except OutboundRefused as exc:
        raise DomainError("url_refused", REFUSED_URL, field="url") from exc


def source_add(*, kind: str, name: str, url: str, interval_minutes: int, office: Office | None) -> Source:
    name, url = name.strip(), url.strip()
    if kind not in ADDABLE_KINDS or not name:
        raise DomainError("missing_field", "Isi nama dan jenis sumber.", field="name")
    check_source_url(kind, url)
    minutes = interval_minutes if 5 <= interval_minutes <= 1440 else 30
    return Source.objects.create(kind=kind, name=name[:200], url=url, interval_minutes=minutes, office=office)


def source_toggle(source: Source) -> Source:
    source.active = not source.active
    source.save(update_fields=["active"])
    return source


def source_fetch_now(source: Source) -> None:
    Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now(), consecutive_failures=0)
    from satupintu.situation.tasks import fetch_due_sources

    fetch_due_sources.delay()
