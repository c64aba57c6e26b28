"""A complaint sent twice at the same moment (a double tap on a slow phone): one report, and the
other send is told it was received already (409)."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from satupintu.feedback import reports
from satupintu.feedback.models import Report
from tests.concurrency import at_once, meet_after

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FORM = {"kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Antrean lama",
        "text": "Antrean legalisir di loket PTSP memakan waktu tiga jam pada hari Senin pagi.", "name": "Budi"}


def test_two_identical_complaints_at_once_make_one_report(monkeypatch):  # type: ignore[no-untyped-def]
    # The worst interleaving, made certain: both sends reach the office's calendar (read after the
    # duplicate look when that look stood before the transaction) before either saves.
    barrier = threading.Barrier(2, timeout=30)
    seen = threading.local()
    real = reports.WorkingCalendar.for_office.__func__  # type: ignore[attr-defined]

    def for_office(cls, office):  # type: ignore[no-untyped-def]
        if not getattr(seen, "once", False):
            seen.once = True
            barrier.wait()
        return real(cls, office)

    monkeypatch.setattr(reports.WorkingCalendar, "for_office", classmethod(for_office))
    answers = at_once(lambda: Client().post("/api/v1/reports", FORM).status_code)
    assert sorted(answers) == [201, 409]
    assert Report.objects.count() == 1


def test_the_same_information_sent_twice_at_once_is_added_once(monkeypatch):  # type: ignore[no-untyped-def]
    # Both sends have their file checked before either looks for an earlier copy.
    from satupintu.services import uploads
    from tests.conftest import pdf_bytes, upload

    report = reports.report_submit(reports.ReportSubmission(**{k: v for k, v in FORM.items()}))
    meet_after(monkeypatch, uploads, "check_upload")
    url = f"/pengaduan/{report.tracking_code}/tambah/"
    answers = at_once(lambda: Client().post(url, {"text": "Foto antrean hari Selasa.",
                                                  "files": [upload("antrean.pdf", pdf_bytes("a"))]}).status_code)
    assert answers == [302, 302]
    assert report.events.filter(action="add_info").count() == 1
    assert report.attachments.count() == 1
