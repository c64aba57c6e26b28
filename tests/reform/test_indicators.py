"""A breakthrough's figures before and after its start, computed from real rows (applications with
their SLA clock, complaints answered, survey answers), and the message when there is too little data."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

import pytest

from satupintu.organization.models import Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.reform.indicators import MIN_N, WINDOW_DAYS, before_after, office_today, windows
from satupintu.reform.models import IndicatorKind
from tests.reform.conftest import (
    answered_complaint,
    breakthrough,
    decided_application,
    survey_answers,
    workday_at,
)

pytestmark = pytest.mark.django_db
K = IndicatorKind


def _effect(b, kind):  # type: ignore[no-untyped-def]
    return next(e for e in before_after(b) if e.kind == kind)


def test_windows_are_90_days_before_and_up_to_today_after():
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=200)
    before, after = windows(started, today)
    assert (before.end - before.start).days + 1 == WINDOW_DAYS and before.end == started - timedelta(days=1)
    assert after.end == today and (after.end - after.start).days + 1 == WINDOW_DAYS  # the last 90 days
    recent = today - timedelta(days=10)
    assert windows(recent, today)[1].start == recent


def test_on_time_rate_and_online_share_from_applications(people):
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=30)
    # Before: 6 decided, 3 of them days late; 5 of 6 typed in at the desk.
    for i in range(6):
        t = workday_at(today - timedelta(days=70 + i), 9)
        closed = t + timedelta(days=10) if i < 3 else t + timedelta(hours=1)
        decided_application(people, submitted=t, closed=closed, serial=i + 1, assisted=i < 5)
    # After: 5 decided, all within the day; 1 of 5 at the desk.
    for i in range(5):
        t = workday_at(today - timedelta(days=20 - i), 9)
        decided_application(people, submitted=t, closed=t + timedelta(hours=2), serial=i + 20, assisted=i == 0)
    b = breakthrough(started_on=started, kinds=[K.ON_TIME_RATE, K.ONLINE_SHARE])
    on_time = _effect(b, K.ON_TIME_RATE)
    assert (on_time.before, on_time.after, on_time.before_n, on_time.after_n) == (50.0, 100.0, 6, 5)
    assert on_time.better is True and on_time.message == "" and on_time.unit == "%"
    online = _effect(b, K.ONLINE_SHARE)
    assert (online.before, online.after) == (round(100 / 6, 1), 80.0)
    assert online.better is True


def test_ikm_per_unit_from_survey_answers(people):
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=40)
    survey_answers(started - timedelta(days=10), 12, 3)  # every element 3: IKM 75.00
    survey_answers(started + timedelta(days=5), 10, 4)  # every element 4: IKM 100.00
    survey_answers(started + timedelta(days=5), 30, 1, service="pengukuran-arah-kiblat")  # Bimas Islam: not counted
    b = breakthrough(started_on=started, kinds=[K.IKM])
    ikm = _effect(b, K.IKM)
    assert (ikm.before, ikm.after, ikm.before_n, ikm.after_n, ikm.better) == (75.0, 100.0, 12, 10, True)


def test_complaint_hours_from_answered_complaints(people):
    office = Office.objects.get(code="73.22")
    today = office_today(office)
    started = today - timedelta(days=30)
    calendar = WorkingCalendar.for_office(office)
    spans = {"before": [], "after": []}
    for i, hours in enumerate([30, 26, 50]):  # before: answered days later
        t = workday_at(started - timedelta(days=20 + 7 * i), 8)
        answered = t + timedelta(hours=hours)
        answered_complaint(people, submitted=t, answered=answered, n=i)
        spans["before"].append(calendar.working_seconds_between(t, answered))
    for i, hours in enumerate([2, 3, 5]):  # after: the same day
        t = workday_at(today - timedelta(days=5 + 4 * i), 9)
        answered = t + timedelta(hours=hours)
        answered_complaint(people, submitted=t, answered=answered, n=10 + i)
        spans["after"].append(calendar.working_seconds_between(t, answered))
    b = breakthrough(started_on=started, kinds=[K.COMPLAINT_HOURS])
    effect = _effect(b, K.COMPLAINT_HOURS)
    assert effect.before == round(median(spans["before"]) / 3600, 1)
    assert effect.after == round(median(spans["after"]) / 3600, 1)
    assert effect.after < effect.before and effect.better is True and effect.unit == "jam"


def test_no_data_after_the_start_gives_a_message_not_a_zero(people):
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=3)
    survey_answers(started - timedelta(days=20), 15, 3)
    b = breakthrough(started_on=started, kinds=[K.IKM, K.COMPLAINT_HOURS])
    ikm = _effect(b, K.IKM)
    assert ikm.before == 75.0 and ikm.after is None and ikm.after_n == 0 and ikm.better is None
    assert ikm.message.startswith("Belum ada data setelah terobosan dimulai (0 jawaban survei sejak ")
    complaints = _effect(b, K.COMPLAINT_HOURS)
    assert complaints.before is None and complaints.after is None
    assert "0 pengaduan dijawab" in complaints.message and "sebelum terobosan dimulai" in complaints.message


def test_too_few_rows_is_no_figure_with_the_minimum_said(people):
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=30)
    survey_answers(started - timedelta(days=10), MIN_N[K.IKM], 3)
    survey_answers(started + timedelta(days=3), MIN_N[K.IKM] - 1, 4)
    effect = _effect(breakthrough(started_on=started, kinds=[K.IKM]), K.IKM)
    assert effect.before == 75.0 and effect.after is None and effect.after_n == MIN_N[K.IKM] - 1
    assert f"{MIN_N[K.IKM] - 1} jawaban survei" in effect.message
    assert f"perlu paling sedikit {MIN_N[K.IKM]}" in effect.message


def test_another_office_and_unit_are_not_counted(people, submit):
    today = office_today(Office.objects.get(code="73.22"))
    started = today - timedelta(days=30)
    for i in range(5):  # Kota Makassar's applications
        submit(now=workday_at(today - timedelta(days=10 + i), 9), office="73.71",
               nik=f"7322015708900{i + 50:03d}")
    b = breakthrough(started_on=started, kinds=[K.ONLINE_SHARE])
    effect = _effect(b, K.ONLINE_SHARE)
    assert effect.after is None and effect.after_n == 0
