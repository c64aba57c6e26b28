"""Response cases (situation/responses.py): deadlines in the acting office's working hours by
zone, escalation one level at a time with the heads told through the outbox, the figures per
office, the demo. Times are fixed (``now=``), so nothing here depends on the clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office, Role
from satupintu.situation import response_figures, responses
from satupintu.situation.models import (
    Alert,
    AlertKind,
    Issue,
    ResponseCase,
    ResponseKind,
    ResponseNote,
    ResponseStatus,
)
from tests.conftest import _staff

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")  # Luwu Utara and Kanwil Sulawesi Selatan


def wita(day: int, hour: int, minute: int = 0, month: int = 2) -> datetime:
    """February 2026: Friday the 6th, Monday the 9th and Tuesday the 10th are ordinary working days."""
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def make_issue(regency: str = "73.22", negative: int = 2, title: str = "Penolakan kegiatan keagamaan",
               when: datetime | None = None) -> Issue:
    when = when or wita(9, 8)
    return Issue.objects.create(title=title, province_code=regency[:2], regency_code=regency,
                                provinces=[regency[:2]], regencies=[regency], item_count=5,
                                negative_count=negative, first_seen=when, last_seen=when)


def make_alert(issue: Issue | None = None, regency: str = "73.22") -> Alert:
    when = wita(9, 8)
    return Alert.objects.create(kind=AlertKind.ISSUE, province_code=regency[:2], regency_code=regency, issue=issue,
                                window_start=when, window_end=when, count=9, baseline=1.0, score=5.0,
                                summary="Isu naik di Luwu Utara", key=f"uji-{regency}-{issue.pk if issue else 0}")


@pytest.fixture
def red_lutra(db):  # type: ignore[no-untyped-def]
    """Luwu Utara in the red zone, as the early-warning index (situation/warning.py) records it."""
    from django.utils import timezone

    from satupintu.situation.models import RegionWarning

    now = timezone.now()
    RegionWarning.objects.create(level="regency", code="73.22", province_code="73", index=70.0, zone="merah",
                                 computed_at=now, zone_since=now)


@pytest.fixture
def pusat_head(db):  # type: ignore[no-untyped-def]
    return _staff("kepala.pusat", "pusat", Role.HEAD_OF_OFFICE)


def open_lutra(people, subject, *, now: datetime, **kw) -> ResponseCase:  # type: ignore[no-untyped-def]
    return responses.open_case(subject, user=people.kakan_lutra, office=office("73.22"),
                               kind=kw.pop("kind", ResponseKind.CLARIFICATION), opener_offices=[office("73.22")],
                               now=now, **kw)


# --- deadlines -----------------------------------------------------------------------------------

def test_a_region_never_scored_is_green(db):
    assert responses.zone_for("73.22") == "hijau"
    assert responses.zone_hours("hijau") == 40 and responses.zone_hours("kuning") == 16
    assert responses.zone_hours("merah") == 4


def test_a_red_zone_case_is_due_in_four_working_hours_inside_office_hours(people, red_lutra):
    # Tuesday 10:00 WITA: four working hours later is the same afternoon, 14:00.
    case = open_lutra(people, make_issue(), now=wita(10, 10))
    assert case.zone == "merah" and case.hours == 4
    assert case.due_at.astimezone(WITA) == wita(10, 14)


def test_a_case_on_a_red_province_s_alert_is_due_in_the_red_zone_s_hours(people):
    # A province turning red raises its alert with no regency: its case is due as red, not green.
    from satupintu.situation.models import RegionWarning

    now = timezone.now()
    RegionWarning.objects.create(level="province", code="73", province_code="73", index=80.0, zone="merah",
                                 computed_at=now, zone_since=now)
    alert = Alert.objects.create(kind=AlertKind.ZONE, province_code="73", regency_code="", window_start=now,
                                 window_end=now, count=3, baseline=10.0, score=80.0, summary="Sulsel merah",
                                 key="zone:73:uji")
    kanwil = office("73")
    case = responses.open_case(alert, user=people.kakanwil_sulsel, office=kanwil, kind=ResponseKind.FKUB,
                               opener_offices=[kanwil])
    assert case.zone == "merah" and case.hours == 4


def test_a_red_zone_deadline_skips_the_night(people, red_lutra):
    # Tuesday 15:00: one hour left that day (the desk closes at 16:00), three on Wednesday from 08:00.
    case = open_lutra(people, make_issue(), now=wita(10, 15))
    assert case.due_at.astimezone(WITA) == wita(11, 11)


def test_a_red_zone_deadline_skips_the_weekend(people, red_lutra):
    # Friday 14:00: two hours on Friday, Saturday and Sunday off, two on Monday.
    case = open_lutra(people, make_issue(), now=wita(6, 14))
    assert case.due_at.astimezone(WITA) == wita(9, 10)
    # Opened on Saturday night: the clock starts when the office opens on Monday.
    other = open_lutra(people, make_issue(title="Lain"), now=wita(7, 22))
    assert other.due_at.astimezone(WITA) == wita(9, 12)


def test_settings_set_the_hours_of_each_zone(people, settings):
    settings.SITUATION_RESPONSE_HOURS = {"merah": 2, "kuning": 8, "hijau": 12}
    case = open_lutra(people, make_issue(), now=wita(9, 8))
    # Green: 12 working hours = Monday 08-16 (8) + Tuesday 08-12 (4).
    assert case.zone == "hijau" and case.due_at.astimezone(WITA) == wita(10, 12)


def test_the_opener_may_shorten_the_deadline_but_not_lengthen_it(people):
    case = open_lutra(people, make_issue(), now=wita(9, 8), hours=3)
    assert case.due_at.astimezone(WITA) == wita(9, 11)
    with pytest.raises(responses.DomainError) as err:
        open_lutra(people, make_issue(title="Lain"), now=wita(9, 8), hours=41)
    assert err.value.code == "invalid_hours" and "40" in err.value.message


# --- escalation ------------------------------------------------------------------------------------

def escalation_mail() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dedupe_key__startswith="response-escalation:").order_by("pk"))


def test_a_lapsed_case_escalates_once_per_level_up_the_hierarchy(people, pusat_head, red_lutra):
    case = open_lutra(people, make_issue(), now=wita(6, 14))  # due Monday 10:00
    assert responses.escalate_due(wita(9, 9, 59)) == 0
    assert responses.escalate_due(wita(9, 10, 1)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.escalated_to == office("73")
    told = {m.recipient for m in escalation_mail()}
    assert told == {people.kakanwil_sulsel.email, people.kakan_lutra.email}
    assert "/situasi/tanggapan/%d/" % case.pk in escalation_mail()[0].body
    # The sweep runs every ten minutes: nothing more until the Kanwil's own four hours are gone.
    assert responses.escalate_due(wita(9, 10, 11)) == 0
    assert responses.escalate_due(wita(9, 14, 0)) == 0
    assert len(escalation_mail()) == 2
    assert responses.escalate_due(wita(9, 14, 2)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.escalated_to == office("pusat")
    assert pusat_head.email in {m.recipient for m in escalation_mail()}
    # Pusat is the top: later sweeps leave it there and send nothing.
    assert responses.escalate_due(wita(20, 9)) == 0
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.next_escalation_at is None
    assert len(escalation_mail()) == 5  # level 1: Lutra and Kanwil heads; level 2: also Pusat's
    assert list(ResponseNote.objects.filter(case=case, event="escalated").values_list("text", flat=True)) == [
        "Tenggat 09/02/2026 10.00 terlewati; dinaikkan ke %s." % office("73").name,
        "Tenggat 09/02/2026 10.00 terlewati; dinaikkan ke %s." % office("pusat").name,
    ]
    # The trail reads in the reader's language (the stored text stays Indonesian, as e-mailed).
    from django.utils import translation

    with translation.override("en"):
        assert [n.shown_text for n in ResponseNote.objects.filter(case=case, event="escalated")] == [
            "Deadline 9 Feb 2026 10:00 missed; escalated to %s." % office("73").name,
            "Deadline 9 Feb 2026 10:00 missed; escalated to %s." % office("pusat").name,
        ]


def test_a_long_lapsed_case_climbs_one_level_per_sweep(people, pusat_head, red_lutra):
    case = open_lutra(people, make_issue(), now=wita(6, 14))
    assert responses.escalate_due(wita(27, 9)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 1


def test_a_resolved_case_does_not_escalate(people, red_lutra):
    case = open_lutra(people, make_issue(), now=wita(6, 14))
    responses.resolve(case, user=people.kakan_lutra, summary="Klarifikasi terbit.", now=wita(9, 9))
    assert responses.escalate_due(wita(9, 11)) == 0
    assert escalation_mail() == []


# --- working a case ----------------------------------------------------------------------------

def test_the_first_response_is_the_acting_office_s_first_note(people):
    case = open_lutra(people, make_issue(), now=wita(9, 8))
    # A head above writing is not the office responding.
    responses.add_note(case, user=people.kakanwil_sulsel, text="Mohon segera ditangani.", now=wita(9, 9))
    case.refresh_from_db()
    assert case.first_response_at is None and case.status == ResponseStatus.OPEN
    responses.add_note(case, user=people.bimas_lutra, text="Tim menuju lokasi.", now=wita(9, 10))
    case.refresh_from_db()
    assert case.first_response_at == wita(9, 10) and case.status == ResponseStatus.IN_PROGRESS


def test_closing_needs_a_summary_and_happens_once(people):
    case = open_lutra(people, make_issue(), now=wita(9, 8))
    with pytest.raises(responses.DomainError) as err:
        responses.resolve(case, user=people.kakan_lutra, summary="  ", now=wita(9, 9))
    assert err.value.code == "missing_summary"
    responses.resolve(case, user=people.kakan_lutra, summary="Selesai dimediasi.", now=wita(9, 9))
    assert case.status == ResponseStatus.RESOLVED and case.first_response_at == wita(9, 9)
    with pytest.raises(responses.DomainError) as err:
        responses.add_note(case, user=people.kakan_lutra, text="lagi", now=wita(9, 10))
    assert err.value.code == "case_resolved"


def test_one_open_case_per_subject_and_a_new_one_after_it_is_closed(people):
    issue = make_issue()
    first = open_lutra(people, issue, now=wita(9, 8))
    with pytest.raises(responses.DomainError) as err:
        open_lutra(people, issue, now=wita(9, 9))
    assert err.value.code == "case_exists" and err.value.status == 409
    assert f"/situasi/tanggapan/{first.pk}/" in err.value.message
    responses.resolve(first, user=people.kakan_lutra, summary="Selesai.", now=wita(9, 10))
    assert open_lutra(people, issue, now=wita(9, 11)).pk != first.pk


def test_a_case_needs_exactly_one_subject_in_the_database(people):
    from django.db import IntegrityError

    issue = make_issue()
    alert = make_alert(issue)
    with pytest.raises(IntegrityError):
        ResponseCase.objects.create(issue=issue, alert=alert, office=office("73.22"), kind="mediation",
                                    opened_by=people.kakan_lutra, hours=4, due_at=timezone.now())


# --- figures ---------------------------------------------------------------------------------------

def test_figures_per_office_on_a_small_fixture(people):
    lutra_issues = [make_issue(title=f"Isu negatif {n}") for n in range(3)]
    make_issue(title="Isu netral", negative=0)
    alert = make_alert(lutra_issues[1])
    # Case 1 on an issue: first response after 1 working hour, resolved after 4.
    one = open_lutra(people, lutra_issues[0], now=wita(9, 9))
    responses.add_note(one, user=people.bimas_lutra, text="Ditangani.", now=wita(9, 10))
    responses.resolve(one, user=people.kakan_lutra, summary="Selesai.", now=wita(9, 13))
    # Case 2 on the alert of the second issue: after 3 hours; resolved the next morning (7 + 1 hours).
    two = open_lutra(people, alert, now=wita(9, 9))
    responses.add_note(two, user=people.bimas_lutra, text="Ditangani.", now=wita(9, 12))
    responses.resolve(two, user=people.kakan_lutra, summary="Selesai.", now=wita(10, 9))
    # Case 3: still open and past its deadline (40 working hours from Monday 09:00).
    open_lutra(people, make_issue(title="Isu lama", negative=0), now=wita(9, 9))

    rows = response_figures.office_figures(since=wita(8, 0), until=wita(20, 0), province="73", now=wita(20, 0))
    by_code = {r.office.code: r for r in rows}
    lutra = by_code["73.22"]
    assert (lutra.cases, lutra.resolved, lutra.overdue) == (3, 2, 1)
    assert lutra.first_response_hours == 2.0  # median of 1 and 3
    assert lutra.resolution_hours == 6.0  # median of 4 and 8
    assert (lutra.negative_issues, lutra.responded_issues, lutra.responded_percent) == (3, 2, 67)
    kanwil = by_code["73"]  # no case of its own; the province's negative issues
    assert (kanwil.cases, kanwil.first_response_hours, kanwil.negative_issues, kanwil.responded_issues) == (
        0, None, 3, 2)
    assert response_figures.hours_label(lutra.first_response_hours) == "2,0 jam"
    # Another province's view does not count them.
    assert response_figures.office_figures(since=wita(8, 0), until=wita(20, 0), province="32") == []


def test_the_figures_cost_the_same_queries_however_many_cases_an_office_has(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response_figures.office_figures(since=wita(8, 0), until=wita(20, 0), province="73", now=wita(20, 0))
        return len(ctx.captured_queries)

    open_lutra(people, make_issue(title="Isu 0"), now=wita(9, 9))
    few = queries()
    for n in range(1, 6):
        open_lutra(people, make_issue(title=f"Isu {n}"), now=wita(9, 9))
    assert queries() == few  # was one more (the office's calendar built again) per case


def test_the_cases_list_puts_overdue_cases_first(people):
    late = open_lutra(people, make_issue(title="Lama"), now=wita(2, 9))
    fresh = open_lutra(people, make_issue(title="Baru"), now=wita(9, 9))
    done = open_lutra(people, make_issue(title="Selesai"), now=wita(1, 9))
    responses.resolve(done, user=people.kakan_lutra, summary="Selesai.", now=wita(2, 9))
    queue = list(response_figures.case_queue(status="all", now=wita(9, 10)))
    assert [c.pk for c in queue] == [late.pk, fresh.pk, done.pk]
    assert [c.pk for c in response_figures.case_queue(now=wita(9, 10))] == [late.pk, fresh.pk]


# --- the demo ----------------------------------------------------------------------------------------

def test_the_demo_has_an_escalated_a_resolved_and_an_open_case_and_loads_once(people, pusat_head):
    from django.contrib.auth import get_user_model

    from satupintu.situation.response_demo import load_response_demo

    get_user_model().objects.create_superuser("admin", "admin@test.local", "sandi-uji-123")
    make_issue(title="Isu Sulsel satu")
    make_issue(regency="73.71", title="Isu Sulsel dua")
    make_alert(make_issue(regency="32.01", title="Isu Bogor"), regency="32.01")
    users = {"kakan.lutra": people.kakan_lutra, "bimas.lutra": people.bimas_lutra}
    message = load_response_demo(users)
    assert "dinaikkan" in message and "selesai" in message and "terbuka" in message
    escalated = ResponseCase.objects.get(escalation_level=1)
    assert escalated.escalated_to == office("73")
    resolved = ResponseCase.objects.get(status=ResponseStatus.RESOLVED)
    assert resolved.summary.startswith("Mediasi")
    assert ResponseCase.objects.get(alert__isnull=False).office == office("32.01")
    assert load_response_demo(users) == "Tanggapan: data demo sudah ada."
    assert ResponseCase.objects.count() == 3


def test_the_sweep_is_scheduled_every_ten_minutes_and_runs_as_a_task(people, red_lutra, settings):
    from datetime import timedelta

    from satupintu.situation.tasks import escalate_responses

    entry = settings.CELERY_BEAT_SCHEDULE["situation-response-escalation"]
    assert entry["task"] == "satupintu.situation.tasks.escalate_responses"
    assert entry["schedule"] == timedelta(minutes=10)
    open_lutra(people, make_issue(), now=timezone.now() - timedelta(days=10))
    assert escalate_responses.delay().get() == 1
    assert escalate_responses.delay().get() == 0


def test_the_hours_setting_is_checked_at_start_up():
    from satupintu.core.env import ConfigError
    from satupintu.settings import _response_hours

    assert _response_hours('{"merah": 2}') == {"merah": 2, "kuning": 16, "hijau": 40}
    for wrong in ("merah=2", '{"biru": 3}', '{"merah": 0}', '{"merah": "4"}', "[4]"):
        with pytest.raises(ConfigError):
            _response_hours(wrong)


def test_a_note_or_a_file_on_a_case_closed_meanwhile_is_refused(people):
    """The page read the case open; another officer closed it before the note was sent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.core.errors import Conflict
    from tests.conftest import pdf_bytes

    case = open_lutra(people, make_issue(), now=timezone.now())
    stale = ResponseCase.objects.get(pk=case.pk)
    responses.resolve(case, user=people.kakan_lutra, summary="Mediasi selesai; kedua pihak sepakat.")
    with pytest.raises(Conflict):
        responses.add_note(stale, user=people.kakan_lutra, text="Tim menuju lokasi.")
    with pytest.raises(Conflict):
        responses.add_evidence(stale, user=people.kakan_lutra,
                               upload=SimpleUploadedFile("bukti.pdf", pdf_bytes("bukti"), "application/pdf"))
    assert list(case.notes.values_list("event", flat=True)) == ["resolved"] and not case.evidence.exists()


def test_the_briefs_response_table_headings_fit_their_columns(people):
    # "Respons pertama" was 4 pt wider than its column and ran into the next heading.
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table

    from satupintu.core.pdf_style import styles
    from satupintu.situation import selectors
    from satupintu.situation.briefs import _responses_section

    open_lutra(people, make_issue(), now=wita(9, 9))
    room = selectors.RoomFilter(days=14, until=wita(20, 0), province="73")
    section = _responses_section(room, styles())
    tables = [t for t in section if isinstance(t, Table)]
    assert len(tables) == 1, [getattr(p, "text", p) for p in section]
    table = tables[0]
    padding = 12  # reportlab's default 6 pt left and right
    for heading, width in zip(table._cellvalues[0], table._colWidths, strict=True):
        assert stringWidth(heading, "Helvetica-Bold", 8.5) + padding <= width, heading
