"""Products made elsewhere and receipts get the same seal; the public check answers every kind
of bad input with a clear reason (issue #14)."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader, PdfWriter

from satupintu.documents.models import IssuedDocument, Kind, Source, State
from satupintu.services.applications import application_upload_product
from satupintu.services.models import DocumentKind
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_PHONE, jpeg_bytes, pdf_bytes, upload
from tests.documents.pyhanko_check import validate_with_pyhanko


def _in_process(submit, people):  # type: ignore[no-untyped-def]
    app = application_transition(submit(), "verify", user=people.fo_lutra)
    return application_transition(app, "process", user=people.pendma_lutra)


def test_an_uploaded_product_is_stamped_and_sealed_before_anyone_downloads_it(submit, people):
    app = _in_process(submit, people)
    original = pdf_bytes("Ijazah dilegalisir: Andi Rahmawati")
    doc = application_upload_product(app, user=people.pendma_lutra, upload=upload("legalisir.pdf", original))
    issued = IssuedDocument.objects.get(application=app, kind=Kind.PRODUCT)
    assert issued.source == Source.UPLOAD and issued.state == State.VALID and issued.product_id == doc.pk
    sealed = doc.file.read()
    assert sealed != original and validate_with_pyhanko(sealed)
    assert doc.sha256 == issued.sha256 and doc.original_name == "legalisir.pdf"
    text = PdfReader(io.BytesIO(sealed)).pages[0].extract_text()
    assert "Ijazah dilegalisir: Andi Rahmawati" in text  # the officer's content is untouched
    verdict = Client().post(f"/verifikasi/{issued.token}", {"pdf": io.BytesIO(sealed)}).content.decode()
    assert "SAH" in verdict and "TIDAK SAH" not in verdict


def test_a_scanned_image_product_becomes_a_sealed_pdf(submit, people):
    app = _in_process(submit, people)
    doc = application_upload_product(app, user=people.pendma_lutra,
                                     upload=upload("scan.jpg", jpeg_bytes(), "image/jpeg"))
    assert doc.content_type == "application/pdf" and doc.original_name == "scan.pdf"
    assert validate_with_pyhanko(doc.file.read())


def test_an_encrypted_pdf_is_refused_with_a_clear_message_and_nothing_kept(submit, people):
    app = _in_process(submit, people)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes("rahasia"))))
    writer.encrypt("sandi")
    buf = io.BytesIO()
    writer.write(buf)
    officer = Client()
    officer.force_login(people.pendma_lutra)
    response = officer.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
                            {"action": "upload_product", "product": upload("terkunci.pdf", buf.getvalue())})
    assert response.status_code == 400
    assert "dikunci dengan kata sandi" in response.content.decode()  # the upload check refuses it first
    assert not app.documents.filter(kind=DocumentKind.PRODUCT).exists()
    assert not IssuedDocument.objects.filter(application=app).exists()


def test_the_receipt_is_sealed_once_and_verifiable(submit):
    app = submit()
    client = Client()
    assert client.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    first = client.get(f"/lacak/{app.tracking_code}/bukti.pdf").content
    second = client.get(f"/lacak/{app.tracking_code}/bukti.pdf").content
    assert first == second and validate_with_pyhanko(first)
    receipt = IssuedDocument.objects.get(application=app, kind=Kind.RECEIPT)
    assert f"/verifikasi/{receipt.token}" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    page = Client().get(f"/verifikasi/{receipt.token}").content.decode()
    assert "Bukti permohonan" in page and "BERLAKU" in page


def test_the_check_page_answers_bad_input_clearly(db):
    client = Client()
    unknown = client.get("/verifikasi/ABCD-EFGH-JKMN")
    assert unknown.status_code == 404 and "Token tidak ditemukan" in unknown.content.decode()
    garbage = client.get("/verifikasi/%3Cscript%3E")
    assert garbage.status_code == 404 and "<script>" not in garbage.content.decode()
    typed = client.get("/verifikasi/", {"token": "abc"})
    assert typed.status_code == 400 and "12 huruf" in typed.content.decode()
    empty = client.post("/verifikasi/", {})
    assert empty.status_code == 400 and 'href="#id_pdf"' in empty.content.decode()
    not_pdf = client.post("/verifikasi/", {"pdf": io.BytesIO(b"\x00\x01 bukan pdf sama sekali")})
    assert not_pdf.status_code == 200 and "bukan PDF" in not_pdf.content.decode()
    unsigned = client.post("/verifikasi/", {"pdf": io.BytesIO(pdf_bytes("palsu"))}).content.decode()
    assert "TIDAK SAH" in unsigned and "Tidak ada dokumen terbitan Satu Pintu" in unsigned


def test_a_typed_token_in_any_form_reaches_its_page(submit, people):
    app = _in_process(submit, people)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("p.pdf", pdf_bytes("x")))
    token = IssuedDocument.objects.get(application=app).token
    typed = f"{token[:4].lower()}-{token[4:8]} {token[8:]}"
    response = Client().get("/verifikasi/", {"token": typed})
    assert response.status_code == 302 and response["Location"] == f"/verifikasi/{token}"


def test_checking_without_a_token_finds_the_document_by_its_fingerprint(submit, people):
    app = _in_process(submit, people)
    doc = application_upload_product(app, user=people.pendma_lutra, upload=upload("p.pdf", pdf_bytes("y")))
    page = Client().post("/verifikasi/", {"pdf": io.BytesIO(doc.file.read())}).content.decode()
    issued = IssuedDocument.objects.get(application=app)
    assert "SAH" in page and "TIDAK SAH" not in page and f"/verifikasi/{issued.token}" in page


def test_a_copy_re_signed_with_another_key_is_not_valid(submit, people, tmp_path):
    """Someone with their own certificate signs a lookalike: the page names the reason."""
    from satupintu.documents.signers import LocalSigner, SignatureRequest

    app = _in_process(submit, people)
    doc = application_upload_product(app, user=people.pendma_lutra, upload=upload("p.pdf", pdf_bytes("asli")))
    issued = IssuedDocument.objects.get(application=app)
    forger = LocalSigner(tmp_path / "forger-ca")
    forged = forger.sign(doc.file.read(), SignatureRequest(
        key_id="palsu", signer_name="Kepala Kantor", signer_title="Kepala", organization="Kemenag", reason="x",
        location="x"))
    page = Client().post(f"/verifikasi/{issued.token}", {"pdf": io.BytesIO(forged)}).content.decode()
    assert "TIDAK SAH" in page and "tidak kami percayai" in page


def test_a_long_product_and_office_name_fit_the_sealed_documents_columns(submit, people):
    """A service's product runs to 300 characters (the document's title holds 200), and "Segel
    elektronik " + an office's name to 217 (signer_name holds 150): PostgreSQL refused the upload
    and the receipt, SQLite kept them whole."""
    from satupintu.organization.models import Office

    Office.objects.filter(code="73.22").update(name="Kantor Kementerian Agama Kabupaten Luwu Utara " + "X" * 154)
    app = _in_process(submit, people)
    app.service.product = "Surat keterangan " + "panjang " * 35  # 297 characters
    app.service.save(update_fields=["product"])
    application_upload_product(app, user=people.pendma_lutra, upload=upload("legalisir.pdf", pdf_bytes("Isi")))
    product = IssuedDocument.objects.get(application=app, kind=Kind.PRODUCT)
    client = Client()
    assert client.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    assert client.get(f"/lacak/{app.tracking_code}/bukti.pdf").status_code == 200
    receipt = IssuedDocument.objects.get(application=app, kind=Kind.RECEIPT)
    field = IssuedDocument._meta.get_field
    assert len(product.title) <= field("title").max_length and product.title.startswith("Surat keterangan panjang")
    for doc in (product, receipt):
        assert len(doc.signer_name) <= field("signer_name").max_length
        assert doc.signer_name.startswith("Segel elektronik Kantor Kementerian") and doc.signer_name.endswith("…")
