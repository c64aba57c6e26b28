"""Tell us once: papers kept in Berkas saya, offered on apply forms per requirement with the
citizen's consent each time; the profile pre-fills the form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from satupintu.citizen.models import LockerDocument
from satupintu.services.models import Application
from tests.citizen.conftest import login
from tests.conftest import VALID_NIK, pdf_bytes, upload

pytestmark = pytest.mark.django_db

FORM = "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22"


def _apply(c: Client, **overrides):  # type: ignore[no-untyped-def]
    page = c.get(FORM).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"office": "73.22", "submission_key": key, "name": "Andi", "nik": VALID_NIK, "phone": "081234567890",
            "email": "andi@contoh.id", "nama_madrasah": "MAN 1", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "2", "ijazah_asli": upload("a.pdf"), "fotokopi_ijazah": upload("b.pdf")}
    data.update(overrides)
    return c.post(FORM, {k: v for k, v in data.items() if v is not None})


def test_papers_are_kept_checked_and_replaced(citizen):
    assert Client().get("/akun/berkas/")["Location"].startswith("/masuk/")
    c = login(citizen)
    page = c.get("/akun/berkas/").content.decode()
    assert "Berkas saya" in page and 'id="id_kind"' in page
    c.cookies["django_language"] = "en"
    assert "My documents" in c.get("/akun/berkas/").content.decode()
    c.cookies["django_language"] = "id"
    bad = c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp.pdf", b"bukan pdf", "application/pdf")})
    assert bad.status_code == 400 and 'href="#id_file"' in bad.content.decode()
    missing = c.post("/akun/berkas/", {"kind": ""})
    assert missing.status_code == 400 and 'href="#id_kind"' in missing.content.decode()
    assert c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp-lama.pdf")}).status_code == 302
    assert c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp.pdf", pdf_bytes("KTP baru"))}).status_code == 302
    doc = LockerDocument.objects.get(user=citizen)  # one per kind: the newer replaced the older
    assert doc.original_name == "ktp.pdf" and doc.file.name.startswith(f"locker/{citizen.pk}/")
    assert "ktp.pdf" in c.get("/akun/berkas/").content.decode()
    assert c.post(f"/akun/berkas/{doc.pk}/hapus/").status_code == 302
    assert not LockerDocument.objects.exists()


def test_papers_leave_the_disk_with_their_rows_also_when_the_account_is_deleted(citizen, django_capture_on_commit_callbacks):
    """ASVS 8.3: a KTP scan does not outlive its row: replaced, removed, or with the whole account."""
    c = login(citizen)
    c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp-lama.pdf")})
    first = LockerDocument.objects.get(user=citizen).file
    storage, first_name = first.storage, first.name
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp.pdf", pdf_bytes("KTP baru"))})
        c.post("/akun/berkas/", {"kind": "kk", "file": upload("kk.pdf", pdf_bytes("KK"))})
    assert not storage.exists(first_name)  # replaced
    kept = [d.file.name for d in LockerDocument.objects.filter(user=citizen)]
    assert len(kept) == 2 and all(storage.exists(n) for n in kept)
    with django_capture_on_commit_callbacks(execute=True):
        citizen.delete()
    assert not LockerDocument.objects.exists() and not any(storage.exists(n) for n in kept)


def test_apply_form_offers_the_paper_and_sends_it_only_when_ticked(citizen):
    c = login(citizen)
    c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp-saya.pdf", pdf_bytes("KTP Andi"))})
    form = c.get(FORM).content.decode()
    assert "Pakai dari berkas saya: ktp-saya.pdf" in form and 'name="pakai_ktp"' in form
    # the profile pre-fills the form (name and e-mail of the account)
    assert 'value="Andi"' in form and 'value="andi@contoh.id"' in form
    # not ticked and no file: the requirement is still missing
    refused = _apply(c)
    assert refused.status_code == 400 and "belum diunggah" in refused.content.decode()
    assert not Application.objects.exists()
    sent = _apply(c, pakai_ktp="on")
    assert sent.status_code == 302, sent.content.decode()[:3000]
    app = Application.objects.get()
    ktp = app.documents.get(requirement_code="ktp")
    assert ktp.original_name == "ktp-saya.pdf" and ktp.sha256 == LockerDocument.objects.get().sha256
    assert ktp.file.name != LockerDocument.objects.get().file.name  # the application keeps its own copy


def test_a_file_picked_now_wins_and_another_account_papers_are_never_offered(citizen, stranger):
    login(stranger).post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp-orang-lain.pdf")})
    c = login(citizen)
    assert "pakai_ktp" not in c.get(FORM).content.decode()
    # a forged box names nothing of this account: the requirement is still missing
    assert _apply(c, pakai_ktp="on").status_code == 400
    c.post("/akun/berkas/", {"kind": "ktp", "file": upload("ktp-saya.pdf", pdf_bytes("KTP Andi"))})
    assert _apply(c, pakai_ktp="on", ktp=upload("ktp-baru.pdf", pdf_bytes("KTP hari ini"))).status_code == 302
    assert Application.objects.get().documents.get(requirement_code="ktp").original_name == "ktp-baru.pdf"


def test_anonymous_and_staff_forms_offer_no_locker(people):
    assert "pakai_" not in Client().get(FORM).content.decode()
    staff = Client()
    staff.force_login(people.fo_lutra)
    assert "pakai_" not in staff.get(FORM).content.decode()


def test_profile_prefills_a_proven_phone_and_the_last_nik(citizen, submit):
    from satupintu.citizen.models import VerifiedPhone

    submit(user=citizen)
    VerifiedPhone.objects.create(user=citizen, phone="+6281298765432")
    form = login(citizen).get(FORM).content.decode()
    assert f'value="{VALID_NIK}"' in form and 'value="+6281298765432"' in form
