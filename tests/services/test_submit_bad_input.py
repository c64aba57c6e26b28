"""Every kind of bad input gets a clear Indonesian message and nothing is half saved."""

import pytest

from satupintu.core.errors import DomainError
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office
from satupintu.services.applications import ValidationErrors, application_submit
from satupintu.services.models import Application, Document, Event, OfficeService, Service
from tests.conftest import bomb_png, jpeg_bytes, pdf_bytes, png_bytes, upload, valid_submission

pytestmark = pytest.mark.django_db


def _codes(sub) -> list[str]:
    with pytest.raises(DomainError) as info:
        application_submit(sub)
    exc = info.value
    return [e.code for e in exc.errors] if isinstance(exc, ValidationErrors) else [exc.code]


def _nothing_saved(tmp_path) -> None:
    assert Application.objects.count() == 0
    assert Document.objects.count() == 0
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


@pytest.mark.parametrize(
    "nik, expected",
    [
        ("12345", "NIK harus terdiri dari 16 angka."),
        ("73220157089000012", "NIK harus terdiri dari 16 angka."),
        ("73220A5708900001", "NIK harus terdiri dari 16 angka."),
        ("9922015708900001", "kode provinsi 99 tidak dikenal"),
        ("7322013213900001", "tanggal lahir di dalam NIK tidak mungkin"),  # month 13
        ("7322017502900001", "tanggal lahir di dalam NIK tidak mungkin"),  # day 75-40 = 35
        ("", "NIK wajib diisi."),
    ],
)
def test_invalid_nik(nik, expected, tmp_path):
    with pytest.raises(DomainError) as info:
        application_submit(valid_submission(nik=nik))
    assert expected in info.value.message
    assert info.value.field == "nik"
    _nothing_saved(tmp_path)


def test_nik_with_spaces_and_dots_is_accepted():
    app, _ = application_submit(valid_submission(nik="7322.0157 0890 0001"))
    assert app.nik == "7322015708900001"


@pytest.mark.parametrize("phone", ["12", "0812", "+1 202 555 0100x", "abcdefghij", "021", "(021) 3811642"])
def test_invalid_phone(phone, tmp_path):
    assert _codes(valid_submission(phone=phone)) == ["invalid_phone"]
    _nothing_saved(tmp_path)


def test_phone_is_stored_in_e164():
    app, _ = application_submit(valid_submission(phone="0812-3456-7890"))
    assert app.phone == "+6281234567890"


def test_missing_mandatory_document(tmp_path):
    sub = valid_submission()
    del sub.files["ktp"]
    with pytest.raises(ValidationErrors) as info:
        application_submit(sub)
    assert info.value.code == "missing_document"
    assert "Kartu Tanda Penduduk" in info.value.message
    _nothing_saved(tmp_path)


def test_a_good_file_with_a_very_long_name_is_taken_with_its_extension():
    # Phones name scans after whatever the page said; the name is shortened, its ".pdf" kept.
    sub = valid_submission()
    sub.files["ktp"] = upload("Scan KTP " + "x" * 300 + ".pdf", pdf_bytes())
    app, _ = application_submit(sub)
    kept = app.documents.get(requirement_code="ktp").original_name
    assert len(kept) <= 200 and kept.startswith("Scan KTP x") and kept.endswith(".pdf")


def test_file_over_the_size_limit(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 2000
    sub = valid_submission()
    sub.files["ktp"] = upload("ktp.pdf", pdf_bytes() + b"%" * 3000)
    with pytest.raises(ValidationErrors) as info:
        application_submit(sub)
    assert info.value.code == "file_too_large"
    assert "terlalu besar" in info.value.message
    _nothing_saved(tmp_path)


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("ktp.pdf", png_bytes(), "file_type_mismatch"),  # a PNG named .pdf
        ("ktp.jpg", pdf_bytes(), "file_type_mismatch"),  # a PDF named .jpg
        ("ktp.pdf", b"MZ\x90\x00 this is an exe" * 10, "file_type_not_allowed"),
        ("ktp.docx", b"PK\x03\x04 word document" * 10, "file_type_not_allowed"),
        ("ktp.png", png_bytes()[:30], "file_corrupt"),  # truncated image
        ("ktp.pdf", b"%PDF-1.4 truncated", "file_corrupt"),
        ("ktp.pdf", b"%PDF-1.4\nfoto yang diberi nama PDF\n%%EOF\n", "file_corrupt"),  # no PDF in between
        ("ktp.pdf", pdf_bytes()[:600] + pdf_bytes()[-40:], "file_corrupt"),  # its middle lost on the way
        ("ktp.pdf", pdf_bytes(password="rahasia"), "pdf_encrypted"),  # the officer could not open it
        ("ktp.pdf", b"", "empty_file"),
        pytest.param("ktp.png", bomb_png(), "image_too_large", id="bomb"),  # over Pillow's own bomb limit
        pytest.param("ktp.png", bomb_png(8_000, 8_000), "image_too_large", id="64-megapixels"),  # over ours
    ],
)
def test_file_content_must_match_its_name(name, data, code, tmp_path):
    sub = valid_submission()
    sub.files["ktp"] = upload(name, data)
    assert _codes(sub) == [code]
    _nothing_saved(tmp_path)


def test_a_damaged_file_is_refused_with_what_to_do_instead():
    for name, data, advice in (("ktp.pdf", b"%PDF-1.4 truncated", "simpan ulang sebagai PDF"),
                               ("ktp.png", png_bytes()[:30], "Ambil fotonya lagi")):
        sub = valid_submission()
        sub.files["ktp"] = upload(name, data)
        with pytest.raises(DomainError) as refused:
            application_submit(sub)
        assert advice in str(refused.value), str(refused.value)


