"""pyHanko's own validation of a signed PDF, as the issue's "done when" asks: the signature
intact, valid, trusted by the roots verification trusts, and covering the whole file."""

from __future__ import annotations

import io


def validate_with_pyhanko(data: bytes) -> bool:
    """In its own thread: pyHanko runs its own event loop, which cannot start inside Playwright's."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_validate, data).result()


def _validate(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from satupintu.documents.signers import trust_roots

    reader = PdfFileReader(io.BytesIO(data))
    signatures = reader.embedded_signatures
    if not signatures:
        return False
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    status = validate_pdf_signature(signatures[-1], context)
    return bool(status.intact and status.valid and status.trusted
                and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
