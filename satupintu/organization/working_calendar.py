"""The working calendar of an office: its time zone, office hours and days off.

Days off are weekends (per the office's working weekdays), Indonesian national holidays
(the `holidays` package) and joint leave days or local days off kept in JointLeaveDay.
The SLA clock (services/sla.py) measures time with this calendar.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib

from satupintu.organization.models import JointLeaveDay, Office

_MAX_DAYS = 3660  # ten years: a bound so a misconfigured office (no working days) cannot loop forever


class CalendarError(ValueError):
    pass


_national_lock = threading.Lock()
NATIONAL_YEARS = range(2000, 2041)  # filled when the object is built
_national: holidays_lib.HolidayBase | None = None


def national_holidays() -> holidays_lib.HolidayBase:
    """Indonesia's public holidays, built once per process: a build costs about 8 ms, and a queue
    listing forty offices' work built one per office. Filled for 2000-2040 at once, so threads
    reading it never see a year half filled (later years are added as the package does)."""
    global _national
    if _national is None:
        with _national_lock:
            if _national is None:
                _national = holidays_lib.country_holidays("ID", language="id", years=NATIONAL_YEARS)
    return _national


def office_today(office: Office) -> date:
    """The date at the office now (at 00:30 WIT on 1 January it is still 31 December in Jakarta)."""
    from django.utils import timezone

    return timezone.now().astimezone(ZoneInfo(office.timezone)).date()


@dataclass
class WorkingCalendar:
    tz: ZoneInfo
    opens_at: time
    closes_at: time
    weekdays: frozenset[int]  # ISO weekdays, Monday=1
    extra_days_off: dict[date, str] = field(default_factory=dict)
    _national: holidays_lib.HolidayBase = field(init=False)

    def __post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise CalendarError("Jam tutup harus setelah jam buka")
        if not self.weekdays:
            raise CalendarError("Kantor harus punya minimal satu hari kerja")
        self._national = national_holidays()

    @classmethod
    def for_office(cls, office: Office, days_off: dict[date, str] | None = None) -> "WorkingCalendar":
        """``days_off``: the office's joint leave and local days off, when the caller has them already."""
        days = days_off if days_off is not None else {
            d.date: d.name
            for d in JointLeaveDay.objects.filter(office__isnull=True) | JointLeaveDay.objects.filter(office=office)
        }
        return cls(
            tz=ZoneInfo(office.timezone),
            opens_at=office.opens_at,
            closes_at=office.closes_at,
            weekdays=frozenset(int(c) for c in office.working_weekdays if c in "0123456789"),
            extra_days_off=days,
        )

    @property
    def seconds_per_day(self) -> int:
        today = date(2000, 1, 3)
        return int((datetime.combine(today, self.closes_at) - datetime.combine(today, self.opens_at)).total_seconds())

    def day_off_reason(self, day: date) -> str | None:
        if day.isoweekday() not in self.weekdays:
            return "Akhir pekan"
        if day in self.extra_days_off:
            return self.extra_days_off[day]
        if NATIONAL_YEARS.start <= day.year < NATIONAL_YEARS.stop:
            name = self._national.get(day)
        else:  # a year the shared object fills on first read: one thread at a time fills it
            with _national_lock:
                name = self._national.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        return self.day_off_reason(day) is None

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.opens_at, tzinfo=self.tz),
            datetime.combine(day, self.closes_at, tzinfo=self.tz),
        )

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment when ``seconds`` of office time have passed after ``start``."""
        if start.tzinfo is None:
            raise CalendarError("start must be timezone-aware")
        cursor = start.astimezone(self.tz)
        if seconds <= 0:
            return cursor
        remaining = seconds
        day = cursor.date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(cursor, opens)
                if begin < closes:
                    available = int((closes - begin).total_seconds())
                    if remaining <= available:
                        return begin + timedelta(seconds=remaining)
                    remaining -= available
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0, 0), tzinfo=self.tz)
        raise CalendarError("Tidak ada hari kerja dalam sepuluh tahun")

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """Office time between two moments (negative when end is before start)."""
        if end < start:
            return -self.working_seconds_between(end, start)
        a = start.astimezone(self.tz)
        b = end.astimezone(self.tz)
        total = 0
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self._window(day)
                lo, hi = max(a, opens), min(b, closes)
                if hi > lo:
                    total += int((hi - lo).total_seconds())
            day += timedelta(days=1)
        return total

    def next_opening(self, moment: datetime) -> datetime:
        """When the desk next opens (``moment`` itself if it is open now)."""
        return self.add_working_seconds(moment, 1) - timedelta(seconds=1)


class CalendarCache(dict):  # type: ignore[type-arg]
    """Office id -> WorkingCalendar, built once per request for pages listing many offices' work.
    Every office's days off are read in one query, on first use (a national queue lists forty
    offices' work: forty queries before)."""

    _days: dict[int | None, dict[date, str]] | None = None

    def for_office_of(self, item) -> WorkingCalendar:  # type: ignore[no-untyped-def]
        if item.office_id not in self:
            if self._days is None:
                self._days = {}
                for office_id, day, name in JointLeaveDay.objects.values_list("office_id", "date", "name"):
                    self._days.setdefault(office_id, {})[day] = name
            days = {**self._days.get(None, {}), **self._days.get(item.office_id, {})}
            self[item.office_id] = WorkingCalendar.for_office(item.office, days_off=days)
        return self[item.office_id]
