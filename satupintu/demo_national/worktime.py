"""The office working calendar as arrays, so a million SLA clocks are computed at once.

`organization.working_calendar.WorkingCalendar` walks day by day for one moment; here each
distinct calendar (time zone, hours, weekdays, days off) becomes a table of its working days
over the demo's span, and "working seconds since the start of the table" maps a moment to a
number and back. The results are the same as WorkingCalendar's (tests/test_demo_national.py
compares them), on whole seconds.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from satupintu.organization.working_calendar import WorkingCalendar


class ArrayCalendar:
    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        opens, closes = [], []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                o = datetime.combine(day, calendar.opens_at, tzinfo=calendar.tz)
                c = datetime.combine(day, calendar.closes_at, tzinfo=calendar.tz)
                opens.append(int(o.timestamp()))
                closes.append(int(c.timestamp()))
            day += timedelta(days=1)
        self.opens = np.array(opens, dtype=np.int64)
        self.closes = np.array(closes, dtype=np.int64)
        lengths = self.closes - self.opens
        self.cum_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        self.cum_end = self.cum_start + lengths
        self.seconds_per_day = int(lengths[0]) if len(lengths) else 0

    def to_ws(self, t: np.ndarray) -> np.ndarray:
        """Working seconds from the table's start up to epoch second t."""
        t = np.asarray(t, dtype=np.int64)
        i = np.searchsorted(self.opens, t, side="right") - 1  # last working day opening at or before t
        before = i < 0
        i = np.maximum(i, 0)
        inside = np.clip(t - self.opens[i], 0, self.closes[i] - self.opens[i])
        return np.where(before, 0, self.cum_start[i] + inside)

    def from_ws(self, w: np.ndarray) -> np.ndarray:
        """The epoch second when w working seconds have passed (a day's close, not the next opening,
        when w falls exactly at the end of a day: as WorkingCalendar.add_working_seconds)."""
        w = np.asarray(w, dtype=np.int64)
        i = np.searchsorted(self.cum_end, w, side="left")
        if len(i) and i.max() >= len(self.opens):
            raise ValueError("working time beyond the calendar table")
        return self.opens[i] + (w - self.cum_start[i])

    def add(self, t: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        return self.from_ws(self.to_ws(t) + np.asarray(seconds, dtype=np.int64))


def calendar_key(office) -> tuple:  # type: ignore[no-untyped-def]
    return (office.timezone, office.opens_at, office.closes_at, office.working_weekdays)


def calendars_for(offices: list, first: date, last: date) -> tuple[list[ArrayCalendar], np.ndarray]:  # type: ignore[type-arg]
    """One ArrayCalendar per distinct calendar and, per office (in the given order), its index.
    An office with its own days off (JointLeaveDay with office set) gets its own calendar."""
    from satupintu.organization.models import JointLeaveDay

    own_days = set(JointLeaveDay.objects.filter(office__isnull=False).values_list("office_id", flat=True))
    keys: dict[tuple, int] = {}
    cals: list[ArrayCalendar] = []
    index = np.zeros(len(offices), dtype=np.int64)
    for n, office in enumerate(offices):
        key = calendar_key(office) + ((office.pk,) if office.pk in own_days else ())
        if key not in keys:
            keys[key] = len(cals)
            cals.append(ArrayCalendar(WorkingCalendar.for_office(office), first, last))
        index[n] = keys[key]
    return cals, index
