"""Dates the citizen gave on the form are written in a letter as the letter writes its own dates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import satupintu.documents
from satupintu.documents import rendering
from satupintu.services.applications import application_submit
from tests.conftest import valid_submission

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def test_a_research_permit_writes_its_period_in_words():
    sub = valid_submission(service="izin-penelitian")
    sub.fields.update(tanggal_mulai="2027-01-04", tanggal_selesai="2027-02-26")
    app, _ = application_submit(sub, now=datetime(2026, 12, 1, 9, tzinfo=WITA))
    shipped = json.loads((Path(satupintu.documents.__file__).parent / "data" / "templates.json").read_text())
    templates = shipped["templates"] if isinstance(shipped, dict) else shipped
    body = next(t["body"] for t in templates if t["service"] == "izin-penelitian")
    letter = rendering.fill(body, rendering.values_for(app, at=datetime(2026, 12, 2, 9, tzinfo=WITA)))
    assert "Waktu: 4 Januari 2027 s.d. 26 Februari 2027" in letter  # was "2027-01-04 s.d. 2027-02-26"
    assert "2027-01-04" not in letter
