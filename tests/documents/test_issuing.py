"""Issuing a service's letter from its template: draft, approval, signature, hand-over to the
citizen, verification by anyone; revocation and reissue (issue #14)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from satupintu.core.errors import DomainError
from satupintu.documents import issuing, selectors
from satupintu.documents.models import DocumentTemplate, IssuedDocument, OfficeSigning, State
from satupintu.services.models import Application, Document, DocumentKind, Status
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_PHONE
from tests.documents.pyhanko_check import validate_with_pyhanko

SERVICE = "duplikat-ijazah-madrasah"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _in_process(submit, people, **overrides):  # type: ignore[no-untyped-def]
    app = submit(service=SERVICE, **overrides)
    app = application_transition(app, "verify", user=people.fo_lutra)
    return application_transition(app, "process", user=people.pendma_lutra)


def _signed(app, people) -> IssuedDocument:  # type: ignore[no-untyped-def]
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.VALID, doc and doc.last_error
    return doc


def _citizen(app) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]})
    assert response.status_code == 302
    return client


def test_the_letter_goes_from_template_to_a_signed_download_the_citizen_can_verify(submit, people):
    app = _in_process(submit, people, name="Siti Aminah")
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    assert doc.state == State.DRAFT and doc.letter_number == ""
    draft = doc.source_file.read()
    text = _text(draft)
    assert "DRAF" in text and "Siti Aminah" in text and "SURAT KETERANGAN PENGGANTI IJAZAH" in text
    assert "(diberikan saat ditandatangani)" in text
    # A draft is nobody's business: its token leads nowhere yet.
    assert Client().get(f"/verifikasi/{doc.token}").status_code == 404

    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    doc = issuing.approve_and_sign(doc, user=people.kakan_lutra)
    assert doc.state == State.SIGNING
    assert not app.documents.filter(kind=DocumentKind.PRODUCT).exists()  # nothing visible before the signature

    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.VALID
    assert re.fullmatch(r"B-1/Kk\.73\.22/PP\.00\.6/\d{2}/\d{4}", doc.letter_number)
    signed = doc.file.read()
    assert validate_with_pyhanko(signed)  # intact, valid, trusted, covering the whole file
    text = _text(signed)
    assert doc.letter_number in text and "DRAF" not in text
    assert f"/verifikasi/{doc.token}" in text
    product = app.documents.get(kind=DocumentKind.PRODUCT, superseded=False)
    assert product.sha256 == doc.sha256
    # The history reads in the signer's language; stored whole in Indonesian for the audit.
    from django.utils import translation

    prepared = doc.events.get(action="prepared")
    assert prepared.note.startswith("Draf dari templat: ")
    with translation.override("en"):
        assert prepared.note_shown.startswith("Draft from the template: ")
        assert doc.events.get(action="signed").note_shown.startswith("Signed (local); SHA-256 ")

    app = application_transition(app, "complete", user=people.pendma_lutra)
    citizen = _citizen(app)
    page = citizen.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert f'href="/verifikasi/{doc.token}"' in page
    download = citizen.get(f"/lacak/{app.tracking_code}/produk/{product.pk}/")
    body = b"".join(download.streaming_content)
    assert body == signed and validate_with_pyhanko(body)

    anyone = Client()
    info = anyone.get(f"/verifikasi/{doc.token}").content.decode()
    assert "BERLAKU" in info and doc.sha256 in info and "Si*** Am***" in info and "Siti Aminah" not in info
    ok = anyone.post(f"/verifikasi/{doc.token}", {"pdf": io.BytesIO(body)}).content.decode()
    assert "SAH" in ok and "TIDAK SAH" not in ok
    changed = bytearray(body)
    changed[len(changed) // 3] ^= 0x01
    bad = anyone.post(f"/verifikasi/{doc.token}", {"pdf": io.BytesIO(bytes(changed))}).content.decode()
    assert "TIDAK SAH" in bad and "SHA-256 tidak cocok" in bad


def test_the_citizens_home_lists_the_document_with_its_verification_link(submit, people):
    from django.contrib.auth import get_user_model

    citizen_user = get_user_model().objects.create_user("warga.siti", "siti@contoh.id", "sandi-uji-123")
    app = _in_process(submit, people)
    app.user = citizen_user
    app.save(update_fields=["user"])
    doc = _signed(app, people)
    application_transition(app, "complete", user=people.pendma_lutra)
    client = Client()
    client.force_login(citizen_user)
    home = client.get("/akun/").content.decode()
    assert f'href="/verifikasi/{doc.token}"' in home
    assert f"/lacak/{app.tracking_code}/produk/{doc.product_id}/" in home


def test_letter_numbers_run_per_office_and_year(submit, people):
    first = _signed(_in_process(submit, people), people)
    second = _signed(_in_process(submit, people, nik="7322015708900002"), people)
    OfficeSigning.objects.create(office=first.office, letter_code="Kk.21.14")
    third = _signed(_in_process(submit, people, nik="7322015708900003"), people)
    assert first.letter_number.startswith("B-1/") and second.letter_number.startswith("B-2/")
    assert third.letter_number.startswith("B-3/Kk.21.14/")


def test_the_office_named_signer_signs_instead_of_the_head(submit, people):
    app = _in_process(submit, people)
    OfficeSigning.objects.create(office=app.office, letter_code="", signer=people.kasi_pendma_lutra,
                                 signer_title="Plh. Kepala Kantor")
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    with pytest.raises(Exception) as refused:
        issuing.approve_and_sign(doc, user=people.kakan_lutra)
    assert getattr(refused.value, "code", "") == "forbidden"
    issuing.approve_and_sign(doc, user=people.kasi_pendma_lutra)
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.signer_title == "Plh. Kepala Kantor"
    assert "Plh. Kepala Kantor" in _text(doc.file.read())


@pytest.mark.parametrize("who", ["pendma_lutra", "fo_lutra", "kakanwil_sulsel", "kakanwil_jateng"])
def test_only_the_offices_signer_may_sign(submit, people, who):
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    with pytest.raises(Exception) as refused:
        issuing.approve_and_sign(doc, user=getattr(people, who))
    assert getattr(refused.value, "code", "") == "forbidden"
    assert IssuedDocument.objects.get(pk=doc.pk).state == State.AWAITING


def test_signing_asks_the_authenticator_code_again_where_required(submit, people, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DOCUMENT_SIGNING_SECOND_FACTOR = True
    device = TOTPDevice.objects.create(user=people.kakan_lutra, name="hp", confirmed=True)
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    head = Client()
    head.force_login(people.kakan_lutra)
    missing = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on"})
    assert missing.status_code == 400 and "Masukkan kode" in missing.content.decode()
    wrong = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on", "code": "000000"})
    assert wrong.status_code == 400 and "salah" in wrong.content.decode()
    assert IssuedDocument.objects.get(pk=doc.pk).state == State.AWAITING
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code; the signer waited
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    right = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on", "code": code})
    assert right.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert doc.events.filter(action="approved", actor=people.kakan_lutra, note__contains="autentikator").exists()


def test_the_signers_queue_and_the_pages_through_the_browser_forms(submit, people):
    app = _in_process(submit, people)
    officer = Client()
    officer.force_login(people.pendma_lutra)
    page = officer.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert "Buat dokumen dari templat" in page
    made = officer.post(f"/petugas/permohonan/{app.tracking_code}/dokumen/")
    doc = IssuedDocument.objects.get(application=app)
    assert made["Location"] == f"/petugas/dokumen/{doc.pk}/"
    draft = officer.get(f"/petugas/dokumen/{doc.pk}/berkas.pdf")
    assert b"".join(draft.streaming_content).startswith(b"%PDF")
    assert officer.post(f"/petugas/dokumen/{doc.pk}/", {"action": "submit"}).status_code == 302
    head = Client()
    head.force_login(people.kakan_lutra)
    queue = head.get("/petugas/dokumen/").content.decode()
    assert f"/petugas/dokumen/{doc.pk}/" in queue
    unticked = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign"})
    assert unticked.status_code == 400 and 'href="#sign-confirm"' in unticked.content.decode()
    assert head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on"}).status_code == 302
    # A colleague of another office sees none of it.
    other = Client()
    other.force_login(people.fo_makassar)
    assert other.get(f"/petugas/dokumen/{doc.pk}/").status_code == 404
    assert other.get(f"/petugas/dokumen/{doc.pk}/berkas.pdf").status_code == 404


def test_the_signer_can_send_a_draft_back_with_what_to_change(submit, people):
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    head = Client()
    head.force_login(people.kakan_lutra)
    empty = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "send_back", "note": "  "})
    assert empty.status_code == 400
    head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "send_back", "note": "Tahun lulus keliru"})
    doc.refresh_from_db()
    assert doc.state == State.DRAFT and doc.last_error == "Tahun lulus keliru"


def test_revocation_is_shown_with_its_reason_and_the_file_no_longer_verifies(submit, people):
    app = _in_process(submit, people)
    doc = _signed(app, people)
    signed = doc.file.read()
    head = Client()
    head.force_login(people.kakan_lutra)
    no_reason = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "revoke", "reason": ""})
    assert no_reason.status_code == 400
    officer = Client()
    officer.force_login(people.pendma_lutra)
    assert officer.post(f"/petugas/dokumen/{doc.pk}/", {"action": "revoke", "reason": "x"}).status_code == 403
    head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "revoke", "reason": "Nama ayah salah tulis <b>"})
    page = Client().get(f"/verifikasi/{doc.token}").content.decode()
    assert "DICABUT" in page and "Nama ayah salah tulis &lt;b&gt;" in page
    verdict = Client().post(f"/verifikasi/{doc.token}", {"pdf": io.BytesIO(signed)}).content.decode()
    assert "TIDAK SAH" in verdict and "dicabut" in verdict
    assert not Document.objects.filter(pk=doc.product_id, superseded=False).exists()


def test_reissue_replaces_the_old_document_once_the_new_one_is_signed(submit, people):
    app = _in_process(submit, people)
    old = _signed(app, people)
    new = issuing.reissue(old, user=people.pendma_lutra)
    assert new.replaces_id == old.pk and IssuedDocument.objects.get(pk=old.pk).state == State.VALID
    issuing.submit_for_signature(new, user=people.pendma_lutra)
    issuing.approve_and_sign(new, user=people.kakan_lutra)
    new = issuing.sign_now(new.pk)
    assert new is not None and new.state == State.VALID
    old.refresh_from_db()
    assert old.state == State.REPLACED
    page = Client().get(f"/verifikasi/{old.token}").content.decode()
    assert "DIGANTI" in page and f"/verifikasi/{new.token}" in page
    assert app.documents.filter(kind=DocumentKind.PRODUCT, superseded=False).get().pk == new.product_id


def test_template_placeholders_are_checked_and_values_are_shown_not_obeyed(submit, people):
    from satupintu.core.errors import DomainError
    from satupintu.services.models import Service

    service = Service.objects.get(slug=SERVICE)
    with pytest.raises(DomainError) as bad:
        issuing.template_save(DocumentTemplate(service=service, office_id=None, title="X", body="{{ tidak_ada }}"))
    assert bad.value.code == "unknown_placeholder"
    app = _in_process(submit, people, name="Andi <font size=40>Besar</font> & Co")
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    assert "Andi <font size=40>Besar</font> & Co" in _text(doc.source_file.read())


def test_every_shipped_template_uses_only_known_placeholders(db):
    from satupintu.documents.rendering import unknown_placeholders

    templates = DocumentTemplate.objects.select_related("service")
    assert templates.count() >= 8
    for template in templates:
        fields = set(template.service.fields.values_list("name", flat=True))
        assert unknown_placeholders(template.body, fields) == [], template.service.slug


def test_a_service_without_template_offers_none_and_says_why(submit, people):
    app = submit()  # legalisir: the product is the stamped copy, made elsewhere
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    officer = Client()
    officer.force_login(people.pendma_lutra)
    assert "Buat dokumen dari templat" not in officer.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    refused = officer.post(f"/petugas/permohonan/{app.tracking_code}/dokumen/", follow=True)
    assert "belum memiliki templat" in refused.content.decode()


def test_a_submitted_application_cannot_get_a_document_yet(submit, people):
    app = submit(service=SERVICE)
    assert app.status == Status.SUBMITTED
    with pytest.raises(Exception) as refused:
        issuing.prepare_from_template(app, user=people.pendma_lutra)
    assert getattr(refused.value, "code", "") == "invalid_transition"


def test_the_head_names_a_deputy_signer_on_the_settings_page(submit, people):
    head = Client()
    head.force_login(people.kakan_lutra)
    assert "Penandatanganan kantor" in head.get("/petugas/dokumen/").content.decode()
    bad = head.post("/petugas/dokumen/penandatangan/", {"office": "73.22", "letter_code": "Kk/21", "signer_nik": "12",
                                                        "signer": str(people.fo_makassar.pk)})
    text = bad.content.decode()
    assert bad.status_code == 400 and 'href="#id_letter_code"' in text and 'href="#id_signer"' in text
    ok = head.post("/petugas/dokumen/penandatangan/", {
        "office": "73.22", "letter_code": "Kk.21.14", "city": "Masamba", "signer": str(people.kasi_pendma_lutra.pk),
        "signer_title": "Plh. Kepala Kantor", "signer_nik": "7322010101700001"})
    assert ok.status_code == 302
    signing = OfficeSigning.objects.get(office__code="73.22")
    assert signing.signer == people.kasi_pendma_lutra and signing.letter_code == "Kk.21.14"
    deputy = Client()
    deputy.force_login(people.kasi_pendma_lutra)
    assert deputy.get("/petugas/dokumen/penandatangan/").status_code == 404  # naming a signer is the head's
    officer = Client()
    officer.force_login(people.pendma_lutra)
    assert officer.get("/petugas/dokumen/penandatangan/").status_code == 404


def test_a_named_signer_who_left_the_office_no_longer_signs_revokes_or_sees_its_documents(submit, people):
    from satupintu.documents import access
    from satupintu.organization.models import Office, Role, StaffRole

    deputy = people.kasi_pendma_lutra
    app = _in_process(submit, people)
    OfficeSigning.objects.create(office=app.office, letter_code="", signer=deputy, signer_title="Plh. Kepala Kantor")
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=deputy)
    valid = issuing.sign_now(doc.pk)
    assert valid is not None and valid.state == State.VALID
    assert access.may_view(deputy, valid)

    # The deputy moves to another office: their role here is removed, they stay staff elsewhere.
    StaffRole.objects.filter(user=deputy, office=app.office).delete()
    StaffRole.objects.create(user=deputy, office=Office.objects.get(code="73.71"), role=Role.FRONT_OFFICE)
    deputy = type(deputy).objects.get(pk=deputy.pk)  # a new request: no remembered roles

    draft = issuing.prepare_from_template(_in_process(submit, people, nik="7322015708900002"),
                                          user=people.pendma_lutra)
    issuing.submit_for_signature(draft, user=people.pendma_lutra)
    with pytest.raises(DomainError) as refused:
        issuing.approve_and_sign(draft, user=deputy)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        issuing.revoke(valid, user=deputy, reason="Coba cabut")
    assert refused.value.code == "forbidden"
    assert not access.visible(deputy, IssuedDocument.objects.filter(office=app.office)).exists()
    assert access.offices_signed_by(deputy) == []
    former = Client()
    former.force_login(deputy)
    assert former.get(f"/petugas/dokumen/{draft.pk}/").status_code == 404
    assert former.get(f"/petugas/dokumen/{valid.pk}/berkas.pdf").status_code == 404

    # The head signs again, under the head's title (the deputy's was theirs).
    assert access.offices_signed_by(people.kakan_lutra) == [app.office]
    issuing.approve_and_sign(draft, user=people.kakan_lutra)
    signed = issuing.sign_now(draft.pk)
    assert signed is not None and signed.state == State.VALID
    assert signed.signer_title == f"Kepala {app.office.name}"


def test_no_letter_is_signed_for_an_application_withdrawn_before_the_approval(submit, people):
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    application_transition(app, "withdraw", note="Tidak jadi")  # the citizen
    # The letter leaves the signer's queue: it is discarded with the reason, not left waiting for ever.
    doc.refresh_from_db()
    assert doc.state == State.DISCARDED and not doc.file
    assert doc.events.filter(action="discarded", note__contains="dicabut oleh pemohon").exists()
    head = Client()
    head.force_login(people.kakan_lutra)
    assert doc not in selectors.queue(people.kakan_lutra)["awaiting"]
    with pytest.raises(DomainError) as refused:
        issuing.approve_and_sign(doc, user=people.kakan_lutra)
    assert refused.value.code == "invalid_state"
    page = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on"})
    assert page.status_code == 409 and "tidak sedang menunggu tanda tangan" in page.content.decode()
    assert not app.documents.filter(kind=DocumentKind.PRODUCT).exists()
    assert Client().get(f"/verifikasi/{doc.token}").status_code == 404


def test_no_letter_is_signed_for_an_application_rejected_while_it_waited_for_the_signature(submit, people):
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)  # the task is queued...
    application_transition(app, "reject", user=people.pendma_lutra, note="Ijazah tidak terdaftar")  # ...then this
    assert issuing.sign_now(doc.pk) is None  # nothing left to sign: the rejection discarded the letter
    doc.refresh_from_db()
    assert doc.state == State.DISCARDED and doc.next_attempt_at is None and not doc.file and doc.sha256 == ""
    assert doc not in selectors.queue(people.kakan_lutra)["awaiting"]
    assert not app.documents.filter(kind=DocumentKind.PRODUCT).exists()
    assert Client().get(f"/verifikasi/{doc.token}").status_code == 404
    assert issuing.sign_due() == 0
    with pytest.raises(DomainError) as refused:
        issuing.approve_and_sign(doc, user=people.kakan_lutra)
    assert refused.value.code == "invalid_state"


def approved_while_the_tsa_is_down(app, people, tsa, settings) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """A letter approved while the time-stamping authority answers garbage: it waits in SIGNING.
    ``settings``: pytest-django's fixture, which puts the TSA setting back after the test."""
    settings.DOCUMENT_SIGNING_TSA_URL = tsa.url
    tsa.mode = "garbage"
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)
    signing = issuing.sign_now(doc.pk)
    assert signing is not None and signing.state == State.SIGNING
    return signing


