"""Assisted mode at the PTSP desk: an officer files for a citizen who cannot do it alone, with the
citizen's consent; the code goes to the citizen's phone, and the citizen claims it later."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from satupintu.core.errors import Forbidden
from satupintu.notifications.models import OutboxMessage
from satupintu.services.applications import application_submit
from satupintu.services.models import Application
from satupintu.whatsapp.models import Message
from satupintu.whatsapp.outbound import record_opt_in
from tests.citizen.conftest import PHONE, claim, login
from tests.conftest import VALID_NIK, upload, valid_submission

pytestmark = pytest.mark.django_db

SERVICE = "legalisir-ijazah-madrasah"
FORM = f"/petugas/bantu/?office=73.22&layanan={SERVICE}"


def _desk(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _post(c: Client, **overrides):  # type: ignore[no-untyped-def]
    page = c.get(FORM).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"office": "73.22", "layanan": SERVICE, "submission_key": key, "consent": "on", "name": "Andi",
            "nik": VALID_NIK, "phone": "0812 3456 7890", "email": "andi@contoh.id", "nama_madrasah": "MAN 1",
            "jenjang": "MA", "tahun_lulus": "2015", "jumlah_lembar": "2", "ijazah_asli": upload("a.pdf"),
            "fotokopi_ijazah": upload("b.pdf"), "ktp": upload("c.pdf")}
    data.update(overrides)
    return c.post("/petugas/bantu/", {k: v for k, v in data.items() if v is not None})


def test_front_office_files_for_a_citizen_and_the_code_goes_by_sms(people):
    c = _desk(people.fo_lutra)
    pick = c.get("/petugas/bantu/").content.decode()
    assert "Bantu warga mengajukan" in pick and f'value="{SERVICE}"' in pick
    form = c.get(FORM).content.decode()
    assert "Warga menyetujui petugas mengisi atas namanya" in form and 'id="f-consent"' in form
    c.cookies["django_language"] = "en"
    assert "The citizen agrees to the officer filling this in on their behalf" in c.get(FORM).content.decode()
    c.cookies["django_language"] = "id"
    response = _post(c)
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petugas/bantu/{app.tracking_code}/"
    # marked assisted, filed with the citizen's phone, never held by the officer's account
    assert app.assisted_by == people.fo_lutra and app.user is None and app.phone == PHONE
    submit = app.events.get(action="submit")
    assert submit.note == "Diajukan dibantu petugas Kantor Kementerian Agama Kabupaten Luwu Utara."
    assert submit.actor == people.fo_lutra
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.recipient == PHONE and app.tracking_code in sms.body and sms.application_id == app.pk
    assert OutboxMessage.objects.filter(channel="email", recipient="andi@contoh.id").exists()
    done = c.get(response["Location"]).content.decode()
    assert app.tracking_code in done and "lewat SMS" in done and "bukti.pdf" in done
    pdf = c.get(f"/petugas/bantu/{app.tracking_code}/bukti.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    queue = c.get("/petugas/").content.decode()
    assert 'class="badge assisted"' in queue and ">dibantu<" in queue
    # the citizen's timeline says so too (the officer is "Petugas", not named)
    citizen = Client()
    citizen.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    track = citizen.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Diajukan dibantu petugas" in track


def test_consent_is_required(people):
    c = _desk(people.fo_lutra)
    response = _post(c, consent=None)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#f-consent"' in page and "persetujuan" in page.lower()
    assert 'value="Andi"' in page  # typed values kept
    assert not Application.objects.exists() and not OutboxMessage.objects.filter(channel="sms").exists()
    # the file already scanned is kept: the second try needs only the tick
    again = _post(c, consent="on", ijazah_asli=None, fotokopi_ijazah=None, ktp=None,
                  submission_key=re.search(r'name="submission_key" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    assert again.status_code == 302 and Application.objects.get().assisted_by == people.fo_lutra


def test_head_of_office_may_too(people):
    assert _post(_desk(people.kakan_lutra)).status_code == 302
    assert Application.objects.get().assisted_by == people.kakan_lutra


def test_unit_officers_other_offices_and_citizens_may_not(people):
    assert _desk(people.pendma_lutra).get("/petugas/bantu/").status_code == 403
    assert _desk(people.kasi_pendma_lutra).get(FORM).status_code == 403
    assert _desk(people.fo_makassar).get(FORM).status_code == 403  # another office's desk
    assert _desk(people.outsider).get("/petugas/bantu/").status_code == 403
    assert Client().get("/petugas/bantu/")["Location"].startswith("/masuk/")
    # the domain function is the authority, whatever calls it
    with pytest.raises(Forbidden):
        application_submit(valid_submission(assisted_by=people.pendma_lutra, assisted_consent=True))
    with pytest.raises(Forbidden):
        application_submit(valid_submission(assisted_by=people.fo_makassar, assisted_consent=True))
    assert not Application.objects.exists()


def test_code_goes_by_whatsapp_when_the_phone_opted_in(people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    record_opt_in(PHONE.lstrip("+"), source="test")
    assert _post(_desk(people.fo_lutra)).status_code == 302
    app = Application.objects.get()
    message = Message.objects.get(kind="template", wa_id=PHONE.lstrip("+"))
    assert message.payload["template"]["name"] == "satupintu_assisted_receipt"
    assert message.payload["template"]["components"][0]["parameters"][0]["text"] == app.tracking_code
    assert message.application_id == app.pk
    assert not OutboxMessage.objects.filter(channel="sms").exists()


def test_the_citizen_claims_it_later_and_sees_it_on_beranda(people, citizen):
    assert _post(_desk(people.fo_lutra)).status_code == 302
    app = Application.objects.get()
    c = login(citizen)
    assert app.tracking_code not in c.get("/akun/").content.decode()
    claim(c)  # the phone proved with a code: the desk's application becomes theirs
    app.refresh_from_db()
    assert app.user == citizen and app.assisted_by == people.fo_lutra
    assert app.tracking_code in c.get("/akun/").content.decode()
