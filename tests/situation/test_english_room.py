"""The Situation Room in English: what it stores as codes or Indonesian words (zones, dynamics,
an alert's summary, a worst regency's index) reads in the reader's language."""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from satupintu.situation import responses, warning
from satupintu.situation.models import AlertKind, Issue, ResponseKind
from tests.situation.test_responses import make_alert
from tests.situation.test_warning import field_report, item

pytestmark = pytest.mark.django_db


def english(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return lambda url: html.unescape(re.sub(r"\s+", " ", client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()))


def test_the_zone_map_counts_zones_by_their_english_names(client, people):
    for _ in range(3):
        item("73.22")
    field_report("73.22", people.bimas_lutra, urgency="high")
    warning.compute()
    page = english(client, people.kakanwil_sulsel)("/situasi/kewaspadaan/?provinsi=73")
    counts = re.search(r"Zone: (.*?)</p>", page).group(1)  # it read "hijau 23 · kuning 1"
    assert re.fullmatch(r"green \d+ · yellow 1 · red 0", counts), counts


def test_the_worst_regency_reads_its_index_as_english_writes_it(client, people):
    for _ in range(10):
        item("73.22")
    warning.compute()
    page = english(client, people.kakanwil_sulsel)("/situasi/kewaspadaan/73/")
    assert "Kabupaten Luwu Utara (30.0)" in page and "(30,0)" not in page


def test_dynamics_read_as_words_not_codes(client, people):
    now = timezone.now()
    issue = Issue.objects.create(title="Penolakan kegiatan", province_code="73", regency_code="73.22", provinces=["73"],
                                 regencies=["73.22"], item_count=5, negative_count=2, first_seen=now, last_seen=now,
                                 domain="keagamaan")
    read = english(client, people.kakanwil_sulsel)
    assert re.search(r'<option value="keagamaan"\s*>Religious</option>', read("/situasi/?provinsi=73"))
    assert "Dynamics: Religious" in read(f"/situasi/isu/{issue.pk}/")


def test_a_response_case_on_an_alert_is_titled_in_the_readers_language(people):
    from satupintu.organization.models import Office

    alert = make_alert()
    alert.kind, alert.details = AlertKind.NEGATIVE, {"text": "topic", "topic": "kerukunan", "where": "73.22", "count": 14,
                                                  "baseline": 0.0, "negative": True}
    alert.save()
    lutra = Office.objects.get(code="73.22")
    case = responses.open_case(alert, user=people.kakan_lutra, office=lutra, kind=ResponseKind.MEDIATION,
                               opener_offices=[lutra])
    with translation.override("en"):
        # It took the alert's stored Indonesian summary: "... butir negatif dalam 24 jam (biasanya 0,0)".
        assert responses.subject_title(case).startswith("Interreligious harmony in Kabupaten Luwu Utara: 14 negative items")
        assert "(usually 0.0)" in responses.subject_title(case)
    report = field_report("73.22", people.bimas_lutra)
    case = responses.open_case(report, user=people.kakan_lutra, office=lutra, kind=ResponseKind.FIELD_VISIT,
                               opener_offices=[lutra])
    with translation.override("en"):
        assert responses.subject_title(case).startswith("Field report: ")


def test_the_room_shows_times_in_the_zone_of_the_region_in_view(client, people):
    client.force_login(people.kakanwil_sulsel)
    sulsel = client.get("/situasi/?provinsi=73").content.decode()
    assert re.search(r"Diperbarui \d\d/\d\d/\d{4} \d\d\.\d\d WITA", sulsel)  # it read WIB for a Sulawesi head
    papua = client.get("/situasi/?provinsi=91").content.decode()
    assert re.search(r"Diperbarui \d\d/\d\d/\d{4} \d\d\.\d\d WIT\b", papua)
    country = client.get("/situasi/?provinsi=").content.decode()
    assert re.search(r"Diperbarui \d\d/\d\d/\d{4} \d\d\.\d\d WIB", country)


def test_an_alert_reads_in_its_places_time_on_every_page(client, people):
    # The room showed a Luwu Utara alert at 03.19 WITA, its own page and the early-warning pages at 02.19 WIB.
    for _ in range(3):
        item("73.22")
    field_report("73.22", people.bimas_lutra, urgency="high")
    warning.compute()
    alert = make_alert()
    client.force_login(people.kakanwil_sulsel)
    local = timezone.localtime(alert.created_at, timezone=ZoneInfo("Asia/Makassar"))
    page = client.get(f"/situasi/peringatan/{alert.pk}/").content.decode()
    assert f"{local:%d/%m/%Y %H.%M} WITA" in page and " WIB" not in page
    assert f"{local:%d/%m %H.%M} WITA" in client.get("/situasi/peringatan/").content.decode()
    for url in ("/situasi/kewaspadaan/73/", "/situasi/kewaspadaan/73.22/", "/situasi/kewaspadaan/?provinsi=73"):
        page = client.get(url).content.decode()
        assert re.search(r"\d\d/\d\d/\d{4} \d\d\.\d\d WITA", page) and " WIB" not in page, url


def test_an_issue_page_gives_times_in_its_provinces_zone(client, people):
    """As the room of that region does: a Sulawesi issue read "21.29 WIB" beside the room's "22.29 WITA"."""
    from datetime import datetime
    from datetime import timezone as tz

    seen = datetime(2026, 12, 5, 14, 29, tzinfo=tz.utc)  # 22.29 WITA, 21.29 WIB
    issue = Issue.objects.create(title="Penolakan kegiatan", province_code="73", regency_code="73.22", provinces=["73"],
                                 regencies=["73.22"], item_count=1, negative_count=1, first_seen=seen, last_seen=seen,
                                 domain="keagamaan")
    page = english(client, people.kakanwil_sulsel)(f"/situasi/isu/{issue.pk}/")
    assert "22:29 WITA" in page and "WIB" not in page