@pytest.mark.parametrize("close", ["reject", "withdraw"])
def test_a_letter_waiting_for_the_signing_service_is_discarded_when_the_application_closes(
        settings, submit, people, tsa, close):
    """Approved while the time-stamping (or signing) service was down, the letter waits in SIGNING;
    before, the retry after the rejection put it back in the signer's queue for good."""
    app = _in_process(submit, people)
    doc = approved_while_the_tsa_is_down(app, people, tsa, settings)
    if close == "reject":
        application_transition(app, "reject", user=people.pendma_lutra, note="Ijazah tidak terdaftar")
    else:
        application_transition(app, "withdraw", note="Tidak jadi")
    tsa.mode = "up"
    assert issuing.sign_due(now=doc.next_attempt_at) == 0
    doc.refresh_from_db()
    assert doc.state == State.DISCARDED and not doc.file
    assert doc not in selectors.queue(people.kakan_lutra)["awaiting"]


def test_a_letter_whose_application_is_rejected_while_it_is_signed_is_discarded_not_sent_back(
        submit, people, monkeypatch):
    """The rejection lands while a worker holds the letter (between its two checks): the worker's
    second check discards it instead of returning it to the signer."""
    from satupintu.documents import signers

    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)
    real = signers.LocalSigner.sign

    def sign_then_reject(self, pdf, request, **kw):  # type: ignore[no-untyped-def]
        signed = real(self, pdf, request, **kw)
        Application.objects.filter(pk=app.pk).update(status=Status.REJECTED)  # another officer, meanwhile
        return signed

    monkeypatch.setattr(signers.LocalSigner, "sign", sign_then_reject)
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.DISCARDED and not doc.file
    assert doc.events.filter(action="discarded", note__contains="ditolak").exists()


