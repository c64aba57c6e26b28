"""Files kept across form errors are capped per client address, not only per session: a script
that drops its cookie gets a new session with every post, and its failed posts are not
applications, so neither the session cap nor APPLICATIONS_PER_CLIENT stopped it from keeping
three files a post (up to 30 MB) for two hours, post after post."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.core import ratelimit
from satupintu.services import upload_stash
from satupintu.services.models import Application, UploadStash
from tests.conftest import VALID_NIK, pdf_bytes, upload

pytestmark = pytest.mark.django_db
URL = "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22"
NOT_KEPT = "Berkas yang Anda pilih belum dapat disimpan sementara. Pilih lagi berkasnya sebelum mengirim."


def _broken_form(n: int) -> dict:  # type: ignore[type-arg]
    """A form with a wrong NIK and three good PDFs: refused, its files kept for the next try."""
    return {"office": "73.22", "submission_key": f"form-{n}", "name": "Andi", "nik": "123", "phone": "081234567890",
            "email": "andi@contoh.id", "nama_madrasah": "MAN 1", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "2", "ijazah_asli": upload("ijazah.pdf", pdf_bytes(f"ijazah {n}")),
            "fotokopi_ijazah": upload("fotokopi.pdf", pdf_bytes(f"fotokopi {n}")),
            "ktp": upload("ktp.pdf", pdf_bytes(f"ktp {n}"))}


def test_cookieless_posts_from_one_address_cannot_keep_files_without_end():
    cap = ratelimit.UPLOAD_STASH_PER_CLIENT.limit
    assert cap > upload_stash.MAX_PER_SESSION  # a person with two tries' worth of sessions is not affected
    posts = cap // 3 + 2  # three files a post: past the cap
    for n in range(posts):
        response = Client(REMOTE_ADDR="203.0.113.7").post(URL, _broken_form(n))  # a new session each time
        assert response.status_code == 400
        page = response.content.decode()
        assert "NIK harus terdiri dari 16 angka." in page
        if n < cap // 3:
            assert "Berkas tersimpan: <strong>ktp.pdf</strong>" in page and NOT_KEPT not in page
    # nothing more than the cap is kept for that address; the last form says to pick the files again
    assert UploadStash.objects.count() == cap
    assert NOT_KEPT in page and "Berkas tersimpan" not in page
    assert Application.objects.count() == 0
    # another address is not affected
    other = Client(REMOTE_ADDR="198.51.100.8").post(URL, _broken_form(999))
    assert other.status_code == 400 and "Berkas tersimpan: <strong>ktp.pdf</strong>" in other.content.decode()
    assert UploadStash.objects.count() == cap + 3


def test_the_capped_person_can_still_apply_by_picking_the_files_again():
    for n in range(ratelimit.UPLOAD_STASH_PER_CLIENT.limit // 3):
        Client(REMOTE_ADDR="203.0.113.9").post(URL, _broken_form(n))
    c = Client(REMOTE_ADDR="203.0.113.9")
    refused = c.post(URL, _broken_form(500))
    assert refused.status_code == 400 and NOT_KEPT in refused.content.decode()
    fixed = c.post(URL, {**_broken_form(500), "nik": VALID_NIK})  # the NIK fixed, the files picked again
    assert fixed.status_code == 302, fixed.content.decode()
    assert Application.objects.get().documents.count() == 3
