"""The cascade: Pusat decides, a Kanwil adopts and assigns, Kankemenags report or go late,
and the decision at the top shows both; with the bad input the issue names."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from satupintu.core.errors import DomainError
from satupintu.organization.models import Office
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Action, MeetingType

pytestmark = pytest.mark.django_db


def meeting(office: str, kind: str = MeetingType.RAKOR, start=None, **extra):  # type: ignore[no-untyped-def]
    start = start or timezone.now() + timedelta(days=1)
    return meetings.create_meeting(meetings.MeetingDraft(
        office=office, type=kind, title=f"{kind} {office}", starts_at=start, ends_at=start + timedelta(hours=3),
        agenda=list(meetings.STANDARD_AGENDA[:2]), **extra), user=None)


def test_a_rakernas_decision_cascades_and_rolls_up(people):
    rakernas = meeting("pusat", MeetingType.RAKERNAS, invited_offices=["73", "33"])
    decision = followups.add_decision(rakernas, "Laksanakan 7 program prioritas; setiap satker menunjukkan terobosan",
                                      "Menteri Agama")
    rakor_sulsel = meeting("73")
    local = followups.adopt(decision, rakor_sulsel)
    lutra, makassar = Office.objects.get(code="73.22"), Office.objects.get(code="73.71")
    soon = followups.office_today(lutra) + timedelta(days=10)
    a1 = followups.add_action(local, office=lutra, indicator="Laporan terobosan layanan", due_date=soon)
    a2 = followups.add_action(local, office=makassar, indicator="Laporan terobosan layanan", due_date=soon)

    followups.report_progress(a1, user=people.kakan_lutra, note="Layanan legalisir daring berjalan",
                              link="https://lutra.example/bukti", percent=100)
    followups.close_action(a1, user=people.kakan_lutra)
    a2.due_date = followups.office_today(makassar) - timedelta(days=1)  # gone late
    a2.save()

    progress = followups.decision_progress(decision)
    by_code = {p.office.code: p for p in progress.offices}
    assert set(by_code) == {"73", "33"}
    assert by_code["73"].adopted and by_code["73"].states == {"done": 1, "late": 1}
    assert by_code["73"].overall == "late"
    assert by_code["33"].overall == "not_adopted"
    assert [o.code for o in progress.late_offices] == ["73"]
    assert progress.totals == {"done": 1, "late": 1} and progress.percent_done == 50

    followups.reopen_action(a1, user=people.kakanwil_sulsel)
    assert followups.decision_progress(decision).totals["done"] == 0


def test_bad_input_is_refused_with_clear_messages(people):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(DomainError, match="setelah waktu mulai"):
        meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="X", starts_at=start,
                                                      ends_at=start - timedelta(hours=1)), user=None)
    with pytest.raises(DomainError, match="tautan"):
        meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="X", starts_at=start,
                                                      ends_at=start + timedelta(hours=1), mode="online"), user=None)
    jateng_rakor = meeting("33")
    decision = followups.add_decision(jateng_rakor, "Arahan Kanwil Jateng")
    with pytest.raises(DomainError) as caught:
        followups.adopt(decision, meeting("73"))  # Sulsel may not see Jateng's Rakor
    assert caught.value.code == "adopt_not_visible"
    sulsel = followups.add_decision(meeting("73"), "Arahan Kanwil Sulsel")
    rakor_lutra = meeting("73.22")
    followups.adopt(sulsel, rakor_lutra)
    with pytest.raises(DomainError, match="sudah diadopsi"):
        followups.adopt(sulsel, rakor_lutra)
    lutra = Office.objects.get(code="73.22")
    with pytest.raises(DomainError, match="masa lalu"):
        followups.add_action(sulsel, office=lutra, indicator="x", due_date=followups.office_today(lutra) - timedelta(days=1))
    with pytest.raises(DomainError) as caught:
        followups.add_action(sulsel, office=Office.objects.get(code="33.71"), indicator="x",
                             due_date=followups.office_today(lutra) + timedelta(days=3))
    assert caught.value.code == "action_not_below"
    action = followups.add_action(sulsel, office=lutra, indicator="Bukti netralitas ASN",
                                  due_date=followups.office_today(lutra) + timedelta(days=3))
    followups.report_progress(action, user=people.kakan_lutra, note="Sosialisasi sudah")
    with pytest.raises(DomainError, match="bukti"):
        followups.close_action(action, user=people.kakan_lutra)


def test_attendance_once_and_only_around_the_meeting(people):
    start = timezone.now() + timedelta(minutes=30)
    m = meeting("73", start=start)
    first = meetings.record_attendance(m, people.kakan_lutra, method="qr", token=m.attendance_token)
    assert first.office.code == "73.22"
    with pytest.raises(DomainError, match="sudah tercatat"):
        meetings.record_attendance(m, people.kakan_lutra, method="link", token=m.attendance_token)
    with pytest.raises(DomainError, match="tidak sah"):
        meetings.record_attendance(m, people.fo_lutra, method="qr", token="salah")
    with pytest.raises(DomainError, match="sebelum rapat"):
        meetings.record_attendance(m, people.fo_lutra, method="qr", token=m.attendance_token,
                                   now=start + timedelta(hours=6))
    meetings.record_attendance(m, people.kakanwil_sulsel, method="link", token=m.attendance_token)
    total, per_office = meetings.attendance_counts(m)
    assert total == 2 and len(per_office) == 2


def test_ics_carries_the_office_local_time():
    wita = ZoneInfo("Asia/Makassar")
    start = datetime(2030, 3, 14, 9, 0, tzinfo=wita)
    m = meeting("73", start=start, venue="Aula Kanwil Kemenag Sulsel")
    cal = Calendar.from_ical(meetings.ics(m))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=8)
    assert str(event["dtstart"].params["TZID"]) == "Asia/Makassar"
    assert str(event["location"]) == "Aula Kanwil Kemenag Sulsel"
    assert cal.walk("VTIMEZONE")


def test_reminder_before_and_escalation_after_the_due_date_once_each(people):
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush
    from satupintu.rakor.deadlines import rakor_deadline_sweep

    decision = followups.add_decision(meeting("73"), "Laporkan realisasi anggaran")
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=lutra, indicator="Laporan realisasi",
                                  due_date=followups.office_today(lutra) + timedelta(days=30))
    wednesday = datetime(2030, 3, 13, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # a working day, whatever today is
    Action.objects.filter(pk=action.pk).update(due_date=wednesday.date())
    assert rakor_deadline_sweep(now=wednesday) == {"reminded": 1, "escalated": 0}
    assert rakor_deadline_sweep(now=wednesday) == {"reminded": 0, "escalated": 0}
    Action.objects.filter(pk=action.pk).update(due_date=wednesday.date() - timedelta(days=1))
    assert rakor_deadline_sweep(now=wednesday) == {"reminded": 0, "escalated": 1}
    assert rakor_deadline_sweep(now=wednesday)["escalated"] == 0
    outbox_flush()
    to = sorted(m.to[0] for m in mail.outbox)
    assert "kakan.lutra@test.local" in to and "kakanwil.sulsel@test.local" in to
    assert any("terlambat" in m.subject for m in mail.outbox if m.to == ["kakanwil.sulsel@test.local"])


def test_the_sweep_builds_each_offices_calendar_once(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.rakor.deadlines import rakor_deadline_sweep

    decision = followups.add_decision(meeting("73"), "Laporkan realisasi anggaran")
    lutra = Office.objects.get(code="73.22")
    far = followups.office_today(lutra) + timedelta(days=60)  # nothing to remind or escalate

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rakor_deadline_sweep()
        return len(ctx.captured_queries)

    followups.add_action(decision, office=lutra, indicator="Laporan 0", due_date=far)
    few = queries()
    for n in range(1, 6):
        followups.add_action(decision, office=lutra, indicator=f"Laporan {n}", due_date=far)
    assert queries() == few  # was one more (the office's calendar built again) per action


def test_a_disabled_head_gets_no_deadline_mail(people):
    from django.contrib.auth import get_user_model
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush
    from satupintu.rakor.deadlines import rakor_deadline_sweep

    decision = followups.add_decision(meeting("73"), "Laporkan realisasi anggaran")
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=lutra, indicator="Laporan realisasi",
                                  due_date=followups.office_today(lutra) + timedelta(days=30))
    wednesday = datetime(2030, 3, 13, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    Action.objects.filter(pk=action.pk).update(due_date=wednesday.date() - timedelta(days=1))
    get_user_model().objects.filter(email="kakan.lutra@test.local").update(is_active=False)  # left the office
    assert rakor_deadline_sweep(now=wednesday)["escalated"] == 1
    outbox_flush()
    to = {m.to[0] for m in mail.outbox}
    assert "kakanwil.sulsel@test.local" in to and "kakan.lutra@test.local" not in to


def test_escalation_waits_for_the_first_working_day_after_the_due_date(people):
    from satupintu.rakor.deadlines import rakor_deadline_sweep

    decision = followups.add_decision(meeting("73"), "Laporkan")
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=lutra, indicator="x",
                                  due_date=followups.office_today(lutra) + timedelta(days=30))
    wita = ZoneInfo("Asia/Makassar")
    Action.objects.filter(pk=action.pk).update(due_date=datetime(2030, 3, 15).date(), reminded_at=timezone.now())
    saturday, monday = datetime(2030, 3, 16, 10, 0, tzinfo=wita), datetime(2030, 3, 18, 10, 0, tzinfo=wita)
    assert rakor_deadline_sweep(now=saturday)["escalated"] == 0  # was escalated to the heads on a Saturday
    assert rakor_deadline_sweep(now=monday)["escalated"] == 1


def test_an_action_closed_while_the_sweep_runs_is_neither_escalated_nor_reminded(people):
    """The sweep reads open actions, then mails each: at national scale the action may be closed between."""
    from satupintu.notifications.models import OutboxMessage
    from satupintu.organization.working_calendar import WorkingCalendar
    from satupintu.rakor.deadlines import remind_or_escalate
    from satupintu.rakor.models import Action, ActionStatus

    decision = followups.add_decision(meeting("73"), "Laporkan realisasi anggaran")
    lutra = Office.objects.get(code="73.22")
    today = followups.office_today(lutra)
    late = followups.add_action(decision, office=lutra, indicator="Laporan", due_date=today)
    Action.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=1))  # its deadline lapsed
    near = followups.add_action(decision, office=lutra, indicator="Surat edaran", due_date=today)
    read = {a.pk: a for a in Action.objects.select_related("office", "decision__meeting__office")}  # the sweep's reading
    Action.objects.update(status=ActionStatus.DONE)  # then both are reported done
    calendar = WorkingCalendar.for_office(lutra)
    assert remind_or_escalate(read[late.pk], calendar=calendar, now=timezone.now()) == ""
    assert remind_or_escalate(read[near.pk], calendar=calendar, now=timezone.now()) == ""
    assert not OutboxMessage.objects.exists()
    assert not Action.objects.filter(escalated_at__isnull=False).exists()


def test_minutes_pdf_renders_agenda_decisions_and_actions(people):
    import io

    from pypdf import PdfReader

    from satupintu.rakor.minutes_pdf import minutes_pdf

    m = meeting("73", venue="Hotel BM Residence Palopo")
    agenda = m.agenda.first()
    agenda.minutes = "Kakanwil menekankan netralitas ASN."
    agenda.save()
    d = followups.add_decision(m, "Jaga netralitas ASN dalam pemilu", "Kakanwil")
    lutra = Office.objects.get(code="73.22")
    followups.add_action(d, office=lutra, indicator="Surat edaran netralitas",
                         due_date=followups.office_today(lutra) + timedelta(days=5))
    pdf = minutes_pdf(m)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("NOTULEN RAPAT", "Hotel BM Residence Palopo", "WITA", "netralitas ASN", "Surat edaran",
                     "belum mulai"):
        assert expected in text, expected


def test_domain_edges_found_by_the_page_tests(people):
    start = timezone.now() + timedelta(days=1)
    for link in ("javascript:alert(1)", "https://x.example/" + "a" * 600):
        with pytest.raises(DomainError) as caught:
            meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="X", starts_at=start,
                                                          ends_at=start + timedelta(hours=1), mode="online",
                                                          online_link=link), user=None)
        assert caught.value.code == "invalid_link"
    own = followups.add_decision(meeting("73"), "Arahan")
    with pytest.raises(DomainError) as caught:
        followups.adopt(own, meeting("73"))
    assert caught.value.code == "adopt_own_office"
    lutra = Office.objects.get(code="73.22")
    action = followups.add_action(own, office=lutra, indicator="Bukti", due_date=followups.office_today(lutra),
                                  evidence_required=False)
    followups.close_action(action, user=people.kakan_lutra)
    with pytest.raises(DomainError, match="buka kembali"):
        followups.report_progress(action, user=people.kakan_lutra, note="tambahan")
    # Reopened and late again: escalated again.
    from satupintu.rakor.deadlines import rakor_deadline_sweep

    action.escalated_at = timezone.now()
    action.save()
    followups.reopen_action(action, user=people.kakanwil_sulsel)
    action.refresh_from_db()
    assert action.escalated_at is None and action.reminded_at is None
    wednesday = datetime(2030, 3, 13, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))  # a working day, whatever today is
    action.due_date = wednesday.date() - timedelta(days=1)
    action.save()
    assert rakor_deadline_sweep(now=wednesday)["escalated"] == 1


def test_invited_offices_get_the_invitation_with_its_calendar_file(people):
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush

    m = meeting("73", invited_offices=["73.22", "73.71"])
    outbox_flush()
    invited = [msg for msg in mail.outbox if "Undangan" in msg.subject]
    assert [msg.to for msg in invited] == [["kakan.lutra@test.local"]]  # Makassar has no head in the personas
    name, content, kind = invited[0].attachments[0]
    assert name == f"rapat-{m.pk}.ics" and kind == "text/calendar"
    assert Calendar.from_ical(content).walk("VEVENT")[0]["summary"] == m.title


def test_disabled_accounts_get_no_invitation(people):
    from django.contrib.auth import get_user_model
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush

    get_user_model().objects.filter(username__in=["kakan.lutra", "fo.makassar"]).update(is_active=False)
    meeting("73", invited_offices=["73.22"], invited_people=["fo.makassar", "pendma.lutra"])
    outbox_flush()
    assert {msg.to[0] for msg in mail.outbox if "Undangan" in msg.subject} == {"pendma.lutra@test.local"}


def test_people_are_invited_by_username_or_email(people):
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush

    m = meeting("73", invited_people=["fo.makassar", "PENDMA.LUTRA@test.local"])
    assert {u.username for u in m.invited_people.all()} == {"fo.makassar", "pendma.lutra"}
    outbox_flush()
    assert {msg.to[0] for msg in mail.outbox if "Undangan" in msg.subject} == {
        "fo.makassar@test.local", "pendma.lutra@test.local"}
    with pytest.raises(DomainError, match="tidak ditemukan: orang.asing, warga"):
        meeting("73", invited_people=["orang.asing", "warga"])  # "warga" exists but is not staff


def test_an_invited_person_from_elsewhere_sees_the_meeting(client, people):
    m = meeting("73", invited_people=["kakanwil.jateng"])
    client.force_login(people.kakanwil_jateng)
    assert client.get(f"/rakor/{m.pk}/").status_code == 200
    assert client.get(f"/api/v1/meetings/{m.pk}").status_code == 200
    other = meeting("73")
    assert client.get(f"/api/v1/meetings/{other.pk}").status_code == 403


def test_roles_in_invited_offices_are_invited_and_attendance_splits_online_and_in_person(people):
    from django.core import mail

    from satupintu.notifications.outbox import outbox_flush

    with pytest.raises(DomainError, match="peran"):
        meeting("73", invited_offices=["73.22"], invited_roles=["raja"])
    m = meeting("73", invited_offices=["73.22"], invited_roles=["head_of_unit"], start=timezone.now())
    outbox_flush()
    assert {msg.to[0] for msg in mail.outbox if "Undangan" in msg.subject} == {
        "kakan.lutra@test.local", "kasi.pendma.lutra@test.local"}
    meetings.record_attendance(m, people.kakan_lutra, method="qr", token=m.attendance_token)
    meetings.record_attendance(m, people.kasi_pendma_lutra, method="link", token=m.attendance_token)
    meetings.record_attendance(m, people.fo_lutra, method="link", token=m.attendance_token)
    assert meetings.attendance_by_method(m) == {"qr": 1, "link": 2}


def test_which_meetings_a_list_names_is_the_one_rule_asked_for_all_at_once(people):
    # followups.visible_meetings (boards, adoption lists, the ZI pack) answers as user_may_see for each.
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.rakor.access import meeting_names

    lutra_internal = meeting("73.22")
    makassar_internal = meeting("73.71")
    kanwil = meeting("73")
    invited_office = meeting("73", invited_offices=["73.71"])
    jateng = meeting("33")
    invited_person = meeting("33.01")
    invited_person.invited_people.add(people.fo_makassar)
    meetings = [lutra_internal, makassar_internal, kanwil, invited_office, jateng, invited_person]
    superuser = get_user_model().objects.create_superuser("root", "root@test.local", "x")
    for user in (people.fo_lutra, people.kakanwil_sulsel, people.fo_makassar, people.kakanwil_jateng,
                 people.outsider, superuser):
        assert followups.visible_meetings(user, meetings) == {
            m.pk for m in meetings if followups.user_may_see(user, m)}, user.username
    assert followups.visible_meetings(people.fo_makassar, meetings) == {
        makassar_internal.pk, kanwil.pk, invited_office.pk, invited_person.pk}
    # And in a fixed number of queries however many meetings are named.
    with CaptureQueriesContext(connection) as few:
        meeting_names(people.kakanwil_sulsel, meetings[:2])
    longer = meetings + [meeting("73.71") for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        meeting_names(people.kakanwil_sulsel, longer)
    assert len(many.captured_queries) <= len(few.captured_queries)  # was two more per meeting
