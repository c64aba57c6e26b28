"""The Rakor pages: who may see them, the create form (by hand and from a Humas article),
attendance, adoption, actions with evidence, the decision board and the downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from satupintu.organization.models import Office, Role, StaffRole
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Action, ActionStatus, Attendance, Decision, Meeting, MeetingType
from tests.conftest import upload

pytestmark = pytest.mark.django_db

SEEDS = Path("/work/shared/seeds")
ARTICLE = """Kemenag Gelar Rakernas 2024 di Jakarta

Jakarta (Humas) - Kementerian Agama menggelar Rapat Kerja Nasional (Rakernas) pada Senin, 19 Februari 2024
di Hotel Mercure Ancol, Jakarta. Rakernas diikuti oleh 705 peserta dari seluruh Indonesia.
Menteri Agama Yaqut Cholil Qoumas meminta seluruh jajaran mempercepat transformasi layanan publik.
"""


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.login(username=user.username, password="sandi-uji-123")
    return c


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _flash(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


def _pusat_head():  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("sekjen", "sekjen@test.local", "sandi-uji-123", first_name="Sekjen")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="pusat"), role=Role.HEAD_OF_OFFICE)
    return user


def _meeting(office: str, kind: str = MeetingType.RAKOR, *, start=None, user=None, **extra) -> Meeting:  # type: ignore[no-untyped-def]
    start = start or timezone.now() + timedelta(days=2)
    return meetings.create_meeting(meetings.MeetingDraft(
        office=office, type=kind, title=f"{kind.title()} {office}", starts_at=start, ends_at=start + timedelta(hours=3),
        agenda=list(meetings.STANDARD_AGENDA[:2]), **extra), user=user)


def _future(office_code: str, days: int = 10) -> str:
    return (followups.office_today(Office.objects.get(code=office_code)) + timedelta(days=days)).isoformat()


def _form(**over) -> dict:  # type: ignore[no-untyped-def]
    day = (timezone.now() + timedelta(days=5)).date().isoformat()
    data = {"office": "73", "type": "rakor", "title": "Rakor Kanwil Kemenag Sulsel", "theme": "Layanan prima",
            "mode": "in_person", "venue": "Aula Kanwil, Makassar", "online_link": "", "date": day, "end_date": "",
            "start": "09:00", "end": "12:00", "agenda": "Kebijakan keagamaan\nEvaluasi kinerja", "participants": "120",
            "decisions": ""}
    data.update(over)
    return data


# --- access --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/rakor/", "/rakor/baru/", "/rakor/papan/", "/rakor/hadir/abc/"])
def test_pages_are_for_staff_only(people, url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert _login(people.outsider).get(url).status_code == 403


def test_a_meeting_is_seen_by_its_office_the_offices_below_and_pusat_only(people):
    rakor = _meeting("73")
    assert _login(people.kakanwil_sulsel).get(f"/rakor/{rakor.pk}/").status_code == 200
    assert _login(people.kakan_lutra).get(f"/rakor/{rakor.pk}/").status_code == 200  # an office above theirs
    assert _login(people.kakanwil_jateng).get(f"/rakor/{rakor.pk}/").status_code == 403
    assert _login(_pusat_head()).get(f"/rakor/{rakor.pk}/").status_code == 200
    assert rakor.title in _text(_login(people.fo_makassar).get("/rakor/"))
    assert rakor.title not in _text(_login(people.kakanwil_jateng).get("/rakor/"))
    listing = _text(_login(people.kakanwil_sulsel).get("/rakor/", {"jenis": "rakernas"}))
    assert rakor.title not in listing and "Catat rapat" in listing


# --- the create form -----------------------------------------------------------------------

def test_the_form_offers_own_offices_the_standard_agenda_and_offices_below(people):
    page = _text(_login(people.kakanwil_sulsel).get("/rakor/baru/"))
    assert 'value="73"' in page and "(WITA)" in page and 'value="33"' not in page
    assert meetings.STANDARD_AGENDA[0] in page
    assert 'name="invited" value="73.22"' in page and 'name="invited" value="73.71"' in page
    assert 'name="invited" value="33.71"' not in page


def test_create_a_meeting_in_office_local_time(people):
    c = _login(people.kakanwil_sulsel)
    response = c.post("/rakor/baru/", _form(invited=["73.22", "73.71"], decisions="Jaga netralitas ASN\n\n"))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rakor/{meeting.pk}/"
    zone = ZoneInfo("Asia/Makassar")
    assert meeting.starts_at.astimezone(zone).hour == 9 and meeting.ends_at.astimezone(zone).hour == 12
    assert [a.title for a in meeting.agenda.all()] == ["Kebijakan keagamaan", "Evaluasi kinerja"]
    assert sorted(meeting.invited_offices.values_list("code", flat=True)) == ["73.22", "73.71"]
    assert meeting.participants_reported == 120 and meeting.created_by == people.kakanwil_sulsel
    assert [d.text for d in meeting.decisions.all()] == ["Jaga netralitas ASN"]
    page = _text(c.get(response["Location"]))
    assert "09.00–12.00 WITA" in page and "Aula Kanwil, Makassar" in page and "Rapat tercatat." in page


def test_a_meeting_sent_twice_is_recorded_once_with_one_invitation_each(people):
    from satupintu.notifications.models import OutboxMessage

    c = _login(people.kakanwil_sulsel)
    first = c.post("/rakor/baru/", _form(invited=["73.22"]))
    again = c.post("/rakor/baru/", _form(invited=["73.22"], title="rakor  kanwil kemenag sulsel"))  # resent
    meeting = Meeting.objects.get()
    assert first["Location"] == again["Location"] == f"/rakor/{meeting.pk}/"
    invitations = OutboxMessage.objects.filter(recipient=people.kakan_lutra.email)
    assert invitations.count() == 1
    # Another meeting of the same office at another hour is a meeting of its own.
    c.post("/rakor/baru/", _form(start="13:00", end="15:00"))
    assert Meeting.objects.count() == 2


def test_end_before_start_keeps_what_was_typed_and_says_why(people):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", _form(start="14:00", end="10:00",
                                                                          title="Rakor Evaluasi Semester"))
    assert response.status_code == 400
    page = _text(response)
    assert "Waktu selesai harus setelah waktu mulai." in page
    assert 'value="Rakor Evaluasi Semester"' in page and 'value="14:00"' in page and 'value="10:00"' in page
    assert "Aula Kanwil, Makassar" in page and "Evaluasi kinerja" in page
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="f-end"[^>]*>', page).group(0)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("over", "message"), [
    ({"office": "33"}, "Pilih kantor Anda"),
    ({"date": "besok"}, "Tanggal tidak sah"),
    ({"date": ""}, "Isi tanggal rapat."),
    ({"mode": "online"}, "perlu tautan rapat"),
    ({"mode": "online", "online_link": "javascript:alert(1)"}, "http(s)"),
    ({"title": "  "}, "Tulis judul rapat."),
    ({"participants": "banyak"}, "bilangan bulat"),
    ({"participants": "99999999999"}, "bilangan bulat"),
    ({"date": "0202-04-05"}, "antara tahun 2000 dan 2100"),
    ({"invited": ["33.71"]}, "di bawah kantor penyelenggara"),
])
def test_bad_input_is_refused_with_its_message(people, over, message):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", _form(**over))
    assert response.status_code == 400 and message in _text(response)
    assert not Meeting.objects.exists()


def test_prefill_from_a_pasted_humas_article(people):
    seed = sorted(SEEDS.glob("001_*.txt"))
    text = seed[0].read_text(encoding="utf-8") if seed else ARTICLE
    response = _login(_pusat_head()).post("/rakor/baru/", {"prefill": "1", "article": text})
    assert response.status_code == 200
    page = _text(response)
    assert '<option value="rakernas" selected>' in page
    assert 'name="participants" value="705"' in page
    assert "Yaqut Cholil Qoumas" in page  # officials shown, for the decisions
    assert re.search(r'name="date" value="\d{4}-\d{2}-\d{2}"', page)
    if seed:
        assert 'value="2021-04-05"' in page and "Rakernas Kemenag RI 2021" in page
    assert "Periksa setiap isian" in page
    assert not Meeting.objects.exists()  # nothing is saved until the officer checks and saves


def test_prefill_needs_text_and_says_so_when_there_is_no_meeting(people):
    c = _login(people.kakanwil_sulsel)
    assert "Tempelkan teks berita" in _text(c.post("/rakor/baru/", {"prefill": "1", "article": " "}))
    page = _text(c.post("/rakor/baru/", {"prefill": "1", "article": "Banjir melanda Kota Semarang; madrasah diliburkan."}))
    assert "tidak tampak melaporkan rapat" in page


# --- the meeting page, attendance, downloads -----------------------------------------------

def test_meeting_page_shows_the_qr_only_to_the_organiser_and_minutes_can_be_written(people):
    rakor = _meeting("73")
    organiser = _login(people.kakanwil_sulsel)
    page = _text(organiser.get(f"/rakor/{rakor.pk}/"))
    assert '<svg class="qr"' in page and f"/rakor/hadir/{rakor.attendance_token}/" in page
    assert "/undangan.ics" in page and "/notulen.pdf" in page and "/presensi.csv" in page
    guest = _text(_login(people.kakan_lutra).get(f"/rakor/{rakor.pk}/"))
    assert rakor.attendance_token not in guest and "Simpan notulen" not in guest
    item = rakor.agenda.first()
    organiser.post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes", f"minutes-{item.pk}": "Disepakati tiga program.",
                                                 "new_item": "Lain-lain"})
    item.refresh_from_db()
    assert item.minutes == "Disepakati tiga program." and rakor.agenda.last().title == "Lain-lain"
    assert _login(people.kakan_lutra).post(f"/rakor/{rakor.pk}/aksi/", {"action": "decision", "text": "x"}
                                           ).status_code == 403


def test_attendance_once_outside_the_window_and_bad_token(people):
    now = timezone.now()
    rakor = _meeting("73", start=now - timedelta(minutes=30))
    url = f"/rakor/hadir/{rakor.attendance_token}/"
    c = _login(people.kakan_lutra)
    assert "Konfirmasi kehadiran" in _text(c.get(url))
    first = c.post(url, follow=True)
    assert "Kehadiran Anda tercatat." in _flash(first)
    again = c.post(url, follow=True)
    assert "Kehadiran Anda sudah tercatat." in _flash(again)
    online = _login(people.fo_makassar).post(url + "?cara=link", follow=True)
    assert "Kehadiran Anda tercatat." in _flash(online)
    assert sorted(Attendance.objects.values_list("method", flat=True)) == ["link", "qr"]
    counts = _text(_login(people.kakanwil_sulsel).get(f"/rakor/{rakor.pk}/"))
    assert 'data-testid="attendance-total">2<' in counts and "Kantor Kementerian Agama Kabupaten Luwu Utara" in counts

    later = _meeting("73", start=now + timedelta(days=3))
    early = c.post(f"/rakor/hadir/{later.attendance_token}/", follow=True)
    assert any("Presensi hanya dapat dicatat" in m for m in _flash(early))
    assert Client().get(url + "?cara=link")["Location"] == f"/masuk/?next={url}%3Fcara%3Dlink"
    bad = c.get("/rakor/hadir/bukan-kode/")
    assert bad.status_code == 404 and "Kode presensi tidak sah" in _text(bad)
    assert c.post("/rakor/hadir/bukan-kode/").status_code == 404

    rows = list(csv.reader(io.StringIO(_login(people.kakanwil_sulsel).get(
        f"/rakor/{rakor.pk}/presensi.csv").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["nama", "pengguna", "kantor"] and {r[1] for r in rows[1:]} == {"kakan.lutra", "fo.makassar"}
    # Who attended, by name and sign-in name, is the organisers' to report: a reader sees the counts.
    from satupintu.core.models import PersonalDataAccess

    assert PersonalDataAccess.objects.get(subject_type="rakor_meeting").user == people.kakanwil_sulsel
    for reader in (people.kakan_lutra, people.fo_makassar):
        client = _login(reader)
        assert client.get(f"/rakor/{rakor.pk}/presensi.csv").status_code == 403
        assert "/presensi.csv" not in _text(client.get(f"/rakor/{rakor.pk}/"))
    assert PersonalDataAccess.objects.filter(subject_type="rakor_meeting").count() == 1


def test_ics_is_a_calendar_in_the_office_zone(people):
    rakor = _meeting("73")
    response = _login(people.kakan_lutra).get(f"/rakor/{rakor.pk}/undangan.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = next(e for e in Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(event["dtstart"].dt.tzinfo) == "Asia/Makassar" and str(event["summary"]) == rakor.title
    assert _login(people.kakanwil_jateng).get(f"/rakor/{rakor.pk}/undangan.ics").status_code == 403


def test_minutes_pdf(people):
    rakor = _meeting("73")
    item = rakor.agenda.first()
    item.minutes = "Disepakati percepatan layanan."
    item.save()
    followups.add_decision(rakor, "Jaga netralitas ASN", "Kakanwil")
    response = _login(people.kakanwil_sulsel).get(f"/rakor/{rakor.pk}/notulen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert rakor.title in text and "netralitas" in text
    assert f"Notulen {rakor.title}" in text and "Halaman 1" in text  # every page says what it belongs to
    # A record in Indonesian, asked for from an English page too (was "Jenis: Coordination meeting").
    english = _login(people.kakanwil_sulsel)
    english.cookies["django_language"] = "en"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        english.get(f"/rakor/{rakor.pk}/notulen.pdf").content)).pages)
    assert "Rapat Koordinasi" in text or "Rakor" in text
    assert "Coordination meeting" not in text


# --- decisions and actions -----------------------------------------------------------------

def test_adopting_across_provinces_is_refused_with_the_domain_message(people):
    jateng = followups.add_decision(_meeting("33"), "Arahan Kanwil Jateng")
    rakor_sulsel = _meeting("73")
    response = _login(people.kakanwil_sulsel).post(f"/rakor/keputusan/{jateng.pk}/adopsi/",
                                                   {"into": rakor_sulsel.pk}, follow=True)
    assert "Kantor Anda tidak dapat mengadopsi keputusan dari rapat itu." in _flash(response)
    assert not Decision.objects.filter(meeting=rakor_sulsel).exists()
    # and only into one's own office's meeting
    rakernas = followups.add_decision(_meeting("pusat", MeetingType.RAKERNAS), "Tujuh program prioritas")
    refused = _login(people.kakan_lutra).post(f"/rakor/keputusan/{rakernas.pk}/adopsi/", {"into": rakor_sulsel.pk})
    # the Rakernas page again (Lutra sees it), the reason on the form's field
    assert refused.status_code == 400
    assert "Anda hanya dapat mengadopsi ke rapat kantor Anda sendiri." in _text(refused)
    assert f'href="#adopt-into-{rakernas.pk}"' in _text(refused)


def test_adopt_then_assign_and_a_due_date_in_the_past_is_refused(people):
    rakernas = _meeting("pusat", MeetingType.RAKERNAS, invited_offices=["73", "33"])
    decision = followups.add_decision(rakernas, "Tujuh program prioritas", "Menteri Agama")
    rakor = _meeting("73")
    c = _login(people.kakanwil_sulsel)
    page = _text(c.get(f"/rakor/{rakernas.pk}/"))
    assert "Adopsi ke rapat kantor saya" in page and f'value="{rakor.pk}"' in page
    response = c.post(f"/rakor/keputusan/{decision.pk}/adopsi/", {"into": rakor.pk})
    local = Decision.objects.get(meeting=rakor)
    assert response["Location"] == f"/rakor/{rakor.pk}/#keputusan-{local.pk}"
    assert "Sudah diadopsi ke" in _text(c.get(f"/rakor/{rakernas.pk}/"))
    # A clerk of the Kanwil records nothing but reads where the office took the decision up.
    clerk = get_user_model().objects.create_user("fo.kanwil", "fo.kanwil@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=clerk, office=Office.objects.get(code="73"), role=Role.FRONT_OFFICE)
    read = _text(_login(clerk).get(f"/rakor/{rakernas.pk}/"))
    assert "Sudah diadopsi ke" in read and "Adopsi ke rapat kantor saya" not in read
    again = c.post(f"/rakor/keputusan/{decision.pk}/adopsi/", {"into": rakor.pk})
    assert again.status_code == 409 and "Keputusan ini sudah diadopsi ke rapat ini." in _text(again)

    past = (followups.office_today(Office.objects.get(code="73.22")) - timedelta(days=1)).isoformat()
    refused = c.post(f"/rakor/keputusan/{local.pk}/tindak-lanjut/",
                     {"office": "73.22", "indicator": "Laporan terobosan", "due_date": past})
    assert refused.status_code == 400 and not Action.objects.exists()
    assert "Tenggat tidak boleh di masa lalu." in _text(refused) and 'value="Laporan terobosan"' in _text(refused)
    # Nothing filled in: both problems at once (the indicator's came only after the date was fixed).
    empty = _text(c.post(f"/rakor/keputusan/{local.pk}/tindak-lanjut/", {"office": "73.22"}))
    assert "Tulis apa yang harus ditunjukkan (indikator)." in empty and 'href="#a-due_date-' in empty
    outside = c.post(f"/rakor/keputusan/{local.pk}/tindak-lanjut/",
                     {"office": "33.71", "indicator": "x", "due_date": _future("73.22")})
    assert outside.status_code == 400 and "Pilih kantor yang menindaklanjuti." in _text(outside)
    assert not Action.objects.exists()
    ok = c.post(f"/rakor/keputusan/{local.pk}/tindak-lanjut/",
                {"office": "73.22", "indicator": "Laporan terobosan", "due_date": _future("73.22"),
                 "evidence_required": "1"}, follow=True)
    action = Action.objects.get()
    assert action.office.code == "73.22" and action.evidence_required
    assert "Laporan terobosan" in _text(ok) and "Belum dimulai" in _text(ok)
    assert _login(people.kakan_lutra).post(f"/rakor/keputusan/{local.pk}/tindak-lanjut/", {}).status_code == 403


def _action(office: str = "73.22", evidence_required: bool = True) -> Action:
    decision = followups.add_decision(_meeting("73"), "Percepat layanan daring")
    return followups.add_action(decision, office=Office.objects.get(code=office), indicator="Layanan daring berjalan",
                                due_date=followups.office_today(Office.objects.get(code=office)) + timedelta(days=7),
                                evidence_required=evidence_required)


def test_close_without_evidence_is_refused(people):
    action = _action()
    c = _login(people.kakan_lutra)
    c.post(f"/rakor/tindak-lanjut/{action.pk}/", {"action": "progress", "note": "Sedang disiapkan", "percent": "40"})
    response = c.post(f"/rakor/tindak-lanjut/{action.pk}/", {"action": "close"}, follow=True)
    assert "Unggah atau tautkan bukti sebelum menutup tindak lanjut ini." in _flash(response)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_progress_with_an_evidence_file_then_close_and_reopen(people):
    action = _action()
    url = f"/rakor/tindak-lanjut/{action.pk}/"
    lutra = _login(people.kakan_lutra)
    assert "Laporkan perkembangan" in _text(lutra.get(url))
    wrong = lutra.post(url, {"action": "progress", "note": "Bukti", "evidence": upload("bukti.pdf", b"bukan pdf")})
    assert wrong.status_code == 400 and "PDF, JPG atau PNG" in _text(wrong) and not action.updates.exists()
    bad_percent = lutra.post(url, {"action": "progress", "note": "Bukti", "percent": "150"})
    assert bad_percent.status_code == 400 and "Persentase harus 0 sampai 100." in _text(bad_percent)
    lutra.post(url, {"action": "progress", "note": "Layanan legalisir daring berjalan", "percent": "100",
                     "evidence": upload("laporan.pdf")})
    update = action.updates.get()
    assert update.percent == 100 and update.evidence and update.author == people.kakan_lutra
    page = _text(lutra.get(url))
    assert "Layanan legalisir daring berjalan" in page and "Sesuai jadwal" in page and "100%" in page
    download = lutra.get(f"{url}bukti/{update.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")

    # Makassar may not report on Lutra's action; a front-office officer may report but not close.
    assert _login(people.fo_makassar).post(url, {"action": "progress", "note": "x"}).status_code == 403
    assert _login(people.fo_lutra).post(url, {"action": "close"}).status_code == 403
    closed = lutra.post(url, {"action": "close"}, follow=True)
    assert "Tindak lanjut ditutup: selesai." in _flash(closed) and 'data-testid="action-state"' in _text(closed)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_by == people.kakan_lutra

    assert lutra.post(url, {"action": "reopen"}).status_code == 403  # only the issuing office reopens
    clerk = get_user_model().objects.create_user("fo.kanwil", "fo.kanwil@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=clerk, office=Office.objects.get(code="73"), role=Role.FRONT_OFFICE)
    assert _login(clerk).post(url, {"action": "reopen"}).status_code == 403  # ...by its organisers (rakor/access.py)
    reopened = _login(people.kakanwil_sulsel).post(url, {"action": "reopen"}, follow=True)
    assert "Tindak lanjut dibuka kembali." in _flash(reopened)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.closed_at is None
    assert _login(people.kakanwil_jateng).get(url).status_code == 403


def test_evidence_files_are_for_the_responsible_office_above_it_and_the_organisers(people):
    """A Kanwil rakor's action is followed by every Kankemenag of the province, but its files
    (attendance and beneficiary lists) are opened only by the office that acts, the offices above
    it and the meeting's organisers, each opening recorded."""
    from satupintu.core.models import PersonalDataAccess

    action = _action()  # a Kanwil 73 meeting's action for Luwu Utara
    url = f"/rakor/tindak-lanjut/{action.pk}/"
    _login(people.kakan_lutra).post(url, {"action": "progress", "note": "Daftar hadir", "evidence": upload("hadir.pdf")})
    file_url = f"{url}bukti/{action.updates.get().pk}/"
    sideways = _login(people.fo_makassar)  # another Kankemenag of the province: may follow, not open
    assert sideways.get(url).status_code == 200 and file_url not in _text(sideways.get(url))
    assert sideways.get(file_url).status_code == 403
    for user in (people.fo_lutra, people.kakan_lutra, people.kakanwil_sulsel):
        assert _login(user).get(file_url).status_code == 200, user.username
    assert PersonalDataAccess.objects.filter(subject_type="rakor_action", subject_ref=str(action.pk)).count() == 3


