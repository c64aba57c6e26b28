"""The room's filters as a reader meets them: the day an item counts on in the region's own zone,
the map's measure kept while drilling down, and the filter problems and 403 reasons in English."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from satupintu.situation.models import Issue, Item, Source, SourceKind, topics_mask

pytestmark = pytest.mark.django_db


def test_the_trend_counts_a_papua_item_on_its_own_day_in_wit(client, people):
    wit = ZoneInfo("Asia/Jayapura")
    local = timezone.now().astimezone(wit)
    # 00:30 WIT two days ago: 22:30 WIB the day before, the day the chart used to count it on.
    when = local.replace(hour=0, minute=30, second=0, microsecond=0) - timedelta(days=2)
    source = Source.objects.create(name="Kabar Papua", kind=SourceKind.FEED)
    Item.objects.create(source=source, external_id="x1", title="Ketegangan di Jayapura", text="Ketegangan.",
                        url="https://kabar.example/1", published_at=when, province_code="91",
                        topics=["kerukunan"], topics_mask=topics_mask(["kerukunan"]), sentiment="negative")
    client.force_login(people.kakanwil_sulsel)
    chart = client.get("/situasi/?provinsi=91&hari=7").context["chart"]
    counted = [(c["label"], c["value"]) for s in chart["series"] for c in s["coords"] if c["value"]]
    assert counted == [(when.strftime("%d/%m"), 1)]


def test_drilling_down_the_negative_share_map_keeps_the_measure(client, people):
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?provinsi=73&ukuran=negatif")
    assert response.context["map"]["measure"] == "negative"
    links = [region["link"] for region in response.context["map"]["regions"]]
    assert links and all("ukuran=negatif" in link for link in links)
    assert "ukuran=negatif" in response.context["parent_query"]  # back to Indonesia, same measure
    assert "ukuran" not in response.context["measure_volume"]
    drilled = client.get("/situasi/?" + links[0])
    assert drilled.context["map"]["measure"] == "negative"
    assert client.get("/situasi/?provinsi=73&ukuran=apa").context["map"]["measure"] == "volume"


def _english(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies["django_language"] = "en"


def test_the_filter_problems_read_in_english(client, people):
    _english(client, people.kakanwil_sulsel)
    page = html.unescape(client.get("/situasi/?hari=5&topik=zzz&kabkota=99.99&sumber=999999").content.decode())
    shown = re.findall(r'<p class="error" role="alert">(.*?)</p>', page)
    assert shown == ["Unknown period; showing 7 days.", "Unknown regency or city.", "Unknown topic.",
                     "Unknown source."]


def test_the_reason_for_a_403_reads_in_english(client, people):
    now = timezone.now()
    issue = Issue.objects.create(title="Isu Jawa Tengah", province_code="33", regency_code="33.01",
                                 provinces=["33"], regencies=["33.01"], item_count=2, negative_count=1,
                                 first_seen=now, last_seen=now)
    _english(client, people.kakan_lutra)
    response = client.post(f"/situasi/isu/{issue.pk}/aksi/", {"action": "close"})
    assert response.status_code == 403
    assert "You can follow up issues and alerts only in your office&#x27;s region." in response.content.decode()


def test_paging_the_alerts_keeps_assigned_to_me(client, people):
    from satupintu.situation.models import Alert, AlertKind

    now = timezone.now()
    for n in range(40):
        Alert.objects.create(kind=AlertKind.ISSUE, province_code="73", regency_code="73.22", window_start=now,
                             window_end=now, count=9, baseline=1.0, score=5.0, summary=f"A{n}", key=f"k{n}",
                             assigned_to=people.kakan_lutra if n < 35 else None)
    client.force_login(people.kakan_lutra)
    first = client.get("/situasi/peringatan/?saya=1&status=open").content.decode()
    following = re.search(r'<a href="(\?[^"]*)" aria-label="Berikutnya">', first).group(1).replace("&amp;", "&")
    assert "saya=1" in following and "hal=2" in following
    second = client.get("/situasi/peringatan/" + following).content.decode()
    shown = re.findall(r">(A\d+)</a>", first) + re.findall(r">(A\d+)</a>", second)
    assert sorted(shown, key=lambda a: int(a[1:])) == [f"A{n}" for n in range(35)]  # each of mine once, no other


def test_two_issues_with_the_same_headline_are_told_apart_by_place_and_dates(client, people):
    now = timezone.now()
    source = Source.objects.create(name="Kabar Sulsel", kind=SourceKind.FEED)
    for n, (regency, days_ago) in enumerate((("73.71", 9), ("73.73", 1))):
        seen = now - timedelta(days=days_ago)
        issue = Issue.objects.create(title="KUA gelar bimbingan perkawinan", province_code="73", regency_code=regency,
                                     provinces=["73"], regencies=[regency], item_count=1, first_seen=seen,
                                     last_seen=now - timedelta(hours=n + 1))
        Item.objects.create(source=source, external_id=f"bimwin-{n}", title="KUA gelar bimbingan perkawinan",
                            text="Bimbingan perkawinan.", url=f"https://kabar.example/{n}",
                            published_at=now - timedelta(hours=n + 1), province_code="73", regency_code=regency,
                            issue=issue)
    client.force_login(people.kakanwil_sulsel)
    page = html.unescape(client.get("/situasi/?provinsi=73").content.decode())
    lines = re.findall(r'<li><a href="/situasi/isu/\d+/">KUA gelar bimbingan perkawinan</a>\s*<div class="meta">(.*?)</div>',
                       page, re.S)
    assert len(lines) == 2
    wita = ZoneInfo("Asia/Makassar")
    assert "Kota Makassar · " + f"{(now - timedelta(days=9)).astimezone(wita):%d/%m}–" in lines[0] + lines[1]
    assert "Kota Palopo · " + f"{(now - timedelta(days=1)).astimezone(wita):%d/%m}–" in lines[0] + lines[1]
