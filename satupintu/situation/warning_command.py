"""`satupintu situation kewaspadaan [--province CODE] [--json]`: every region's index, zone and
top signals, highest first (a province: itself and its regencies).

Reads what the schedule stored (the same figures as the pages); on an installation where the
index was never computed it computes once first, as the schedule would. With --json: a list of
objects with exactly ``code``, ``name``, ``index``, ``zone``, ``signals`` (each signal:
kind, label, count, weight, contribution, links). An unknown province: a message, exit code 2.
"""

from __future__ import annotations

import json
from typing import TextIO

from satupintu.organization import reference
from satupintu.situation import warning
from satupintu.situation.models import RegionWarning

TOP_SIGNALS = 3


def _top(row: RegionWarning) -> str:
    if not row.signals:
        return "tidak ada sinyal"
    return "; ".join(f"{warning.signal_label(s['kind'])} {s['count']}x = {s['contribution']:.1f}"
                     for s in row.signals[:TOP_SIGNALS])


def kewaspadaan(province: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    province = (province or "").strip()
    if province:
        names = reference.region_names()
        if len(province) != 2 or province not in names:
            hint = " (itu kode kabupaten/kota; pakai dua angka provinsinya)" if province in names else ""
            print(f"Provinsi dengan kode '{province}' tidak dikenal{hint}. Contoh: --province 73 "
                  "(Sulawesi Selatan).", file=err)
            return 2
    if not RegionWarning.objects.exists():
        print("Indeks belum pernah dihitung; menghitung sekarang.", file=err)
        warning.compute()
    rows = warning.stored(province)
    if as_json:
        print(json.dumps([warning.as_json(r) for r in rows], ensure_ascii=False), file=out)
        return 0
    computed = max((r.computed_at for r in rows), default=None)
    where = reference.region_label(province)
    print(f"Kewaspadaan dini: {where}" + (f", dihitung {computed:%Y-%m-%d %H:%M} UTC" if computed else ""), file=out)
    print(f"{'KODE':<6} {'WILAYAH':<34} {'INDEKS':>6}  {'ZONA':<6}  SINYAL UTAMA", file=out)
    for r in rows:
        print(f"{r.code:<6} {reference.region_name(r.code)[:34]:<34} {r.index:>6.1f}  {r.zone:<6}  {_top(r)}", file=out)
    return 0
