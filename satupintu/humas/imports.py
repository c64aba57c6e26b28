"""Social figures in: a platform's own export file (Meta Business Suite, TikTok, YouTube Studio)
read by social_exports.parse_export, its rows stored per channel and post (a later export of
the same post updates its figures), and an import record with every bad row by line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.links import is_web_link
from satupintu.humas.models import SOCIAL_PLATFORMS, STORED_PROBLEMS, Channel, SocialImport, SocialPost

MAX_UPLOAD = 10 * 1024 * 1024
SHOWN_PROBLEMS = 10


@dataclass
class ImportResult:
    record: SocialImport
    created: int
    updated: int

    @property
    def summary(self) -> str:
        """ "N baris diimpor, M baris bermasalah: baris 7: ..." in the request's language."""
        from django.utils.translation import gettext as _
        from django.utils.translation import ngettext

        rec = self.record
        text = ngettext("%(n)d baris diimpor", "%(n)d baris diimpor", rec.rows_imported) % {"n": rec.rows_imported}
        if not rec.problem_count:
            return text + "."
        shown = "; ".join(rec.problem_lines()[:SHOWN_PROBLEMS])
        more = rec.problem_count - min(SHOWN_PROBLEMS, len(rec.problems))
        tail = (" " + _("(dan %(n)d lainnya)") % {"n": more}) if more > 0 else ""
        return (text + ", " + ngettext("%(m)d baris bermasalah", "%(m)d baris bermasalah", rec.problem_count)
                % {"m": rec.problem_count} + ": " + shown + tail)


def social_import(*, channel: Channel | None, filename: str, data: bytes, platform: str | None = None,
                  user: Any = None) -> ImportResult:
    """Read the export and store its rows on ``channel``; whole-file problems raise DomainError
    (from the parser, or here: empty, too big, another platform's export than the channel's)."""
    from satupintu.humas.social_exports import parse_export  # the parser (its own module and tests)

    missing = ([DomainError("humas_channel_required", "Pilih kanal tujuan impor.", field="channel")]
               if channel is None else [])
    if not filename and not data:  # no file picked at all
        missing.append(DomainError("humas_file_required", "Pilih berkas ekspor yang akan diimpor.", field="file"))
    if missing:
        raise ValidationErrors(missing)
    assert channel is not None
    if channel.retired_at is not None:
        raise DomainError("humas_channel_retired", "Kanal ini tidak dipakai lagi. Daftarkan lagi kanal itu bila "
                          "unggahannya perlu diimpor.", field="channel", status=409)
    if channel.platform not in SOCIAL_PLATFORMS:
        raise DomainError("humas_not_social_channel", "Impor hanya untuk kanal Facebook, Instagram, TikTok atau "
                          "YouTube.", field="channel")
    if not data:
        raise DomainError("humas_empty_file", "Berkas kosong.", field="file")
    if len(data) > MAX_UPLOAD:
        raise DomainError("humas_file_too_big", "Berkas terlalu besar (paling besar %(mb)s MB).", field="file",
                          params={"mb": MAX_UPLOAD // (1024 * 1024)})
    if platform and platform != channel.platform:
        raise DomainError("humas_platform_mismatch", "Platform berkas (%(file)s) tidak sama dengan platform kanal "
                          "(%(channel)s).", field="platform", params={"file": platform, "channel": channel.platform})
    parsed = parse_export(filename, data, platform or channel.platform, zone=ZoneInfo(channel.office.timezone))
    if parsed.platform != channel.platform:
        raise DomainError("humas_platform_mismatch", "Platform berkas (%(file)s) tidak sama dengan platform kanal "
                          "(%(channel)s).", field="file", params={"file": parsed.platform, "channel": channel.platform})
    created = updated = 0
    with transaction.atomic():
        record = SocialImport.objects.create(
            channel=channel, platform=parsed.platform, filename=filename[:200], language=parsed.language[:5],
            # Kept as parts, worded where read (SocialImport.problem_lines), so each reader gets their language.
            problems=[{"line": p.line, "code": p.code, "message": p.message, "column": p.column, "value": p.value}
                      for p in parsed.problems[:STORED_PROBLEMS]],
            problem_count=len(parsed.problems),
            uploaded_by=user if getattr(user, "pk", None) else None)
        for row in parsed.rows:
            _, made = SocialPost.objects.update_or_create(
                channel=channel, post_id=row.post_id[:120],
                defaults={"office_id": channel.office_id, "platform": parsed.platform,
                          "published_at": row.published_at, "title": row.title[:500], "url": row.url if is_web_link(row.url, 800) else "",
                          "views": row.views, "reach": row.reach, "engagement": row.engagement,
                          "last_import": record})
            created += int(made)
            updated += int(not made)
        record.rows_imported = len(parsed.rows)
        record.save(update_fields=["rows_imported"])
    return ImportResult(record, created, updated)