def test_no_draft_for_an_application_rejected_after_its_page_was_read(submit, people):
    app = _in_process(submit, people)
    stale = Application.objects.get(pk=app.pk)  # the officer's page, read before the rejection
    application_transition(app, "reject", user=people.pendma_lutra, note="Ijazah tidak terdaftar")
    with pytest.raises(DomainError) as refused:
        issuing.prepare_from_template(stale, user=people.pendma_lutra)
    assert refused.value.code == "invalid_transition"
    assert not IssuedDocument.objects.filter(application=app).exists()


def test_opening_the_letter_on_the_documents_page_is_recorded_as_an_access(submit, people):
    from satupintu.core.models import PersonalDataAccess

    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    officer = Client()
    officer.force_login(people.pendma_lutra)
    draft = officer.get(f"/petugas/dokumen/{doc.pk}/berkas.pdf")
    assert draft.status_code == 200
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)
    issuing.sign_now(doc.pk)
    signed = officer.get(f"/petugas/dokumen/{doc.pk}/berkas.pdf")
    assert signed.status_code == 200
    rows = list(PersonalDataAccess.objects.filter(subject_type="application", subject_ref=app.tracking_code)
                .order_by("pk").values_list("user_id", "what"))
    title = doc.title
    assert rows == [(people.pendma_lutra.pk, f"draf dokumen {title}"), (people.pendma_lutra.pk, f"dokumen {title}")]


