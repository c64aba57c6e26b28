"""PDF/A finishing, the seal on products from elsewhere, scans as PDF."""

from __future__ import annotations

import io
import re
import zlib

import pypdf
import pytest
from PIL import Image

from satupintu.core.errors import DomainError
from satupintu.documents import pdfa
from satupintu.documents.checks import check_pdf

from .conftest import pdfa_document, render

URL = "https://satupintu.kemenag.go.id/verifikasi/K7Q2-M9XD"


def _fonts(reader: pypdf.PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.append(font.get_object())
    return found


def test_finish_pdfa_writes_pdfa_2b_metadata_output_intent_and_embedded_fonts():
    out = pdfa_document(title="Surat Keterangan Belum Menikah")
    reader = pypdf.PdfReader(io.BytesIO(out))
    assert reader.pdf_header == "%PDF-1.7"
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object()
    assert "/Filter" not in xmp  # PDF/A: the XMP stays readable without decoding
    text = xmp.get_data().decode()
    assert 'pdfaid:part="2"' in text and 'pdfaid:conformance="B"' in text
    assert "Surat Keterangan Belum Menikah" in text and 'pdf:Keywords="kemenag, surat keterangan"' in text
    assert reader.xmp_metadata.dc_title == {"x-default": "Surat Keterangan Belum Menikah"}
    # the Info dictionary says the same as the XMP
    info = reader.metadata
    assert info["/Title"] == "Surat Keterangan Belum Menikah" and info["/Author"] == "Kantor Kemenag Kab. Bogor"
    assert f'pdf:Producer="{info["/Producer"]}"' in text and "/ModDate" not in info
    assert reader.xmp_metadata.xmp_create_date.replace(tzinfo=None) == info.creation_date.replace(tzinfo=None)

    [intent] = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile
    assert root["/Lang"] == "id-ID"
    assert len(reader.trailer["/ID"]) == 2

    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/TrueType" and "/FontFile2" in font["/FontDescriptor"], font
    assert "KEMENTERIAN AGAMA" in reader.pages[0].extract_text()


def test_reportlabs_unembedded_preamble_font_is_repaired_and_text_in_helvetica_refused():
    fonts = pdfa.register_fonts()
    buffer = io.BytesIO()
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(buffer)  # no initialFontName: reportlab selects Helvetica first
    canvas.setFont(fonts["regular"], 11)
    canvas.drawString(72, 700, "Isi surat")
    canvas.showPage()
    canvas.save()
    out = pdfa.finish_pdfa(buffer.getvalue(), title="t", author="a", subject="s", keywords="")
    assert all("/FontFile2" in font["/FontDescriptor"] for font in _fonts(pypdf.PdfReader(io.BytesIO(out))))

    with pytest.raises(pdfa.PdfaError, match="unembedded font"):
        pdfa.finish_pdfa(render(embedded=False), title="t", author="a", subject="s", keywords="")


def test_signing_a_pdfa_keeps_its_pdfa_metadata(local_signer, request_budi):
    signed = local_signer.sign(pdfa_document(), request_budi)
    reader = pypdf.PdfReader(io.BytesIO(signed))
    text = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()  # the newest revision's
    assert 'pdfaid:part="2"' in text and 'pdfaid:conformance="B"' in text and "pdf:Keywords=" in text
    assert f'pdf:Producer="{reader.metadata["/Producer"]}"' in text
    assert "/OutputIntents" in reader.trailer["/Root"]
    widget = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    assert widget["/F"] & 4 and not widget["/F"] & 2  # printable, not hidden (PDF/A)
    assert check_pdf(signed, roots=[local_signer.ca.root_cert]).ok


def _content(reader: pypdf.PdfReader) -> bytes:
    page = reader.pages[0]
    return b"".join(part.get_object().get_data() for part in page["/Contents"])


def _seal_xobject(reader: pypdf.PdfReader) -> pypdf.generic.StreamObject:
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    return xobjects["/SatuPintuSeal"].get_object()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_stamp_seal_keeps_the_original_and_adds_qr_token_and_link(rotate):
    original = render("Produk dari aplikasi lain", embedded=False, rotate=rotate)
    stamped = pdfa.stamp_seal(original, verify_url=URL, token="K7Q2-M9XD", label="Disahkan Kemenag Kab. Bogor")

    assert stamped.startswith(original)  # incremental: the original bytes untouched
    reader = pypdf.PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 1
    page_text = reader.pages[0].extract_text()
    assert "Produk dari aplikasi lain" in page_text
    assert "K7Q2-M9XD" in page_text and "Verifikasi:" in page_text
    [annot] = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert annot["/Subtype"] == "/Link" and annot["/A"]["/URI"] == URL
    # the link sits over the QR inside the page, near the displayed bottom-right corner
    x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert 0 < x0 < x1 < width and 0 < y0 < y1 < height
    assert 48 <= x1 - x0 <= 86 and 48 <= y1 - y0 <= 86
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    expected_corner = {0: (width, 0), 90: (width, height), 180: (0, height), 270: (0, 0)}[rotate]
    assert abs(centre[0] - expected_corner[0]) < width / 2 and abs(centre[1] - expected_corner[1]) < height / 2
    # the original drawing is wrapped in q ... Q so its graphics state cannot move the seal
    content = _content(reader)
    assert content.startswith(b"q\n") and content.rstrip().endswith(b"/SatuPintuSeal Do Q")
    # the QR is vector squares in the seal's form; its fonts are embedded
    seal = _seal_xobject(reader)
    assert seal.get_data().count(b" re") > 100
    for font in seal["/Resources"]["/Font"].values():
        assert "/FontFile2" in font.get_object()["/FontDescriptor"]


def test_the_qr_says_the_url():
    """Decoded back: the QR drawn by draw_qr is the code the qrcode library makes for the URL."""
    import qrcode
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(100, 100), pageCompression=0, initialFontName=pdfa.register_fonts()["regular"])
    pdfa.draw_qr(canvas, URL, 0, 0, 100)
    canvas.showPage()
    canvas.save()
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(URL)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = 100 / len(matrix)
    drawn = set()
    content = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].get_contents().get_data().decode()
    number = r"(-?[\d.]+)"
    for match in re.finditer(rf"{number} {number} {number} {number} re", content):
        x, y, w, h = (float(v) for v in match.groups())
        if w >= 100:
            continue  # the white quiet-zone background
        row = round((100 - y) / cell) - 1
        for col in range(round(x / cell), round((x + w) / cell)):
            drawn.add((row, col))
    expected = {(r, c) for r, line in enumerate(matrix) for c, dark in enumerate(line) if dark}
    assert drawn == expected


