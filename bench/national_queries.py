#!/usr/bin/env python3
"""Officer and leader pages at national scale on PostgreSQL, each next to its simplest SQL.

Uses the database filled by `satupintu demo --scale national` (bench/national.sh creates it).
Every surface is requested as its user gets it: Django's test Client, logged in with the
right role, through the real URL, middleware, view and template. In the same loop, turn by
turn, the simplest SQL query that gives the surface's main figure runs as its baseline, so
both see the same machine noise. Warm-up first, then --reps timed repetitions of each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/satupintu_national \
        .venv/bin/python bench/national_queries.py [--reps 60] [--label after] [--strict]

Output: p50 / p95 / max of the page and of its baseline (ms), ratio = page p95 / baseline p95,
the queries per request, and PASS/FAIL against 300 ms at p95. Written to
bench/results/national-<date>[-<label>].txt as well.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
TARGET_MS = 300.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_national"
OPEN = ("submitted", "verified", "in_process", "needs_completion")


def log(msg: str) -> None:
    print(f"[national] {msg}", file=sys.stderr, flush=True)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


@dataclass
class Surface:
    name: str
    user: str
    url: str
    baseline_sql: str
    baseline_params: tuple = ()  # type: ignore[type-arg]
    before_each: object = None  # e.g. forget the tracking cache: the miss path
    page_ms: list[float] = field(default_factory=list)
    base_ms: list[float] = field(default_factory=list)
    queries: int = 0


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.n += 1
        return execute(sql, params, many, context)


def surfaces() -> list[Surface]:
    from django.db import connection

    from satupintu.organization.models import Office
    from satupintu.rakor.models import Decision
    from satupintu.services import tracking
    from satupintu.services.models import Application

    mks = Office.objects.get(code="73.71")
    kanwil = Office.objects.get(code="73")
    with connection.cursor() as cur:
        cur.execute("SELECT unit_id FROM services_application WHERE office_id = %s GROUP BY unit_id "
                    "ORDER BY count(*) DESC LIMIT 1", [mks.pk])
        (busiest_unit,) = cur.fetchone()
    from satupintu.organization.models import StaffRole, Unit

    pendma = Unit.objects.get(code="pendma")
    unit_user = StaffRole.objects.filter(office=mks, unit=pendma, role="unit_officer").first()
    assert unit_user is not None, "pendma.makassar missing: run the national demo"
    # A tracking code with a full timeline (completed and handed over), of the busy office.
    app = Application.objects.filter(office=mks, status="completed", handed_over_at__isnull=False).order_by("-id").first()
    code = app.tracking_code
    national = (Decision.objects.filter(meeting__type="rakernas", meeting__title__startswith="Rapat Kerja Nasional",
                                        adopted_from__isnull=True)
                .order_by("meeting__starts_at", "id").first())
    open_in = "(" + ", ".join(f"'{s}'" for s in OPEN) + ")"
    this_year = f"{datetime.now(UTC).year}-01-01"
    below_kanwil = f"(SELECT id FROM organization_office WHERE id = {kanwil.pk} OR parent_id = {kanwil.pk})"

    def forget() -> None:
        tracking.forget_public_status(code)

    _ = busiest_unit
    q_open = f"SELECT count(*) FROM services_application WHERE office_id = %s AND status IN {open_in}"
    q_page = (f"SELECT id FROM services_application WHERE office_id = %s AND status IN {open_in} "
              "ORDER BY due_at NULLS LAST, submitted_at LIMIT 50 OFFSET %s")
    q_unit = f"SELECT count(*) FROM services_application WHERE office_id = %s AND unit_id = %s AND status IN {open_in}"
    q_track = ("SELECT a.status, a.due_at, e.at, e.action FROM services_application a LEFT JOIN services_event e "
               "ON e.application_id = a.id AND e.public WHERE a.tracking_code = %s")
    q_skm = ("SELECT count(*), sum(u1), sum(u2), sum(u3), sum(u4), sum(u5), sum(u6), sum(u7), sum(u8), sum(u9) "
             "FROM feedback_surveyresponse WHERE answered_on >= %s")
    q_room = ("SELECT count(*) FROM situation_item WHERE duplicate_of_id IS NULL AND published_at > now() - %s::interval")
    q_room_p = ("SELECT count(*) FROM situation_item WHERE duplicate_of_id IS NULL AND province_code = '73' "
                "AND published_at > now() - %s::interval")
    q_board = "SELECT count(*) FROM rakor_action"
    q_board_k = (f"SELECT count(*) FROM rakor_action WHERE office_id IN {below_kanwil}")
    q_decision = ("SELECT count(*) FROM rakor_action a JOIN rakor_decision d ON d.id = a.decision_id "
                  "LEFT JOIN rakor_decision p ON p.id = d.adopted_from_id WHERE d.id = %s OR p.id = %s "
                  "OR p.adopted_from_id = %s")
    return [
        Surface("queue FO Makassar, default (open)", "fo.makassar", "/petugas/", q_open, (mks.pk,)),
        Surface("queue FO Makassar, status=in_process", "fo.makassar", "/petugas/?status=in_process",
                "SELECT count(*) FROM services_application WHERE office_id = %s AND status = 'in_process'", (mks.pk,)),
        Surface("queue FO Makassar, page 4", "fo.makassar", "/petugas/?page=4", q_page, (mks.pk, 150)),
        Surface("queue FO Makassar, all statuses p.20", "fo.makassar", "/petugas/?status=all&page=20", q_page,
                (mks.pk, 950)),
        Surface("queue unit Pendma Makassar, default", "pendma.makassar", "/petugas/", q_unit, (mks.pk, pendma.pk)),
        Surface("queue unit Pendma Makassar, completed p.3", "pendma.makassar", "/petugas/?status=completed&page=3",
                "SELECT count(*) FROM services_application WHERE office_id = %s AND unit_id = %s "
                "AND status = 'completed'", (mks.pk, pendma.pk)),
        Surface("tracking page, cached", "", f"/lacak/{code}/", q_track, (code,)),
        Surface("tracking page, cache cold", "", f"/lacak/{code}/", q_track, (code,), forget),
        Surface("tracking API, cached", "", f"/api/v1/applications/{code}", q_track, (code,)),
        Surface("tracking API, cache cold", "", f"/api/v1/applications/{code}", q_track, (code,), forget),
        Surface("SKM Kanwil 73 + drill-down (year)", "kakanwil.sulsel", "/petugas/skm/?office=73", q_skm
                + f" AND office_id IN {below_kanwil}", (this_year,)),
        Surface("SKM Pusat, national (year)", "admin.pusat", "/petugas/skm/?office=pusat", q_skm, (this_year,)),
        Surface("rakor board Pusat, incl. below", "admin.pusat", "/rakor/papan/?bawah=1", q_board),
        Surface("rakor board Pusat, drilled to Kanwil 73", "admin.pusat", "/rakor/papan/?bawah=1&kantor=73", q_board_k),
        Surface("rakor board Kanwil 73, incl. below", "kakanwil.sulsel", "/rakor/papan/?bawah=1", q_board_k),
        Surface("decision board, national decision", "admin.pusat", f"/rakor/keputusan/{national.pk}/", q_decision,
                (national.pk, national.pk, national.pk)),
        Surface("Situation Room national 7d", "admin.pusat", "/situasi/?hari=7", q_room, ("7 days",)),
        Surface("Situation Room national 30d", "admin.pusat", "/situasi/?hari=30", q_room, ("30 days",)),
        Surface("Situation Room province 73 7d", "kakanwil.sulsel", "/situasi/?provinsi=73&hari=7", q_room_p,
                ("7 days",)),
        Surface("Situation Room province 73 30d", "kakanwil.sulsel", "/situasi/?provinsi=73&hari=30", q_room_p,
                ("30 days",)),
    ]


def measure(items: list[Surface], reps: int, warmup: int, budget_s: float) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    clients: dict[str, Client] = {}
    for s in items:
        if s.user not in clients:
            c = Client()
            if s.user:
                c.force_login(get_user_model().objects.get(username=s.user))
            clients[s.user] = c

    def page(s: Surface) -> float:
        if callable(s.before_each):
            s.before_each()
        t = time.perf_counter()
        r = clients[s.user].get(s.url)
        ms = 1000 * (time.perf_counter() - t)
        if r.status_code != 200:
            raise RuntimeError(f"{s.name}: GET {s.url} as {s.user or 'anonymous'} answered {r.status_code}")
        return ms

    def base(s: Surface) -> float:
        with connection.cursor() as cur:
            t = time.perf_counter()
            cur.execute(s.baseline_sql, s.baseline_params)
            cur.fetchall()
            return 1000 * (time.perf_counter() - t)

    for s in items:
        for _ in range(warmup):
            page(s)
            base(s)
        counter = Counter()
        with connection.execute_wrapper(counter):
            page(s)
        s.queries = counter.n
        started = time.perf_counter()
        for _ in range(reps):  # turn by turn: the page, then its baseline
            s.page_ms.append(page(s))
            s.base_ms.append(base(s))
            if len(s.page_ms) >= 10 and time.perf_counter() - started > budget_s:
                break  # a page of seconds: fewer repetitions (the n column says how many)
        log(f"{s.name}: p95 {pct(s.page_ms, 95):.1f} ms (baseline {pct(s.base_ms, 95):.2f} ms)")


def report(items: list[Surface], reps: int, facts: dict[str, str]) -> tuple[str, bool]:
    lines = [f"Satu Pintu at national scale: pages vs their simplest SQL, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
             f"PostgreSQL {facts['version']}, {platform.machine()}, {os.cpu_count()} CPUs, load average "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {reps} timed repetitions per surface after warm-up",
             f"data: {facts['data']}", ""]
    head = (f"{'surface':<42}{'p50':>8}{'p95':>8}{'max':>8}{'base p50':>10}{'base p95':>10}{'ratio':>8}"
            f"{'queries':>9}{'n':>5}  target")
    lines += [head, "-" * len(head)]
    ok = True
    for s in items:
        p95 = pct(s.page_ms, 95)
        b95 = pct(s.base_ms, 95)
        passed = p95 < TARGET_MS
        ok &= passed
        lines.append(f"{s.name:<42}{statistics.median(s.page_ms):>8.1f}{p95:>8.1f}{max(s.page_ms):>8.1f}"
                     f"{statistics.median(s.base_ms):>10.2f}{b95:>10.2f}{p95 / b95:>7.0f}x{s.queries:>9}{len(s.page_ms):>5}  "
                     f"{'PASS' if passed else 'FAIL'} (<{TARGET_MS:.0f} ms p95)")
    lines += ["", "n = timed repetitions (fewer than asked only when a page is so slow that --budget ran out);",
              "ms; p50/p95/max over the timed repetitions; base = the simplest equivalent SQL in the same loop;",
              "ratio = page p95 / base p95 (the page renders a whole HTML answer, the baseline one number).",
              f"verdict: {'PASS' if ok else 'FAIL'} (every surface p95 < {TARGET_MS:.0f} ms)"]
    return "\n".join(lines), ok


def facts() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        counts = []
        for table in ("services_application", "services_event", "feedback_surveyresponse", "feedback_report",
                      "rakor_action", "situation_item"):
            cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            counts.append(f"{table} ~{cur.fetchone()[0]:,}")
    return {"version": version, "data": ", ".join(counts)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=60)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--budget", type=float, default=120.0,
                   help="seconds per surface after which a slow page stops early (at least 10 repetitions)")
    p.add_argument("--label", default="", help="suffix of the results file (e.g. before, after)")
    p.add_argument("--only", default="", help="only the surfaces whose name contains this text")
    p.add_argument("--strict", action="store_true", help="exit 1 when a surface misses the target")
    args = p.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    data_dir = tempfile.mkdtemp(prefix="satupintu-national-")
    os.environ["SATUPINTU_DATA_DIR"] = data_dir  # file cache here: never a shared Redis
    os.environ.pop("CACHE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.conf import settings

        if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        items = [s for s in surfaces() if args.only.lower() in s.name.lower()]
        measure(items, args.reps, args.warmup, args.budget)
        text, ok = report(items, args.reps, facts())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(text)
    out = BENCH_DIR / "results" / f"national-{datetime.now(UTC):%Y%m%d}{'-' + args.label if args.label else ''}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    log(f"written to {out.relative_to(ROOT)}")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
