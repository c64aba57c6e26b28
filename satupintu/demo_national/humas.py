"""Humas at national scale: every Kanwil and Kankemenag with a year of monthly figures (the
MonthlyFigure rows `humas.figures.refresh_month` keeps) and the year's targets, so the national
month and year scorecards (bench/humas.sh) read what they read in production: 553 offices x 12
months. Figures are drawn per office with a lasting "how active is this Humas" level (some
offices publish daily, some hardly), as the Rakor Kehumasan reports describe. Bulk inserts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np

from satupintu.demo_national.common import Context

PROGRAMMES = ("kerukunan", "layanan-umat", "pendidikan", "ekonomi-umat", "haji", "tata-kelola")


def _months(now: int) -> list[date]:
    end = datetime.fromtimestamp(now, UTC).date().replace(day=1)
    out = []
    y, m = end.year, end.month
    for _ in range(12):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def generate_figures(offices: list, rng: np.random.Generator, now: int) -> int:  # type: ignore[type-arg]
    from satupintu.humas.models import MonthlyFigure, Target

    ranked = [o for o in offices if o.level in ("kanwil", "kankemenag")]
    months = _months(now)
    activity = rng.gamma(2.0, 1.0, len(ranked))  # stories per week, skewed
    rows = []
    for i, o in enumerate(ranked):
        weekly = activity[i] * (2.5 if o.level == "kanwil" else 1.0)
        for month in months:
            stories = int(rng.poisson(weekly * 4.3))
            repeats = int(rng.binomial(stories, 0.15)) if stories else 0
            posts = int(rng.poisson(weekly * 3))
            reach = int(rng.integers(200, 20000)) * posts
            answered = int(rng.poisson(6))
            rows.append(MonthlyFigure(
                office_id=o.pk, month=month, stories=stories, original=stories - repeats, repeats=repeats,
                priority_stories=int(stories * 0.6),
                programmes={p: int(rng.binomial(stories, 0.15)) for p in PROGRAMMES if stories},
                social_posts=posts, social_views=reach * 2, social_reach=reach,
                social_engagement=int(reach * rng.uniform(0.005, 0.08)),
                coverage_positive=int(rng.poisson(1.5)), coverage_neutral=int(rng.poisson(2)),
                coverage_negative=int(rng.poisson(0.4)), wa_answered=answered,
                wa_within_target=int(rng.binomial(answered, 0.7)) if answered else 0,
                wa_median_seconds=int(rng.integers(300, 7200)) if answered else None,
                wa_unanswered=answered // 10))  # about one in ten handed over and left unanswered
    MonthlyFigure.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    years = sorted({m.year for m in months})
    targets = [Target(office_id=o.pk, year=y, stories_per_week=3 if o.level == "kankemenag" else 5,
                      social_posts_per_month=12) for o in ranked for y in years]
    Target.objects.bulk_create(targets, ignore_conflicts=True)
    return len(rows)


def generate(ctx: Context) -> None:
    ctx.counts["humas_bulan_kantor"] = generate_figures(ctx.offices, ctx.part_rng("humas"), ctx.now)
