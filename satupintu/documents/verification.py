"""What /verifikasi/ tells anyone: a token's document, and whether an uploaded PDF is it.

"Sah" needs all of: the file is byte for byte the one Satu Pintu issued (its SHA-256), its
signature is intact, made by a certificate we trust, and covers the whole file, and the
document is still valid (not revoked, not replaced). Every "tidak sah" says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from satupintu.documents import checks
from satupintu.documents.models import PUBLIC_STATES, IssuedDocument, State
from satupintu.documents.tokens import normalize


def lookup(typed: str) -> IssuedDocument | None:
    """The public document behind a typed token (drafts and unknown tokens alike: None)."""
    token = normalize(typed)
    if token is None:
        return None
    return (IssuedDocument.objects.select_related("office", "application__service")
            .filter(token=token, state__in=PUBLIC_STATES).first())


@dataclass
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    document: IssuedDocument | None = None
    sha256: str = ""
    signer: str = ""
    timestamped_at: datetime | None = None  # when a trusted time-stamping authority says it was signed


def _state_reasons(doc: IssuedDocument) -> list[str]:
    if doc.state == State.REVOKED:
        return [_("Dokumen ini telah dicabut oleh kantor penerbit. Alasan: %(reason)s") % {"reason": _(doc.revoked_reason) if doc.revoked_reason else ""}]
    if doc.state == State.REPLACED:
        newer = doc.replaced_by
        return [_("Dokumen ini telah diganti dengan dokumen yang lebih baru (token %(token)s).")
                % {"token": newer.token if newer else "-"}]
    return []


def verify_upload(data: bytes, *, document: IssuedDocument | None = None) -> Verdict:
    """Check an uploaded PDF against ``document`` (the token's page), or, without one, find the
    issued document it is by its SHA-256."""
    if len(data) > settings.DOCUMENT_VERIFY_MAX_BYTES:
        return Verdict(False, [_("Berkas terlalu besar untuk diperiksa (maksimal %(mb)s MB).")
                               % {"mb": settings.DOCUMENT_VERIFY_MAX_BYTES // 1048576}])
    expected = document.sha256 if document is not None else None
    result = checks.check_pdf(data, expected_sha256=expected, roots=None)
    if document is None:
        document = (IssuedDocument.objects.select_related("office")
                    .filter(sha256=result.sha256, state__in=PUBLIC_STATES).first())
    verdict = Verdict(False, document=document, sha256=result.sha256, signer=result.signer_name,
                      timestamped_at=result.timestamped_at)
    if "not_pdf" in result.reasons:
        verdict.reasons = [_("Berkas ini bukan PDF yang dapat dibaca.")]
        return verdict
    reasons = [m for code, m in zip(result.reasons, result.messages(), strict=False) if code != "hash_mismatch"]
    if document is None:
        reasons.insert(0, _("Tidak ada dokumen terbitan Satu Pintu yang sama persis dengan berkas ini."))
    elif result.sha256 != document.sha256:
        reasons.insert(0, _("Berkas ini berbeda dari dokumen asli yang diterbitkan dengan token ini "
                            "(sidik SHA-256 tidak cocok)."))
    if document is not None and result.sha256 == document.sha256:
        reasons += _state_reasons(document)
    verdict.reasons = reasons
    verdict.ok = not reasons and result.ok and document is not None and document.state == State.VALID
    return verdict
