"""Beranda saya: every application, report, survey answer, NGOPAS aspiration and followed case
of the person, with status, due date and the next step."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.bridge.models import ExternalApp, ExternalCase
from satupintu.citizen.models import VerifiedPhone
from satupintu.feedback import reports
from satupintu.feedback.models import Dialogue, Report, ReportStatus, SurveyResponse
from satupintu.organization.models import Office
from satupintu.services.models import Application, Service, Status
from tests.citizen.conftest import PHONE, claim, login

pytestmark = pytest.mark.django_db


def _report(phone: str = PHONE, **extra) -> Report:  # type: ignore[no-untyped-def]
    title = extra.pop("title", "Antrean lama")
    return reports.report_submit(reports.ReportSubmission(
        kind=extra.pop("kind", "complaint"), category="service_quality", office="73.22", title=title,
        text=f"{title}: mohon ditindaklanjuti segera.", name="Andi", email="andi@contoh.id", phone=phone))


def _row(page: str, code: str) -> str:
    match = re.search(r"<li>(?:(?!</li>).)*" + re.escape(code) + r"(?:(?!</li>).)*</li>", page, re.S)
    assert match, f"{code} not listed"
    return match.group(0)


def test_lists_everything_of_the_phone_with_the_next_step(citizen, submit):
    now = timezone.now()
    waiting = submit(now=now - timedelta(days=200))
    incomplete = submit(now=now - timedelta(days=150))
    pickup = submit(now=now - timedelta(days=100))
    surveyed = submit(now=now - timedelta(days=50))
    unsurveyed = submit()
    Application.objects.filter(pk=incomplete.pk).update(status=Status.NEEDS_COMPLETION)
    Application.objects.filter(pk=pickup.pk).update(status=Status.COMPLETED, pickup_instructions="Loket 2")
    Application.objects.filter(pk__in=[surveyed.pk, unsurveyed.pk]).update(status=Status.COMPLETED, handed_over_at=now)
    SurveyResponse.objects.create(office=surveyed.office, application=surveyed, channel="web", answered_on=now.date(),
                                  **{f"u{i}": 4 for i in range(1, 10)})
    answered = _report()
    Report.objects.filter(pk=answered.pk).update(status=ReportStatus.ANSWERED)
    dialogue = Dialogue.objects.create(office=Office.objects.get(code="73.22"), title="Ngopas Masjid Raya",
                                       venue_type="mosque", starts_at=now)
    aspiration = _report(kind="aspiration", title="Perpustakaan madrasah")
    Report.objects.filter(pk=aspiration.pk).update(dialogue=dialogue)
    someone_else = _report(phone="081298765432", title="Bukan milik Andi")
    external = ExternalCase.objects.create(app=ExternalApp.objects.first(), reference="NIKAH-123", phone=PHONE,
                                           last_status=Status.NEEDS_COMPLETION, last_label="Berkas kurang")
    c = login(citizen)
    claim(c)
    page = c.get("/akun/").content.decode()
    assert "Menunggu petugas" in _row(page, waiting.tracking_code)
    assert "Lengkapi berkas" in _row(page, incomplete.tracking_code)
    assert "Ambil produk di loket" in _row(page, pickup.tracking_code)
    assert "Isi survei" in _row(page, unsurveyed.tracking_code) and "/survei/" in _row(page, unsurveyed.tracking_code)
    assert "Langkah berikutnya" not in _row(page, f'href="/lacak/{surveyed.tracking_code}/"')
    assert "Terisi" in page  # the survey answer itself
    assert "Baca jawaban dan beri tanggapan" in _row(page, answered.tracking_code)
    assert "Aspirasi NGOPAS" in _row(page, aspiration.tracking_code)
    assert "Ngopas Masjid Raya" in _row(page, aspiration.tracking_code)
    row = _row(page, external.reference)
    assert "Perlu Dilengkapi" in row and "Lengkapi di" in row  # their status in our vocabulary
    assert someone_else.tracking_code not in page
    assert "tenggat" in _row(page, waiting.tracking_code)


def test_without_a_claim_only_what_the_account_filed(citizen, stranger, submit):
    not_claimed = submit(now=timezone.now() - timedelta(days=90))
    mine = submit(user=citizen)
    _report()
    page = login(citizen).get("/akun/").content.decode()
    assert mine.tracking_code in page and not_claimed.tracking_code not in page
    # No choice saved yet: the ticked boxes are what the applications go by now, said as such (it said
    # "each application uses its form's choice" above a ticked box, which read as a contradiction).
    assert "Yang tercentang di bawah adalah cara permohonan Anda mengirim kabar sekarang" in page
    # a phone proven by someone else shows nothing here
    VerifiedPhone.objects.create(user=stranger, phone=PHONE)
    assert not_claimed.tracking_code not in login(citizen).get("/akun/").content.decode()
    assert login(stranger).get("/akun/").status_code == 200


def test_what_beranda_lists_through_a_proved_phone_opens_without_the_phone_digits(citizen, stranger, submit):
    from satupintu.accounts.models import CitizenPhone

    app = submit(now=timezone.now() - timedelta(days=90))  # applied without an account, from the citizen's phone
    CitizenPhone.objects.create(user=citizen, phone=PHONE, verified=True)  # proved by signing in with its code
    c = login(citizen)
    assert app.tracking_code in c.get("/akun/").content.decode()
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Empat digit terakhir" not in page  # it asked for the last four digits again
    # the phone proved by someone else opens nothing for them... and an account's own stays its own
    other = login(stranger)
    assert "Empat digit terakhir" in other.get(f"/lacak/{app.tracking_code}/").content.decode()
    mine = submit(user=citizen)
    VerifiedPhone.objects.create(user=stranger, phone="+6281200000000")
    assert "Empat digit terakhir" in other.get(f"/lacak/{mine.tracking_code}/").content.decode()


def test_anonymous_goes_to_sign_in():
    from django.test import Client

    assert Client().get("/akun/")["Location"] == "/masuk/?next=/akun/"


def test_a_case_to_complete_in_another_app_sends_the_phone_in_a_post_not_in_the_link(citizen, submit):
    """The next step "Lengkapi di <app>" carries the proved phone to an app that takes it, in the
    body of a form POST (ASVS 8.3.1), and the page's policy lets that form reach that app only."""
    app = ExternalApp.objects.get(code="simkah")
    ExternalApp.objects.filter(pk=app.pk).update(link_url="https://simkah.example/lengkapi", prefill={"phone": "hp"})
    case = ExternalCase.objects.create(app=app, reference="NIKAH-124", phone=PHONE,
                                       last_status=Status.NEEDS_COMPLETION, last_label="Berkas kurang")
    submit()  # an application of the phone: what the claim proves it against
    c = login(citizen)
    claim(c)
    response = c.get("/akun/")
    row = _row(response.content.decode(), case.reference)
    assert 'method="post" action="https://simkah.example/lengkapi"' in row
    assert f'<input type="hidden" name="hp" value="{PHONE}">' in row and "hp=" not in row
    form_action = next(d for d in response.headers["Content-Security-Policy"].split(";")
                       if d.strip().startswith("form-action"))
    assert "https://simkah.example" in form_action


def test_the_filing_date_is_the_offices_day_like_the_due_date(citizen, submit):
    """Filed at 01.30 WIT on 2 January in Jayapura: the office's day, 2 January (Jakarta's clock
    still said the 1st)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from satupintu.services.catalog import offers

    office = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").order_by("code").first()
    assert office is not None
    service = next(s.slug for s in Service.objects.filter(slug__in=["legalisir-ijazah-madrasah",
                                                                  "duplikat-ijazah-madrasah"]) if offers(s, office))
    app = submit(service=service, office=office.code, user=citizen,
                 now=datetime(2026, 1, 2, 1, 30, tzinfo=ZoneInfo("Asia/Jayapura")))
    page = login(citizen).get("/akun/").content.decode()
    assert app.tracking_code in page
    assert re.search(r"diajukan\s+02-01-2026", page), re.findall(r"diajukan\s+\S+", page)
