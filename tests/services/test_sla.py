"""The SLA clock on real applications: budget, due date, pause while the citizen holds the
file, stop at the end, warnings and escalation to the head of unit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from satupintu.notifications.models import OutboxMessage
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import sla
from satupintu.services.applications import application_complete_documents
from satupintu.services.deadlines import sla_sweep
from satupintu.services.models import Application
from satupintu.services.workflow import application_transition
from tests.conftest import upload

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)


def test_due_date_counts_working_days_in_office_hours(submit):
    # legalisir-ijazah-madrasah: 1 working day = 8 office hours
    app = submit(now=MONDAY_9)
    assert app.sla_budget_seconds == 8 * 3600
    assert app.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=WITA)


def test_submitted_on_friday_evening_is_due_on_monday_evening(submit):
    app = submit(now=datetime(2026, 11, 27, 19, 0, tzinfo=WITA))
    assert app.due_at == datetime(2026, 11, 30, 16, 0, tzinfo=WITA)


def test_clock_pauses_while_citizen_holds_the_file(submit, people):
    app = submit(now=MONDAY_9)
    # Two office hours pass, then the officer asks for completion.
    app = application_transition(app, "request_completion", user=people.fo_lutra, note="KTP buram",
                                 now=MONDAY_9 + timedelta(hours=2))
    assert app.due_at is None and app.sla_running_since is None
    assert app.sla_used_seconds == 2 * 3600
    cal = WorkingCalendar.for_office(app.office)
    # Three days later the clock still shows 6 hours left.
    later = MONDAY_9 + timedelta(days=3)
    assert sla.sla_remaining_seconds(app, calendar=cal, now=later) == 6 * 3600
    assert sla.sla_state(app, calendar=cal, now=later) == "paused"
    # The citizen completes on Thursday 10.00: due 6 office hours later, Thursday 16.00.
    thursday_10 = datetime(2026, 11, 26, 10, 0, tzinfo=WITA)
    app = application_complete_documents(app, files={"ktp": upload("ktp.pdf")}, now=thursday_10)
    assert app.status == "submitted"
    assert app.due_at == datetime(2026, 11, 26, 16, 0, tzinfo=WITA)


def test_clock_stops_at_completion(submit, people):
    app = submit(now=MONDAY_9)
    for action, hours in (("verify", 1), ("process", 2), ("complete", 3)):
        user = people.fo_lutra if action == "verify" else people.pendma_lutra
        note = "Ambil SK di loket PTSP" if action == "complete" else ""
        app = application_transition(app, action, user=user, note=note, now=MONDAY_9 + timedelta(hours=hours))
    assert app.sla_running_since is None and app.sla_used_seconds == 3 * 3600
    cal = WorkingCalendar.for_office(app.office)
    assert sla.sla_state(app, calendar=cal, now=MONDAY_9 + timedelta(days=30)) == "stopped"


def test_warning_then_escalation_to_head_of_unit(submit, people, django_capture_on_commit_callbacks):
    app = submit(now=MONDAY_9)
    assert sla_sweep(now=MONDAY_9 + timedelta(hours=1)) == {"warned": 0, "escalated": 0}
    result = sla_sweep(now=MONDAY_9 + timedelta(hours=6, minutes=30))  # 1.5 h of 8 left
    assert result == {"warned": 1, "escalated": 0}
    warning = OutboxMessage.objects.filter(subject__startswith="[Tenggat]")
    # the Pendidikan Madrasah officer and head of unit, not the Bimas Islam officer
    assert sorted(m.recipient for m in warning) == ["kasi.pendma.lutra@test.local", "pendma.lutra@test.local"]
    assert sla_sweep(now=MONDAY_9 + timedelta(hours=7)) == {"warned": 0, "escalated": 0}  # once only
    result = sla_sweep(now=MONDAY_9 + timedelta(days=1, hours=1))
    assert result == {"warned": 0, "escalated": 1}
    escalation = OutboxMessage.objects.filter(subject__startswith="[Eskalasi]")
    assert [m.recipient for m in escalation] == ["kasi.pendma.lutra@test.local"]
    app.refresh_from_db()
    assert app.escalated_at is not None
    assert app.events.filter(action="sla_escalation", public=False).count() == 1
    step = app.events.get(action="sla_escalation")
    from django.utils import translation

    with translation.override("en"):  # stored in Indonesian, read in the reader's language
        assert (step.note, step.note_shown) == ("Melewati tenggat; dieskalasi ke kepala unit.",
                                                "Past the deadline; escalated to the head of unit.")
    assert sla_sweep(now=MONDAY_9 + timedelta(days=2)) == {"warned": 0, "escalated": 0}


def test_paused_applications_are_never_escalated(submit, people):
    app = submit(now=MONDAY_9)
    application_transition(app, "request_completion", user=people.fo_lutra, note="Lengkapi", now=MONDAY_9)
    assert sla_sweep(now=MONDAY_9 + timedelta(days=20)) == {"warned": 0, "escalated": 0}
    assert Application.objects.get(pk=app.pk).escalated_at is None


def test_forward_to_other_office_keeps_used_time(submit, people):
    from satupintu.organization.models import Office, Unit
    from satupintu.services.workflow import application_forward

    app = submit(now=MONDAY_9)
    kanwil = Office.objects.get(code="73")
    app = application_forward(app, user=people.fo_lutra, office=kanwil, unit=Unit.objects.get(code="pendma"),
                              note="Kewenangan Kanwil", now=MONDAY_9 + timedelta(hours=3))
    assert app.sla_used_seconds == 3 * 3600
    # 5 office hours left from Monday 12.00: 4 on Monday, 1 on Tuesday.
    assert app.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=WITA)


def test_staff_deadline_mails_are_not_listed_as_messages_to_the_applicant(submit, people):
    from django.test import Client

    app = submit(now=MONDAY_9)
    sla_sweep(now=MONDAY_9 + timedelta(days=1, hours=1))  # overdue: escalated to the head of unit
    assert OutboxMessage.objects.filter(application_id=app.pk, subject__startswith="[Eskalasi]").exists()
    officer = Client()
    officer.force_login(people.kasi_pendma_lutra)
    page = officer.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    to_applicant = page.split("Pesan ke pemohon", 1)[1].split("</section>", 1)[0]
    assert "[Eskalasi]" not in to_applicant and "[Tenggat]" not in to_applicant
    assert f"Permohonan {app.tracking_code} diterima" in to_applicant  # the applicant's own receipt mail is there


def test_a_deadline_warning_skips_an_officer_whose_account_was_disabled(submit, people):
    from django.contrib.auth import get_user_model

    submit(now=MONDAY_9)
    get_user_model().objects.filter(username="pendma.lutra").update(is_active=False)  # moved away
    assert sla_sweep(now=MONDAY_9 + timedelta(hours=6, minutes=30)) == {"warned": 1, "escalated": 0}
    warning = OutboxMessage.objects.filter(subject__startswith="[Tenggat]")
    assert [m.recipient for m in warning] == ["kasi.pendma.lutra@test.local"]


def test_an_application_completed_while_the_sweep_ran_is_not_escalated(submit, people):
    # The sweep reads the running applications first and judges them one by one; the officer
    # completes one in between. Its old reading must not escalate finished work to the head.
    from satupintu.notifications.models import OutboxMessage
    from satupintu.services.deadlines import warn_or_escalate

    app = submit(now=MONDAY_9)
    late = MONDAY_9 + timedelta(days=1, hours=1)
    as_read = Application.objects.select_related("office", "service", "unit").get(pk=app.pk)
    for action in ("verify", "process", "complete"):
        user = people.fo_lutra if action == "verify" else people.pendma_lutra
        app = application_transition(app, action, user=user, note="Ambil di loket" if action == "complete" else "",
                                     now=late)
    calendar = WorkingCalendar.for_office(app.office)
    assert warn_or_escalate(as_read, calendar=calendar, now=late) == ""
    assert Application.objects.get(pk=app.pk).escalated_at is None
    assert not app.events.filter(action="sla_escalation").exists()
    assert not OutboxMessage.objects.filter(subject__startswith="[Eskalasi]").exists()


def test_a_warning_read_before_a_pause_is_not_sent(submit, people):
    from satupintu.services.deadlines import warn_or_escalate

    app = submit(now=MONDAY_9)
    near = MONDAY_9 + timedelta(hours=6, minutes=30)
    as_read = Application.objects.select_related("office", "service", "unit").get(pk=app.pk)
    application_transition(app, "request_completion", user=people.fo_lutra, note="KTP buram", now=near)
    assert warn_or_escalate(as_read, calendar=WorkingCalendar.for_office(app.office), now=near) == ""
    assert not Application.objects.get(pk=app.pk).events.filter(action="sla_warning").exists()


def test_shorter_office_hours_move_open_deadlines_by_the_share_of_a_day_left(submit, people):
    # 08-16 (8 h a day) becomes 08-12 (4 h). One hour of a one-day service used by Monday 10.00: seven
    # eighths of a day are left, 3.5 h of the new day: Monday 10-12 and Tuesday 08.00-09.30. The due
    # date stayed Tuesday 09.00 of the old hours, and the page said "1 working day 3 hours" left.
    from datetime import time

    from satupintu.services.office_setup import ServiceSetting, office_services, office_update_settings

    app = submit(now=MONDAY_9)
    office = app.office
    office_update_settings(office, opens_at=time(8), closes_at=time(12), weekdays=office.working_weekdays,
                           services={s.pk: ServiceSetting(enabled=True) for s in office_services(office)},
                           now=MONDAY_9 + timedelta(hours=1))
    app.refresh_from_db()
    assert (app.sla_budget_seconds, app.sla_used_seconds) == (4 * 3600, 1800)
    assert app.due_at == datetime(2026, 11, 24, 9, 30, tzinfo=WITA)
    cal = WorkingCalendar.for_office(app.office)
    assert sla.format_office_time(sla.sla_remaining_seconds(app, calendar=cal, now=MONDAY_9 + timedelta(hours=1)),
                                  cal) == sla.format_office_time(int(3.5 * 3600), cal)


def test_a_forward_to_an_office_with_shorter_days_keeps_the_share_of_a_day_left(submit, people):
    from datetime import time

    from satupintu.organization.models import Office, Unit
    from satupintu.services.workflow import application_forward

    kanwil = Office.objects.get(code="73")
    kanwil.opens_at, kanwil.closes_at = time(8), time(12)
    kanwil.save()
    app = submit(now=MONDAY_9)
    # Four of eight hours used at the Kankemenag: half a day left, two hours of the Kanwil's day.
    app = application_forward(app, user=people.fo_lutra, office=kanwil, unit=Unit.objects.get(code="pendma"),
                              note="Kewenangan Kanwil", now=MONDAY_9 + timedelta(hours=4))
    assert (app.sla_budget_seconds, app.sla_used_seconds) == (4 * 3600, 2 * 3600)
    assert app.due_at == datetime(2026, 11, 24, 10, 0, tzinfo=WITA)  # Tuesday 08-10 (Monday 13.00 is closed)


def test_two_administrators_saving_hours_from_pages_opened_together_reschedule_in_turn(submit, people):
    # A sets 08-12, then B (page opened before A saved) sets 08-14: the one-day service has a 6-hour
    # day's budget. B's save read the 08-16 hours A had replaced and scaled A's 4 h as 8: 3 h.
    from datetime import time

    from satupintu.organization.models import Office
    from satupintu.services.office_setup import ServiceSetting, office_services, office_update_settings

    app = submit(now=MONDAY_9)
    page_a, page_b = Office.objects.get(pk=app.office_id), Office.objects.get(pk=app.office_id)
    keep = {s.pk: ServiceSetting(enabled=True) for s in office_services(page_a)}
    office_update_settings(page_a, opens_at=time(8), closes_at=time(12), weekdays=page_a.working_weekdays,
                           services=keep, now=MONDAY_9)
    office_update_settings(page_b, opens_at=time(8), closes_at=time(14), weekdays=page_b.working_weekdays,
                           services=keep, now=MONDAY_9)
    app.refresh_from_db()
    assert app.sla_budget_seconds == 6 * 3600


def test_hours_changed_in_the_admin_reschedule_open_work_too(submit, people):
    from django.contrib.auth import get_user_model
    from django.forms.models import model_to_dict
    from django.test import Client

    app = submit(now=MONDAY_9)
    office = app.office
    admin = get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    c = Client()
    c.force_login(admin)
    data = {k: ("" if v is None else v) for k, v in model_to_dict(office).items()}
    data.update(opens_at="08:00", closes_at="12:00")
    response = c.post(f"/admin/organization/office/{office.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert app.sla_budget_seconds == 4 * 3600  # the admin's save left the 8-hour budget
