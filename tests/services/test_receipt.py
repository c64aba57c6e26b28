"""The receipt is a real PDF: text with the code and due date, a QR code, no NIK or phone."""

import io

from pypdf import PdfReader

from satupintu.services.receipts import receipt_pdf


def test_receipt_pdf_has_code_service_and_no_personal_numbers(submit):
    app = submit()
    data = receipt_pdf(app)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert app.tracking_code in text
    assert "Legalisir Ijazah Madrasah" in text
    assert "Perkiraan selesai" in text and "WITA" in text
    assert app.nik not in text.replace(" ", "")
    assert "81234567890" not in text.replace(" ", "")
    assert f"/lacak/{app.tracking_code}/" in text


def test_a_long_requirement_is_wrapped_whole_not_cut(submit):
    # 112 characters: drawn on one line it ran past the right margin, cut at 110 ("...lurah/kepal").
    app = submit(service="rekomendasi-pembangunan-rumah-ibadah")
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt_pdf(app))).pages).split())
    assert "fotokopi KTP, disahkan lurah/kepala desa" in text
