"""Checking an uploaded picture without decoding it (applications' files, field-report photos,
response evidence): its header and structure (Pillow's verify) and its size in pixels.

A few kilobytes of PNG can claim 40,000 x 40,000 pixels; decoded (a PDF/A conversion, a
viewer) that is gigabytes of memory. Pillow refuses such a "decompression bomb" on opening
with an exception of its own, which callers must turn into a clear refusal, not a 500; below
its limit we set ours, well above any phone camera.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 60_000_000  # 60 megapixels: a 50 MP phone photo fits


class ImageRefused(Exception):
    """``reason``: "corrupt" (not a readable image) or "too_large" (more pixels than MAX_PIXELS)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def verified_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a structurally sound image of at most MAX_PIXELS; else ImageRefused."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageRefused("too_large")
            image.verify()
    except Image.DecompressionBombError:
        raise ImageRefused("too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused("corrupt") from None
    return width, height