def test_a_bad_evidence_link_is_refused(people):
    action = _action()
    response = _login(people.kakan_lutra).post(f"/rakor/tindak-lanjut/{action.pk}/", {
        "action": "progress", "note": "Bukti", "link": "https://bukti.example/" + "x" * 600})
    assert response.status_code == 400 and "http(s)" in _text(response) and not action.updates.exists()


# --- boards --------------------------------------------------------------------------------

def _late_actions_in_sulsel(people) -> Decision:  # type: ignore[no-untyped-def]
    """A Rakernas decision adopted by Kanwil Sulsel: Lutra's action done, Makassar's late."""
    rakernas = _meeting("pusat", MeetingType.RAKERNAS, invited_offices=["73", "33"])
    decision = followups.add_decision(rakernas, "Tujuh program prioritas", "Menteri Agama")
    local = followups.adopt(decision, _meeting("73"))
    lutra, makassar = Office.objects.get(code="73.22"), Office.objects.get(code="73.71")
    done = followups.add_action(local, office=lutra, indicator="Terobosan layanan Lutra",
                                due_date=followups.office_today(lutra) + timedelta(days=5))
    late = followups.add_action(local, office=makassar, indicator="Terobosan layanan Makassar",
                                due_date=followups.office_today(makassar) + timedelta(days=5))
    followups.report_progress(done, user=people.kakan_lutra, note="Jalan", link="https://lutra.example/bukti",
                              percent=100)
    followups.close_action(done, user=people.kakan_lutra)
    Action.objects.filter(pk=late.pk).update(due_date=followups.office_today(makassar) - timedelta(days=1))
    return decision


