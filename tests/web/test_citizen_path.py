"""The citizen's and the officer's path of issue #11: staff-only services, the home page by
life events, the language buttons, deadline wording, completing with pickup instructions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.services import sla
from satupintu.services.applications import application_submit, application_upload_product
from satupintu.services.models import Status
from satupintu.services.workflow import allowed_actions, application_transition
from tests.conftest import upload, valid_submission

pytestmark = pytest.mark.django_db

STAFF_SERVICES = ("cuti-pegawai", "kenaikan-pangkat-reguler")
WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


# --- staff-only services -----------------------------------------------------------------

def test_staff_only_services_are_not_listed_to_the_public():
    c = Client()
    for page in (c.get("/layanan/").content.decode(), c.get("/layanan/", {"q": "cuti pegawai"}).content.decode(),
                 c.get("/layanan/", {"q": "kenaikan pangkat"}).content.decode(),
                 c.get("/kantor/73.22/").content.decode(), c.get("/").content.decode()):
        for slug in STAFF_SERVICES:
            assert f"/layanan/{slug}/" not in page
    assert "Legalisir Ijazah Madrasah" in c.get("/layanan/").content.decode()
    for slug in STAFF_SERVICES:
        assert c.get(f"/layanan/{slug}/").status_code == 404
    # ... nor through the API.
    listed = {s["slug"] for s in c.get("/api/v1/services").json()}
    assert listed and not listed & set(STAFF_SERVICES)
    listed = {s["slug"] for s in c.get("/api/v1/services", {"q": "cuti"}).json()}
    assert "cuti-pegawai" not in listed
    response = c.get("/api/v1/services/cuti-pegawai")
    assert response.status_code == 404 and response.json()["code"] == "unknown_service"


def test_staff_see_and_apply_for_their_own_services(people):  # type: ignore[no-untyped-def]
    c = _login(people.fo_lutra)
    assert "/layanan/cuti-pegawai/" in c.get("/layanan/", {"q": "cuti pegawai"}).content.decode()
    assert c.get("/layanan/cuti-pegawai/").status_code == 200
    assert "/layanan/cuti-pegawai/" in c.get("/kantor/73.22/").content.decode()
    app, _ = application_submit(valid_submission(service="cuti-pegawai", user=people.fo_lutra))
    assert app.service.slug == "cuti-pegawai"
    with pytest.raises(DomainError) as info:
        application_submit(valid_submission(service="cuti-pegawai", submission_key="publik-1"))
    assert info.value.code == "unknown_service"


# --- home page ---------------------------------------------------------------------------

def test_home_is_organised_around_services_and_life_events():
    page = Client().get("/").content.decode()
    assert "Subbagian Tata Usaha" not in page and "Seksi Pendidikan Madrasah" not in page  # no unit names
    assert 'id="popular"' in page and 'href="/layanan/legalisir-ijazah-madrasah/"' in page
    for slug in ("menikah", "sekolah", "haji-umrah", "rumah-ibadah", "wakaf-zakat", "penelitian"):
        assert f'href="/layanan/?peristiwa={slug}"' in page
    assert 'href="/layanan/pendaftaran-haji-reguler/"' in page
    # A life event lists its services in the catalog.
    page = Client().get("/layanan/", {"peristiwa": "haji-umrah"}).content.decode()
    assert "Pendaftaran Haji Reguler" in page and "Legalisir Ijazah" not in page
    assert 'id="life-event"' in page


def _popular(page: str) -> list[str]:
    listed = re.search(r'<ul class="pill-list" id="popular">(.*?)</ul>', page, re.S)
    assert listed is not None
    return re.findall(r'href="/layanan/([\w-]+)/"', listed.group(1))


def test_popular_services_follow_real_demand(people):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from satupintu.services.life_events import POPULAR_SERVICES

    sent = iter(range(100))

    def apply(service: str, n: int = 1, days_ago: int = 1, **extra) -> None:  # type: ignore[no-untyped-def]
        for i in (next(sent) for _ in range(n)):  # other people: neither a duplicate nor rate-limited
            person = {"nik": f"732201570890{i + 1:04d}", "email": f"p{i}@contoh.id"}
            at = datetime.now(WITA) - timedelta(days=days_ago)
            application_submit(valid_submission(service=service, **person, **extra), now=at)

    # Two services with applications are not enough to say what people come for.
    apply("pengukuran-arah-kiblat")
    apply("izin-penelitian")
    assert _popular(Client().get("/").content.decode()) == list(POPULAR_SERVICES)
    cache.clear()
    apply("pengukuran-arah-kiblat", 2)
    apply("konsultasi-zakat")
    apply("legalisir-ijazah-madrasah", 4, days_ago=100)  # older than 90 days
    apply("cuti-pegawai", 4, user=people.fo_lutra)  # for the ministry's staff, never on the public home page
    assert _popular(Client().get("/").content.decode()) == [
        "pengukuran-arah-kiblat", "izin-penelitian", "konsultasi-zakat"]
    # Counted once an hour, not at every visit.
    apply("konsultasi-perkawinan", 5)
    assert "konsultasi-perkawinan" not in _popular(Client().get("/").content.decode())


# --- language switch ---------------------------------------------------------------------

def test_language_switch_changes_nothing_until_a_button_is_pressed():
    page = Client().get("/").content.decode()
    form = re.search(r'<form class="lang".*?</form>', page, re.S)
    assert form is not None
    assert "onchange" not in form.group(0) and "<select" not in form.group(0)
    assert 'name="language" value="en"' in form.group(0) and 'name="language" value="id"' in form.group(0)
    c = Client()
    response = c.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})
    assert response.status_code == 302 and response["Location"] == "/layanan/"
    assert "Katalog layanan" not in c.get("/layanan/").content.decode() or c.cookies["django_language"].value == "en"


def test_queue_filters_fold_away_on_a_phone(people, submit):  # type: ignore[no-untyped-def]
    submit()
    c = _login(people.fo_lutra)
    page = c.get("/petugas/").content.decode()
    assert re.search(r'<details class="card filter-panel">\s*<summary>', page)  # folded, filters inside
    assert re.search(r'<details class="card filter-panel" open>', c.get("/petugas/", {"unit": "pendma"}).content.decode())
    page = c.get("/petugas/pengaduan/").content.decode()
    assert re.search(r'<details class="card filter-panel">\s*<summary>', page)


# --- deadlines and assignees -------------------------------------------------------------

def test_deadlines_read_in_words_never_with_a_minus(submit, people):  # type: ignore[no-untyped-def]
    app = submit(now=MONDAY_9 - timedelta(days=6))  # Tuesday: due Wednesday 09.00, 3 working days ago
    cal = WorkingCalendar.for_office(app.office)
    assert sla.deadline_phrase(app, calendar=cal, now=MONDAY_9) == "terlambat 3 hari kerja"
    fresh = submit(service="rekomendasi-pendirian-madrasah", now=MONDAY_9, submission_key="x1")
    phrase = sla.deadline_phrase(fresh, calendar=cal, now=MONDAY_9 + timedelta(hours=1))
    assert phrase.startswith("sisa ") and "hari kerja" in phrase
    short = submit(now=MONDAY_9, submission_key="x2")  # due Tuesday 09.00
    assert sla.deadline_phrase(short, calendar=cal, now=MONDAY_9 + timedelta(days=1, hours=-1)) == \
        "jatuh tempo hari ini"
    friday_close = submit(now=datetime(2026, 11, 26, 16, 0, tzinfo=WITA), submission_key="x3")
    assert friday_close.due_at == datetime(2026, 11, 27, 16, 0, tzinfo=WITA)
    # Read on Sunday: no office time has passed since Friday's closing, yet it is late (it read "due today").
    assert sla.deadline_phrase(friday_close, calendar=cal, now=datetime(2026, 11, 29, 10, 0, tzinfo=WITA)) == \
        "melewati tenggat"
    page = _login(people.fo_lutra).get("/petugas/").content.decode()
    assert "terlambat -" not in page and "terlambat " in page
    detail = _login(people.fo_lutra).get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert re.search(r"terlambat \d+ hari kerja", detail) and "terlambat -" not in detail


def test_assignee_is_shown_by_full_name(submit, people):  # type: ignore[no-untyped-def]
    from satupintu.services.workflow import application_assign

    people.pendma_lutra.first_name, people.pendma_lutra.last_name = "Siti", "Aminah"
    people.pendma_lutra.save()
    app = submit()
    application_assign(app, user=people.fo_lutra, assignee=people.pendma_lutra)
    c = _login(people.fo_lutra)
    for page in (c.get("/petugas/").content.decode(),
                 c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()):
        assert "Siti Aminah" in page
    assert ">pendma.lutra<" not in c.get("/petugas/").content.decode()


# --- completing --------------------------------------------------------------------------

def _in_process(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    app = application_transition(app, "verify", user=people.fo_lutra)
    return application_transition(app, "process", user=people.pendma_lutra)


def test_completing_needs_a_product_or_pickup_instructions(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    with pytest.raises(DomainError) as info:
        application_transition(app, "complete", user=people.pendma_lutra)
    assert info.value.code == "product_or_pickup_required"
    app.refresh_from_db()
    assert app.status == Status.IN_PROCESS
    app = application_transition(app, "complete", user=people.pendma_lutra,
                                 note="Ambil SK di loket PTSP lantai 1, Senin–Jumat 08.00–16.00, bawa KTP asli.")
    assert app.status == Status.COMPLETED
    # The citizen is told where and when, on the tracking page and in the e-mail.
    from satupintu.notifications.models import OutboxMessage

    assert "loket PTSP lantai 1" in OutboxMessage.objects.get(subject__endswith="selesai").body
    c = Client()
    c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert 'id="pengambilan"' in page and "loket PTSP lantai 1" in page


def test_officer_uploads_first_and_confirms_completion(submit, people):  # type: ignore[no-untyped-def]
    app = _in_process(submit, people)
    actions = allowed_actions(app, people.pendma_lutra)
    assert actions.index("upload_product") < actions.index("complete")
    c = _login(people.pendma_lutra)
    page = c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert page.index("Unggah produk") < page.index("Selesaikan")
    assert 'name="confirm"' in page and "<script" not in page.split('id="complete-form"')[1].split("</form>")[0]
    # Without the confirmation nothing happens, and the officer is told why.
    application_upload_product(app, user=people.pendma_lutra, upload=upload("sk.pdf"))
    response = c.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "complete"}, follow=True)
    assert "konfirmasi" in response.content.decode().lower()
    app.refresh_from_db()
    assert app.status == Status.IN_PROCESS
    c.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "complete", "confirm": "ya"})
    app.refresh_from_db()
    assert app.status == Status.COMPLETED and app.pickup_instructions == ""


def test_the_tracking_page_names_each_file_by_its_requirement_not_its_code(submit, people):  # type: ignore[no-untyped-def]
    from django.test import Client

    from tests.conftest import VALID_PHONE

    app = submit()
    client = Client()
    assert client.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    page = client.get(f"/lacak/{app.tracking_code}/").content.decode()
    requirement = app.service.requirements.get(code="ijazah_asli")
    assert f"{requirement.name}: " in page and "(ijazah_asli)" not in page
