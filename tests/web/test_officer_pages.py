"""The back office: queue scoped to the officer, masked personal data, audited reveals."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core.models import PersonalDataAccess
from satupintu.services.models import Status
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.login(username=user.username, password="sandi-uji-123")
    return c


def test_queue_needs_staff(people):
    assert Client().get("/petugas/")["Location"].startswith("/masuk/")
    assert _login(people.outsider).get("/petugas/").status_code == 403


def test_queue_shows_own_office_with_masked_data_and_deadlines(people, submit):
    # A month old, so the row's deadline reads the same at any hour the suite runs (one submitted now
    # reads "jatuh tempo hari ini" before opening time and "sisa ..." after).
    mine = submit(now=timezone.now() - timedelta(days=30))
    other = submit(office="73.71", nik="7371016504920005")
    page = _login(people.fo_lutra).get("/petugas/").content.decode()
    assert mine.tracking_code in page and other.tracking_code not in page
    assert VALID_NIK not in page and "+6281234567890" not in page
    assert re.search(r"terlambat \d+ hari kerja", page)  # how late it is, in office time
    page = _login(people.kakanwil_sulsel).get("/petugas/").content.decode()
    assert mine.tracking_code in page and other.tracking_code in page


def test_queue_filters(people, submit):
    a = submit()
    b = submit(service="pengukuran-arah-kiblat")
    c = _login(people.fo_lutra)
    page = c.get("/petugas/", {"unit": "pendma"}).content.decode()
    assert a.tracking_code in page and b.tracking_code not in page
    page = c.get("/petugas/", {"q": b.tracking_code}).content.decode()
    assert b.tracking_code in page and a.tracking_code not in page
    page = c.get("/petugas/", {"status": "completed"}).content.decode()
    assert a.tracking_code not in page


def test_other_office_gets_404(people, submit):
    app = submit()
    assert _login(people.fo_makassar).get(f"/petugas/permohonan/{app.tracking_code}/").status_code == 404
    assert _login(people.bimas_lutra).get(f"/petugas/permohonan/{app.tracking_code}/").status_code == 404
    doc = app.documents.first()
    assert _login(people.fo_makassar).get(f"/petugas/permohonan/{app.tracking_code}/berkas/{doc.pk}/").status_code == 404


def test_personal_data_is_masked_until_revealed_and_every_view_is_audited(people, submit):
    app = submit()
    c = _login(people.fo_lutra)
    page = c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert VALID_NIK not in page and "732201********01" in page
    assert PersonalDataAccess.objects.count() == 0
    page = c.post(f"/petugas/permohonan/{app.tracking_code}/", {"reveal": "1", "reason": "verify"}).content.decode()
    assert VALID_NIK in page
    doc = app.documents.first()
    response = c.get(f"/petugas/permohonan/{app.tracking_code}/berkas/{doc.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    log = list(PersonalDataAccess.objects.order_by("at").values_list("user__username", "subject_ref", "what"))
    assert log == [("fo.lutra", app.tracking_code, "identitas pemohon"),
                   ("fo.lutra", app.tracking_code, f"berkas {doc.requirement_code}")]


def test_officer_actions_through_the_page(people, submit):
    app = submit()
    fo = _login(people.fo_lutra)
    fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "verify"})
    unit = _login(people.pendma_lutra)
    unit.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "process"})
    unit.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "upload_product", "product": upload("sk.pdf")})
    response = unit.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "complete", "confirm": "ya"},
                         follow=True)
    assert "Permohonan selesai; pemohon diberi tahu." in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.COMPLETED
    # a refused action shows the reason and changes nothing
    response = fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "reject", "note": "x"}, follow=True)
    assert "tidak berwenang" in response.content.decode() or "tidak bisa" in response.content.decode()


def test_forward_to_kanwil(people, submit):
    app = submit()
    c = _login(people.fo_lutra)
    c.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
           {"action": "forward", "office": "73", "unit": "pendma", "note": "Kewenangan Kanwil"})
    app.refresh_from_db()
    assert app.office.code == "73"
    # Luwu Utara no longer sees it; the Kanwil head does
    assert c.get(f"/petugas/permohonan/{app.tracking_code}/").status_code == 404
    assert _login(people.kakanwil_sulsel).get(f"/petugas/permohonan/{app.tracking_code}/").status_code == 200


def test_uploads_are_not_served_from_a_public_url(submit):
    app = submit()
    doc = app.documents.first()
    assert Client().get("/media/" + doc.file.name).status_code == 404
    assert Client().get("/" + doc.file.name).status_code == 404


def test_queue_summary_counts_overdue_and_waiting(people, submit):
    from datetime import timedelta

    from django.utils import timezone

    from satupintu.services.workflow import application_transition

    submit(now=timezone.now() - timedelta(days=10))  # long overdue
    waiting = submit(service="pengukuran-arah-kiblat")
    application_transition(waiting, "request_completion", user=people.fo_lutra, note="Lengkapi denah")
    response = _login(people.fo_lutra).get("/petugas/")
    assert response.context["summary"] == {"open": 2, "overdue": 1, "waiting": 1, "unassigned": 2}
    overdue_page = _login(people.fo_lutra).get("/petugas/?sla=overdue").content.decode()
    assert "terlambat" in overdue_page


def test_queue_links_only_to_the_parts_of_ones_job(people, monkeypatch):  # type: ignore[no-untyped-def]
    """The front office handles no complaints: no link to them. Those who do see it; the survey
    link follows the survey rule (organization/access.py), not a fixed list."""
    page = _login(people.fo_lutra).get("/petugas/").content.decode()
    assert 'href="/petugas/pengaduan/"' not in page and 'href="/petugas/skm/"' in page
    for user in (people.pendma_lutra, people.kakan_lutra):
        page = _login(user).get("/petugas/").content.decode()
        assert 'href="/petugas/pengaduan/"' in page and 'href="/petugas/skm/"' in page
    from satupintu.organization import access

    monkeypatch.setattr(access, "may_read_survey_results", lambda user: False)
    assert 'href="/petugas/skm/"' not in _login(people.kakan_lutra).get("/petugas/").content.decode()


def test_the_page_says_who_moves_the_application_on_when_the_reader_cannot(people, submit):
    # After verifying, the front office was left with "Tugaskan" and no word that Pendma processes it.
    app = submit()
    fo = _login(people.fo_lutra)
    fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "verify"})
    page = fo.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    step = re.search(r'<p class="hint" id="next-step">([^<]+)</p>', page)
    assert step and step.group(1) == ("Langkah berikutnya: Seksi Pendidikan Madrasah memproses permohonan ini. "
                                      "Tugaskan ke petugasnya bila perlu."), page[page.find("tindakan"):][:600]
    unit = _login(people.pendma_lutra)
    assert 'id="next-step"' not in unit.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()  # it can
    fo.cookies["django_language"] = "en"
    english = fo.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert "Next: Madrasah Education Section processes this application." in english


def test_the_officer_is_told_what_happened_in_the_pages_language(people, submit):
    # "Berkas perlu dilengkapi: tersimpan." was Indonesian on English pages too, and said little.
    app = submit()
    fo = _login(people.fo_lutra)
    fo.cookies["django_language"] = "en"
    done = fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
                   {"action": "request_completion", "note": "KTP buram"}, follow=True).content.decode()
    assert "The request for more files was sent to the applicant." in done and "tersimpan" not in done