def test_the_signer_nik_takes_ascii_digits_only(submit, people):
    app = _in_process(submit, people)
    arabic_indic = "٣٢٠١٠١٠١٠١٩٠٠٠٠١"  # 16 digits, but not the ones BSrE knows
    errors = issuing.office_signing_errors(app.office, letter_code="", city="", signer=None, signer_title="",
                                           signer_nik=arabic_indic)
    assert [e.code for e in errors] == ["nik_invalid"]
    assert issuing.office_signing_errors(app.office, letter_code="", city="", signer=None, signer_title="",
                                         signer_nik="3201010101900001") == []


def test_a_draft_of_a_rejected_application_is_not_sent_to_the_signer(submit, people):
    app = _in_process(submit, people)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    application_transition(app, "reject", user=people.pendma_lutra, note="Ijazah tidak terdaftar")
    with pytest.raises(DomainError) as refused:
        issuing.submit_for_signature(doc, user=people.pendma_lutra)
    assert refused.value.code == "invalid_state"
    assert IssuedDocument.objects.get(pk=doc.pk).state == State.DISCARDED


@pytest.mark.parametrize("close", ["reject", "withdraw"])
def test_a_letter_signed_before_the_application_was_closed_no_longer_verifies(submit, people, close):
    """Signed while in process, then the officer rejected the application or the citizen withdrew
    it: before, the letter still read BERLAKU on /verifikasi/ for a service that was refused."""
    app = _in_process(submit, people)
    doc = _signed(app, people)
    signed = doc.file.read()
    note = "Ijazah atas nama Siti 3201010101900001 tidak terdaftar"
    if close == "reject":
        application_transition(app, "reject", user=people.pendma_lutra, note=note)
    else:
        application_transition(app, "withdraw", note=note)  # the citizen
    doc.refresh_from_db()
    assert doc.state == State.REVOKED and doc.revoked_at is not None
    assert doc.revoked_by == (people.pendma_lutra if close == "reject" else None)
    page = Client().get(f"/verifikasi/{doc.token}").content.decode()
    assert "DICABUT" in page and ("ditolak" if close == "reject" else "dicabut oleh pemohon") in page
    assert "3201010101900001" not in page and "Siti" not in page  # the note to the applicant stays private
    verdict = Client().post(f"/verifikasi/{doc.token}", {"pdf": io.BytesIO(signed)}).content.decode()
    assert "TIDAK SAH" in verdict
    assert not Document.objects.filter(pk=doc.product_id, superseded=False).exists()
    assert doc.events.filter(action="revoked").count() == 1
    english = Client()
    english.cookies["django_language"] = "en"
    assert ("rejected after this document" if close == "reject" else "withdrew the application") in \
        english.get(f"/verifikasi/{doc.token}").content.decode()


