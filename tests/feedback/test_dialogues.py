"""NGOPAS: schedule and publish a dialogue, record attendance and its aspirations."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.feedback import dialogues
from satupintu.feedback.models import Dialogue, Report
from satupintu.organization.models import Office, Role, StaffRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("humas.lutra", "h@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    return user


def test_schedule_publish_and_public_list(organiser):
    c = Client()
    c.login(username="humas.lutra", password="sandi-uji-123")
    soon = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_fixed_timezone(480))
    response = c.post("/petugas/ngopas/", {"office": "73.22", "title": "NGOPAS di Masjid Raya Masamba",
                                           "venue_type": "mosque", "place": "Masjid Raya Masamba",
                                           "starts_at": soon.strftime("%Y-%m-%dT%H:%M"), "publish": "1"})
    d = Dialogue.objects.get()
    assert response["Location"] == f"/petugas/ngopas/{d.pk}/" and d.published
    assert d.starts_at.astimezone(timezone.get_fixed_timezone(480)).hour == soon.hour  # office-local (WITA) time
    page = Client().get("/ngopas/", {"office": "73.22"}).content.decode()
    assert "NGOPAS di Masjid Raya Masamba" in page
    assert "NGOPAS di Masjid Raya Masamba" in Client().get("/ngopas/", {"office": "73"}).content.decode()


def test_bad_schedules(organiser, people):
    office = Office.objects.get(code="73.22")
    with pytest.raises(DomainError) as info:
        dialogues.dialogue_schedule(user=organiser, office=office, title="Dialog daring", venue_type="online",
                                    starts_at=timezone.now())
    assert info.value.code == "missing_field" and "tautan" in info.value.message
    with pytest.raises(DomainError):
        dialogues.dialogue_schedule(user=people.fo_makassar, office=office, title="Bukan kantor saya",
                                    venue_type="mosque", place="Masjid", starts_at=timezone.now())


def test_record_attendance_and_aspirations(organiser):
    office = Office.objects.get(code="73.22")
    d = dialogues.dialogue_schedule(user=organiser, office=office, title="NGOPAS Majelis Taklim Al-Ikhlas",
                                    venue_type="study_group", place="Baebunta",
                                    starts_at=timezone.now() - timedelta(hours=2), publish=True)
    c = Client()
    c.login(username="humas.lutra", password="sandi-uji-123")
    c.post(f"/petugas/ngopas/{d.pk}/", {
        "attendees": "85", "attendee_notes": "Pengurus majelis taklim, penyuluh agama",
        "a1_category": "education", "a1_title": "Guru mengaji TPQ", "a1_text": "Mohon insentif untuk guru TPQ desa.",
        "a2_category": "marriage", "a2_title": "Bimbingan perkawinan",
        "a2_text": "Mohon jadwal bimbingan perkawinan di KUA Baebunta diperbanyak.",
    })
    d.refresh_from_db()
    assert d.attendees == 85
    made = Report.objects.filter(dialogue=d)
    assert made.count() == 2 and all(r.kind == "aspiration" and r.anonymous for r in made)
    page = c.get(f"/petugas/ngopas/{d.pk}/").content.decode()
    assert "Guru mengaji TPQ" in page


def test_results_only_after_the_dialogue(organiser):
    office = Office.objects.get(code="73.22")
    d = dialogues.dialogue_schedule(user=organiser, office=office, title="NGOPAS Pesantren", venue_type="pesantren",
                                    place="PP As-Salam", starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError) as info:
        dialogues.dialogue_record(d, user=organiser, attendees=10, attendee_notes="", aspirations=[])
    assert info.value.code == "not_yet_held"
