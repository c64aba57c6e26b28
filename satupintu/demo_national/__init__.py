"""`satupintu demo --scale national`: a year of the whole ministry, bulk-inserted.

All 553 offices; applications (default 1,000,000) with their timelines and SLA clocks;
SKM answers, complaints, aspirations and questions; Rakernas/Rakerwil/Rakor meetings with
decisions, cascaded actions and progress; Situation Room items, issues and alerts. The skew
of real life (skew.py): big cities busy, Mondays busy, a few services most of the work,
some offices late. On PostgreSQL rows go in with COPY, elsewhere in large batches, in one
transaction (all or nothing). The demo accounts of `satupintu demo` come first, plus a few
national ones (NATIONAL_STAFF).

Run twice: the second run sees the first (a marker on its first application) and says so.
"""

from __future__ import annotations

import time

MARKER = "national-demo"
# (username, full name, office code, unit code or None, role): acting in a busy office and nationally.
NATIONAL_STAFF = [
    ("admin.pusat", "Administrator Kemenag Pusat", "pusat", None, "admin"),
    ("kepala.pusat", "Sekretaris Jenderal (demo)", "pusat", None, "head_of_office"),
    ("pendma.makassar", "Petugas Pendma Kota Makassar", "73.71", "pendma", "unit_officer"),
    ("kakan.makassar", "Kepala Kankemenag Kota Makassar", "73.71", None, "head_of_office"),
]


def existing() -> str | None:
    from satupintu.services.models import Application

    return Application.objects.filter(submission_key__startswith=MARKER + ":").values_list(
        "submission_key", flat=True).first()


def _staff() -> dict[str, dict[str, dict[int | None, int]]]:
    from django.contrib.auth import get_user_model

    from satupintu.demo import load_demo, set_demo_password
    from satupintu.organization.models import Office, StaffRole, Unit

    load_demo()
    user_model = get_user_model()
    for username, full_name, office_code, unit_code, role in NATIONAL_STAFF:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.first_name = full_name
            user.email = f"{username}@satupintu.local"
            set_demo_password(user)
            user.save()
        StaffRole.objects.get_or_create(user=user, office=Office.objects.get(code=office_code),
                                        unit=Unit.objects.get(code=unit_code) if unit_code else None, role=role)
    # Who gets work assigned in the two demo offices: the unit officer of the unit, else the front office.
    assign: dict[str, dict[int | None, int]] = {}  # office code -> unit id (None: any unit) -> user id
    for r in StaffRole.objects.filter(office__code__in=["73.22", "73.71"], role__in=["unit_officer", "front_office"]):
        table = assign.setdefault(r.office.code, {})
        if r.role == "unit_officer" and r.unit_id:
            table[r.unit_id] = r.user_id
        else:
            table.setdefault(None, r.user_id)
    return {"assign": assign}


def generate(applications: int = 1_000_000, seed: int = 2026, progress: bool = False, now=None) -> str:  # type: ignore[no-untyped-def]
    """``now`` (an aware datetime, default: the clock) is the end of the demo year: the same seed and
    the same ``now`` give the same rows (statuses depend on how much of each life has passed)."""
    from django.db import transaction

    from satupintu.demo_national import applications as apps_part
    from satupintu.demo_national import bulk, feedback, humas, rakor, situation
    from satupintu.demo_national.common import make_context
    from satupintu.services.models import Application

    if applications < 100:
        raise ValueError("applications must be at least 100")
    mark = existing()
    if mark:
        return (f"Data demo nasional sudah ada ({mark}); tidak dibuat ulang. "
                "Hapus basis datanya (atau buat yang baru) untuk membuat ulang.")
    t0 = time.perf_counter()
    staff = _staff()
    timings: dict[str, float] = {}
    with transaction.atomic():
        ctx = make_context(applications, seed, progress, now)

        def step(name: str, fn, *args):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            out = fn(*args)
            timings[name] = time.perf_counter() - t
            return out

        made = step("permohonan", apps_part.generate, ctx, applications, staff)
        step("survei", feedback.surveys, ctx, made)
        step("pengaduan", feedback.reports, ctx, max(20, applications // 50))
        step("rakor", rakor.generate, ctx)
        step("situasi", situation.generate, ctx, max(200, int(applications * situation.ITEMS_PER_APPLICATION)))
        step("humas", humas.generate, ctx)
        first = int(made["ids"][0])
        Application.objects.filter(pk=first).update(submission_key=f"{MARKER}:seed={seed}:n={applications}")
        step("ringkasan", _refresh_tallies)
    if bulk.is_postgres():
        # VACUUM, not only ANALYZE: tables just loaded by COPY have no visibility map, so the
        # dashboards' index-only scans would read the table until autovacuum came by.
        t = time.perf_counter()
        bulk.vacuum_analyze("services_application", "services_event", "feedback_surveyresponse", "feedback_report",
                            "feedback_reportevent", "feedback_surveytally", "rakor_action", "rakor_decision",
                            "rakor_progressupdate", "situation_item", "situation_issue")
        timings["vacuum"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    counts = ", ".join(f"{k} {v:,}" for k, v in ctx.counts.items())
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
    return (f"Data demo nasional dimuat dalam {total:.0f} s (seed {seed}): {counts}. Langkah: {steps}. "
            f"Akun demo (kata sandi satupintu-demo): admin, admin.pusat, kakanwil.sulsel, fo.makassar, "
            f"pendma.makassar, kakan.makassar.")


def _refresh_tallies() -> None:
    """The pre-aggregated tables the dashboards read (refreshed by the scheduler afterwards)."""
    try:
        from satupintu.feedback.tallies import refresh_tallies
    except ImportError:  # pragma: no cover - before the tallies exist
        return
    refresh_tallies()
