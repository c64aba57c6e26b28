"""PDF/A for issued documents, the seal on products made elsewhere, scans as PDF.

- ``register_fonts()``: DejaVu Sans (shipped in core/fonts with its licence; see core.pdf_fonts),
  registered with reportlab, so every glyph drawn is embedded (only the glyphs used). PDF/A
  forbids the unembedded base-14 fonts reportlab uses by default. Draw with
  ``Canvas(..., initialFontName=fonts["regular"])`` (for platypus:
  ``canvasmaker=functools.partial(Canvas, initialFontName=...)``), or reportlab's first
  ``BT /F1 12 Tf ET`` of each page names Helvetica; ``finish_pdfa`` repairs that one case.
- ``finish_pdfa()``: a reportlab PDF rewritten as PDF/A-2b: sRGB OutputIntent, XMP metadata
  (pdfaid part 2, conformance B) that agrees with the Info dictionary, /Lang, trailer /ID,
  annotations printable. Nothing is signed yet, so this is a full rewrite. The Info /Producer
  is pyHanko's name because pyHanko writes that name into the XMP at every later update (the
  signature's included) and PDF/A wants the two to agree.
- ``stamp_seal()``: the QR code, token and link on the first page of a PDF made elsewhere, in
  an incremental update (the original bytes are kept as they were).
- ``image_to_pdf()``: a JPEG/PNG scan on an A4 page.
- ``draw_qr()``: the QR code as vector squares on a reportlab canvas (templates use it too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from typing import Any

import qrcode
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from satupintu.core import pdf_fonts
from satupintu.core.errors import DomainError

SRGB_IDENTIFIER = "sRGB IEC61966-2.1"
MAX_IMAGE_PIXELS = 60_000_000  # a 600 dpi A3 scan; a bigger "image" is a decompression bomb
_HIDDEN_ANNOT_FLAGS = 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView: PDF/A forbids them
_PRINT_FLAG = 4

class PdfaError(ValueError):
    """The PDF cannot become PDF/A as drawn (a programming error in the template, not user input)."""


def register_fonts() -> dict[str, str]:
    """The embedded fonts' reportlab names by style (``regular``, ``bold``, ``italic``,
    ``bold_italic``), registered once. DejaVu Sans: it was Bitstream Vera, whose Western European
    glyphs DejaVu keeps with the same widths, and which drew "Ṣāliḥ" as boxes."""
    return pdf_fonts.register()


FONTS = pdf_fonts.FONT_FILES  # the registered names are register_fonts()'s answer; FONTS lists what it registers


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile built by LittleCMS (through Pillow): nothing to ship or license."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


# ------------------------------------------------------------------ content stream scanning

_DELIMS = b"()<>[]{}/%"
_WS = b" \t\r\n\x0c\x00"


def _tokens(data: bytes) -> Iterator[tuple[str, bytes]]:
    """(kind, value) for a content stream: kind is "name", "op" or "other". Strings, arrays
    and dictionaries are skipped as values; inline image data is jumped over."""
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in _WS:
            i += 1
        elif c == 0x25:  # % comment
            while i < n and data[i] not in b"\r\n":
                i += 1
        elif c == 0x28:  # (string) with nesting and escapes
            depth, i = 1, i + 1
            while i < n and depth:
                if data[i] == 0x5C:
                    i += 2
                    continue
                depth += {0x28: 1, 0x29: -1}.get(data[i], 0)
                i += 1
            yield "other", b""
        elif data[i:i + 2] == b"<<" or data[i:i + 2] == b">>":
            i += 2
            yield "other", b""
        elif c == 0x3C:  # <hex>
            end = data.find(b">", i)
            i = n if end < 0 else end + 1
            yield "other", b""
        elif c in b"[]{}>)":
            i += 1
            yield "other", b""
        elif c == 0x2F:  # /Name
            j = i + 1
            while j < n and data[j] not in _WS and data[j] not in _DELIMS:
                j += 1
            yield "name", data[i + 1:j]
            i = j
        else:
            j = i
            while j < n and data[j] not in _WS and data[j] not in _DELIMS:
                j += 1
            word = data[i:j] or data[i:i + 1]
            i = max(j, i + 1)
            if word == b"ID":  # inline image: its data runs to whitespace + EI + whitespace
                match = re.compile(rb"\sEI(?=[\s]|$)").search(data, i + 1)
                i = n if match is None else match.end()
                continue
            yield ("other" if word[:1] in b"+-.0123456789" else "op"), word


def _font_use(content: bytes) -> tuple[set[str], set[str]]:
    """Font resource names selected with Tf, and those that text is shown with."""
    selected: set[str] = set()
    showing: set[str] = set()
    last_name, current = "", ""
    for kind, value in _tokens(content):
        if kind == "name":
            last_name = value.decode("latin-1")
        elif kind == "op":
            if value == b"Tf":
                current = last_name
                selected.add(current)
            elif value in (b"Tj", b"TJ", b"'", b'"'):
                showing.add(current)
    return selected, showing


def _is_embedded(font: Any) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        return bool(descendants) and _is_embedded(descendants[0].get_object())
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _stream_data(contents: Any) -> bytes:
    if contents is None:
        return b""
    contents = contents.get_object()
    if isinstance(contents, list):
        return b"\n".join(part.get_object().data for part in contents)
    return bytes(contents.data)


def _pages(root: Any) -> Iterator[Any]:
    stack, seen = [root["/Pages"].get_object()], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > 100_000:
            raise PdfaError("page tree too large or cyclic")
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            stack.extend(kid.get_object() for kid in reversed(node["/Kids"]))
        else:
            yield node


def _inherited(page: Any, key: str) -> Any:
    node, depth = page, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        depth += 1
    return None


def _fix_fonts(resources: Any, content: bytes, where: str, depth: int = 0) -> None:
    """Every font used for text must be embedded; an unembedded one only selected (reportlab's
    page preamble) is pointed at an embedded font of the same resources. Form XObjects are
    checked the same way."""
    if resources is None or depth > 8:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        fonts = fonts.get_object()
        selected, showing = _font_use(content)
        embedded = [name for name, ref in fonts.items() if _is_embedded(ref.get_object())]
        for name in list(fonts.keys()):
            if _is_embedded(fonts[name].get_object()):
                continue
            short = name[1:]
            if short in showing:
                raise PdfaError(f"{where}: text drawn with an unembedded font ({fonts[name].get_object().get('/BaseFont')});"
                                " draw with the fonts from pdfa.register_fonts()")
            if short in selected and embedded:
                fonts[name] = fonts[embedded[0]]
            elif short in selected:
                raise PdfaError(f"{where}: font {name} is selected but not embedded; create the canvas with "
                                "initialFontName=register_fonts()['regular']")
            else:
                del fonts[name]
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for name, ref in xobjects.get_object().items():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                _fix_fonts(xobj.get("/Resources"), bytes(xobj.data), f"{where} form {name}", depth + 1)


# ------------------------------------------------------------------ PDF/A

def finish_pdfa(pdf: bytes, *, title: str, author: str, subject: str, keywords: str, lang: str = "id-ID",
                created: dt.datetime | None = None) -> bytes:
    """``pdf`` (reportlab's, drawn with register_fonts()'s fonts) rewritten as PDF/A-2b."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata import model
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    writer = copy_into_new_writer(reader, writer_kwargs={"info": None})
    root = writer.root
    for number, page in enumerate(_pages(root), start=1):
        _fix_fonts(_inherited(page, "/Resources"), _stream_data(page.get("/Contents")), f"page {number}")
        for annot in (page.get("/Annots") or generic.ArrayObject()).get_object():
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Popup":
                flags = int(annot.get("/F", 0))
                annot["/F"] = generic.NumberObject((flags | _PRINT_FLAG) & ~_HIDDEN_ANNOT_FLAGS)

    icc = generic.StreamObject({generic.pdf_name("/N"): generic.NumberObject(3)}, stream_data=srgb_profile())
    icc.compress()
    root["/OutputIntents"] = generic.ArrayObject([generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/OutputIntent"),
        generic.pdf_name("/S"): generic.pdf_name("/GTS_PDFA1"),
        generic.pdf_name("/OutputConditionIdentifier"): generic.pdf_string(SRGB_IDENTIFIER),
        generic.pdf_name("/RegistryName"): generic.pdf_string("http://www.color.org"),
        generic.pdf_name("/Info"): generic.pdf_string(SRGB_IDENTIFIER),
        generic.pdf_name("/DestOutputProfile"): writer.add_object(icc),
    })])
    root["/Lang"] = generic.pdf_string(lang)
    if "/Metadata" in root:
        del root["/Metadata"]  # ours replaces whatever was there

    created = (created or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    clean = {key: _plain(value) for key, value in
             {"title": title, "author": author, "subject": subject, "keywords": keywords}.items()}
    # The Info dictionary holds exactly what the XMP holds (PDF/A checks the pairs); no /ModDate
    # here because pyHanko stamps the XMP's ModifyDate at every update and would leave it behind.
    info = generic.DictionaryObject({
        generic.pdf_name("/Title"): generic.TextStringObject(clean["title"]),
        generic.pdf_name("/Author"): generic.TextStringObject(clean["author"]),
        generic.pdf_name("/Subject"): generic.TextStringObject(clean["subject"]),
        generic.pdf_name("/Creator"): generic.TextStringObject("Satu Pintu"),
        generic.pdf_name("/Producer"): generic.TextStringObject(model.VENDOR),
        generic.pdf_name("/CreationDate"): generic.pdf_date(created),
    })
    if clean["keywords"]:
        info[generic.pdf_name("/Keywords")] = generic.TextStringObject(clean["keywords"])
    writer.set_info(info)
    pdfaid = model.XmpStructure.of(
        (model.ExpandedName(ns=model.NS["pdfaid"], local_name="part"), model.XmpValue("2")),
        (model.ExpandedName(ns=model.NS["pdfaid"], local_name="conformance"), model.XmpValue("B")),
    )
    writer.document_meta.title = clean["title"]
    writer.document_meta.author = clean["author"]
    writer.document_meta.subject = clean["subject"]
    writer.document_meta.creator = "Satu Pintu"
    writer.document_meta.created = created
    # pdf:Keywords by hand: pyHanko's DocumentMetadata.keywords writes "pdf:keywords" (lower
    # case), a property the PDF/A schema list does not have.
    extra = [pdfaid]
    if clean["keywords"]:
        extra.append(model.XmpStructure.of(
            (model.ExpandedName(ns=model.NS["pdf"], local_name="Keywords"), model.XmpValue(clean["keywords"]))))
    writer.document_meta.xmp_extra = extra
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _plain(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]+", " ", value or "").strip()


# ------------------------------------------------------------------ QR and the seal

def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` as filled squares (vector, sharp at any zoom), its lower-left
    corner at (x, y), ``size`` wide including the quiet zone of 2 modules."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    cell = size / len(matrix)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_ix, row in enumerate(matrix):
        top = y + size - (row_ix + 1) * cell
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + start * cell, top, (col - start) * cell, cell)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (URLs have no spaces: break anywhere)."""
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ch.lstrip()
        else:
            line += ch
    return [*lines, line] if line else lines


def _overlay(width: float, height: float, verify_url: str, token: str, label: str) -> tuple[bytes, tuple[float, ...]]:
    """A page of the displayed size with the seal in its bottom-right margin; and the QR's box."""
    fonts = register_fonts()
    short = min(width, height)
    qr = max(48.0, min(85.0, short * 0.11))
    margin = max(10.0, min(24.0, short * 0.03))
    text_width = max(90.0, min(width * 0.42, 230.0))
    size = 6.5
    lines = [(fonts["bold"], line) for line in _fit(_plain(label), fonts["bold"], size, text_width)][:2]
    lines += [(fonts["regular"], line) for line in _fit(f"Kode: {_plain(token)}", fonts["regular"], size, text_width)]
    lines += [(fonts["regular"], line)
              for line in _fit(f"Verifikasi: {_plain(verify_url)}", fonts["regular"], size, text_width)][:3]
    leading = size * 1.25
    pad = 3.0
    box_h = max(qr, len(lines) * leading) + 2 * pad
    box_w = qr + text_width + 3 * pad
    x0, y0 = width - margin - box_w, margin
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=fonts["regular"], pageCompression=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
    canvas.setLineWidth(0.4)
    canvas.rect(x0, y0, box_w, box_h, stroke=1, fill=1)
    qr_x, qr_y = x0 + box_w - pad - qr, y0 + (box_h - qr) / 2
    draw_qr(canvas, verify_url, qr_x, qr_y, qr)
    canvas.setFillColorRGB(0, 0, 0)
    text_top = y0 + (box_h + len(lines) * leading) / 2 - size
    for ix, (font, line) in enumerate(lines):
        canvas.setFont(font, size)
        canvas.drawString(x0 + pad, text_top - ix * leading, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), (qr_x, qr_y, qr_x + qr, qr_y + qr)


def _display_matrix(box: list[float], rotate: int) -> tuple[float, float, tuple[float, ...]]:
    """Displayed width/height of a page and the matrix from displayed to user coordinates."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if rotate == 90:
        return h, w, (0, 1, -1, 0, x0 + w, y0)
    if rotate == 180:
        return w, h, (-1, 0, 0, -1, x0 + w, y0 + h)
    if rotate == 270:
        return h, w, (0, -1, 1, 0, x0, y0 + h)
    return w, h, (1, 0, 0, 1, x0, y0)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def stamp_seal(pdf: bytes, *, verify_url: str, token: str, label: str) -> bytes:
    """The seal (QR of ``verify_url``, the token, ``label``) drawn upright in the bottom-right
    margin of the first page as displayed (rotation and crop box honoured), with a link over
    the QR; an incremental update, so the original bytes are kept as they were."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        if writer.prev.encrypted:
            raise DomainError("pdf_encrypted", "Berkas PDF terkunci (terenkripsi); unggah berkas tanpa kata sandi.")
        page_ref, _resources = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
        box = [float(v) for v in box]
        box = [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]
        rotate = int(_inherited(page, "/Rotate") or 0) % 360
    except DomainError:
        raise
    except Exception as exc:  # pyHanko raises many kinds on a broken file
        raise DomainError("pdf_unreadable", "Berkas bukan PDF yang dapat dibaca.") from exc
    width, height, matrix = _display_matrix(box, rotate if rotate in (90, 180, 270) else 0)
    overlay, qr_box = _overlay(width, height, verify_url, token, label)
    xobject = writer.import_page_as_xobject(PdfFileReader(BytesIO(overlay)))

    existing = page.get("/Resources")
    names = set(existing.get_object().get("/XObject", {}).keys()) if existing is not None else set()
    name, n = "/SatuPintuSeal", 1
    while name in names:
        n += 1
        name = f"/SatuPintuSeal{n}"
    # The page's own content may leave the graphics state changed: wrap it in q ... Q first.
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q\n")), prepend=True)
    cm = " ".join(f"{v:.4f}" for v in matrix)
    seal = generic.StreamObject(stream_data=f"Q q {cm} cm {name} Do Q\n".encode())
    writer.add_stream_to_page(0, writer.add_object(seal), resources=generic.DictionaryObject(
        {generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name(name): xobject})}))

    corners = [_apply(matrix, x, y) for x in (qr_box[0], qr_box[2]) for y in (qr_box[1], qr_box[3])]
    rect = [min(c[0] for c in corners), min(c[1] for c in corners), max(c[0] for c in corners),
            max(c[1] for c in corners)]
    link = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Link"),
        generic.pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 3)) for v in rect),
        generic.pdf_name("/F"): generic.NumberObject(_PRINT_FLAG),
        generic.pdf_name("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
        generic.pdf_name("/A"): generic.DictionaryObject({
            generic.pdf_name("/S"): generic.pdf_name("/URI"),
            generic.pdf_name("/URI"): generic.pdf_string(verify_url),
        }),
    })
    writer.register_annotation(page_ref, writer.add_object(link))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# ------------------------------------------------------------------ scans

def image_to_pdf(data: bytes, content_type: str = "") -> bytes:
    """A JPEG or PNG scan on an A4 page (portrait or landscape, as the image is), 1 cm margin,
    upright (EXIF orientation applied), in sRGB-ready DeviceRGB without transparency."""
    if content_type and content_type.split(";")[0].strip().lower() not in ("image/jpeg", "image/png"):
        raise DomainError("image_type", "Gambar harus JPEG atau PNG.")
    try:
        opened = Image.open(BytesIO(data))
        kind = opened.format
        if kind not in ("JPEG", "PNG"):
            raise DomainError("image_type", "Gambar harus JPEG atau PNG.")
        if opened.width * opened.height > MAX_IMAGE_PIXELS:
            raise DomainError("image_too_large", "Gambar terlalu besar.")
        opened.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError("image_unreadable", "Berkas gambar tidak dapat dibaca.") from exc
    image: Image.Image = ImageOps.exif_transpose(opened) or opened
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    page = A4 if image.height >= image.width else (A4[1], A4[0])
    margin = 28.35
    scale = min((page[0] - 2 * margin) / image.width, (page[1] - 2 * margin) / image.height)
    draw_w, draw_h = image.width * scale, image.height * scale
    encoded = BytesIO()
    if kind == "JPEG":
        image.save(encoded, "JPEG", quality=90)
    else:
        image.save(encoded, "PNG", optimize=False)
    encoded.seek(0)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=page, initialFontName=register_fonts()["regular"], pageCompression=1)
    canvas.drawImage(ImageReader(encoded), (page[0] - draw_w) / 2, (page[1] - draw_h) / 2, draw_w, draw_h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