def test_one_valid_letter_per_application_whichever_way_a_second_one_came(submit, people):
    """A letter prepared again instead of reissued, or a product uploaded while a letter was being
    signed: the later one replaces the earlier (two letters of one application verified in force)."""
    from satupintu.documents.models import Kind
    from satupintu.services.applications import application_upload_product
    from tests.conftest import upload

    app = _in_process(submit, people)
    first = _signed(app, people)
    second = _signed(app, people)  # prepared again, not through "reissue"
    first.refresh_from_db()
    assert (first.state, second.state) == (State.REPLACED, State.VALID)
    assert "BERLAKU" not in Client().get(f"/verifikasi/{first.token}").content.decode()

    third = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(third, user=people.pendma_lutra)
    issuing.approve_and_sign(third, user=people.kakan_lutra)  # being signed (the service was slow)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("produk.pdf"))
    third = issuing.sign_now(third.pk)
    valid = IssuedDocument.objects.filter(application=app, kind=Kind.PRODUCT, state=State.VALID)
    assert list(valid) == [third]  # the letter signed last is the one in force


def test_the_letter_number_takes_the_office_s_month_and_year(submit, people):
    from datetime import UTC, datetime

    app = _in_process(submit, people)
    assert app.office.timezone == "Asia/Makassar"
    at = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January 2027, 01.30 WITA
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra, now=at)
    doc = issuing.sign_now(doc.pk, now=at)
    assert "1 Januari 2027" in _text(doc.file.read())
    assert doc.letter_number.endswith("/01/2027"), doc.letter_number  # was /12/2026, from 2026's run


