"""The officer's actions on an application's page are forms: a wrong or missing value comes
back on the page (400) with the error summary linking to the field and the typed note kept;
nothing changes."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from satupintu.core.models import PersonalDataAccess
from satupintu.services.models import Application, DocumentKind, Status
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _act(c: Client, app: Application, **data):  # type: ignore[no-untyped-def]
    return c.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", data)


def _in_process(submit, people) -> Application:  # type: ignore[no-untyped-def]
    app = submit()
    application_transition(app, "verify", user=people.fo_lutra)
    return application_transition(app, "process", user=people.pendma_lutra)


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def test_completing_without_the_box_or_pickup_says_both_and_keeps_the_note(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    c = _client(people.pendma_lutra)
    response = _act(c, app, action="complete", note="")
    assert response.status_code == 400
    page = _page(response)
    assert 'id="error-summary"' in page
    assert 'href="#confirm-complete"' in page and "Centang konfirmasi untuk menyelesaikan permohonan." in page
    assert 'href="#note-complete"' in page and "tuliskan cara pengambilan produk" in page
    # the note is typed but the box is not ticked: the note comes back as typed
    response = _act(c, app, action="complete", note="Ambil di loket PTSP, Senin 08.00")
    assert response.status_code == 400
    page = _page(response)
    assert "Ambil di loket PTSP, Senin 08.00</textarea>" in page and 'href="#note-complete"' not in page
    app.refresh_from_db()
    assert app.status == Status.IN_PROCESS


def test_completing_with_the_box_but_no_product_nor_pickup_is_refused_by_the_domain(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    response = _act(_client(people.pendma_lutra), app, action="complete", confirm="on", note="   ")
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#note-complete"' in page and "Unggah produk layanan, atau tuliskan cara pengambilan" in page
    assert Application.objects.get(pk=app.pk).status == Status.IN_PROCESS


def test_a_note_the_status_change_needs_is_marked_and_asked_for(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    c = _client(people.fo_lutra)
    page = c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert ('<label for="note-request_completion">Apa yang harus dilengkapi pemohon? <span class="mark">(wajib)</span>'
            '</label>') in page
    response = _act(c, app, action="request_completion", note="")
    assert response.status_code == 400
    assert 'href="#note-request_completion"' in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("assignee", ["999999", "abc", ""])
def test_an_unknown_assignee_is_said_at_the_field(submit, people, assignee):  # type: ignore[no-untyped-def]
    app = submit()
    response = _act(_client(people.kasi_pendma_lutra), app, action="assign", assignee=assignee)
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#assignee"' in page and "Pilih petugas yang ditugaskan." in page
    assert Application.objects.get(pk=app.pk).assigned_to is None


def test_an_officer_of_another_office_cannot_be_assigned(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    response = _act(_client(people.kasi_pendma_lutra), app, action="assign", assignee=str(people.fo_makassar.pk))
    assert response.status_code == 400 and 'href="#assignee"' in response.content.decode()
    assert _act(_client(people.kasi_pendma_lutra), app, action="assign",
                assignee=str(people.pendma_lutra.pk)).status_code == 302
    assert Application.objects.get(pk=app.pk).assigned_to == people.pendma_lutra


def test_a_forward_without_note_or_to_an_unknown_office_keeps_what_was_chosen(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    c = _client(people.fo_lutra)
    response = _act(c, app, action="forward", office="73", unit="pendma", note="")
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#fw-note"' in page and "Tuliskan catatan disposisi." in page
    assert '<details open>' in page and '<option value="73" selected>' in page
    response = _act(c, app, action="forward", office="99.99", unit="pendma", note="Kewenangan Kanwil")
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#fw-office"' in page and "Kewenangan Kanwil</textarea>" in page
    assert Application.objects.get(pk=app.pk).office.code == "73.22"


def test_the_product_upload_asks_for_a_file_and_refuses_a_bad_one(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    c = _client(people.pendma_lutra)
    response = _act(c, app, action="upload_product")
    assert response.status_code == 400
    assert 'href="#product"' in response.content.decode() and "Pilih berkas produk layanan." in _page(response)
    response = _act(c, app, action="upload_product", product=upload("sk.pdf", b"bukan pdf"))
    assert response.status_code == 400 and 'href="#product"' in response.content.decode()
    assert not app.documents.filter(kind=DocumentKind.PRODUCT).exists()


def test_an_unknown_or_refused_action_is_said_on_the_page(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    c = _client(people.fo_lutra)
    response = _act(c, app, action="terbang")
    assert response.status_code == 400 and "Aksi tidak dikenal." in response.content.decode()
    response = _act(c, app, action="process")  # the unit's step, not the front office's
    assert response.status_code == 403 and "tidak berwenang" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_the_errors_are_in_english_when_english_is_chosen(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    c = _client(people.pendma_lutra)
    c.cookies["django_language"] = "en"
    page = _page(_act(c, app, action="complete"))
    assert "Tick the confirmation to complete the application." in page
    assert "(required)" in page


def test_revealing_needs_the_reveal_form(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    c = _client(people.fo_lutra)
    page = c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert f'action="/petugas/permohonan/{app.tracking_code}/"' in page and 'name="reveal"' in page
    assert VALID_NIK not in c.post(f"/petugas/permohonan/{app.tracking_code}/", {"reveal": ""}).content.decode()
    assert PersonalDataAccess.objects.count() == 0
    assert VALID_NIK in c.post(f"/petugas/permohonan/{app.tracking_code}/", {"reveal": "True", "reason": "verify"}).content.decode()
    assert PersonalDataAccess.objects.count() == 1


def test_an_answer_to_a_field_renamed_since_is_still_shown(submit, people):  # type: ignore[no-untyped-def]
    """The catalogue renamed a form field after the citizen applied: the answer was kept in the
    application but the officer's page listed only the current fields, so it vanished from view."""
    app = submit()
    field = app.service.fields.get(name="nama_madrasah")
    answer = app.form_data["nama_madrasah"]
    field.name = "nama_lembaga"
    field.save(update_fields=["name"])
    page = html.unescape(_client(people.fo_lutra).get(f"/petugas/permohonan/{app.tracking_code}/").content.decode())
    assert "nama_madrasah (isian yang kini tidak ada di formulir)" in page and answer in page
