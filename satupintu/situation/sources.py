"""Sources: adding one, switching it on or off, asking for it now, importing an export file.

Who may do it is `situation.access`; what a source URL may be is decided here, for the room's
form and the admin alike (`Source.clean` calls `check_source_url`): an http(s) link (core.links)
whose host resolves only to addresses the outbound guard lets us reach (core.netguard). The
guard checks again at every fetch and redirect hop; this check is so an officer hears at once.
Errors name the form field at fault.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from satupintu.core.errors import DomainError, ValidationErrors, collect_into
from satupintu.core.links import is_web_link
from satupintu.core.netguard import OutboundRefused, check_url
from satupintu.organization.models import Office
from satupintu.situation.models import ImportJob, Source, SourceKind

log = logging.getLogger(__name__)

ADDABLE_KINDS = (SourceKind.FEED, SourceKind.PAGE, SourceKind.SOCIAL)
FETCHED_KINDS = (SourceKind.FEED, SourceKind.PAGE)
URL_MAX = 500  # Source.url
BAD_URL = "Alamat sumber harus URL http(s) yang sah."
# Neutral on purpose: the same words for a forbidden address and a name that does not resolve.
REFUSED_URL = "Alamat sumber tidak dapat dihubungi atau tidak diizinkan."
INTERVAL_DEFAULT, INTERVAL_MIN, INTERVAL_MAX = 30, 5, 1440  # minutes between fetches
IMPORT_EXTENSIONS = (".jsonl", ".json", ".ndjson", ".csv")
MAX_UPLOAD = 20 * 1024 * 1024


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


def source_add(*, kind: str, name: str, url: str, interval_minutes: int | None = None,
               office: Office | None) -> Source:
    """A new source; every problem at once (the address is checked through the guard)."""
    name, url = name.strip(), url.strip()
    errors: list[DomainError] = []
    attempt = collect_into(errors)
    if not name:
        errors.append(DomainError("missing_field", "Isi nama sumber.", field="name"))
    if kind not in ADDABLE_KINDS:
        errors.append(DomainError("invalid_source_kind", "Pilih jenis sumber: umpan, halaman web atau impor media "
                                  "sosial.", field="kind"))
    else:  # whether the address must be there (and reachable) depends on the kind
        attempt(check_source_url, kind, url)
    minutes = INTERVAL_DEFAULT if interval_minutes is None else interval_minutes
    if not INTERVAL_MIN <= minutes <= INTERVAL_MAX:
        errors.append(DomainError("invalid_interval", "Selang pengambilan antara %(low)s dan %(high)s menit.",
                                  field="interval_minutes", params={"low": INTERVAL_MIN, "high": INTERVAL_MAX}))
    if errors:
        raise ValidationErrors(errors)
    return Source.objects.create(kind=kind, name=name[:200], url=url, interval_minutes=minutes, office=office)


def source_toggle(source: Source) -> Source:
    source.active = not source.active
    source.save(update_fields=["active"])
    return source


def source_fetch_now(source: Source) -> None:
    Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now(), consecutive_failures=0)
    from satupintu.situation.tasks import fetch_due_sources

    try:
        fetch_due_sources.delay()
    except Exception:  # the broker is down: the source is due now, the schedule fetches it when it is back
        log.warning("broker unavailable; source %s waits for the scheduled fetch", source.pk)


def source_import(source: Source, upload: UploadedFile | None, user: Any) -> ImportJob:
    """Queue an uploaded social-media export (JSONL or CSV) of a social source for reading."""
    from satupintu.situation.ingestion import queue_import

    if source.kind != SourceKind.SOCIAL:
        raise DomainError("not_a_social_source", "Unggahan hanya untuk sumber impor media sosial.", field="source")
    filename = (upload.name or "") if upload is not None else ""  # an uploaded file always has a name
    if upload is None or not filename.lower().endswith(IMPORT_EXTENSIONS):
        raise DomainError("import_file_type", "Pilih berkas JSONL atau CSV.", field="file")
    if (upload.size or 0) > MAX_UPLOAD:
        raise DomainError("import_file_too_large", "Berkas terlalu besar (maksimal 20 MB); bagi menjadi beberapa "
                          "berkas.", field="file")
    return queue_import(source, filename, upload.read(), user)
