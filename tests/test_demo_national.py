"""The national demo generator at a small size: every part filled, the same data for the same
seed, the skew of real life, SLA fields and tracking codes as the application code would
leave them, and the pages that read them render. Also: the SKM tallies give the same numbers
as the live computation, and the vectorised calendar agrees with WorkingCalendar."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu import demo_national
from satupintu.feedback import selectors
from satupintu.feedback.models import Report, SurveyResponse
from satupintu.organization.models import Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.rakor.models import Action, Decision, Meeting, ProgressUpdate
from satupintu.services import sla
from satupintu.services.models import Application, Event
from satupintu.services.tracking_codes import normalize_tracking_code
from satupintu.situation.models import Issue, Item

pytestmark = pytest.mark.django_db
SIZE = 3000
# One "now" for both generations: the same seed and the same end of the year give the same rows.
NOW = timezone.now().replace(minute=0, second=0, microsecond=0)
_fingerprints: dict[str, str] = {}


def national():  # type: ignore[no-untyped-def]
    return Application.objects.exclude(submission_key__startswith="demo:")


def fingerprint() -> str:
    """What the seed (and the pinned now) decide: codes, offices, services, states, answers, meetings."""
    h = hashlib.sha256()
    for row in national().order_by("tracking_code").values_list("tracking_code", "office__code", "service__slug",
                                                                 "status", "sla_used_seconds", "due_at"):
        h.update(repr(row).encode())
    for row in SurveyResponse.objects.exclude(import_key__startswith="demo:").order_by("id").values_list(
            "office__code", "u1", "u3", "u8", "channel"):
        h.update(repr(row).encode())
    h.update(repr(Action.objects.count()).encode())
    h.update(repr(sorted(Counter(Report.objects.values_list("category", flat=True)).items())).encode())
    return h.hexdigest()


def test_generates_every_part_coherently_and_the_pages_render(settings) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    summary = demo_national.generate(applications=SIZE, seed=1, now=NOW)
    assert "Data demo nasional dimuat" in summary
    _fingerprints.setdefault("first", fingerprint())
    apps = list(national().select_related("office"))
    assert len(apps) == SIZE
    assert Event.objects.filter(application__in=national()).count() >= 4 * SIZE
    assert SurveyResponse.objects.filter(application__in=national()).exists()
    assert SurveyResponse.objects.filter(channel="kiosk").exists() and Report.objects.count() > 20
    assert Meeting.objects.filter(type="rakernas", title__startswith="Rapat Kerja Nasional").count() == 2 and Decision.objects.filter(
        adopted_from__isnull=False).count() > 100
    assert Action.objects.filter(status="done").exists() and ProgressUpdate.objects.exists()
    assert Item.objects.count() >= 900 and Issue.objects.exists()
    assert Item.objects.exclude(province_code="").exclude(topics_mask=0).exclude(sentiment="").count() > 500

    # Skew: Mondays busiest, the big city above a small regency, some offices far more overdue.
    weekday = Counter(a.submitted_at.astimezone(ZoneInfo(a.office.timezone)).isoweekday() for a in apps)
    assert weekday[1] > max(weekday[d] for d in range(2, 8))
    per_office = Counter(a.office.code for a in apps)
    assert per_office["73.71"] > 3 * max(1, per_office["73.22"])  # Kota Makassar vs Luwu Utara
    now = timezone.now()
    overdue = Counter(a.office_id for a in apps if not a.is_final and a.sla_running_since and a.due_at < now)
    shares = sorted(overdue[o] / n for o, n in Counter(a.office_id for a in apps).items() if n >= 8)
    assert shares[-1] > 0.1 and shares[len(shares) // 2] < 0.05

    # SLA fields as sla.py keeps them; statuses from the state machine; valid codes.
    calendars: dict[int, WorkingCalendar] = {}
    for a in apps:
        assert normalize_tracking_code(a.tracking_code) == a.tracking_code
        cal = calendars.setdefault(a.office_id, WorkingCalendar.for_office(a.office))
        assert a.sla_budget_seconds == a.service_working_days * cal.seconds_per_day if hasattr(
            a, "service_working_days") else a.sla_budget_seconds % cal.seconds_per_day == 0
        if a.is_final:
            assert a.closed_at and a.sla_running_since is None
        elif a.status == "needs_completion":
            assert a.sla_running_since is None and a.due_at is None and a.resume_status
        else:
            assert a.sla_running_since is not None
            assert a.due_at == cal.add_working_seconds(a.sla_running_since, a.sla_budget_seconds - a.sla_used_seconds)
            assert sla.sla_state(a, calendar=cal, now=now) in ("running", "warning", "overdue")
        if a.status == "completed" and a.sla_used_seconds:
            start = a.submitted_at
            resumed = a.events.filter(action="citizen_complete").values_list("at", flat=True).first()
            if resumed is None:
                assert cal.working_seconds_between(start, a.closed_at) == a.sla_used_seconds
    timeline = list(apps[-1].events.values_list("action", flat=True))
    assert timeline[0] == "submit"
    last_status = national().filter(status="completed").first()
    assert list(last_status.events.exclude(to_status="").values_list("to_status", flat=True))[-1] == "completed"

    # The pages render for the generated data.
    users = get_user_model().objects
    fo = Client()
    fo.force_login(users.get(username="fo.makassar"))
    queue = fo.get("/petugas/")
    assert queue.status_code == 200 and re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", queue.content.decode())
    assert fo.get("/petugas/?status=completed&page=2").status_code == 200
    code = national().filter(office__code="73.71").first().tracking_code
    assert Client().get(f"/lacak/{code}/").status_code == 200
    assert Client().get(f"/api/v1/applications/{code}").json()["tracking_code"] == code
    pusat = Client()
    pusat.force_login(users.get(username="admin.pusat"))
    kanwil = Client()
    kanwil.force_login(users.get(username="kakanwil.sulsel"))
    for client, url in ((kanwil, "/petugas/skm/?office=73"), (pusat, "/petugas/skm/?office=pusat"),
                        (pusat, "/rakor/papan/?bawah=1"), (kanwil, "/rakor/papan/?bawah=1"),
                        (pusat, "/situasi/?hari=30"), (kanwil, "/situasi/?provinsi=73&hari=7")):
        assert client.get(url).status_code == 200, url
    national_decision = Decision.objects.filter(meeting__title__startswith="Rapat Kerja Nasional").first()
    page = pusat.get(f"/rakor/keputusan/{national_decision.pk}/").content.decode()
    assert 'data-testid="percent-done"' in page

    # Twice: said, not doubled.
    again = demo_national.generate(applications=SIZE, seed=1)
    assert "sudah ada" in again and national().count() == SIZE


def test_same_seed_same_data() -> None:
    demo_national.generate(applications=SIZE, seed=1, now=NOW)
    assert fingerprint() == _fingerprints.get("first", fingerprint())
    # (When this test runs alone the first fingerprint is its own: the comparison needs the test above.)


def test_tallies_give_the_live_numbers(people) -> None:  # type: ignore[no-untyped-def]
    """The SKM page's figures from the monthly tallies equal those computed from every answer,
    for whole and partial months, before and after new answers come in."""
    from satupintu.feedback.tallies import refresh_tallies

    rng = np.random.default_rng(3)
    offices = list(Office.objects.filter(code__in=["73", "73.22", "73.71", "33.01", "pusat"]))
    from satupintu.services.models import Service

    services = list(Service.objects.filter(slug__in=["legalisir-ijazah-madrasah", "konsultasi-haji-umrah"]))
    today = timezone.localdate()

    def answers(k: int) -> None:
        rows = []
        for _ in range(k):
            s = services[int(rng.integers(0, len(services)))]
            rows.append(SurveyResponse(
                office=offices[int(rng.integers(0, len(offices)))], service=s, unit=s.unit, channel="kiosk",
                answered_on=today - timedelta(days=int(rng.integers(0, 400))),
                sex=["L", "P", ""][int(rng.integers(0, 3))], age_group="30-39", education="S1", occupation="PNS",
                **{f"u{j}": int(rng.integers(1, 5)) for j in range(1, 10)}))
        SurveyResponse.objects.bulk_create(rows)

    def live(office, period, include_children):  # type: ignore[no-untyped-def]
        responses = selectors.responses_for(office, period, include_children=include_children)
        from satupintu.feedback.ikm import ikm_for

        return (ikm_for(responses), selectors.ikm_breakdown(responses, "unit"),
                selectors.ikm_breakdown(responses, "service"), selectors.children_breakdown(office, period))

    answers(600)
    refresh_tallies()
    answers(50)  # after the rebuild: the dashboard must add them live
    periods = [selectors.Period(date(today.year, 1, 1), today), selectors.Period(today - timedelta(days=100), today),
               selectors.Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
               selectors.Period(today - timedelta(days=10), today)]
    for office in offices:
        for period in periods:
            for include_children in (True, False):
                board = selectors.dashboard(office, period, include_children=include_children)
                result, units, services_rows, children = live(office, period, include_children)
                assert board.result == result, (office.code, period)
                assert board.units == units and board.services == services_rows
                if office.level != "kankemenag":
                    assert board.children == children


def test_array_calendar_agrees_with_working_calendar() -> None:
    from satupintu.demo_national.worktime import ArrayCalendar

    rng = np.random.default_rng(5)
    for code in ("73.71", "pusat", "94.71"):
        office = Office.objects.filter(code=code).first() or Office.objects.get(code="pusat")
        cal = WorkingCalendar.for_office(office)
        start = date.today() - timedelta(days=400)
        arr = ArrayCalendar(cal, start, date.today() + timedelta(days=400))
        base = int(datetime.combine(start + timedelta(days=5), datetime.min.time(), ZoneInfo("UTC")).timestamp())
        t = base + rng.integers(0, 300 * 86400, 300)
        secs = rng.integers(1, 20 * cal.seconds_per_day, 300)
        got = arr.add(t, secs)
        for ti, si, gi in zip(t.tolist(), secs.tolist(), got.tolist(), strict=True):
            moment = datetime.fromtimestamp(ti, ZoneInfo("UTC"))
            assert int(cal.add_working_seconds(moment, si).timestamp()) == gi
        a, b = np.sort(t[:150]), np.sort(t[150:])
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            lo, hi = min(x, y), max(x, y)
            assert cal.working_seconds_between(datetime.fromtimestamp(lo, ZoneInfo("UTC")),
                                               datetime.fromtimestamp(hi, ZoneInfo("UTC"))) == int(
                arr.to_ws(np.array([hi]))[0] - arr.to_ws(np.array([lo]))[0])
