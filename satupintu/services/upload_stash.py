"""Files a citizen already sent with a form that came back with errors, kept for a while so
that one typo does not cost them every file they picked.

A stashed file is tied to the form (its submission key, rendered in the page) and to the
browser session: knowing a form key alone gives nothing. It is checked like any upload
(``uploads.check_upload``) before it is kept, lives ``UPLOAD_STASH_SECONDS`` and is removed by
the scheduler (``tasks.upload_stash_purge``) or as soon as the application is saved.

The files kept are capped per session (``MAX_PER_SESSION``) and, since a new session costs a
script nothing (it drops the cookie), per client address too (``ratelimit.UPLOAD_STASH_PER_CLIENT``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.services import uploads
from satupintu.services.models import UploadStash

log = logging.getLogger(__name__)

# Files one browser session may have kept at a time (a form has at most a dozen documents):
# a script that keeps sending broken forms cannot fill the disk through one session.
MAX_PER_SESSION = 30


@dataclass(frozen=True)
class StashOwner:
    """Whose stash: the form's key and the browser session that sent it, and the sender's
    address (``ratelimit.client_ip``) for the per-address cap. Public forms pass it; None is
    not capped per address (the assisted desk, where a signed-in officer sends)."""

    form_key: str
    session_key: str
    client: str | None = None

    @property
    def usable(self) -> bool:
        return bool(self.form_key and self.session_key)


def _live(owner: StashOwner, now: datetime) -> list[UploadStash]:
    if not owner.usable:
        return []
    return list(UploadStash.objects.filter(form_key=owner.form_key, session_key=owner.session_key,
                                           expires_at__gt=now).order_by("requirement_code"))


def stash_list(owner: StashOwner, *, now: datetime | None = None) -> dict[str, UploadStash]:
    """The files kept for this form, by requirement code."""
    return {s.requirement_code: s for s in _live(owner, now or timezone.now())}


def stash_files(owner: StashOwner, *, now: datetime | None = None) -> dict[str, UploadedFile]:
    """The kept files as uploads, ready to be checked and stored again like new ones."""
    files: dict[str, UploadedFile] = {}
    for s in _live(owner, now or timezone.now()):
        try:
            handle = s.file.open("rb")
        except OSError as exc:  # gone from the storage: the citizen is asked for it again
            log.warning("stashed upload %s is unreadable: %s", s.file.name, exc)
            continue
        files[s.requirement_code] = UploadedFile(handle, name=s.original_name, content_type=s.content_type,
                                                 size=s.size)
    return files


def stash_keep(owner: StashOwner, code: str, upload: UploadedFile, *, label: str,
               now: datetime | None = None) -> UploadStash | None:
    """Keep one accepted upload for ``code`` (replacing an earlier one). Returns None, keeping
    nothing, when the file fails the upload checks or the storage cannot take it."""
    if not owner.usable:
        return None
    now = now or timezone.now()
    try:
        checked = uploads.check_upload(upload, label=label, field=code)
    except DomainError:
        return None
    held = UploadStash.objects.filter(session_key=owner.session_key, expires_at__gt=now).exclude(
        form_key=owner.form_key, requirement_code=code).count()
    if held >= MAX_PER_SESSION:
        log.warning("upload stash full for a session (%d files): not keeping another", held)
        return None
    per_client: list[ratelimit.Use] = (
        [(ratelimit.UPLOAD_STASH_PER_CLIENT, (owner.client,))] if owner.client is not None else [])
    try:
        ratelimit.charge(*per_client)
    except ratelimit.RateLimited:
        log.warning("upload stash full for a client address: not keeping another file")
        return None
    stash = UploadStash(
        form_key=owner.form_key, session_key=owner.session_key, requirement_code=code,
        original_name=checked.original_name, content_type=checked.content_type, size=checked.size,
        sha256=checked.sha256, created_at=now, expires_at=now + timedelta(seconds=settings.UPLOAD_STASH_SECONDS),
    )
    try:
        with uploads.files_in_transaction() as written:
            stash_discard(owner, codes=[code])
            written.store(stash.file, checked.original_name, checked.upload)
            stash.save()
    except DomainError as exc:  # storage full or away: the citizen picks the file again
        log.warning("could not stash an upload: %s", exc.code)
        for limit, parts in per_client:  # nothing was kept: it does not count
            ratelimit.refund(limit, *parts)
        return None
    return stash


def stash_discard(owner: StashOwner, *, codes: list[str] | None = None) -> int:
    """Remove this form's kept files (all, or those of ``codes``); the files go once the
    deletion commits."""
    if not owner.usable:
        return 0
    rows = UploadStash.objects.filter(form_key=owner.form_key, session_key=owner.session_key)
    if codes is not None:
        rows = rows.filter(requirement_code__in=codes)
    return _delete(list(rows))


def stash_purge_expired(*, now: datetime | None = None) -> int:
    """The scheduler's sweep: every stash past its time, with its file."""
    expired = list(UploadStash.objects.filter(expires_at__lte=now or timezone.now())[:5000])
    return _delete(expired)


def _delete(rows: list[UploadStash]) -> int:
    if not rows:
        return 0
    names = [(r.file.storage, r.file.name) for r in rows if r.file.name]
    UploadStash.objects.filter(pk__in=[r.pk for r in rows]).delete()

    def remove_files() -> None:
        for storage, name in names:
            try:
                storage.delete(name)
            except Exception as exc:  # a later sweep cannot find the row again: log it
                log.warning("could not remove stashed upload %s: %s", name, exc)

    transaction.on_commit(remove_files)
    return len(rows)
