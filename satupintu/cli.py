"""The `satupintu` command: the jobs people run (serve, worker, scheduler, run, demo, ...)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from satupintu.cli_models import cmd_analyze, cmd_train, cmd_train_news
from satupintu.cli_setup import django_setup


def _manage(*args: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["satupintu", *args])


def _export_bind(bind: str) -> None:
    """Links in receipts, e-mails and briefs follow the address we listen on (settings.SITE_URL
    reads BIND when SITE_URL is not set), in this process and the ones it starts."""
    os.environ["BIND"] = bind


def cmd_serve(ns: argparse.Namespace) -> int:
    # Request metrics of all workers add up through files in one folder. prometheus_client
    # reads PROMETHEUS_MULTIPROC_DIR when it is first imported, so it is set before Django
    # (and anything it imports) starts, and the files of an earlier run are cleared.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    from django.conf import settings

    _export_bind(ns.bind)
    metrics_dir = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.DATA_DIR / "metrics")
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    django_setup()
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    from gunicorn.app.wsgiapp import run

    from satupintu.core.env import env_int

    # Read here, not when the parser is built: a bad value stops only the command that uses it.
    workers = ns.workers or env_int("WEB_CONCURRENCY", 2)
    threads = ns.threads or env_int("WEB_THREADS", 4)
    sys.argv = [
        "gunicorn", "satupintu.wsgi:application", "--bind", ns.bind, "--workers", str(workers),
        "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "20",
        "--access-logfile", "-" if ns.access_log else "/dev/null", "--forwarded-allow-ips", "127.0.0.1",
        "-c", "python:satupintu.core.gunicorn_conf",  # marks exited workers dead for the metrics
    ]
    run()
    return 0


def cmd_worker(ns: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings

    from satupintu.celery import app

    argv = ["worker", "--loglevel", ns.loglevel, "--without-gossip", "--without-mingle"]
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        # The embedded default: a light worker that shares the SQLite file politely.
        argv += ["--pool", "threads", "--concurrency", "2"]
    elif ns.concurrency:
        argv += ["--concurrency", str(ns.concurrency)]
    argv += ["--queues", ns.queues or ",".join(settings.CELERY_QUEUES_ALL)]
    app.worker_main(argv)
    return 0


def cmd_scheduler(ns: argparse.Namespace) -> int:
    django_setup()
    from satupintu.celery import app

    app.start(["beat", "--loglevel", ns.loglevel, "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"])
    return 0


def cmd_run(ns: argparse.Namespace) -> int:
    """Web, worker and scheduler together: the embedded default for one office or a laptop."""
    _export_bind(ns.bind)  # before settings load, and inherited by the worker and scheduler
    django_setup()
    _manage("migrate", "--noinput", "--verbosity", "0")
    me = [sys.executable, "-m", "satupintu.cli"]
    commands = {"serve": ["--bind", ns.bind], "worker": ["--loglevel", "WARNING"], "scheduler": ["--loglevel", "WARNING"]}
    names = list(commands)
    children = [subprocess.Popen([*me, name, *args]) for name, args in commands.items()]
    print(f"Satu Pintu berjalan di http://{ns.bind}/ (web, worker, scheduler). Ctrl+C untuk berhenti.", flush=True)

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    died: subprocess.Popen | None = None  # type: ignore[type-arg]
    restarts: list[float] = []
    try:
        while not stopping:
            time.sleep(0.5)
            for i, child in enumerate(children):
                if stopping or child.poll() is None:
                    continue
                # The worker and the scheduler are started again, as systemd does in production
                # (a broker hiccup can end a Celery worker); more than 5 restarts in a minute, or
                # the web server ending, is a real fault: everything stops with a message.
                restarts = [t for t in restarts if time.monotonic() - t < 60] + [time.monotonic()]
                if names[i] == "serve" or len(restarts) > 5:
                    died = child
                    break
                print(f"Proses {names[i]} berhenti (kode {child.returncode}); dijalankan lagi.", file=sys.stderr,
                      flush=True)
                children[i] = subprocess.Popen([*me, names[i], *commands[names[i]]])
            if died is not None:
                break
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    if died is not None:
        name = names[children.index(died)]
        print(f"Proses berhenti tak terduga: {name} (kode {died.returncode}).", file=sys.stderr)
        return 1
    return 0


def cmd_demo(ns: argparse.Namespace) -> int:
    django_setup()
    _manage("migrate", "--noinput", "--verbosity", "0")
    if ns.scale == "national":
        # A year of the whole ministry, bulk-inserted (see satupintu/demo_national/).
        from satupintu import demo_national

        print(demo_national.generate(applications=ns.applications, seed=ns.seed, progress=sys.stderr.isatty()))
        return 0
    from satupintu import demo

    summary = demo.load_demo()
    print(summary)
    return 0


def cmd_backup(ns: argparse.Namespace) -> int:
    """A consistent, checksummed archive of the database and the uploads."""
    django_setup()
    from satupintu.core.backup import BackupError, create_backup

    try:
        result = create_backup(Path(ns.output) if ns.output else None, progress=sys.stderr.isatty())
    except BackupError as e:
        print(f"Cadangan gagal: {e}", file=sys.stderr)
        return 1
    print(f"Cadangan ditulis: {result['path']} ({result['bytes'] / 1e6:.1f} MB, sha256 {result['sha256']}, "
          f"{result['rows']} baris dari {result['tables']} tabel, {result['files']} berkas unggahan)")
    from satupintu.core.backup_contents import kept_apart

    # Not in the archive on purpose (a stolen archive cannot forge links or letters), but needed
    # to restore on another machine with old links and signed letters still valid.
    for what, where in kept_apart():
        place = str(where) if where else "lingkungan (environment) yang Anda atur"
        print(f"Tidak termasuk, simpan salinannya terpisah di tempat aman: {what} ({place})")
    if result["encrypted_for"]:
        print(f"Arsip dienkripsi (age) untuk {result['encrypted_for']} kunci publik di BACKUP_RECIPIENTS; hanya "
              "pemegang kunci privatnya yang dapat membukanya (`satupintu restore --identity FILE`).")
    else:
        print("Arsip ini memuat data pribadi dan tidak dienkripsi: simpan di penyimpanan terenkripsi dengan akses "
              "terbatas, atau atur BACKUP_RECIPIENTS (lihat `satupintu backup-key`).")
    return 0


def cmd_backup_key(ns: argparse.Namespace) -> int:
    """A new age private key for encrypted backups; its public key goes in BACKUP_RECIPIENTS."""
    from satupintu.core.backup_contents import BackupError
    from satupintu.core.backup_crypto import write_identity

    try:
        public = write_identity(Path(ns.path))
    except BackupError as e:
        print(f"Kunci tidak dibuat: {e}", file=sys.stderr)
        return 1
    print(f"Kunci privat ditulis: {ns.path} (hanya pemiliknya yang dapat membaca).")
    print(f"Kunci publik: {public}")
    print(f"Di setiap server: BACKUP_RECIPIENTS={public}")
    print("Simpan kunci privat di luar server (dua salinan, misalnya di brankas kantor): tanpa kunci itu tidak ada "
          "cadangan terenkripsi yang dapat dipulihkan; siapa pun yang memegangnya dapat membaca semua cadangan.")
    return 0


def cmd_restore(ns: argparse.Namespace) -> int:
    """Bring a `satupintu backup` archive back: checksums first, then database and uploads."""
    django_setup()
    from satupintu.core.backup import BackupError, restore_backup

    archive = Path(ns.archive)
    if not archive.is_file():
        print(f"Berkas cadangan tidak ditemukan: {archive}", file=sys.stderr)
        return 2
    if not ns.yes:
        if not sys.stdin.isatty():
            print("Pemulihan menimpa basis data dan berkas unggahan saat ini: tambahkan --yes.", file=sys.stderr)
            return 2
        if input("Basis data dan unggahan saat ini akan ditimpa. Lanjutkan? [y/N] ").strip().lower() not in ("y", "ya"):
            print("Dibatalkan.")
            return 1
    try:
        result = restore_backup(archive, identity=Path(ns.identity) if ns.identity else None,
                                progress=sys.stderr.isatty())
    except BackupError as e:
        print(f"Pemulihan gagal: {e}", file=sys.stderr)
        return 1
    print(f"Dipulihkan dari {archive}: {result['rows']} baris dari {result['tables']} tabel, "
          f"{result['files']} berkas unggahan; checksum cocok.")
    return 0


def cmd_createadmin(ns: argparse.Namespace) -> int:
    django_setup()
    import getpass

    from django.contrib.auth import get_user_model

    password = ns.password or os.environ.get("SATUPINTU_ADMIN_PASSWORD") or ""
    if not password:
        if not sys.stdin.isatty():
            print("Kata sandi wajib: --password atau SATUPINTU_ADMIN_PASSWORD.", file=sys.stderr)
            return 2
        password = getpass.getpass("Kata sandi: ")
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user_model = get_user_model()
    user = user_model.objects.filter(username=ns.username).first()
    created = user is None
    if user is None:
        user = user_model(username=ns.username, email=ns.email)
    user.is_staff = user.is_superuser = True
    user.email = ns.email or user.email
    try:  # the same rules as every other password (not like the username, not common, long enough)
        validate_password(password, user)
    except ValidationError as e:
        print("Kata sandi ditolak: " + " ".join(e.messages), file=sys.stderr)
        return 2
    user.set_password(password)
    user.save()
    print(f"Administrator '{ns.username}' {'dibuat' if created else 'diperbarui'}.")
    return 0


def cmd_skm(ns: argparse.Namespace) -> int:
    """Satisfaction survey: load paper answers, print the index."""
    django_setup()
    import json
    from pathlib import Path

    from satupintu.core.errors import DomainError
    from satupintu.feedback import selectors
    from satupintu.feedback.skm_import import skm_import
    from satupintu.organization.models import Office
    from satupintu.organization.working_calendar import office_today

    office = Office.objects.filter(code=ns.office).first()
    if office is None:
        print(f"Kantor dengan kode '{ns.office}' tidak ditemukan.", file=sys.stderr)
        return 2
    if ns.skm_command == "import":
        path = Path(ns.file)
        if not path.is_file():
            print(f"Berkas tidak ditemukan: {path}", file=sys.stderr)
            return 2
        try:
            report = skm_import(path.read_bytes(), filename=path.name, office=office)
        except DomainError as exc:
            print(f"Gagal: {exc.message}", file=sys.stderr)
            return 2
        for line, reason in report.errors:
            print(f"baris {line}: {reason}", file=sys.stderr)
        print(f"{report.loaded} jawaban dimuat, {report.duplicates} sudah ada sebelumnya (dilewati), "
              f"{len(report.errors)} baris ditolak.")
        return 1 if report.errors else 0
    try:
        # The office's own year and today: at 00:30 WIT on 1 January a Papua office is in the new year.
        period = selectors.Period.parse(ns.date_from, ns.date_to, today=office_today(office))
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    result = selectors.ikm_of_office(office, period, include_children=ns.include_children)
    if ns.json:
        print(json.dumps(result.as_json()))
        return 0
    print(f"{office.name} ({office.code}), {period.start:%Y-%m-%d} s.d. {period.end:%Y-%m-%d}")
    if not result.respondents:
        print("Belum ada jawaban pada periode ini.")
        return 0
    print(f"IKM {result.ikm} - mutu {result.grade} ({result.grade_label}), {result.respondents} responden")
    for e in result.elements:
        print(f"  {e.code.upper()} {e.name:<42} {e.average:.2f}  ({e.ikm:.2f})")
    print("Unsur terlemah: " + ", ".join(f"{e.name} ({e.average:.2f})" for e in result.weakest))
    return 0


def cmd_check(ns: argparse.Namespace) -> int:
    """Verify a configuration before starting: Django's checks (with --deploy), then the
    database, migrations, broker and storage this environment points at."""
    django_setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from satupintu.core.health import DEGRADED_ONLY, run_checks

    failed = False
    try:
        call_command("check", deploy=ns.deploy, fail_level="ERROR")
    except SystemCheckError as e:
        print(str(e), file=sys.stderr)
        failed = True
    from satupintu.core.secrets_check import secrets_check

    results = run_checks()
    started = time.monotonic()
    ok, detail = secrets_check(ns.deploy)
    results["secrets"] = {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}
    from django.conf import settings

    encrypted = len(settings.BACKUP_RECIPIENTS)
    results["backups"] = {"ok": bool(encrypted), "ms": 0.0, "detail": (
        f"dienkripsi untuk {encrypted} kunci publik (age)" if encrypted else
        "tidak dienkripsi: atur BACKUP_RECIPIENTS (satupintu backup-key), atau simpan cadangan di penyimpanan "
        "terenkripsi")}
    for name, result in results.items():
        # The broker alone may be away when a web process starts (it serves, the outbox waits);
        # before going live (--deploy) it must answer. Plain backups are a warning: the storage
        # they go to may be encrypted already.
        tolerated = not result["ok"] and (name in DEGRADED_ONLY and not ns.deploy or name == "backups")
        mark = "ok  " if result["ok"] else "PERINGATAN" if tolerated else "GAGAL"
        print(f"{mark} {name:<11} {result['detail']} ({result['ms']} ms)")
        failed |= not result["ok"] and not tolerated
    print("Konfigurasi siap." if not failed else "Konfigurasi belum siap: perbaiki yang GAGAL di atas.")
    return 1 if failed else 0


def cmd_webhooks(ns: argparse.Namespace) -> int:
    """Webhooks of the whole installation (every office's events): add, list, remove."""
    django_setup()
    from satupintu.core.errors import DomainError
    from satupintu.integrations import webhooks
    from satupintu.integrations.models import WebhookEndpoint

    if ns.webhooks_command == "add":
        try:
            created = webhooks.endpoint_add_national(url=ns.url, events=webhooks.parse_events(ns.events),
                                                     description=ns.description, personal_data=ns.personal_data)
        except DomainError as exc:
            errors = getattr(exc, "errors", [exc])
            for e in errors:
                print(f"Error ({e.field or e.code}): {e.message}", file=sys.stderr)
            return 2
        e = created.endpoint
        print(f"id: {e.pk}")
        print(f"secret: {created.secret}")
        print(f"url: {e.url}")
        print(f"events: {','.join(e.events)}")
        return 0
    if ns.webhooks_command == "list":
        rows = WebhookEndpoint.objects.select_related("office").order_by("pk")
        if not rows:
            print("No webhooks.")
        for e in rows:
            state = "active" if e.active else f"disabled ({e.disabled_reason or 'by hand'})"
            print(f"{e.pk}\t{e.url}\t{','.join(e.events)}\t{state}\t{e.office.code if e.office else 'all offices'}"
                  f"\tfailures={e.failure_count}")
        return 0
    endpoint = WebhookEndpoint.objects.filter(pk=ns.id).first()
    if endpoint is None:
        print(f"No webhook with id {ns.id}.", file=sys.stderr)
        return 2
    webhooks.endpoint_remove(endpoint)
    print(f"Webhook {ns.id} removed.")
    return 0


def cmd_situation(ns: argparse.Namespace) -> int:
    """The Situation Room from the command line: early warning (kewaspadaan dini)."""
    django_setup()
    from satupintu.situation.warning_command import kewaspadaan

    return kewaspadaan(ns.province, ns.json, sys.stdout, sys.stderr)


def cmd_humas(ns: argparse.Namespace) -> int:
    """Humas scorecards from the command line."""
    django_setup()
    from satupintu.humas.command import scorecard

    return scorecard(ns.month, ns.office, ns.json, sys.stdout, sys.stderr)


def cmd_manage(ns: argparse.Namespace) -> int:
    django_setup()
    _manage(*ns.args)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="satupintu", description="Satu Pintu Kemenag")
    sub = parser.add_subparsers(dest="command", required=True)
    bind = os.environ.get("BIND", "127.0.0.1:8000")

    p = sub.add_parser("serve", help="web server (gunicorn)")
    p.add_argument("--bind", default=bind)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="threads per web process (default: WEB_THREADS or 4)")
    p.add_argument("--access-log", action="store_true")
    p.set_defaults(fn=cmd_serve)

    p = sub.add_parser("worker", help="background worker (Celery)")
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("--concurrency", type=int, default=0)
    p.add_argument("--queues", default="")
    p.set_defaults(fn=cmd_worker)

    p = sub.add_parser("scheduler", help="periodic jobs (Celery beat)")
    p.add_argument("--loglevel", default="INFO")
    p.set_defaults(fn=cmd_scheduler)

    p = sub.add_parser("run", help="web + worker + scheduler together (embedded default)")
    p.add_argument("--bind", default=bind)
    p.set_defaults(fn=cmd_run)

    p = sub.add_parser("demo", help="migrate and load demo data (safe to run twice)")
    p.add_argument("--scale", choices=["small", "national"], default="small",
                   help="small: the demo accounts and a few records; national: a year of the whole ministry")
    p.add_argument("--applications", type=int, default=1_000_000, help="national: how many applications")
    p.add_argument("--seed", type=int, default=2026, help="national: random seed (same seed, same data)")
    p.set_defaults(fn=cmd_demo)

    p = sub.add_parser("backup", help="consistent, checksummed archive of the database and uploads")
    p.add_argument("--output", default="", help="archive path (default: DATA_DIR/backups/satupintu-<time>.tar, "
                   ".tar.age when BACKUP_RECIPIENTS encrypts it)")
    p.set_defaults(fn=cmd_backup)

    p = sub.add_parser("backup-key", help="make the private key that opens encrypted backups; prints its public key")
    p.add_argument("path", help="where to write the private key (kept away from the servers)")
    p.set_defaults(fn=cmd_backup_key)

    p = sub.add_parser("restore", help="bring back a backup archive (replaces database and uploads)")
    p.add_argument("archive")
    p.add_argument("--identity", default="", help="the private key file of an encrypted archive (satupintu backup-key)")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing the current data")
    p.set_defaults(fn=cmd_restore)

    p = sub.add_parser("createadmin", help="create or update an administrator")
    p.add_argument("--username", default="admin")
    p.add_argument("--email", default="")
    p.add_argument("--password", default="")
    p.set_defaults(fn=cmd_createadmin)

    p = sub.add_parser("skm", help="satisfaction survey: import paper answers, print the index")
    skm = p.add_subparsers(dest="skm_command", required=True)
    q = skm.add_parser("import", help="load answers from CSV or XLSX")
    q.add_argument("file")
    q.add_argument("--office", required=True, help="office code, e.g. 73.22")
    q.set_defaults(fn=cmd_skm)
    q = skm.add_parser("report", help="index, grade, respondents and element averages")
    q.add_argument("--office", required=True)
    q.add_argument("--from", dest="date_from", default=None, help="YYYY-MM-DD (default: 1 January)")
    q.add_argument("--to", dest="date_to", default=None, help="YYYY-MM-DD (default: today)")
    q.add_argument("--include-children", action="store_true", help="a Kanwil with its Kankemenags")
    q.add_argument("--json", action="store_true")
    q.set_defaults(fn=cmd_skm)

    root = Path(__file__).resolve().parents[1]
    p = sub.add_parser("train", help="train a model from the shared data (sentiment, news)")
    train = p.add_subparsers(dest="train_command", required=True)
    q = train.add_parser("sentiment", help="positive/neutral/negative model for the Situation Room")
    q.add_argument("--data", default=str(root.parent / "shared" / "data" / "sentiment"),
                   help="folder with smsa_train.tsv and nusax_ind_*.csv")
    q.add_argument("--out", default=str(root / "satupintu" / "situation" / "models" / "sentiment.skops"))
    q.add_argument("--seed", type=int, default=13)
    q.set_defaults(fn=cmd_train)
    q = train.add_parser("news", help="topics, domain and article tone of news, from the labelled news "
                                      "(situation-news.jsonl); chosen by repeated stratified k-fold CV")
    q.add_argument("--data", default=str(root.parent / "shared" / "data"),
                   help="folder with situation-news.jsonl (and situation-dev.jsonl)")
    q.add_argument("--out", default=str(root / "satupintu" / "situation" / "models" / "news.skops"))
    q.add_argument("--seed", type=int, default=13)
    q.add_argument("--folds", type=int, default=5)
    q.add_argument("--repeats", type=int, default=3)
    q.set_defaults(fn=cmd_train_news)

    p = sub.add_parser("analyze", help="analyse JSON Lines items (language, region, topics, tone, ...); "
                                       "'analyze evaluate FILE' scores a labelled file")
    p.add_argument("args", nargs="*", help="[FILE] or: evaluate FILE")
    p.add_argument("--no-database", action="store_true", help="do not look for duplicates among stored items")
    p.add_argument("--json", action="store_true", help="evaluate: print the report as JSON")
    p.add_argument("--sentiment-data", default=os.environ.get(
        "SATUPINTU_SENTIMENT_DATA", str(root.parent / "shared" / "data" / "sentiment")),
        help="evaluate: the shared sentiment data, to compare with a TF-IDF + linear SVM baseline")
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="evaluate: also K-fold cross-validation (stratified by domain): the news model refitted "
                        "on the other folds next to the lexicons alone, per field, mean±sd over the same folds "
                        "(the plain scores above are of the shipped model, which may have seen the file)")
    p.add_argument("--cv-repeats", type=int, default=1, metavar="R", help="evaluate --cv: repeat with R shuffles")
    p.add_argument("--loo", action="store_true",
                   help="evaluate: also leave-one-out (each line labelled by the news model refitted on all the "
                        "others, the shipped model's training size) next to the lexicons, pooled, with 95%% "
                        "bootstrap intervals")
    p.set_defaults(fn=cmd_analyze)

    p = sub.add_parser("check", help="verify the configuration: Django checks, database, migrations, broker, storage")
    p.add_argument("--deploy", action="store_true", help="also Django's deployment checks (HTTPS, cookies, ...)")
    p.set_defaults(fn=cmd_check)

    p = sub.add_parser("webhooks", help="outbound webhooks (Standard Webhooks) for every office's events")
    wh = p.add_subparsers(dest="webhooks_command", required=True)
    q = wh.add_parser("add", help="register an endpoint; prints its id and signing secret")
    q.add_argument("url")
    q.add_argument("--events", required=True, help="comma-separated, e.g. application.submitted,report.submitted")
    q.add_argument("--description", default="")
    q.add_argument("--personal-data", action="store_true",
                   help="payloads include names, NIK, phone numbers and e-mail addresses")
    q.set_defaults(fn=cmd_webhooks)
    q = wh.add_parser("list", help="every endpoint with its state")
    q.set_defaults(fn=cmd_webhooks)
    q = wh.add_parser("remove", help="delete an endpoint and its delivery log")
    q.add_argument("id", type=int)
    q.set_defaults(fn=cmd_webhooks)

    p = sub.add_parser("situation", help="the Situation Room: early warning per region")
    situation = p.add_subparsers(dest="situation_command", required=True)
    q = situation.add_parser("kewaspadaan", help="each region's conflict-potential index, zone and top signals")
    q.add_argument("--province", default="", help="a province code, e.g. 73: the province and its regencies")
    q.add_argument("--json", action="store_true", help="a list of {code, name, index, zone, signals}")
    q.set_defaults(fn=cmd_situation)

    p = sub.add_parser("humas", help="Humas: each office's publishing scorecard")
    humas = p.add_subparsers(dest="humas_command", required=True)
    q = humas.add_parser("scorecard", help="each office's stories, originality, social figures, target and score")
    q.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-11")
    q.add_argument("--office", default="", help="an office code: that office only (a Kanwil: with its offices)")
    q.add_argument("--json", action="store_true", help="a list of {office, stories, original, target, score, ...}")
    q.set_defaults(fn=cmd_humas)

    p = sub.add_parser("manage", help="any Django management command")
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_manage)

    ns = parser.parse_args(argv)
    from satupintu.core.env import ConfigError

    try:
        return int(ns.fn(ns) or 0)
    except ConfigError as e:
        # A setting from the environment that cannot be used: one line naming it, not a traceback.
        print(f"Konfigurasi salah: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
