"""The NGOPAS forms on the web: scheduling and recording a dialogue give every problem on its
field, with a linked summary and status 400, and keep what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.feedback import dialogues
from satupintu.feedback.models import Dialogue, Report
from satupintu.organization.models import Office, Role, StaffRole

pytestmark = pytest.mark.django_db
MANAGE = "/petugas/ngopas/"


@pytest.fixture
def organiser():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("humas.lutra", "h@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    return user


@pytest.fixture
def client(organiser) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(organiser)
    return c


def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary.*?</div>', page, re.S)
    assert summary, page
    return re.findall(r'<a href="#([^"]+)">', summary.group(0))


def _schedule(**overrides) -> dict[str, str]:  # type: ignore[no-untyped-def]
    soon = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_fixed_timezone(480))
    data = {"office": "73.22", "title": "NGOPAS di Masjid Raya Masamba", "venue_type": "mosque",
            "place": "Masjid Raya Masamba", "starts_at": soon.strftime("%Y-%m-%dT%H:%M"), "publish": "on"}
    data.update(overrides)
    return data


def test_the_schedule_form_marks_its_fields(client):
    page = client.get(MANAGE).content.decode()
    assert re.search(r'<label for="title">Judul <span class="mark">\(wajib\)</span></label>', page)
    assert re.search(r'<label for="starts_at">Tanggal dan jam \(waktu setempat\) <span class="mark">\(wajib\)</span>',
                     page)
    assert re.search(r'<input type="datetime-local" name="starts_at"[^>]*id="starts_at"', page)
    assert re.search(r'<input type="checkbox" name="publish"[^>]*checked', page)  # public by default
    assert "error-summary" not in page


@pytest.mark.parametrize("typed", ["31-02-2025 10.00", "besok pagi", "0202-08-17T09:30"])
def test_a_date_that_is_no_date_is_sent_back_on_its_field(client, typed):
    response = client.post(MANAGE, _schedule(starts_at=typed, title="NGOPAS Pemuda Hijrah"))
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["starts_at"]
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="starts_at"[^>]*>', page).group(0)
    assert f'value="{typed}"' in page and 'value="NGOPAS Pemuda Hijrah"' in page  # typed values kept
    assert not Dialogue.objects.exists()


def test_a_date_typed_by_hand_on_the_office_clock(client):
    response = client.post(MANAGE, _schedule(starts_at="17-08-2030 09.30"))
    assert response.status_code == 302
    d = Dialogue.objects.get()
    local = d.starts_at.astimezone(timezone.get_fixed_timezone(480))  # Luwu Utara: WITA
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2030, 8, 17, 9, 30)


def test_every_domain_problem_at_once(client):
    response = client.post(MANAGE, _schedule(title="abc", venue_type="online", place="", online_link=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["title", "online_link"]
    assert "Dialog daring perlu tautan (Zoom/YouTube)." in page
    assert 'value="abc"' in page and re.search(r'<option value="online" selected>', page)
    assert not Dialogue.objects.exists()


def test_a_bad_link_is_refused_on_its_field_and_kept(client):
    response = client.post(MANAGE, _schedule(venue_type="online", online_link="zoom.us/j/123"))
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["online_link"]
    assert 'value="zoom.us/j/123"' in page
    assert not Dialogue.objects.exists()


def test_an_office_not_offered_is_refused(client):
    response = client.post(MANAGE, _schedule(office="73.71"))  # Makassar: not this organiser's
    assert response.status_code == 400 and _summary_links(response.content.decode()) == ["office"]
    assert not Dialogue.objects.exists()


def test_schedule_errors_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.post(MANAGE, _schedule(starts_at="besok", title="abc"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write a valid date and time, for example 17-08-2025 09.30." in page
    assert "(required)" in page


def _held(organiser) -> Dialogue:  # type: ignore[no-untyped-def]
    return dialogues.dialogue_schedule(user=organiser, office=Office.objects.get(code="73.22"),
                                       title="NGOPAS Majelis Taklim Al-Ikhlas", venue_type="study_group",
                                       place="Baebunta", starts_at=timezone.now() - timedelta(hours=2))


ASPIRATION = {"a1_category": "education", "a1_title": "Guru mengaji TPQ",
              "a1_text": "Mohon insentif untuk guru TPQ di desa-desa Baebunta."}


@pytest.mark.parametrize("attendees, message", [("-5", "Jumlah peserta tidak wajar."),
                                                ("delapan puluh", "Tulis jumlah peserta dengan angka")])
def test_a_bad_attendance_count_is_sent_back(client, organiser, attendees, message):
    d = _held(organiser)
    response = client.post(f"{MANAGE}{d.pk}/", {"attendees": attendees, "attendee_notes": "Penyuluh agama",
                                                **ASPIRATION})
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["attendees"] and message in page
    assert f'value="{attendees}"' in page and 'value="Guru mengaji TPQ"' in page
    assert "Mohon insentif untuk guru TPQ di desa-desa Baebunta.</textarea>" in page
    d.refresh_from_db()
    assert d.attendees is None and not Report.objects.exists()  # nothing recorded


def test_an_aspiration_problem_is_shown_on_its_row_and_nothing_is_recorded(client, organiser):
    d = _held(organiser)
    response = client.post(f"{MANAGE}{d.pk}/", {
        "attendees": "85", **ASPIRATION,
        "a3_category": "marriage", "a3_title": "KUA", "a3_text": "Singkat.",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert _summary_links(page) == ["a3_title", "a3_text"]
    assert "Aspirasi 3: Tulis judul singkat laporan (minimal 5 karakter)." in page
    assert re.search(r'<option value="marriage" selected>', page) and 'value="KUA"' in page
    d.refresh_from_db()
    assert d.attendees is None and not Report.objects.exists()  # all or nothing: row 1 was not kept either

    fixed = client.post(f"{MANAGE}{d.pk}/", {
        "attendees": "85", **ASPIRATION, "a3_category": "marriage", "a3_title": "Bimbingan perkawinan",
        "a3_text": "Mohon jadwal bimbingan perkawinan di KUA Baebunta diperbanyak."})
    assert fixed.status_code == 302
    d.refresh_from_db()
    assert d.attendees == 85
    assert sorted(Report.objects.filter(dialogue=d).values_list("category", flat=True)) == ["education", "marriage"]


def test_publish_through_its_form(client, organiser):
    d = _held(organiser)
    assert not d.published
    page = client.get(f"{MANAGE}{d.pk}/").content.decode()
    value = re.search(r'<input type="hidden" name="publish" value="([^"]*)"', page).group(1)
    response = client.post(f"{MANAGE}{d.pk}/", {"publish": value})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.published