def test_a_pdf_that_only_restricts_printing_is_accepted():
    """It opens without a password in any viewer (an owner password only limits what a reader may do)."""
    sub = valid_submission()
    sub.files["ktp"] = upload("ktp.pdf", pdf_bytes(password=""))
    app, created = application_submit(sub)
    assert created and app.documents.count() == 3


def test_an_encrypted_pdf_is_refused_in_words_the_applicant_can_act_on():
    sub = valid_submission()
    sub.files["ktp"] = upload("ktp.pdf", pdf_bytes(password="rahasia"))
    with pytest.raises(ValidationErrors) as info:
        application_submit(sub)
    assert "dikunci dengan kata sandi" in info.value.message and "tanpa kata sandi" in info.value.message


def test_jpeg_and_png_are_accepted():
    sub = valid_submission()
    sub.files["ktp"] = upload("ktp.JPG", jpeg_bytes(), "image/jpeg")
    sub.files["fotokopi_ijazah"] = upload("ijazah.png", png_bytes(), "image/png")
    app, created = application_submit(sub)
    assert created
    assert sorted(app.documents.values_list("content_type", flat=True)) == ["application/pdf", "image/jpeg", "image/png"]


def test_several_problems_are_reported_together(tmp_path):
    sub = valid_submission(nik="1", phone="2", email="bukan-email")
    del sub.files["ktp"]
    assert _codes(sub) == ["invalid_nik", "invalid_phone", "invalid_email", "missing_document"]
    _nothing_saved(tmp_path)


def test_unknown_service_and_office(tmp_path):
    sub = valid_submission()
    sub.service = "tidak-ada"
    assert _codes(sub) == ["unknown_service"]
    sub = valid_submission()
    sub.office = "99.99"
    assert _codes(sub) == ["unknown_office"]
    _nothing_saved(tmp_path)


def test_service_the_office_does_not_offer(tmp_path):
    office = Office.objects.get(code="73.22")
    OfficeService.objects.create(office=office, service=Service.objects.get(slug="legalisir-ijazah-madrasah"),
                                 enabled=False, redirect_note="Silakan ke Kanwil.")
    with pytest.raises(DomainError) as info:
        application_submit(valid_submission())
    assert info.value.code == "service_not_offered"
    assert "Silakan ke Kanwil." in info.value.message
    # and a Kankemenag-only level check: Pusat does not offer regency services
    sub = valid_submission(office="73")
    sub.office = "pusat"
    assert _codes(sub) == ["service_not_offered"]
    _nothing_saved(tmp_path)


def test_form_fields_are_checked():
    sub = valid_submission()
    sub.fields["jenjang"] = "SMA"
    sub.fields["tahun_lulus"] = "dua ribu"
    sub.fields["nama_madrasah"] = ""
    assert _codes(sub) == ["missing_field", "invalid_field", "invalid_field"]


def test_unknown_document_is_refused():
    sub = valid_submission()
    sub.files["virus"] = upload("virus.pdf")
    assert _codes(sub) == ["unknown_document"]


def test_double_submit_with_the_same_key_returns_the_first(tmp_path):
    first, created = application_submit(valid_submission(submission_key="form-123"))
    again, created_again = application_submit(valid_submission(submission_key="form-123"))
    assert created and not created_again
    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_double_submit_without_key_is_refused_with_the_existing_code():
    first, _ = application_submit(valid_submission())
    with pytest.raises(DomainError) as info:
        application_submit(valid_submission())
    assert info.value.code == "duplicate_submission" and info.value.status == 409
    assert first.tracking_code in info.value.message
    assert Application.objects.count() == 1


def test_failure_while_saving_removes_written_files(monkeypatch, tmp_path):
    from satupintu.services import workflow

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "record_event", boom)
    with pytest.raises(RuntimeError):
        application_submit(valid_submission())
    _nothing_saved(tmp_path)


@pytest.mark.parametrize("value,message", [
    ("2027-W01-1", "'Tanggal mulai penelitian' harus tanggal (TTTT-BB-HH)."),  # ISO week: fromisoformat took it
    ("20270104", "'Tanggal mulai penelitian' harus tanggal (TTTT-BB-HH)."),
    ("2027-02-30", "'Tanggal mulai penelitian' harus tanggal (TTTT-BB-HH)."),
    ("9999-12-31", "'Tanggal mulai penelitian' harus antara tahun 1900 dan 2100."),
])
def test_a_date_field_takes_a_real_date_in_one_spelling_and_a_sensible_year(value, message):
    sub = valid_submission(service="izin-penelitian")
    sub.fields.update(tanggal_mulai=value, tanggal_selesai="2027-02-26")
    with pytest.raises(ValidationErrors) as caught:
        application_submit(sub)
    assert [(e.field, e.message) for e in caught.value.errors] == [("tanggal_mulai", message)]


def test_a_period_that_ends_before_it_starts_is_refused_on_the_end_date():
    sub = valid_submission(service="izin-penelitian")
    sub.fields.update(tanggal_mulai="2027-02-26", tanggal_selesai="2027-01-04")
    with pytest.raises(ValidationErrors) as caught:
        application_submit(sub)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("tanggal_selesai", "'Tanggal selesai penelitian' tidak boleh sebelum 'Tanggal mulai penelitian'.")]
    sub.fields.update(tanggal_selesai="2027-02-26")  # one day is a period too
    app, created = application_submit(sub)
    assert created and app.form_data["tanggal_selesai"] == "2027-02-26"
