"""Text in, understood, stored, grouped: feeds on schedule from a local fake site, near-
duplicates across sources, issues that form and that officers reshape, internal reports."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from satupintu.feedback import reports
from satupintu.situation import issues
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.internal import sync_reports
from satupintu.situation.models import FetchLog, Issue, IssueStatus, Item, Source, SourceKind
from satupintu.situation.store import save_raw_items
from satupintu.situation.tasks import fetch_due_sources
from tests.situation.fakeserver import FakeSite

pytestmark = pytest.mark.django_db

BOGOR = ("Sekelompok warga Kabupaten Bogor menolak pendirian rumah ibadah di Desa Cibodas dan menggelar unjuk rasa "
         "di depan kantor desa. FKUB Kabupaten Bogor bersama Kantor Kementerian Agama Kabupaten Bogor memediasi "
         "warga dan panitia pembangunan agar kerukunan tetap terjaga. Mediasi dijadwalkan berlanjut pekan depan.")


@pytest.fixture
def site():
    with FakeSite() as s:
        yield s


@pytest.fixture
def quick_fetcher(settings):
    settings.SITUATION_FETCH_HOST_INTERVAL = 0.01
    settings.SITUATION_FETCH_READ_TIMEOUT = 2.0


def test_feeds_are_ingested_on_schedule_and_a_broken_source_does_not_stop_the_others(site, quick_fetcher):
    assert settings.CELERY_BEAT_SCHEDULE["situation-fetch"]["task"] == "satupintu.situation.tasks.fetch_due_sources"
    rss = Source.objects.create(name="Kanwil Sulsel", kind=SourceKind.FEED, url=site.url("/feed.rss"))
    broken = Source.objects.create(name="Rusak", kind=SourceKind.FEED, url=site.url("/error"))
    atom = Source.objects.create(name="Kanwil Jateng", kind=SourceKind.FEED, url=site.url("/feed.atom"))

    result = fetch_due_sources()  # what beat runs

    assert result["ok"] == 2 and result["failed"] == 1 and result["items"] >= 3
    stored = Item.objects.filter(source=rss)
    assert stored.count() == 2
    haji = stored.get(title__icontains="haji")
    assert "haji-umrah" in haji.topics and haji.language == "id" and haji.issue_id
    assert Item.objects.filter(source=atom).exists()
    broken.refresh_from_db()
    assert broken.consecutive_failures == 1 and "500" in broken.last_error
    assert broken.next_fetch_at > timezone.now()
    assert FetchLog.objects.get(source=rss).new_items == 2

    # Due again: the feed answers 304 to our conditional GET, nothing is stored twice.
    Source.objects.filter(pk__in=[rss.pk, atom.pk]).update(next_fetch_at=timezone.now() - timedelta(seconds=1))
    again = fetch_due_sources()
    assert again["items"] == 0
    assert site.seen("/feed.rss")[-1].headers.get("if-none-match")
    assert Item.objects.filter(source=rss).count() == 2
    # Not due: not fetched.
    before = len(site.seen("/feed.rss"))
    fetch_due_sources()
    assert len(site.seen("/feed.rss")) == before


def test_a_story_copied_by_another_site_is_a_duplicate_in_the_same_issue():
    a = Source.objects.create(name="A", kind=SourceKind.SOCIAL)
    b = Source.objects.create(name="B", kind=SourceKind.SOCIAL)
    now = timezone.now()
    [first] = save_raw_items(a, [RawItem("1", BOGOR, title="Warga tolak rumah ibadah", published_at=now)])
    [copy] = save_raw_items(b, [RawItem("x", BOGOR + " Berita ini juga tayang di portal kami.",
                                        title="Warga Bogor tolak rumah ibadah", published_at=now)])
    assert copy.duplicate_of_id == first.pk
    assert copy.issue_id == first.issue_id
    assert first.province_code == "32" and first.regency_code == "32.01"
    # Stored once per source: the same id again adds nothing.
    assert save_raw_items(a, [RawItem("1", BOGOR, published_at=now)]) == []


def test_related_reports_form_one_issue_and_officers_can_reshape_it():
    src = Source.objects.create(name="S", kind=SourceKind.SOCIAL)
    now = timezone.now()
    texts = [
        BOGOR,
        "Mediasi penolakan rumah ibadah di Kabupaten Bogor kembali digelar. FKUB Kabupaten Bogor menghadirkan warga "
        "dan panitia pembangunan rumah ibadah; Kementerian Agama meminta semua pihak menjaga kerukunan.",
        "Bupati Bogor meminta polemik pendirian rumah ibadah di Cibodas diselesaikan lewat FKUB. Kerukunan warga "
        "Kabupaten Bogor harus dijaga, kata bupati usai rapat bersama Kementerian Agama.",
    ]
    items = [save_raw_items(src, [RawItem(str(i), t, published_at=now - timedelta(hours=5 - i))])[0]
             for i, t in enumerate(texts)]
    other = save_raw_items(src, [RawItem("m", "Madrasah di Kota Makassar meraih juara olimpiade sains. Siswa madrasah "
                                              "dan guru madrasah mendapat penghargaan dari Kementerian Agama Kota "
                                              "Makassar atas prestasi pendidikan itu.", published_at=now)])[0]
    issue_ids = {i.issue_id for i in items}
    assert len(issue_ids) == 1 and other.issue_id not in issue_ids
    issue = Issue.objects.get(pk=issue_ids.pop())
    assert issue.item_count == 3 and "32" in issue.provinces and "kerukunan" in issue.topics

    new = issues.split(issue, [items[2].pk], "Sikap bupati")
    issue.refresh_from_db()
    assert (issue.item_count, new.item_count, new.title) == (2, 1, "Sikap bupati")
    merged = issues.merge(new, issue)
    new.refresh_from_db()
    assert merged.item_count == 3 and new.status == IssueStatus.MERGED and new.merged_into_id == issue.pk
    issues.rename(issue, "Polemik rumah ibadah Cibodas")
    issues.close(issue)
    issue.refresh_from_db()
    assert issue.title_locked and issue.status == IssueStatus.CLOSED
    # A closed issue takes no new items: the next report starts a new issue.
    later = save_raw_items(src, [RawItem("z", texts[1] + " Warga berharap segera selesai.", published_at=now)])[0]
    assert later.issue_id != issue.pk


def test_complaints_and_aspirations_come_in_masked_and_placed_at_their_office():
    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean legalisir lama",
        text="Saya antre tiga jam untuk legalisir ijazah, NIK saya 7322015708900001, hubungi 081234567890.",
        name="Andi", phone="081234567890"))
    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Rahasia", text="Ini rahasia sekali, jangan disebarkan.", name="Budi",
        confidential=True))
    with translation.override("en"):  # called where English is active: stored in the room's language still
        assert sync_reports() == 1
    item = Item.objects.get(source__kind=SourceKind.INTERNAL)
    assert item.province_code == "73" and item.regency_code == "73.22" and item.author == "Pengaduan"
    assert "7322015708900001" not in item.text and "081234567890" not in item.text and "[NIK]" in item.text
    assert sync_reports() == 0  # nothing twice


def test_the_rooms_own_sources_exist_once():
    """Two first verifications at once made two field sources; every later verification then failed
    (MultipleObjectsReturned). The database refuses the second, and get_or_create finds the first."""
    from django.db import IntegrityError, transaction

    from satupintu.field.room import field_source
    from satupintu.situation.internal import internal_source

    for make in (internal_source, field_source):
        first = make()
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.create(name="Salinan", kind=first.kind)
        assert make() == first
    Source.objects.create(name="Berita A", kind=SourceKind.FEED, url="https://a.example/rss")
    Source.objects.create(name="Berita B", kind=SourceKind.FEED, url="https://b.example/rss")  # others: many
