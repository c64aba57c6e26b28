"""Is this PDF one we issued, unchanged? The check behind the public verification page.

``check_pdf(data)`` never raises on what anyone can upload (random bytes, an HTML page, a
truncated or encrypted PDF, a pathological one): every problem becomes a stable reason code
in ``PdfCheck.reasons`` and a sentence in ``PdfCheck.messages()``.

What "sah" (valid) means here:
- the file parses as a PDF, unencrypted, no bigger than DOCUMENT_VERIFY_MAX_BYTES;
- it has at least one signature, and every signature in it is intact (the bytes it covers
  hash to what was signed) and cryptographically valid;
- the *last* signature chains to one of our trust roots (signers.trust_roots()) and covers
  the entire file: anything appended after it, even a harmless-looking incremental update,
  makes the file "modified_after_signing". Earlier signatures (a product signed elsewhere
  before we sealed it) must be intact but need not be trusted by us;
- when ``expected_sha256`` is given (the hash recorded when we issued it), the file's
  SHA-256 equals it.

Trust is decided now, with no network: ``allow_fetching=False`` and revocation "soft-fail"
(a certificate with no revocation information available is not refused). The demo CA
publishes no CRL or OCSP, and the verification page must not make outbound calls on behalf
of whoever uploads; production can add BSrE's CRLs later. With a time stamp that is intact and
chains to a time-stamping root (timestamps.tsa_roots(); PAdES B-T) the signer's certificate is
checked as of the stamped time, so a letter outlives its signer's certificate; without one
(B-B) the certificate must be valid at the time of checking.

Pathological input: pyHanko's decode limits are tightened (per stream and per document), the
number of signatures checked is capped, difference analysis between revisions is skipped
(coverage is what decides), and anything pyHanko raises is caught.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from satupintu.core import pdfread

log = logging.getLogger(__name__)

MAX_SIGNATURES = 16
MiB = pdfread.MiB

# Stable codes (the API and the page key on them) and what people are told, most serious first.
REASONS: dict[str, str] = {
    "too_large": gettext_noop("Berkas terlalu besar untuk diperiksa."),
    "empty": gettext_noop("Berkas kosong."),
    "not_pdf": gettext_noop("Berkas ini bukan PDF."),
    "pdf_unreadable": gettext_noop("Berkas PDF rusak atau tidak lengkap sehingga tidak dapat dibaca."),
    "pdf_encrypted": gettext_noop("Berkas PDF terkunci (terenkripsi) sehingga tidak dapat diperiksa."),
    "no_signature": gettext_noop("Berkas PDF ini tidak memiliki tanda tangan elektronik."),
    "too_many_signatures": gettext_noop("Berkas PDF ini memiliki terlalu banyak tanda tangan untuk diperiksa."),
    "signature_broken": gettext_noop("Tanda tangan elektronik rusak: isi dokumen berbeda dari yang ditandatangani."),
    "modified_after_signing": gettext_noop("Dokumen diubah setelah ditandatangani."),
    "untrusted_signer": gettext_noop("Tanda tangan dibuat dengan sertifikat yang tidak kami percayai "
                                     "(bukan dari penerbit dokumen ini)."),
    "hash_mismatch": gettext_noop("Berkas tidak sama dengan dokumen yang kami terbitkan (sidik jari SHA-256 berbeda)."),
}


@dataclass
class PdfCheck:
    ok: bool
    reasons: list[str]
    signer_name: str = ""
    signed_at: dt.datetime | None = None
    timestamped_at: dt.datetime | None = None  # the last signature's time as a trusted TSA vouches for it
    sha256: str = ""
    intact: bool = False  # every signature's covered bytes match what was signed
    trusted: bool = False  # the last signature chains to one of our roots
    covers_whole_file: bool = False  # nothing was appended after the last signature
    signatures: list[dict[str, Any]] = field(default_factory=list)  # one summary each, in signing order

    def messages(self) -> list[str]:
        """What went wrong, in the language of the request (Indonesian by default)."""
        return [gettext(REASONS[code]) for code in self.reasons if code in REASONS]


def _common_name(cert: Any) -> str:
    try:
        subject = cert.subject.native
        return str(subject.get("common_name") or subject.get("organization_name") or "")
    except Exception:  # an odd subject is not a reason to fail the check
        return ""


def exc_type_name() -> str:
    import sys

    exc = sys.exc_info()[1]
    return f"{type(exc).__name__}: {str(exc)[:200]}" if exc is not None else ""


def check_pdf(data: bytes, *, expected_sha256: str | None = None, roots: list | None = None,
              at: dt.datetime | None = None) -> PdfCheck:
    """Check ``data`` (an uploaded or stored PDF) as of ``at`` (now); see the module docstring."""
    digest = hashlib.sha256(data).hexdigest()
    result = PdfCheck(ok=False, reasons=[], sha256=digest)
    limit = int(getattr(settings, "DOCUMENT_VERIFY_MAX_BYTES", 20 * MiB))
    if len(data) > limit:
        result.reasons.append("too_large")
        return result
    if expected_sha256 is not None and expected_sha256.strip().lower() != digest:
        result.reasons.append("hash_mismatch")
    if not data:
        result.reasons.insert(0, "empty")
        return result
    if b"%PDF-" not in data[:1024]:
        result.reasons.insert(0, "not_pdf")
        return result
    try:
        _check_signatures(data, result, roots, at)
    except Exception:  # noqa: BLE001 - whatever pyHanko raises on a hostile file: not readable, never a 500
        log.info("PDF check could not read the file: %s", exc_type_name())
        result.reasons.insert(0, "pdf_unreadable")
    result.ok = not result.reasons
    return result


def _run(make: Any) -> Any:
    """``asyncio.run(make())``, also from code that already runs an event loop (an async view),
    where asyncio.run refuses: then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _trusted_time(status: Any) -> dt.datetime | None:
    """The signature's time as its time stamp vouches for it: intact, valid and trusted, else None."""
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is None or not (stamp.intact and stamp.valid and stamp.trusted):
        return None
    return stamp.timestamp


