"""Two identical applications sent at the same moment (a double tap in a phone app, no
Idempotency-Key): one application, and the other send is told its tracking code (409)."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from satupintu.services import applications
from satupintu.services.models import Application
from tests.concurrency import at_once
from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _form() -> dict:  # type: ignore[type-arg]
    return {"service": "legalisir-ijazah-madrasah", "office": "73.22", "name": "Andi Rahmawati", "nik": VALID_NIK,
            "phone": VALID_PHONE, "nama_madrasah": "MAN 1 Luwu Utara", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "3", "ijazah_asli": upload("asli.pdf", pdf_bytes()),
            "fotokopi_ijazah": upload("fc.pdf", pdf_bytes()), "ktp": upload("ktp.pdf", pdf_bytes())}


def test_two_identical_sends_at_once_make_one_application(monkeypatch):  # type: ignore[no-untyped-def]
    # The worst interleaving, made certain rather than left to chance: each send has looked for a
    # duplicate (and found none) before either saves. The real look runs; only its first call in
    # each thread waits at the barrier (the look in turn, inside the transaction, does not).
    barrier = threading.Barrier(2, timeout=30)
    looked = threading.local()
    real = applications._find_duplicate

    def look(checked, now):  # type: ignore[no-untyped-def]
        found = real(checked, now)
        if not getattr(looked, "once", False):
            looked.once = True
            barrier.wait()
        return found

    monkeypatch.setattr(applications, "_find_duplicate", look)

    def send() -> tuple[int, dict]:  # type: ignore[type-arg]
        response = Client().post("/api/v1/applications", _form())
        return response.status_code, response.json()

    answers = at_once(send)
    assert sorted(code for code, _ in answers) == [201, 409]
    [app] = Application.objects.filter(nik=VALID_NIK)
    refused = next(body for code, body in answers if code == 409)
    assert refused["code"] == "duplicate_submission" and app.tracking_code in refused["message"]
