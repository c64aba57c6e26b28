"""Opening PDFs that people send, which may be broken or hostile on purpose.

One reader for every place that opens such a file (uploaded requirements and evidence, documents
brought to /verifikasi/): pyHanko's, in its tolerant mode, with limits on what its streams may
decode to, so a small file cannot unpack into gigabytes.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

MiB = 1024 * 1024


def decode_limits() -> Any:
    from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits

    return DecodeLimits(per_stream=StreamDecodeLimits(max_output_size=64 * MiB),
                        document_budget=DocumentDecodeBudget(base_allowance=128 * MiB, max_ratio=20))


def open_pdf(data: bytes) -> Any:
    """A pyHanko ``PdfFileReader`` of ``data``; raises whatever pyHanko raises on a broken file."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(BytesIO(data), strict=False, decode_limits=decode_limits())


def problem(data: bytes) -> str | None:
    """Why an officer could not read this PDF, or None when it opens:

    - ``pdf_encrypted``: it asks for a password to open (a PDF that only restricts printing or
      copying opens without one, as in any viewer, and is fine);
    - ``pdf_unreadable``: no cross-reference table or trailer, cut short, or without a page.
    """
    try:
        reader = open_pdf(data)
        if reader.encrypted:
            from pyhanko.pdf_utils.crypt import AuthStatus

            if reader.decrypt("").status == AuthStatus.FAILED:
                return "pdf_encrypted"
        pages = reader.root["/Pages"]["/Count"]
        if not isinstance(pages, int) or pages < 1:
            return "pdf_unreadable"
    except Exception:  # noqa: BLE001 - whatever a hostile file makes pyHanko raise: unreadable, never a 500
        return "pdf_unreadable"
    return None
