"""Report deadlines: verify 3 + answer N working days (per category), warned, then escalated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from satupintu.feedback import reports
from satupintu.feedback.deadlines import report_deadline_sweep
from satupintu.feedback.models import CategoryDeadline
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office, Role, StaffRole

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)


def _staff(username, office, role):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", "x")
    StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role)
    return user


def _report(category="service_quality"):  # type: ignore[no-untyped-def]
    return reports.report_submit(reports.ReportSubmission(
        kind="complaint", category=category, office="73.22", title="Antrean lama sekali",
        text=f"Antrean di loket lebih dari tiga jam tanpa kepastian ({category}), mohon diperbaiki.", name="Andi",
    ), now=MONDAY_9)


def test_deadline_is_verification_plus_category_days():
    # 3 + 5 working days of 8 office hours from Monday 09.00: Thursday of the next week, 09.00
    assert _report().due_at == datetime(2026, 12, 3, 9, 0, tzinfo=WITA)
    CategoryDeadline.objects.create(category="hajj", working_days=2)
    assert _report("hajj").due_at == datetime(2026, 11, 30, 9, 0, tzinfo=WITA)  # 3 + 2


def test_warning_then_escalation_to_the_right_people():
    _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    _staff("kakan", "73.22", Role.HEAD_OF_OFFICE)
    _staff("itwil", "73", Role.INSPECTORATE)
    _staff("itkab", "73.22", Role.INSPECTORATE)
    _report()
    _report("illegal_levy")
    assert report_deadline_sweep(now=MONDAY_9 + timedelta(days=1)) == {"warned": 0, "escalated": 0, "closed": 0}
    assert report_deadline_sweep(now=datetime(2026, 12, 1, 15, 0, tzinfo=WITA)) == {"warned": 2, "escalated": 0, "closed": 0}
    warned = sorted(OutboxMessage.objects.filter(subject__startswith="[Tenggat]").values_list("recipient", flat=True))
    assert warned == ["itkab@test.local", "pengaduan@test.local"]
    assert report_deadline_sweep(now=datetime(2026, 12, 3, 9, 0, tzinfo=WITA)) == {"warned": 0, "escalated": 2, "closed": 0}
    escalated = sorted(OutboxMessage.objects.filter(subject__startswith="[Eskalasi]").values_list("recipient", flat=True))
    assert escalated == ["itkab@test.local", "itwil@test.local", "kakan@test.local"]
    assert report_deadline_sweep(now=datetime(2026, 12, 9, 9, 0, tzinfo=WITA)) == {"warned": 0, "escalated": 0, "closed": 0}
    # The steps on the officer's history by name, in the page's language (not "sla_warning").
    from django.conf import settings
    from django.test import Client

    officer = Client()
    officer.force_login(get_user_model().objects.get(username="pengaduan"))
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from satupintu.feedback.models import Report

    code = Report.objects.filter(category="service_quality").get().tracking_code
    page = officer.get(f"/petugas/pengaduan/{code}/").content.decode()
    assert "sla_warning" not in page and "sla_escalation" not in page
    assert "The answer deadline is close." in page and "Past the answer deadline." in page


def test_answered_report_closes_after_ten_working_days_without_reply():
    officer = _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    report = _report()
    report = reports.report_act(report, "verify", user=officer, now=MONDAY_9)
    report = reports.report_act(report, "answer", user=officer, note="Sudah kami perbaiki.", now=MONDAY_9)
    assert report_deadline_sweep(now=datetime(2026, 12, 4, 9, 0, tzinfo=WITA))["closed"] == 0  # 9 working days
    assert report_deadline_sweep(now=datetime(2026, 12, 7, 9, 0, tzinfo=WITA))["closed"] == 1  # 10
    report.refresh_from_db()
    assert report.status == "closed" and report.events.filter(action="close", actor_label="Sistem").exists()


def test_the_automatic_close_tells_the_reporter_and_the_subscribers_like_any_other():
    import json

    from satupintu.integrations.models import WebhookDelivery, WebhookEndpoint

    WebhookEndpoint.objects.create(url="https://contoh.go.id/kait", secret="whsec_" + "A" * 43,
                                   events=["report.status_changed"])
    officer = _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean lama sekali",
        text="Antrean di loket lebih dari tiga jam tanpa kepastian, mohon diperbaiki.", name="Andi",
        email="andi@contoh.id", language="en"), now=MONDAY_9)
    report = reports.report_act(report, "verify", user=officer, now=MONDAY_9)
    report = reports.report_act(report, "answer", user=officer, note="Sudah kami perbaiki.", now=MONDAY_9)
    before = OutboxMessage.objects.filter(recipient="andi@contoh.id").count()
    assert report_deadline_sweep(now=datetime(2026, 12, 7, 9, 0, tzinfo=WITA))["closed"] == 1
    closed = [json.loads(d.payload)["data"] for d in WebhookDelivery.objects.filter(
        event_type="report.status_changed").order_by("pk")]
    assert [(d["action"], d["status"]) for d in closed][-1] == ("close", "closed")
    mails = OutboxMessage.objects.filter(recipient="andi@contoh.id").order_by("pk")
    assert mails.count() == before + 1
    # In the reporter's language, with the reason.
    assert "Closed automatically: no reply from the reporter in 10 working days." in mails.last().body


def test_a_report_reopened_after_a_late_answer_is_warned_and_escalated_again():
    officer = _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    _staff("kakan", "73.22", Role.HEAD_OF_OFFICE)
    r = _report()
    assert report_deadline_sweep(now=datetime(2026, 12, 1, 15, 0, tzinfo=WITA))["warned"] == 1
    r = reports.report_act(r, "verify", user=officer, now=datetime(2026, 12, 1, 15, 5, tzinfo=WITA))
    r = reports.report_act(r, "answer", user=officer, note="Sudah kami perbaiki antreannya.",
                           now=datetime(2026, 12, 1, 15, 10, tzinfo=WITA))
    reports.report_confirm(r, resolved=False, rating=None, comment="Belum")  # the clock runs again
    r.refresh_from_db()
    assert r.warned_at is None and r.escalated_at is None
    assert report_deadline_sweep(now=r.due_at + timedelta(days=7))["escalated"] == 1  # was 0: nobody told


def test_deadline_mails_skip_a_disabled_officer():
    _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    left = _staff("pengaduan.lama", "73.22", Role.COMPLAINT_OFFICER)
    left.is_active = False  # left the office: hears no more of its complaints
    left.save()
    _report()
    assert report_deadline_sweep(now=datetime(2026, 12, 1, 15, 0, tzinfo=WITA))["warned"] == 1
    warned = list(OutboxMessage.objects.filter(subject__startswith="[Tenggat]").values_list("recipient", flat=True))
    assert warned == ["pengaduan@test.local"]


def test_a_report_answered_while_the_sweep_ran_is_not_escalated():
    # The sweep reads the overdue reports first and flags them one by one; the officer answers one
    # in between. The sweep's old reading must not escalate an answered report to the head.
    from satupintu.feedback.deadlines import flag
    from satupintu.feedback.models import Report

    officer = _staff("pengaduan", "73.22", Role.COMPLAINT_OFFICER)
    _staff("kakan", "73.22", Role.HEAD_OF_OFFICE)
    r = _report()
    late = datetime(2026, 12, 3, 10, 0, tzinfo=WITA)
    as_read = Report.objects.get(pk=r.pk)  # the sweep's reading: running and overdue
    r = reports.report_act(r, "verify", user=officer, now=late)
    reports.report_act(r, "answer", user=officer, note="Sudah kami perbaiki antreannya.", now=late)
    assert flag(as_read, late, "escalation") == 0
    assert Report.objects.get(pk=r.pk).escalated_at is None
    assert not OutboxMessage.objects.filter(subject__startswith="[Eskalasi]").exists()
    assert not r.events.filter(action="sla_escalation").exists()

