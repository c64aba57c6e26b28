#!/usr/bin/env python3
"""Humas scorecards at national scale, each next to the simplest count in the same run.

The national month scorecard (553 offices), the national year scorecard (553 x 12 monthly
rows summed), and the ranking page as Pusat's Humas officer gets it (Django's test Client,
real URL, middleware, template), turn by turn with `Office.objects.count()` as the baseline,
so both see the same machine noise. Fills the Humas tables at national scale first when they
are empty (demo_national.humas). Prints p50/p95/max, ratio = p95 / baseline p95, and
PASS/FAIL against 300 ms at p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/satupintu_humas_bench \
        .venv/bin/python bench/humas.py [--reps 60]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300.0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=60)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    # The bench user signs in with force_login; the second factor is not what is measured here.
    os.environ.setdefault("STAFF_2FA_REQUIRED", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from satupintu.humas.models import MonthlyFigure
    from satupintu.humas.selectors import Period, scorecard
    from satupintu.organization.models import Office, Role, StaffRole

    now = timezone.now()
    if not MonthlyFigure.objects.exists():
        import numpy as np

        from satupintu.demo_national.humas import generate_figures

        t = time.perf_counter()
        n = generate_figures(list(Office.objects.order_by("code")), np.random.default_rng(2026), int(now.timestamp()))
        print(f"[humas] {n} monthly figures generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    month = MonthlyFigure.objects.order_by("-month").values_list("month", flat=True).first()
    assert month is not None
    user, _ = get_user_model().objects.get_or_create(username="bench.humas.pusat")
    StaffRole.objects.get_or_create(user=user, office=Office.objects.get(code="pusat"), role=Role.HUMAS, unit=None)
    client = Client()
    client.force_login(user)
    offices = Office.objects.count()
    figures = MonthlyFigure.objects.count()
    cases = {
        "scorecard month (national)": lambda: scorecard(Period(month.year, month.month)),
        "scorecard year (national)": lambda: scorecard(Period(month.year)),
        "ranking page month (national)": lambda: client.get(f"/humas/peringkat/?bulan={month:%Y-%m}"),
        "ranking page year (national)": lambda: client.get(f"/humas/peringkat/?tahun={month:%Y}"),
        "ranking CSV month (national)": lambda: client.get(f"/humas/peringkat.csv?bulan={month:%Y-%m}"),
        "ranking CSV year (national)": lambda: client.get(f"/humas/peringkat.csv?tahun={month:%Y}"),
    }

    def baseline() -> None:
        Office.objects.count()

    times: dict[str, list[float]] = {k: [] for k in cases}
    base: list[float] = []
    for name, fn in cases.items():  # warm-up
        r = fn()
        if hasattr(r, "status_code"):
            assert r.status_code == 200, (name, r.status_code)
        baseline()
    for _ in range(args.reps):
        for name, fn in cases.items():
            t = time.perf_counter()
            baseline()
            base.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
    b95 = pct(base, 95)
    print(f"Humas national bench on {connection.vendor}: {offices} offices, {figures} monthly figures, "
          f"month {month:%Y-%m}, {args.reps} reps")
    print(f"{'surface':<38} {'p50':>8} {'p95':>8} {'max':>8} {'ratio':>8}  verdict")
    print(f"{'baseline Office.objects.count()':<38} {pct(base, 50):>8.2f} {b95:>8.2f} {max(base):>8.2f} {'1.0':>8}")
    failed = False
    for name, values in times.items():
        p95 = pct(values, 95)
        ok = p95 < TARGET_MS
        failed |= not ok
        print(f"{name:<38} {pct(values, 50):>8.2f} {p95:>8.2f} {max(values):>8.2f} {p95 / b95:>8.1f}  "
              f"{'PASS' if ok else 'FAIL'} (<{TARGET_MS:.0f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