def test_decision_board_numbers(people):
    decision = _late_actions_in_sulsel(people)
    response = _login(_pusat_head()).get(f"/rakor/keputusan/{decision.pk}/")
    assert response.status_code == 200
    page = _text(response)
    assert 'data-testid="percent-done">50%<' in page
    row = re.search(r'<tr data-office="73">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'data-col="adopted">.*?Ya</td>', row) and re.search(r'data-col="done">.*?1</td>', row)
    assert re.search(r'data-col="late" class="nonzero">.*?1</td>', row) and "state-late" in row
    row33 = re.search(r'<tr data-office="33">(.*?)</tr>', page, re.S).group(1)
    assert "Belum diadopsi" in row33
    late_list = re.search(r'data-testid="late-offices">(.*?)</ul>\s*</section>', page, re.S).group(1)
    assert "Sulawesi Selatan" in late_list and "Kota Makassar" in late_list and "Luwu Utara" not in late_list
    not_adopted = re.search(r'data-testid="not-adopted">(.*?)</ul>', page, re.S).group(1)
    assert "Jawa Tengah" in not_adopted and "Sulawesi Selatan" not in not_adopted
    assert _login(people.kakanwil_jateng).get(f"/rakor/keputusan/{decision.pk}/").status_code == 200  # invited
    assert _login(people.outsider).get(f"/rakor/keputusan/{decision.pk}/").status_code == 403

    # the Makassar board: its late action first
    board = _text(_login(people.fo_makassar).get("/rakor/papan/"))
    assert board.index('data-state="late"') < board.index('data-state="done"')
    late_group = re.search(r'data-state="late">(.*?)</section>', board, re.S).group(1)
    assert "Terobosan layanan Makassar" in late_group and "Terobosan layanan Lutra" not in board
    wide = _text(_login(people.kakanwil_sulsel).get("/rakor/papan/", {"bawah": "1"}))
    assert "Terobosan layanan Makassar" in wide and "Terobosan layanan Lutra" in wide


def test_a_heads_board_opens_on_the_offices_below(people):
    """The Kakanwil's late Makassar action is on the board they open, not behind a toggle."""
    _late_actions_in_sulsel(people)
    kakanwil = _login(people.kakanwil_sulsel)
    opened = _text(kakanwil.get("/rakor/papan/"))
    late_group = re.search(r'data-state="late">(.*?)</section>', opened, re.S).group(1)
    assert "Terobosan layanan Makassar" in late_group
    assert 'href="/rakor/papan/?bawah=1" aria-current="page"' in opened  # the scope shown is marked
    own_only = _text(kakanwil.get("/rakor/papan/", {"bawah": "0"}))
    assert "Terobosan layanan Makassar" not in own_only
    assert 'href="/rakor/papan/?bawah=0" aria-current="page"' in own_only
    # A Kankemenag's board is its own office, with no scope switch.
    lutra = _text(_login(people.kakan_lutra).get("/rakor/papan/"))
    assert "Terobosan layanan Makassar" not in lutra and "scope-toggle" not in lutra


def test_a_superuser_records_for_pusat(people):
    admin = get_user_model().objects.create_superuser("admin", "admin@test.local", "sandi-uji-123")
    c = _login(admin)
    assert 'value="pusat"' in _text(c.get("/rakor/baru/"))
    day = (datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(days=3)).date().isoformat()
    response = c.post("/rakor/baru/", _form(office="pusat", type="rakernas", title="Rakernas 2026", date=day,
                                             invited=["73", "33"]))
    assert response.status_code == 302
    assert Meeting.objects.get().office.code == "pusat"


def test_pusat_board_rolls_up_per_kanwil_and_drills_down(people):
    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(office="pusat", type="rakernas", title="Rakernas",
                                                      starts_at=start, ends_at=start + timedelta(hours=2)), user=None)
    d = followups.add_decision(m, "Percepat layanan daring")
    makassar, lutra, jateng = (Office.objects.get(code=c) for c in ("73.71", "73.22", "33"))
    late = followups.add_action(d, office=makassar, indicator="Laporan Makassar", due_date=followups.office_today(makassar))
    Action.objects.filter(pk=late.pk).update(due_date=followups.office_today(makassar) - timedelta(days=3))
    done = followups.add_action(d, office=lutra, indicator="Laporan Lutra", due_date=followups.office_today(lutra))
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.DONE)
    followups.add_action(d, office=jateng, indicator="Laporan Jateng", due_date=followups.office_today(jateng))
    pusat = _login(_pusat_head())

    wide = _text(pusat.get("/rakor/papan/", {"bawah": "1"}))
    rows = dict(re.findall(r'<tr data-office="([^"]+)">(.*?)</tr>', wide, re.S))
    assert set(rows) == {"73", "33"}  # one row per Kanwil, the regencies counted in it
    assert 'href="/rakor/papan/?bawah=1&amp;kantor=73"' in rows["73"]
    cells = re.findall(r"<td>(.*?)</td>", rows["73"])[1:]
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == ["1", "0", "1", "0"]  # done, on track, late, not started
    assert "Kantor yang terlambat (1)" in wide and "Kota Makassar" in wide  # the late offices are named

    drilled = _text(pusat.get("/rakor/papan/", {"bawah": "1", "kantor": "73"}))
    assert set(re.findall(r'<tr data-office="([^"]+)">', drilled)) == {"73.71", "73.22"}
    assert "Laporan Jateng" not in drilled and "Laporan Makassar" in drilled
    assert 'href="/rakor/papan/?bawah=1">' in drilled  # back up to the whole country

    kanwil = _login(people.kakanwil_sulsel)
    assert kanwil.get("/rakor/papan/", {"bawah": "1", "kantor": "73.71"}).status_code == 200
    refused = kanwil.get("/rakor/papan/", {"bawah": "1", "kantor": "33"})
    assert refused.status_code == 404 and "tidak berada di bawah kantor Anda" in _text(refused)
    assert "Laporan Jateng" not in _text(refused)
    assert kanwil.get("/rakor/papan/", {"kantor": "zz"}).status_code == 404


def test_an_invited_head_without_a_meeting_of_their_own_is_told_how_to_adopt(people):
    rakernas = _meeting("pusat", MeetingType.RAKERNAS, invited_offices=["73", "33"])
    followups.add_decision(rakernas, "Tujuh program prioritas", "Menteri Agama")
    c = _login(people.kakanwil_sulsel)
    page = _text(c.get(f"/rakor/{rakernas.pk}/"))
    # It listed the office as "not yet adopted" with no way to act and no word why.
    assert "catat dulu rapat kantor Anda yang membahasnya" in page and 'href="/rakor/baru/"' in page
    _meeting("73")
    page = _text(c.get(f"/rakor/{rakernas.pk}/"))
    assert "catat dulu rapat kantor Anda" not in page and "Adopsi ke rapat kantor saya" in page
    clerk = get_user_model().objects.create_user("fo.kanwil", "fo.kanwil@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=clerk, office=Office.objects.get(code="73"), role=Role.FRONT_OFFICE)
    assert "catat dulu rapat kantor Anda" not in _text(_login(clerk).get(f"/rakor/{rakernas.pk}/"))