def test_a_named_signer_whose_account_was_disabled_no_longer_holds_up_the_office(submit, people):
    """Disabling an account (someone on leave, or gone before the roles were tidied) keeps their
    roles: a disabled named signer would otherwise leave the office with nobody who may sign."""
    from satupintu.documents import access

    deputy = people.kasi_pendma_lutra
    app = _in_process(submit, people)
    OfficeSigning.objects.create(office=app.office, letter_code="", signer=deputy, signer_title="Plh. Kepala Kantor")
    type(deputy).objects.filter(pk=deputy.pk).update(is_active=False)

    _, name, title = issuing.signer_for(app.office)
    assert name == people.kakan_lutra.get_full_name() and title == f"Kepala {app.office.name}"
    assert access.may_sign(people.kakan_lutra, app.office)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    issuing.approve_and_sign(doc, user=people.kakan_lutra)
    signed = issuing.sign_now(doc.pk)
    assert signed is not None and signed.state == State.VALID and signed.signer == people.kakan_lutra

    # Nor can the head name a disabled account again.
    head = Client()
    head.force_login(people.kakan_lutra)
    refused = head.post("/petugas/dokumen/penandatangan/", {"office": app.office.code, "letter_code": "Kk.21.14",
                                                            "city": "Masamba", "signer": str(deputy.pk)})
    assert refused.status_code == 400 and 'href="#id_signer"' in refused.content.decode()


