"""The working calendar: time zones, office hours, weekends, national holidays, leave days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from satupintu.organization.models import JointLeaveDay, Office
from satupintu.organization.working_calendar import CalendarError, WorkingCalendar

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
HOUR = 3600


def cal(office_code: str) -> WorkingCalendar:
    return WorkingCalendar.for_office(Office.objects.get(code=office_code))


@pytest.mark.django_db
def test_offices_carry_their_province_time_zone():
    assert Office.objects.get(code="31.71").timezone == "Asia/Jakarta"  # Jakarta Pusat: WIB
    assert Office.objects.get(code="73.22").timezone == "Asia/Makassar"  # Luwu Utara: WITA
    assert Office.objects.get(code="91").timezone == "Asia/Jayapura"  # Papua: WIT
    assert Office.objects.count() == 1 + 38 + 514


@pytest.mark.django_db
def test_adding_hours_stays_inside_local_office_hours():
    c = cal("73.22")  # WITA, 08.00-16.00 Monday-Friday
    start = datetime(2026, 11, 23, 15, 0, tzinfo=WITA)  # Monday 15.00
    due = c.add_working_seconds(start, 2 * HOUR)
    assert due == datetime(2026, 11, 24, 9, 0, tzinfo=WITA)  # 1 h today, 1 h tomorrow


@pytest.mark.django_db
def test_the_same_utc_moment_is_a_different_local_time_per_zone():
    moment = datetime(2026, 11, 23, 0, 30, tzinfo=ZoneInfo("UTC"))  # 07.30 WIB, 08.30 WITA, 09.30 WIT
    assert cal("31.71").add_working_seconds(moment, HOUR) == datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    assert cal("73.22").add_working_seconds(moment, HOUR) == datetime(2026, 11, 23, 9, 30, tzinfo=WITA)
    assert cal("91.03").add_working_seconds(moment, HOUR) == datetime(2026, 11, 23, 10, 30, tzinfo=WIT)


@pytest.mark.django_db
def test_weekend_is_skipped():
    c = cal("73.22")
    friday_late = datetime(2026, 11, 27, 15, 0, tzinfo=WITA)
    assert c.add_working_seconds(friday_late, 2 * HOUR) == datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=WITA)
    assert c.working_seconds_between(saturday, saturday + timedelta(days=1)) == 0


@pytest.mark.django_db
def test_national_holidays_are_skipped():
    c = cal("73.22")
    # 17 August 2026 (Monday) is Independence Day.
    assert c.day_off_reason(date(2026, 8, 17)) is not None
    friday = datetime(2026, 8, 14, 15, 0, tzinfo=WITA)
    assert c.add_working_seconds(friday, 2 * HOUR) == datetime(2026, 8, 18, 9, 0, tzinfo=WITA)
    # Christmas 2026 is a Friday.
    assert not c.is_working_day(date(2026, 12, 25))


@pytest.mark.django_db
def test_joint_leave_days_national_and_per_office():
    JointLeaveDay.objects.create(date=date(2026, 12, 24), name="Cuti bersama Natal")
    JointLeaveDay.objects.create(date=date(2026, 12, 23), name="Hari jadi Luwu Utara", office=Office.objects.get(code="73.22"))
    lutra, makassar = cal("73.22"), cal("73.71")
    assert lutra.day_off_reason(date(2026, 12, 24)) == "Cuti bersama Natal"
    assert not makassar.is_working_day(date(2026, 12, 24))
    assert not lutra.is_working_day(date(2026, 12, 23))
    assert makassar.is_working_day(date(2026, 12, 23))  # local day off is local


@pytest.mark.django_db
def test_a_page_of_many_offices_reads_their_days_off_once():
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.organization.working_calendar import CalendarCache

    JointLeaveDay.objects.create(date=date(2026, 12, 24), name="Cuti bersama Natal")
    JointLeaveDay.objects.create(date=date(2026, 12, 23), name="Hari jadi Luwu Utara", office=Office.objects.get(code="73.22"))
    offices = list(Office.objects.filter(code__in=["73.22", "73.71", "73", "33.01"]))
    cache = CalendarCache()
    with CaptureQueriesContext(connection) as ctx:
        calendars = {o.code: cache.for_office_of(SimpleNamespace(office_id=o.pk, office=o)) for o in offices}
    assert len(ctx.captured_queries) == 1  # was one per office
    assert calendars["73.22"].day_off_reason(date(2026, 12, 23)) == "Hari jadi Luwu Utara"
    assert all(c.day_off_reason(date(2026, 12, 24)) == "Cuti bersama Natal" for c in calendars.values())
    assert all(calendars[code].is_working_day(date(2026, 12, 23)) for code in ("73.71", "73", "33.01"))


@pytest.mark.django_db
def test_office_can_change_its_hours():
    office = Office.objects.get(code="73.22")
    office.opens_at, office.closes_at, office.working_weekdays = time(7, 30), time(16, 30), "123456"
    office.save()
    c = WorkingCalendar.for_office(office)
    assert c.seconds_per_day == 9 * HOUR
    saturday = datetime(2026, 11, 28, 7, 0, tzinfo=WITA)
    assert c.add_working_seconds(saturday, HOUR) == datetime(2026, 11, 28, 8, 30, tzinfo=WITA)


@pytest.mark.django_db
def test_between_and_add_agree():
    c = cal("73.22")
    start = datetime(2026, 11, 20, 11, 17, tzinfo=WITA)
    for seconds in (1, 5 * HOUR, 8 * HOUR, 23 * HOUR + 5, 40 * 8 * HOUR):
        end = c.add_working_seconds(start, seconds)
        assert c.working_seconds_between(start, end) == seconds
    assert c.working_seconds_between(end, start) == -seconds


def test_misconfigured_hours_are_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(tz=WIB, opens_at=time(16), closes_at=time(8), weekdays=frozenset({1}))
    with pytest.raises(CalendarError):
        WorkingCalendar(tz=WIB, opens_at=time(8), closes_at=time(16), weekdays=frozenset())


@pytest.mark.django_db
def test_holidays_are_known_outside_the_years_built_ahead_too():
    c = cal("73.22")
    assert c.day_off_reason(date(2045, 8, 17))  # Independence Day, a year the shared object fills on demand
    assert c.day_off_reason(date(1999, 12, 25))
