"""What a leader reads in the room: one issue's counts agree with each other, times carry their
zone, topics have names, and every headline leads somewhere."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.situation.models import Item, Source, SourceKind
from tests.situation.test_room_views import plant, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(db) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL)


def _issue_line(page: str, issue_pk: int) -> str:
    start = page.index(f'href="/situasi/isu/{issue_pk}/"')
    return html.unescape(page[start:page.index("</li>", start)])


def test_an_issue_counts_the_same_items_for_its_size_and_its_tone(client, people, news):  # type: ignore[no-untyped-def]
    issue = plant(news)
    # Part of the story is older than the week the room shows.
    old = list(issue.items.order_by("id")[:3])
    Item.objects.filter(pk__in=[i.pk for i in old]).update(published_at=timezone.now() - timedelta(days=40))
    week = issue.items.filter(published_at__gt=timezone.now() - timedelta(days=7))
    in_week, negative_in_week = week.count(), week.filter(sentiment="negative").count()
    issue.refresh_from_db()
    assert negative_in_week <= in_week < issue.item_count  # the corpus tells the counts apart

    client.force_login(people.kakanwil_sulsel)
    line = _issue_line(client.get("/situasi/?provinsi=32").content.decode(), issue.pk)
    expected = f"Periode ini: {in_week} butir, {negative_in_week} negatif (seluruhnya {issue.item_count})"
    assert re.sub(r"<[^>]+>", "", line).count(expected) == 1, line


def test_times_say_their_zone_and_topics_their_name(client, people, news):  # type: ignore[no-untyped-def]
    issue = plant(news)
    client.force_login(people.kakanwil_sulsel)
    room = client.get("/situasi/?provinsi=32").content.decode()
    latest = section(client.get("/situasi/?provinsi=32"), "latest-title")
    assert re.search(r"\d\d/\d\d \d\d\.\d\d WIB", latest)
    assert "Kerukunan umat beragama" in room and ">kerukunan<" not in room
    page = client.get(f"/situasi/isu/{issue.pk}/").content.decode()
    assert re.search(r"\d\d/\d\d/\d{4} \d\d\.\d\d WIB", page)
    assert '<span class="badge">Kerukunan umat beragama</span>' in page
    client.cookies["django_language"] = "en"
    assert "Interreligious harmony" in client.get("/situasi/?provinsi=32").content.decode()


def test_a_complaint_headline_leads_to_the_complaint(client, people):  # type: ignore[no-untyped-def]
    from satupintu.feedback import reports
    from satupintu.situation.internal import sync_reports

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Pungutan di loket KUA Masamba",
        text="Warga mengeluhkan pungutan biaya nikah di loket KUA Masamba, Kabupaten Luwu Utara.", name="Budi",
        email="budi@contoh.id"))
    assert sync_reports() == 1
    client.force_login(people.kakanwil_sulsel)  # the Kanwil's head may open the complaints of the offices below
    latest = section(client.get("/situasi/?provinsi=73"), "latest-title")
    assert f'<a href="/petugas/pengaduan/{report.tracking_code}/" rel="noopener noreferrer">Pungutan di loket KUA ' \
        'Masamba</a>' in latest
