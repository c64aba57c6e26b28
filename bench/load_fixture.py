"""The load test's data, its after-run checks and its summary (see bench/README.md, "Load test").

    python bench/load_fixture.py create  --out FIXTURE.json [--applications 3000] [--offices 6]
    python bench/load_fixture.py check   --fixture FIXTURE.json --since ISO [--wait 180] [--logs DIR]
    python bench/load_fixture.py cpu     [--group NAME=PGID ...] [--pg-database satupintu_load]
    python bench/load_fixture.py summary --prefix CSV_PREFIX --out RESULT.txt [...]

`create` runs in the environment of the server under test (DATABASE_URL, SATUPINTU_DATA_DIR,
...), after `satupintu demo`: staff accounts in several busy offices and a few thousand
existing applications in every state (bulk inserts, with the SLA clock set by the real
`services.sla` functions), then writes what the locustfile needs (accounts, services,
tracking codes with their phone digits) as JSON. `check` waits until the outbox has drained
and verifies that every application made during the run got its e-mail (the mail files in
the data dir) and that the logs hold no 5xx. `cpu` prints CPU seconds per process group
(and of the PostgreSQL backends of the load database) for a before/after difference;
`summary` turns the locust CSVs and all of that into the results file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

PASSWORD = "beban-uji-2026"  # the fixture's officer accounts (a throw-away database)
# Busy offices first (Luwu Utara is the demo's office); missing codes are skipped.
OFFICE_CODES = ["73.22", "73.71", "32.73", "35.78", "31.74", "33.74", "12.71", "64.72", "51.71", "16.71"]
# Services of two units that every Kankemenag offers; requirement counts from 1 to 6.
SERVICES = [
    "legalisir-ijazah-madrasah", "duplikat-ijazah-madrasah", "izin-penelitian", "konsultasi-emis-simpatika",
    "pengukuran-arah-kiblat", "rekomendasi-kegiatan-keagamaan", "pendaftaran-id-masjid", "konsultasi-perkawinan",
]
UNIT_ACCOUNTS = {"pendma": "pendma", "bimas-islam": "bimas"}
# Share of the existing applications per status (the rest of the run moves them on).
STATUS_MIX = [("submitted", 30), ("verified", 20), ("in_process", 20), ("needs_completion", 5),
              ("completed", 20), ("rejected", 5)]
EMAIL_DOMAIN = "beban.test"  # every applicant the locustfile invents uses this domain


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    import django

    django.setup()


def _value(field) -> str:  # type: ignore[no-untyped-def]
    return {"number": "2020", "date": "2024-07-01", "choice": (field.choices or [""])[0],
            "textarea": "Isian uji beban untuk Satu Pintu."}.get(field.type, "Isian uji beban")


def nik_for(province: str, regency: str, i: int) -> str:
    """A valid-looking NIK: district 01 (the locustfile uses 20-99), birth date and serial from i."""
    day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 60 + (i // 336) % 40
    return f"{province}{regency}01{day + 40 * (i % 2):02d}{month:02d}{year:02d}{1 + i % 9999:04d}"


def cmd_create(ns: argparse.Namespace) -> int:
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from satupintu.demo import demo_pdf
    from satupintu.organization.models import Office, Role, StaffRole, Unit
    from satupintu.organization.working_calendar import WorkingCalendar
    from satupintu.services import identity, sla
    from satupintu.services.catalog import offer_for
    from satupintu.services.models import Application, Document, DocumentKind, Event, Service
    from satupintu.services.tracking_codes import new_tracking_code

    started = time.monotonic()
    rng = random.Random(ns.seed)
    offices = [o for code in OFFICE_CODES if (o := Office.objects.filter(code=code).first())][: ns.offices]
    if len(offices) < ns.offices:
        extra = Office.objects.filter(level="kankemenag").exclude(pk__in=[o.pk for o in offices]).order_by("code")
        offices += list(extra[: ns.offices - len(offices)])
    services = [s for slug in SERVICES if (s := Service.objects.select_related("unit").filter(slug=slug).first())]
    units = {code: Unit.objects.get(code=code) for code in UNIT_ACCOUNTS}
    services = [s for s in services if s.unit.code in units]
    offers = {(s.pk, o.pk): offer_for(s, o) for s in services for o in offices}

    # Staff: per office one front office, one officer per unit, one head of unit (read only in the mix).
    user_model = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for all: the production hasher costs ~0.3 s each
    accounts = []
    staff_by_office: dict[int, list] = {}
    with transaction.atomic():
        for office in offices:
            slug = office.code.replace(".", "")
            plan = [(f"fo.beban.{slug}", Role.FRONT_OFFICE, None)]
            plan += [(f"{short}.beban.{slug}", Role.UNIT_OFFICER, code) for code, short in UNIT_ACCOUNTS.items()]
            plan += [(f"kasi.pendma.beban.{slug}", Role.HEAD_OF_UNIT, "pendma")]
            for username, role, unit_code in plan:
                user, _ = user_model.objects.update_or_create(
                    username=username,
                    defaults={"password": hashed, "first_name": f"Uji beban {username}", "email": f"{username}@{EMAIL_DOMAIN}"},
                )
                StaffRole.objects.get_or_create(user=user, office=office, role=role,
                                                unit=units[unit_code] if unit_code else None)
                staff_by_office.setdefault(office.pk, []).append(user)
                accounts.append({"username": username, "password": PASSWORD, "office": office.code, "role": role,
                                 "unit": unit_code or ""})

    # Existing applications: the busiest office gets the most, every status, submitted over 30 days.
    pdf_name = default_storage.save("applications/beban/persyaratan.pdf", ContentFile(demo_pdf("Berkas uji beban")))
    pdf_size = default_storage.size(pdf_name)
    calendars = {o.pk: WorkingCalendar.for_office(o) for o in offices}
    office_weights = [max(1, len(offices) - i) for i in range(len(offices))]
    statuses, status_weights = zip(*STATUS_MIX, strict=True)
    now = timezone.now()
    codes: set[str] = set()
    apps, plans = [], []
    for i in range(ns.applications):
        office = rng.choices(offices, office_weights)[0]
        service = rng.choice(services)
        offer = offers[(service.pk, office.pk)]
        status = rng.choices(statuses, status_weights)[0]
        submitted = now - timedelta(minutes=rng.randint(30, 30 * 24 * 60))
        code = new_tracking_code()
        while code in codes:
            code = new_tracking_code()
        codes.add(code)
        phone = identity.clean_phone(f"08129{i:07d}")
        app = Application(
            tracking_code=code, service=service, office=office, unit=service.unit, status=status,
            applicant_name=f"Pemohon Uji {i}", nik=nik_for(office.code[:2], office.code[3:5] or "01", i),
            phone=phone, email=f"pemohon{i}@{EMAIL_DOMAIN}",
            form_data={f.name: _value(f) for f in offer.fields}, submission_key=f"beban:{i}",
            submitted_at=submitted, sla_budget_seconds=0,
        )
        calendar = calendars[office.pk]
        sla.sla_start(app, calendar=calendar, now=submitted, working_days=offer.working_days)
        steps = {"submitted": [], "verified": ["verify"], "in_process": ["verify", "process"],
                 "needs_completion": ["request_completion"], "completed": ["verify", "process", "complete"],
                 "rejected": ["verify", "reject"]}[status]
        gap = rng.randint(20, 600)
        at = min(now, submitted + timedelta(minutes=gap * len(steps)))
        if status == "needs_completion":
            app.resume_status = "submitted"
            app.completion_request = "Scan KTP kurang jelas; unggah ulang."
            sla.sla_pause(app, calendar=calendar, now=at)
        elif status in ("completed", "rejected"):
            sla.sla_stop(app, calendar=calendar, now=at)
            app.closed_at = at
            if status == "rejected":
                app.rejection_reason = "Berkas bukan terbitan madrasah di wilayah ini."
        apps.append(app)
        plans.append((steps, gap))
    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=500)
        saved = {a.tracking_code: a for a in Application.objects.filter(tracking_code__in=codes)}
        events, documents = [], []
        previous = {"verify": "submitted", "process": "verified", "request_completion": "submitted",
                    "complete": "in_process", "reject": "verified"}
        target = {"verify": "verified", "process": "in_process", "request_completion": "needs_completion",
                  "complete": "completed", "reject": "rejected"}
        for app, (steps, gap) in zip(apps, plans, strict=True):
            row = saved[app.tracking_code]
            events.append(Event(application=row, at=row.submitted_at, action="submit", to_status="submitted",
                                actor_label="Pemohon", note=f"Diajukan ke {row.office.name}."))
            staff = staff_by_office[row.office_id][0]
            at = row.submitted_at
            for step in steps:
                at = min(now, at + timedelta(minutes=gap))
                note = row.completion_request if step == "request_completion" else (
                    row.rejection_reason if step == "reject" else "")
                events.append(Event(application=row, at=at, action=step, from_status=previous[step],
                                    to_status=target[step], actor=staff, actor_label=staff.first_name, note=note))
            for req in offers[(row.service_id, row.office_id)].requirements:
                if req.mandatory:
                    documents.append(Document(application=row, kind=DocumentKind.REQUIREMENT, requirement_code=req.code,
                                              file=pdf_name, original_name=f"{req.code}.pdf",
                                              content_type="application/pdf", size=pdf_size, sha256="0" * 64,
                                              uploaded_at=row.submitted_at))
        Event.objects.bulk_create(events, batch_size=1000)
        Document.objects.bulk_create(documents, batch_size=1000)

    fixture = {
        "created_at": now.isoformat(),
        "password": PASSWORD,
        "email_domain": EMAIL_DOMAIN,
        "offices": [{"code": o.code, "name": o.name} for o in offices],
        "services": [{"slug": s.slug, "name": s.name, "unit": s.unit.code} for s in services],
        "accounts": accounts,
        "applications": [{"code": a.tracking_code, "last4": a.phone[-4:], "office": a.office.code,
                          "status": a.status} for a in apps],
    }
    Path(ns.out).write_text(json.dumps(fixture, indent=1), encoding="utf-8")
    counts = {s: sum(a.status == s for a in apps) for s in statuses}
    print(f"[load] fixture: {len(apps)} applications ({', '.join(f'{k} {v}' for k, v in counts.items())}), "
          f"{len(events)} events, {len(documents)} documents, {len(accounts)} officer accounts in "
          f"{len(offices)} offices ({', '.join(o.code for o in offices)}), {len(services)} services, "
          f"{time.monotonic() - started:.1f} s -> {ns.out}", file=sys.stderr)
    return 0


# --- after the run ----------------------------------------------------------------------

def _mail_ids(mail_dir: Path) -> set[int]:
    ids: set[int] = set()
    if mail_dir.is_dir():
        for path in mail_dir.iterdir():
            text = path.read_text(encoding="utf-8", errors="replace")
            ids.update(int(m) for m in re.findall(r"^Message-ID: <outbox-(\d+)@", text, flags=re.M))
    return ids


def _log_problems(logs: Path) -> dict:
    """5xx in the access log, and ERROR lines / tracebacks in every log."""
    status_5xx: list[str] = []
    errors: list[str] = []
    access = logs / "access.log"
    if access.exists():
        for line in access.read_text(encoding="utf-8", errors="replace").splitlines():
            m = re.search(r'" (\d{3}) ', line)
            if m and m.group(1).startswith("5"):
                status_5xx.append(line)
    requests = sum(1 for _ in access.open(encoding="utf-8", errors="replace")) if access.exists() else 0
    for path in sorted(logs.glob("*.log")):
        if path.name == "access.log":
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if re.search(r"\b(ERROR|CRITICAL)\b|Traceback \(most recent call last\)", line):
                errors.append(f"{path.name}: {line[:300]}")
    return {"access_log_requests": requests, "status_5xx": len(status_5xx), "status_5xx_sample": status_5xx[:5],
            "error_lines": len(errors), "error_sample": errors[:10]}


def cmd_check(ns: argparse.Namespace) -> int:
    _django()
    from django.conf import settings
    from django.db.models import Count

    from satupintu.notifications.models import OutboxMessage, OutboxStatus
    from satupintu.services.models import Application

    since = datetime.fromisoformat(ns.since)
    deadline = time.monotonic() + ns.wait
    waited = 0.0
    t0 = time.monotonic()
    while True:
        open_count = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).count()
        if open_count == 0 or time.monotonic() > deadline:
            break
        time.sleep(2)
    waited = time.monotonic() - t0
    run_apps = Application.objects.filter(submitted_at__gte=since)
    made = run_apps.count()
    api_made = run_apps.filter(submission_key__startswith="api:").count()
    with_email = run_apps.exclude(email="")
    receipts = OutboxMessage.objects.filter(application__in=with_email, subject__endswith=" diterima")
    sent_receipts = set(receipts.filter(status=OutboxStatus.SENT).values_list("application_id", flat=True))
    missing = [a.tracking_code for a in with_email.exclude(pk__in=sent_receipts)[:10]]
    missing_count = with_email.exclude(pk__in=sent_receipts).count()
    run_messages = OutboxMessage.objects.filter(created_at__gte=since)
    statuses = dict(run_messages.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    all_statuses = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    # E-mails only: the mail files hold e-mails (the demo's WhatsApp answers go to its stand-in).
    sent_ids = set(OutboxMessage.objects.filter(status=OutboxStatus.SENT, channel="email")
                   .values_list("pk", flat=True))
    mail_ids = _mail_ids(Path(settings.EMAIL_FILE_PATH)) if hasattr(settings, "EMAIL_FILE_PATH") else set()
    transitions = {}
    from satupintu.services.models import Event

    for action, n in (Event.objects.filter(at__gte=since).values_list("action").annotate(n=Count("pk"))
                      .values_list("action", "n")):
        transitions[action] = n
    result = {
        "applications_made": made, "applications_api": api_made, "applications_web": made - api_made,
        "applications_with_email": with_email.count(), "receipt_mail_missing": missing_count,
        "receipt_mail_missing_sample": missing, "events_during_run": transitions,
        "outbox_during_run": statuses, "outbox_all": all_statuses, "outbox_wait_seconds": round(waited, 1),
        "sent_not_in_mail_files": len(sent_ids - mail_ids), "mail_files_messages": len(mail_ids),
    }
    if ns.logs:
        result.update(_log_problems(Path(ns.logs)))
    problems = []
    if made == 0:
        problems.append("no application was made during the run")
    if missing_count:
        problems.append(f"{missing_count} applications made during the run have no sent receipt e-mail")
    if statuses.get(OutboxStatus.PENDING, 0) or statuses.get(OutboxStatus.SENDING, 0) or statuses.get(OutboxStatus.FAILED, 0):
        problems.append(f"outbox not drained after {ns.wait} s: {statuses}")
    if sent_ids - mail_ids:
        problems.append(f"{len(sent_ids - mail_ids)} sent messages are not in the mail files")
    if result.get("status_5xx"):
        problems.append(f"{result['status_5xx']} responses with 5xx in the access log")
    if result.get("error_lines"):
        problems.append(f"{result['error_lines']} ERROR lines or tracebacks in the logs")
    result["problems"] = problems
    out = json.dumps(result, indent=1, default=str)
    if ns.out:
        Path(ns.out).write_text(out, encoding="utf-8")
    print(out)
    return 1 if problems else 0


# --- CPU and the summary ----------------------------------------------------------------

def _proc_cpu(pid: str) -> tuple[int, float] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[2] = pgrp, [11] utime, [12] stime (clock ticks)
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cmd_cpu(ns: argparse.Namespace) -> int:
    groups = dict(g.split("=", 1) for g in ns.group)
    by_pgid = {int(v): k for k, v in groups.items() if v.strip().isdigit()}
    totals = {k: 0.0 for k in groups}
    totals["postgres_load_db"] = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        got = _proc_cpu(pid)
        if got is None:
            continue
        pgrp, cpu = got
        if pgrp in by_pgid:
            totals[by_pgid[pgrp]] += cpu
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cmdline.startswith("postgres: ") and f" {ns.pg_database} " in cmdline:
            totals["postgres_load_db"] += cpu
    cpu_line = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in cpu_line]
    idle = ticks[3] + ticks[4]
    print(json.dumps({"time": time.time(), "groups": totals, "machine_busy": (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"),
                      "machine_total": sum(ticks) / os.sysconf("SC_CLK_TCK"), "cpus": os.cpu_count()}))
    return 0


def _stats(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _cpu_delta(before: Path, after: Path) -> dict:
    try:
        a, b = json.loads(before.read_text()), json.loads(after.read_text())
    except (OSError, ValueError):
        return {}
    seconds = b["time"] - a["time"]
    machine = (b["machine_busy"] - a["machine_busy"]) / max(1e-9, b["machine_total"] - a["machine_total"])
    return {"seconds": seconds, "machine_busy_share": machine, "cpus": b["cpus"],
            "groups": {k: (b["groups"].get(k, 0) - v) / seconds for k, v in a["groups"].items()}}


def _row(r: dict) -> str:
    def ms(key: str) -> str:
        value = r.get(key, "N/A")
        return value if value in ("N/A", "") else f"{float(value):.0f}"

    return (f"{r['Type'][:6]:<6} {r['Name'][:44]:<44} {int(r['Request Count']):>7} {int(r['Failure Count']):>5} "
            f"{float(r['Requests/s']):>7.1f} {ms('50%'):>6} {ms('95%'):>6} {ms('99%'):>6} {ms('Max Response Time'):>6}")


def cmd_summary(ns: argparse.Namespace) -> int:
    mix = _stats(Path(f"{ns.prefix}_stats.csv"))
    bare = _stats(Path(f"{ns.bare_prefix}_stats.csv")) if ns.bare_prefix else []
    failures = _stats(Path(f"{ns.prefix}_failures.csv"))
    check = json.loads(Path(ns.check).read_text()) if ns.check and Path(ns.check).exists() else {}
    cpu = _cpu_delta(Path(ns.cpu_before), Path(ns.cpu_after)) if ns.cpu_before else {}
    bare_cpu = _cpu_delta(Path(ns.bare_cpu_before), Path(ns.bare_cpu_after)) if ns.bare_cpu_before else {}
    loads = Path(ns.loadavg).read_text().split("\n") if ns.loadavg and Path(ns.loadavg).exists() else []
    loads = [line.split()[0] for line in loads if line.strip()]
    total = next((r for r in mix if r["Name"] == "Aggregated"), None)
    bare_total = next((r for r in bare if r["Name"] == "Aggregated"), None)
    lines = [f"Satu Pintu load test, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", "",
             f"setup: {ns.setup}", ""]
    header = (f"{'type':<6} {'name':<44} {'reqs':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} "
              f"{'max':>6}   (ms)")
    if bare_total:
        lines += ["bare baseline (GET /health/live, no think time, same users):", header, _row(bare_total), ""]
    lines += ["mix (per request type; think time 1-4 s browsing/tracking, 5-20 s applying, 2-6 s officers):", header]
    lines += [_row(r) for r in mix if r["Name"] != "Aggregated"]
    if total:
        lines += ["-" * len(header), _row(total), ""]
    ok = True
    if total:
        rps, fails = float(total["Requests/s"]), int(total["Failure Count"])
        ok &= fails == 0 and int(total["Request Count"]) > 0
        lines.append(f"held: {rps:.1f} req/s over {ns.duration} with {total['Request Count']} requests, "
                     f"{fails} failures; p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms")
        if bare_total and float(bare_total["Requests/s"]) > 0:
            lines.append(f"bare: {float(bare_total['Requests/s']):.1f} req/s; mix / bare = "
                         f"{rps / float(bare_total['Requests/s']):.3f} (the mix has think time: this is the share of "
                         "the bare server capacity the mix used, not a per-request cost ratio)")
    else:
        ok = False
        lines.append("!!! no locust statistics found")
    for label, c in (("mix", cpu), ("bare", bare_cpu)):
        if c:
            groups = ", ".join(f"{k} {v:.2f}" for k, v in sorted(c["groups"].items(), key=lambda p: -p[1]))
            lines.append(f"cpu during {label} ({c['seconds']:.0f} s, {c['cpus']} CPUs): machine busy "
                         f"{100 * c['machine_busy_share']:.0f}%; cores used by group: {groups}")
    if cpu and total:
        app_groups = [k for k in cpu["groups"] if k != "locust"]
        app_cpu = sum(cpu["groups"][k] for k in app_groups)
        lines.append(f"app CPU per request (web + workers + scheduler + postgres backends): "
                     f"{1000 * app_cpu / max(1e-9, float(total['Requests/s'])):.1f} ms")
    if loads:
        lines.append(f"load average (1 min) during the mix: min {min(loads)}, max {max(loads)}, "
                     f"samples {' '.join(loads)}")
    if failures:
        lines += ["", "failures:"] + [f"  {f['Occurrences']}x {f['Method']} {f['Name']}: {f['Error'][:200]}" for f in failures]
    if check:
        lines += ["", "after the run:",
                  f"  applications made during the run: {check.get('applications_made')} "
                  f"(API {check.get('applications_api')}, web form {check.get('applications_web')}); "
                  f"events {check.get('events_during_run')}",
                  f"  outbox during the run: {check.get('outbox_during_run')} (drained after "
                  f"{check.get('outbox_wait_seconds')} s); receipt e-mail missing for {check.get('receipt_mail_missing')}; "
                  f"sent but not in mail files: {check.get('sent_not_in_mail_files')} "
                  f"({check.get('mail_files_messages')} messages in the mail files)",
                  f"  access log: {check.get('access_log_requests')} requests, {check.get('status_5xx')} with 5xx; "
                  f"{check.get('error_lines')} ERROR lines / tracebacks in the logs"]
        for p in check.get("error_sample", [])[:5]:
            lines.append(f"    {p}")
        for p in check.get("problems", []):
            lines.append(f"  !!! PROBLEM: {p}")
        ok &= not check.get("problems")
    lines += ["", f"verdict: {'PASS (no failures, outbox drained, no 5xx)' if ok else 'FAIL'}"]
    text = "\n".join(lines) + "\n"
    Path(ns.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create")
    p.add_argument("--out", required=True)
    p.add_argument("--applications", type=int, default=3000)
    p.add_argument("--offices", type=int, default=6)
    p.add_argument("--seed", type=int, default=6)
    p.set_defaults(fn=cmd_create)
    p = sub.add_parser("check")
    p.add_argument("--since", required=True)
    p.add_argument("--wait", type=float, default=180)
    p.add_argument("--logs", default="")
    p.add_argument("--out", default="")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("cpu")
    p.add_argument("--group", action="append", default=[], help="NAME=PGID")
    p.add_argument("--pg-database", default="satupintu_load")
    p.set_defaults(fn=cmd_cpu)
    p = sub.add_parser("summary")
    p.add_argument("--prefix", required=True)
    p.add_argument("--bare-prefix", default="")
    p.add_argument("--check", default="")
    p.add_argument("--cpu-before", default="")
    p.add_argument("--cpu-after", default="")
    p.add_argument("--bare-cpu-before", default="")
    p.add_argument("--bare-cpu-after", default="")
    p.add_argument("--loadavg", default="")
    p.add_argument("--duration", default="")
    p.add_argument("--setup", default="")
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_summary)
    ns = parser.parse_args(argv)
    return ns.fn(ns)


if __name__ == "__main__":
    sys.exit(main())
