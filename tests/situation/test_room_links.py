"""The room lists items beyond what each reader may open: a headline leads to a complaint's or a
field report's desk page only for a reader that page lets in (it used to lead everyone there, to
a 404), and the IKM figure leads to the survey results only for those who read them (a 403)."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.feedback import reports
from satupintu.situation.internal import sync_reports
from satupintu.situation.models import Item
from tests.conftest import _staff

pytestmark = pytest.mark.django_db


def _room(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    page = client.get("/situasi/?provinsi=73")
    assert page.status_code == 200
    return page.content.decode()


def test_a_complaint_s_headline_links_only_for_those_who_may_open_it(people):
    from satupintu.organization.models import Role

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean legalisir lama sekali",
        text="Antrean legalisir di loket PTSP Luwu Utara memakan waktu tiga jam.", name="Budi",
        email="budi@contoh.id"))
    assert sync_reports() == 1
    item = Item.objects.get()
    link = f'href="/petugas/pengaduan/{report.tracking_code}/"'
    complaint_officer = _staff("pengaduan.lutra", "73.22", Role.COMPLAINT_OFFICER)
    assert link in _room(complaint_officer)
    outsider = people.kasi_pendma_lutra  # sees the room, not the complaint desk's report
    assert Client().get(f"/petugas/pengaduan/{report.tracking_code}/").status_code != 200
    page = _room(outsider)
    assert item.title[:40] in page and link not in page


def test_the_ikm_figure_links_only_for_readers_of_survey_results(people):
    from satupintu.organization.models import Role

    assert 'href="/petugas/skm/"' in _room(people.kakanwil_sulsel)
    inspector = _staff("irjen.sulsel", "73", Role.INSPECTORATE)  # reads the room, not the survey results
    page = _room(inspector)
    assert "IKM:" in page and 'href="/petugas/skm/"' not in page