def test_stamp_seal_refuses_what_is_not_a_pdf():
    with pytest.raises(DomainError) as error:
        pdfa.stamp_seal(b"GIF89a...", verify_url=URL, token="T", label="L")
    assert error.value.code == "pdf_unreadable"


def _image(kind: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "ctype", "size", "mode", "landscape"), [
    ("JPEG", "image/jpeg", (1240, 1754), "RGB", False),
    ("PNG", "image/png", (1754, 1240), "RGBA", True),
])
def test_image_to_pdf_puts_a_scan_on_an_a4_page(kind, ctype, size, mode, landscape):
    out = pdfa.image_to_pdf(_image(kind, size, mode), ctype)
    reader = pypdf.PdfReader(io.BytesIO(out))
    [page] = reader.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == ((842, 595) if landscape else (595, 842))
    [image] = page.images
    assert image.image.size == size and image.image.mode == "RGB"  # no alpha left
    assert "/Font" not in page["/Resources"] or not page["/Resources"]["/Font"]
    # and it can be sealed and signed like any product
    assert pdfa.stamp_seal(out, verify_url=URL, token="T", label="L").startswith(out)


def test_image_to_pdf_refuses_other_files():
    with pytest.raises(DomainError) as error:
        pdfa.image_to_pdf(_image("GIF", (10, 10)), "image/gif")
    assert error.value.code == "image_type"
    with pytest.raises(DomainError) as error:
        pdfa.image_to_pdf(b"\xff\xd8\xff garbage", "image/jpeg")
    assert error.value.code == "image_unreadable"
    with pytest.raises(DomainError) as error:
        pdfa.image_to_pdf(_image("GIF", (10, 10)), "")  # no claimed type: the content decides
    assert error.value.code == "image_type"


def test_srgb_profile_is_an_rgb_display_profile():
    profile = pdfa.srgb_profile()
    assert profile[12:16] == b"mntr" and profile[16:20] == b"RGB " and profile[36:40] == b"acsp"
    assert len(zlib.compress(profile)) < 2000
