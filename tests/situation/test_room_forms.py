"""The Situation Room's forms on Django's forms framework (issue #11, "one way to handle forms").

Whatever an officer sends (a bad id, an unknown choice, a word where a number belongs), the page
comes back with the error summary linking to the field, 400 (or the domain error's status),
what was typed still there, and nothing changed; never a 500. An alert is only ever assigned to
a colleague who may act on it.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.core.errors import DomainError
from satupintu.situation import trends
from satupintu.situation.models import (
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    BriefSubscription,
    ImportJob,
    Issue,
    Item,
    Source,
    SourceKind,
)
from tests.situation.test_room_views import plant, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def spike(db) -> Issue:  # type: ignore[no-untyped-def]
    issue = plant(Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL))
    trends.detect()
    return issue


def field_tag(response, element_id: str) -> str:  # type: ignore[no-untyped-def]
    """The <input>, <select> or <textarea> with this id."""
    return re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', response.content.decode()).group(0)


def label(response, element_id: str) -> str:  # type: ignore[no-untyped-def]
    return re.search(rf'<label for="{element_id}">(.*?)</label>', response.content.decode(), re.S).group(1)


# --- an issue ------------------------------------------------------------------------------------


def test_renaming_to_nothing_keeps_the_page_with_the_title_field_in_error(client, room_people, spike):  # type: ignore[no-untyped-def]
    client.force_login(room_people.kakanwil_jabar)
    page = client.get(f"/situasi/isu/{spike.pk}/")
    assert label(page, "title") == 'Judul <span class="mark">(wajib)</span>'
    assert "error-summary" not in page.content.decode()

    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "rename", "title": "   "})
    assert response.status_code == 400
    assert summary(response) == [("title", "Judul isu tidak boleh kosong.")]
    tag = field_tag(response, "title")
    assert 'aria-invalid="true"' in tag and 'aria-describedby="title_error"' in tag
    assert '<p class="error" id="title_error">Judul isu tidak boleh kosong.</p>' in response.content.decode()
    before = spike.title
    spike.refresh_from_db()
    assert spike.title == before and not spike.title_locked


@pytest.mark.parametrize("into", ["abc", "-1", "999999", "1" * 30, "１２"])
def test_merging_into_something_that_is_no_issue_is_a_field_error(client, room_people, spike, into):  # type: ignore[no-untyped-def]
    client.force_login(room_people.pusat_head)
    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "merge", "into": into})
    assert response.status_code == 400
    assert summary(response) == [("into", "Pilih isu tujuan penggabungan.")]
    spike.refresh_from_db()
    assert spike.status == "open" and spike.merged_into_id is None


def test_split_with_an_item_of_another_issue_moves_nothing_and_keeps_the_choice(  # type: ignore[no-untyped-def]
        client, room_people, spike):
    mine = list(spike.items.order_by("pk").values_list("pk", flat=True)[:2])
    foreign = Item.objects.exclude(issue=spike).values_list("pk", flat=True).first()
    before = (Issue.objects.count(), spike.item_count)
    client.force_login(room_people.kakanwil_jabar)

    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {
        "action": "split", "items": [str(mine[0]), str(mine[1]), str(foreign)], "title": "Unjuk rasa Cibinong"})
    assert response.status_code == 400
    assert summary(response) == [("split-items_0", "Pilih butir dari isu ini.")]
    page = response.content.decode()
    for pk in mine:  # the items ticked are ticked again, the typed title is there
        assert re.search(rf'<input type="checkbox" name="items" value="{pk}"[^>]*checked>', page)
    assert 'value="Unjuk rasa Cibinong"' in field_tag(response, "split-title")
    assert re.search(r'<input type="checkbox" name="items" value="\d+" id="split-items_0" aria-invalid="true"', page)
    spike.refresh_from_db()
    assert (Issue.objects.count(), spike.item_count) == before

    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "split", "items": ["1x"]})
    assert response.status_code == 400 and summary(response) == [("split-items_0", "Pilih butir dari isu ini.")]


def test_a_close_that_conflicts_is_said_at_the_top_not_lost_in_a_redirect(client, room_people, spike):  # type: ignore[no-untyped-def]
    client.force_login(room_people.kakanwil_jabar)
    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "reopen"})
    assert response.status_code == 409
    assert summary(response) == [("", "Hanya isu yang ditutup yang dapat dibuka kembali.")]
    assert client.post(f"/situasi/isu/{spike.pk}/aksi/", {}).status_code == 400  # no action at all


# --- an alert ------------------------------------------------------------------------------------


def test_only_colleagues_who_may_act_on_the_alert_are_offered_and_accepted(client, room_people, spike):  # type: ignore[no-untyped-def]
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    url = f"/situasi/peringatan/{alert.pk}/"
    client.force_login(room_people.kakan_bogor)
    page = client.get(url)
    assert label(page, "assign-assignee") == 'Tugaskan ke <span class="mark">(wajib)</span>'
    offered = re.findall(r'<option value="(\d+)">', re.search(r'<select name="assignee".*?</select>',
                                                                 page.content.decode(), re.S).group(0))
    # Bogor's head and unit officer follow alerts up; its front office and complaint officer do not.
    assert set(offered) == {str(room_people.kakan_bogor.pk), str(room_people.pendma_bogor.pk)}

    response = client.post(url, {"action": "assign", "assignee": str(room_people.fo_bogor.pk),
                                 "note": "Mohon dipantau di lapangan."})
    assert response.status_code == 400
    assert summary(response) == [("assign-assignee", "Pilih petugas yang dapat menindaklanjuti peringatan ini.")]
    assert "Mohon dipantau di lapangan.</textarea>" in response.content.decode()  # the note typed is kept
    for bad in ("abc", "", "9" * 30):
        response = client.post(url, {"action": "assign", "assignee": bad})
        assert response.status_code == 400 and summary(response)[0][0] == "assign-assignee", bad
    alert.refresh_from_db()
    assert (alert.status, alert.assigned_to, alert.events.count()) == (AlertStatus.NEW, None, 0)


def test_the_domain_refuses_an_assignee_who_may_not_act_whoever_calls_it(room_people, spike):  # type: ignore[no-untyped-def]
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    with pytest.raises(DomainError) as refused:
        trends.assign(alert, room_people.kakan_bogor, room_people.complaints_bogor)
    assert (refused.value.code, refused.value.field) == ("assignee_may_not_act", "assignee")
    alert.refresh_from_db()
    assert alert.assigned_to is None


def test_resolving_without_a_note_points_at_the_note(client, room_people, spike):  # type: ignore[no-untyped-def]
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    client.force_login(room_people.kakanwil_jabar)
    page = client.get(f"/situasi/peringatan/{alert.pk}/")
    assert label(page, "note") == 'Catatan tindak lanjut <span class="mark">(wajib)</span>'
    response = client.post(f"/situasi/peringatan/{alert.pk}/", {"action": "resolve", "note": " \n "})
    assert response.status_code == 400
    assert summary(response) == [("note", "Tuliskan tindak lanjut yang dilakukan sebelum menyelesaikan peringatan.")]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


# --- subscriptions -------------------------------------------------------------------------------


def test_a_subscription_with_unknown_choices_comes_back_with_what_was_typed(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/langganan/", {"province": "32", "topic": "gosip", "kind": "volume",
                                                   "name": "Jawa Barat pekan ini"})
    assert response.status_code == 400
    assert summary(response) == [("r-topic", "Topik tidak dikenal.")]
    assert 'value="Jawa Barat pekan ini"' in field_tag(response, "r-name")
    page = response.content.decode()
    assert '<option value="32" selected>Jawa Barat</option>' in page
    assert '<option value="volume" selected>' in page
    assert not AlertRule.objects.exists()


def test_a_brief_subscription_needs_a_known_period(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    page = client.get("/situasi/langganan/")
    assert label(page, "b-period") == 'Periode <span class="mark">(wajib)</span>'
    response = client.post("/situasi/langganan/", {"brief": "1", "region": "73", "period": ""})
    assert response.status_code == 400
    assert summary(response) == [("b-period", "Pilih periode ringkasan: harian atau mingguan.")]
    assert '<option value="73" selected>Sulawesi Selatan</option>' in response.content.decode()
    assert not BriefSubscription.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999999"])
def test_deleting_a_subscription_that_is_not_there_says_so(client, people, value):  # type: ignore[no-untyped-def]
    AlertRule.objects.create(user=people.kakanwil_sulsel, province_code="73", name="Sulsel")
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/langganan/", {"delete": value})
    assert response.status_code in (400, 404)
    assert summary(response) == [("", "Langganan tidak ditemukan.")]
    assert AlertRule.objects.count() == 1


def test_a_brief_by_e_mail_can_be_stopped_by_its_owner_only(client, people):  # type: ignore[no-untyped-def]
    mine = BriefSubscription.objects.create(user=people.kakanwil_sulsel, region_code="73", period="daily")
    theirs = BriefSubscription.objects.create(user=people.kakanwil_jateng, region_code="33", period="daily")
    client.force_login(people.kakanwil_sulsel)
    page = client.get("/situasi/langganan/").content.decode()
    assert f'name="delete_brief" value="{mine.pk}" aria-label="Hapus Harian · Sulawesi Selatan"' in page
    for value in (str(theirs.pk), "abc", "", "99999999999999999999999"):
        response = client.post("/situasi/langganan/", {"delete_brief": value})
        assert response.status_code in (400, 404)
        assert summary(response) == [("", "Langganan tidak ditemukan.")]
    assert BriefSubscription.objects.count() == 2
    response = client.post("/situasi/langganan/", {"delete_brief": str(mine.pk)})
    assert response.status_code == 302
    assert list(BriefSubscription.objects.all()) == [theirs]


# --- sources -------------------------------------------------------------------------------------


def test_adding_a_source_names_every_problem_and_keeps_the_values(client, room_people):  # type: ignore[no-untyped-def]
    client.force_login(room_people.pusat_admin)
    page = client.get("/situasi/sumber/")
    assert label(page, "s-name") == 'Nama <span class="mark">(wajib)</span>'
    assert label(page, "s-interval") == 'Selang (menit) <span class="mark">(opsional)</span>'

    response = client.post("/situasi/sumber/", {"action": "add", "kind": "feed", "name": "Humas Bogor",
                                                "url": "https://bogor.contoh.id/feed", "interval": "setengah jam"})
    assert response.status_code == 400
    assert summary(response) == [("s-interval", "Selang diisi dengan angka menit, misalnya 30.")]
    assert 'value="Humas Bogor"' in field_tag(response, "s-name")
    assert 'value="https://bogor.contoh.id/feed"' in field_tag(response, "s-url")
    assert 'value="setengah jam"' in field_tag(response, "s-interval")

    response = client.post("/situasi/sumber/", {"action": "add", "kind": "rahasia", "name": " ", "interval": "2"})
    assert response.status_code == 400
    assert summary(response) == [
        ("s-name", "Isi nama sumber."),
        ("s-kind", "Pilih jenis sumber: umpan, halaman web atau impor media sosial."),
        ("s-interval", "Selang pengambilan antara 5 dan 1440 menit."),
    ]
    assert not Source.objects.exists()


def test_the_sources_page_speaks_english_when_asked(client, room_people):  # type: ignore[no-untyped-def]
    client.force_login(room_people.pusat_admin)
    client.cookies["django_language"] = "en"
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "social", "name": "Impor",
                                                "interval": "abc"})
    assert response.status_code == 400
    assert summary(response) == [("s-interval", "Enter the interval as a number of minutes, for example 30.")]
    assert "Please check the following:" in response.content.decode()
    assert label(response, "s-interval") == 'Interval (minutes) <span class="mark">(optional)</span>'


def test_an_upload_without_a_file_points_at_its_source_s_file_input(client, room_people):  # type: ignore[no-untyped-def]
    social = Source.objects.create(name="Impor medsos", kind=SourceKind.SOCIAL)
    other = Source.objects.create(name="Impor lain", kind=SourceKind.SOCIAL)
    client.force_login(room_people.pusat_admin)
    response = client.post("/situasi/sumber/", {"action": "upload", "source": str(social.pk)})
    assert response.status_code == 400
    assert summary(response) == [(f"sumber-{social.pk}-file", "Pilih berkas JSONL atau CSV.")]
    assert 'aria-invalid="true"' in field_tag(response, f"sumber-{social.pk}-file")
    assert 'aria-invalid' not in field_tag(response, f"sumber-{other.pk}-file")  # the other row is untouched

    upload = SimpleUploadedFile("ekspor.jsonl", b'{"id": "1", "text": "Kabar."}\n')
    response = client.post("/situasi/sumber/", {"action": "upload", "source": "bukan-id", "file": upload})
    assert response.status_code == 400 and summary(response) == [("", "Sumber tidak ditemukan.")]
    assert not ImportJob.objects.exists()


WEIRD = ["", "abc", "-5", "0", "1e9", "9" * 50, "<script>", "ｘ", "12 34"]


@pytest.mark.parametrize("value", WEIRD)
def test_no_form_of_the_room_answers_a_strange_value_with_a_500(client, room_people, spike, value):  # type: ignore[no-untyped-def]
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    social = Source.objects.create(name="Impor medsos", kind=SourceKind.SOCIAL)
    client.force_login(room_people.pusat_admin)
    posts = [
        (f"/situasi/isu/{spike.pk}/aksi/", {"action": value}),
        (f"/situasi/isu/{spike.pk}/aksi/", {"action": "merge", "into": value}),
        (f"/situasi/isu/{spike.pk}/aksi/", {"action": "split", "items": [value, value], "page": value}),
        (f"/situasi/peringatan/{alert.pk}/", {"action": value}),
        (f"/situasi/peringatan/{alert.pk}/", {"action": "assign", "assignee": value}),
        ("/situasi/langganan/", {"province": value, "topic": value, "kind": value}),
        ("/situasi/langganan/", {"brief": "1", "region": value, "period": value}),
        ("/situasi/langganan/", {"delete": value}),
        ("/situasi/langganan/", {"delete_brief": value}),
        ("/situasi/sumber/", {"action": value}),
        ("/situasi/sumber/", {"action": "add", "kind": value, "name": "x", "interval": value}),
        ("/situasi/sumber/", {"action": "toggle", "source": value}),
        ("/situasi/sumber/", {"action": "upload", "source": str(social.pk),
                              "file": SimpleUploadedFile(f"{value}.txt", b"x")}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 400, 404, 409), (url, data, response.status_code)
        if response.status_code != 302:
            assert summary(response), (url, data)