def _check_signatures(data: bytes, result: PdfCheck, roots: list | None, at: dt.datetime | None) -> None:
    from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from satupintu.documents.signers import trust_roots
    from satupintu.documents.timestamps import tsa_roots

    reader = pdfread.open_pdf(data)
    if reader.encrypted:
        result.reasons.insert(0, "pdf_encrypted")
        return
    signatures = reader.embedded_signatures
    if not signatures:
        result.reasons.insert(0, "no_signature")
        return
    if len(signatures) > MAX_SIGNATURES:
        result.reasons.insert(0, "too_many_signatures")
        return
    # Never None: pyHanko would then trust the operating system's roots.
    anchors = list(trust_roots() if roots is None else roots)
    # Time stamps chain to their own roots: a TSA's CA is never trusted to vouch for a signer.
    stamp_anchors = tsa_roots()
    now = at or dt.datetime.now(dt.UTC)

    def context(moment: dt.datetime = now) -> Any:
        return ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail",
                                 moment=moment)

    def stamp_context() -> Any:
        return ValidationContext(trust_roots=stamp_anchors, allow_fetching=False, revocation_mode="soft-fail",
                                 moment=now)

    async def validate(sig: Any, moment: dt.datetime = now) -> Any:
        if sig.sig_object_type == "/DocTimeStamp":
            return await async_validate_pdf_timestamp(sig, validation_context=stamp_context(), skip_diff=True)
        return await async_validate_pdf_signature(sig, signer_validation_context=context(moment),
                                                  ts_validation_context=stamp_context(), skip_diff=True)

    async def validate_all() -> list[Any]:
        statuses: list[Any] = []
        for sig in signatures:
            status = await validate(sig)
            stamped = _trusted_time(status)
            if stamped is not None and status.intact and status.valid and not status.trusted:
                # Not trusted now (the certificate expired since): what counts is when it was signed.
                status = await validate(sig, stamped)
            statuses.append(status)
        return statuses

    statuses = _run(validate_all)
    intact = True
    for sig, status in zip(signatures, statuses, strict=True):
        good = bool(status.intact and status.valid)
        intact = intact and good
        result.signatures.append({
            "field": str(sig.field_name), "signer": _common_name(status.signing_cert), "intact": good,
            "trusted": bool(status.trusted), "coverage": status.coverage.name if status.coverage else "",
            "signed_at": sig.self_reported_timestamp, "timestamped_at": _trusted_time(status),
        })
    # Trust, signer, coverage and time come from the last signature proper: a document time stamp
    # appended after it (anyone can get one from a public TSA) vouches for a time, never for a
    # signer, and leaves that signature short of the end of the file.
    signed = [(sig, status) for sig, status in zip(signatures, statuses, strict=True)
              if sig.sig_object_type != "/DocTimeStamp"]
    if not signed:
        result.reasons.insert(0, "no_signature")
        return
    last_sig, last = signed[-1]
    result.intact = intact
    result.trusted = bool(last.trusted)
    result.covers_whole_file = last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.signer_name = _common_name(last.signing_cert)
    result.signed_at = last_sig.self_reported_timestamp
    result.timestamped_at = _trusted_time(last)
    problems = []
    if not intact:
        problems.append("signature_broken")
    if not result.covers_whole_file:
        problems.append("modified_after_signing")
    if intact and not result.trusted:
        problems.append("untrusted_signer")
    result.reasons[0:0] = problems
