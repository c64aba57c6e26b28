"""The tracking page's forms (unlock, send missing documents, withdraw): a wrong or missing
value comes back on the page (400) with the error summary linking to its field and what was
typed kept; documents that passed the checks are kept across the error (the upload stash)."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from satupintu.core import ratelimit
from satupintu.services.models import Application, Status, UploadStash
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_PHONE, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _unlocked(app: Application) -> Client:
    c = Client()
    assert c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    return c


@pytest.fixture
def waiting(submit, people) -> Application:  # type: ignore[no-untyped-def]
    app = submit()
    return application_transition(app, "request_completion", user=people.fo_lutra, note="KTP buram, unggah ulang")


def test_unlock_digits_that_are_not_four_come_back_at_the_field(submit):  # type: ignore[no-untyped-def]
    app = submit()
    c = Client()
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert ('<label for="phone_last4">Empat digit terakhir nomor HP yang didaftarkan <span class="mark">(wajib)'
            '</span></label>') in page
    response = c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "12"})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#phone_last4"' in page and "Tulis empat digit terakhir nomor HP." in page and 'value="12"' in page
    wrong = c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "1111"})
    assert wrong.status_code == 400 and 'href="#phone_last4"' in wrong.content.decode()


def test_once_the_digits_are_spent_the_whole_number_is_asked_at_its_field(submit):  # type: ignore[no-untyped-def]
    app = submit()
    for _ in range(ratelimit.UNLOCK_PER_APPLICATION.limit):
        ratelimit.take(ratelimit.UNLOCK_PER_APPLICATION, app.pk)
    c = Client()
    response = c.post(f"/lacak/{app.tracking_code}/", {})
    assert response.status_code == 400
    page = _page(response)
    assert 'name="phone_last4"' not in page and 'href="#phone"' in page
    assert "Tulis nomor HP lengkap yang didaftarkan." in page
    response = c.post(f"/lacak/{app.tracking_code}/", {"phone": "0812 0000 0000"})
    assert response.status_code == 400 and 'value="0812 0000 0000"' in _page(response)
    assert c.post(f"/lacak/{app.tracking_code}/", {"phone": VALID_PHONE}).status_code == 302


def test_a_completion_without_files_keeps_the_note(waiting):  # type: ignore[no-untyped-def]
    c = _unlocked(waiting)
    response = c.post(f"/lacak/{waiting.tracking_code}/lengkapi/", {"note": "Sudah saya foto ulang."})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#c-ijazah_asli"' in page and "Unggah minimal satu berkas untuk melengkapi permohonan." in page
    assert "Sudah saya foto ulang.</textarea>" in page
    assert Application.objects.get(pk=waiting.pk).status == Status.NEEDS_COMPLETION


def test_a_good_document_is_kept_when_another_is_refused(waiting, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    c = _unlocked(waiting)
    form_key = c.get(f"/lacak/{waiting.tracking_code}/").context["completion_form"].initial["form_key"]
    response = c.post(f"/lacak/{waiting.tracking_code}/lengkapi/", {
        "form_key": form_key, "ktp": upload("ktp-jelas.pdf", pdf_bytes("ktp jelas")),
        "ijazah_asli": upload("ijazah.pdf", b"bukan pdf"), "note": "Foto ulang"})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#c-ijazah_asli"' in page
    assert "Berkas tersimpan: <strong>ktp-jelas.pdf</strong>" in page
    assert list(UploadStash.objects.values_list("requirement_code", flat=True)) == ["ktp"]
    assert Application.objects.get(pk=waiting.pk).status == Status.NEEDS_COMPLETION
    # Sent again without the faulty file: the kept KTP goes with it, and nothing is picked twice.
    with django_capture_on_commit_callbacks(execute=True):
        done = c.post(f"/lacak/{waiting.tracking_code}/lengkapi/", {"form_key": form_key, "note": "Foto ulang"})
    assert done.status_code == 302
    app = Application.objects.get(pk=waiting.pk)
    assert app.status == Status.SUBMITTED
    ktp = app.documents.get(requirement_code="ktp", superseded=False)
    assert ktp.original_name == "ktp-jelas.pdf" and ktp.file.read() == pdf_bytes("ktp jelas")
    assert UploadStash.objects.count() == 0


def test_completion_sent_by_the_page_script_gets_its_address_back(waiting):  # type: ignore[no-untyped-def]
    c = _unlocked(waiting)
    response = c.post(f"/lacak/{waiting.tracking_code}/lengkapi/", {"ktp": upload("ktp.pdf")},
                      headers={"X-Form-Upload": "1"})
    assert response.status_code == 200 and response.json() == {"redirect": f"/lacak/{waiting.tracking_code}/"}


def test_withdrawing_without_the_box_keeps_the_reason(waiting):  # type: ignore[no-untyped-def]
    c = _unlocked(waiting)
    response = c.post(f"/lacak/{waiting.tracking_code}/batalkan/", {"reason": "Sudah diurus di tempat lain"})
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#w-confirm"' in page and "Centang konfirmasi untuk membatalkan permohonan." in page
    assert 'value="Sudah diurus di tempat lain"' in page and "<details open>" in page
    assert Application.objects.get(pk=waiting.pk).status == Status.NEEDS_COMPLETION
    c.cookies["django_language"] = "en"
    page = _page(c.post(f"/lacak/{waiting.tracking_code}/batalkan/", {}))
    assert "Tick the confirmation to withdraw the application." in page
    assert c.post(f"/lacak/{waiting.tracking_code}/batalkan/", {"confirm": "on"}).status_code == 302
    assert Application.objects.get(pk=waiting.pk).status == Status.WITHDRAWN


def test_the_phone_proof_gives_a_new_session_key_and_the_page_is_not_cached(submit):
    """Session fixation: a key planted in the citizen's browser before the proof (a cookie set for the
    parent domain by another site) opened the name, NIK and documents for whoever planted it."""
    from django.conf import settings

    app = submit()
    citizen = Client()
    citizen.get(f"/lacak/{app.tracking_code}/")
    citizen.session.save()  # the planted key: a session that exists before the proof
    planted = citizen.session.session_key
    citizen.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert citizen.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    assert citizen.cookies[settings.SESSION_COOKIE_NAME].value != planted
    opened = citizen.get(f"/lacak/{app.tracking_code}/")
    assert app.applicant_name in _page(opened) and "no-store" in opened["Cache-Control"]
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert app.applicant_name not in _page(attacker.get(f"/lacak/{app.tracking_code}/"))
