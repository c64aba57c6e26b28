"""`satupintu humas scorecard --month YYYY-MM [--office CODE] [--json]`: each office's figures
for a month, from the monthly figures (the beat job "humas-figures" and the demo keep them)."""

from __future__ import annotations

import json
from typing import TextIO

from django.utils.translation import override

from satupintu.core.errors import DomainError

EXIT_BAD_INPUT = 2


def scorecard(month: str, office: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    from satupintu.humas.selectors import parse_month
    from satupintu.humas.selectors import scorecard as rows_for
    from satupintu.organization.models import Level, Office

    with override("id"):
        try:
            period = parse_month(month or "")
        except DomainError as e:
            print(f"{e.message} ({month!r})", file=err)
            return EXIT_BAD_INPUT
        if not month:
            print("Bulan harus berbentuk TTTT-BB, misalnya 2026-11.", file=err)
            return EXIT_BAD_INPUT
        scope = None
        if office:
            scope = Office.objects.filter(code=office.strip()).first()
            if scope is None:
                print(f"Kantor dengan kode {office!r} tidak ada (contoh: 73 untuk Kanwil Sulsel, 73.22 untuk "
                      f"Kankemenag Luwu Utara).", file=err)
                return EXIT_BAD_INPUT
        if scope is not None and scope.level == Level.KANWIL:
            rows = rows_for(period, kanwil=scope)  # a Kanwil: itself and its offices
        elif scope is not None:
            rows = rows_for(period, office=scope)
        else:
            rows = rows_for(period)
    if as_json:
        json.dump([r.as_json() for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    print(f"Kartu skor Humas {period.label} ({len(rows)} kantor)", file=out)
    header = f"{'#':>4} {'kode':<7} {'kantor':<34} {'berita':>6} {'orisinal':>8} {'ulangan':>7} {'target':>6} " \
             f"{'medsos':>6} {'interaksi':>9} {'skor':>5}"
    print(header, file=out)
    for r in rows:
        target = f"{r.stories_target:.0f}" if r.stories_target is not None else "-"
        print(f"{r.rank_national:>4} {r.code:<7} {r.short_name[:34]:<34} {r.figures.stories:>6} {r.figures.original:>8} "
              f"{r.figures.repeats:>7} {target:>6} {r.figures.social_posts:>6} {r.figures.social_engagement:>9} "
              f"{r.score:>5.1f}", file=out)
    return 0