def test_a_disabled_head_is_not_named_on_the_office_letters(submit, people):
    from satupintu.organization.models import Role, StaffRole

    app = _in_process(submit, people)
    type(people.kakan_lutra).objects.filter(pk=people.kakan_lutra.pk).update(is_active=False)
    acting = people.kasi_pendma_lutra
    StaffRole.objects.create(user=acting, office=app.office, role=Role.HEAD_OF_OFFICE)
    user, name, _ = issuing.signer_for(app.office)
    assert user == acting and name == (acting.get_full_name() or acting.get_username())


def test_a_long_signer_name_and_office_name_fit_the_letter_s_columns(submit, people):
    """A full name runs to 301 characters (signer_name holds 150) and "Kepala " + an office's name
    to 207 (signer_title holds 200): PostgreSQL refused the approval, SQLite kept it all."""
    from satupintu.organization.models import Office

    Office.objects.filter(code="73.22").update(name="Kantor Kementerian Agama Kabupaten Luwu Utara " + "X" * 154)
    head = people.kakan_lutra
    head.first_name, head.last_name = "Andi " + "A" * 140, "B" * 150
    head.save()
    doc = _signed(_in_process(submit, people), people)
    assert len(doc.signer_name) <= IssuedDocument._meta.get_field("signer_name").max_length
    assert len(doc.signer_title) <= IssuedDocument._meta.get_field("signer_title").max_length
    assert doc.signer_name == "Andi " + "A" * 140 + "…" and doc.signer_title.startswith("Kepala Kantor Kementerian")
    assert doc.signer_title.endswith("…")
