"""The language a person chose on the pages is the language of the e-mails the product sends
them later, from scheduled jobs (core/reading_language.py): deadline warnings and escalations,
Situation Room alerts and response cases, Rakor reminders and invitations."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from satupintu.core.models import ReadingLanguage
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office
from satupintu.services.deadlines import sla_sweep
from tests.situation.test_responses import make_alert, open_lutra, wita

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)


def choose(user, language: str) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/petugas/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == language


def mail_to(user) -> OutboxMessage:  # type: ignore[no-untyped-def]
    return OutboxMessage.objects.filter(recipient=user.email).order_by("-id")[0]


def test_the_language_buttons_keep_a_signed_in_person_s_choice_and_nobody_else_s(people):
    choose(people.kasi_pendma_lutra, "en")
    assert ReadingLanguage.objects.get(user=people.kasi_pendma_lutra).language == "en"
    choose(people.kasi_pendma_lutra, "id")
    assert ReadingLanguage.objects.get(user=people.kasi_pendma_lutra).language == "id"
    anonymous = Client().post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert anonymous.status_code == 302 and ReadingLanguage.objects.count() == 1
    signed_in = Client()
    signed_in.force_login(people.pendma_lutra)
    signed_in.post("/i18n/setlang/", {"language": "fr", "next": "/"})  # not a language we serve
    assert not ReadingLanguage.objects.filter(user=people.pendma_lutra).exists()


def test_deadline_mails_reach_each_officer_in_the_language_they_chose(submit, people):
    choose(people.kasi_pendma_lutra, "en")
    app = submit(now=MONDAY_9)
    assert sla_sweep(now=MONDAY_9 + timedelta(hours=6, minutes=30)) == {"warned": 1, "escalated": 0}
    english, indonesian = mail_to(people.kasi_pendma_lutra), mail_to(people.pendma_lutra)
    assert english.subject == f"[Deadline] Application {app.tracking_code}: 1 hour 30 minutes left"
    assert "is near its deadline" in english.body and "Open: http" in english.body
    assert indonesian.subject.startswith(f"[Tenggat] Permohonan {app.tracking_code}: sisa 1 jam")
    assert "Buka: http" in indonesian.body
    sla_sweep(now=MONDAY_9 + timedelta(days=1, hours=1))
    assert mail_to(people.kasi_pendma_lutra).subject == f"[Escalation] Application {app.tracking_code} is past its deadline"


def test_response_case_and_alert_mails_in_the_reader_s_language(people, django_capture_on_commit_callbacks):
    from satupintu.situation import trends

    choose(people.kakan_lutra, "en")
    alert = make_alert()
    open_lutra(people, alert, now=wita(2, 9))
    opened = mail_to(people.kakan_lutra)
    assert opened.subject.startswith("[Situation Room] New response for Kantor Kementerian Agama")
    assert "working hours, zone Green" in opened.body and "Open: http" in opened.body
    trends.assign(alert, people.kakan_lutra, people.kakan_lutra, note="Segera")
    assigned = mail_to(people.kakan_lutra)
    assert assigned.subject == f"[Situation Room] Assigned: {alert.headline}" and "Follow up: http" in assigned.body


def test_rakor_reminders_in_the_reader_s_language(people):
    from satupintu.rakor import followups
    from satupintu.rakor.deadlines import rakor_deadline_sweep
    from satupintu.rakor.models import Action
    from tests.rakor.test_followups import meeting

    choose(people.kakan_lutra, "en")
    decision = followups.add_decision(meeting("73"), "Laporkan realisasi anggaran")
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=lutra, indicator="Laporan realisasi",
                                  due_date=followups.office_today(lutra) + timedelta(days=30))
    wednesday = datetime(2030, 3, 13, 10, 0, tzinfo=WITA)
    Action.objects.filter(pk=action.pk).update(due_date=wednesday.date())
    assert rakor_deadline_sweep(now=wednesday) == {"reminded": 1, "escalated": 0}
    reminder = mail_to(people.kakan_lutra)
    assert reminder.subject == "[Rakor] Follow-up due 13 Mar 2030"  # the English way of writing a day
    assert "Report progress and evidence before the deadline." in reminder.body
