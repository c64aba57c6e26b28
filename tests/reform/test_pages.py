"""The breakthrough pages: registering (and what a refused form says), the detail page with its
before/after charts, evidence, and who may see and do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from satupintu.core.models import PersonalDataAccess
from satupintu.organization.models import Office
from satupintu.reform.indicators import office_today
from satupintu.reform.models import Breakthrough, BreakthroughEvidence, IndicatorKind
from tests.conftest import upload
from tests.reform.conftest import breakthrough, login, survey_answers

pytestmark = pytest.mark.django_db
K = IndicatorKind


def _today():  # type: ignore[no-untyped-def]
    return office_today(Office.objects.get(code="73.22"))


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {"office": "73.22", "unit": "pendma", "title": "Legalisir daring satu hari",
            "problem": "Warga antre berjam-jam untuk legalisir ijazah.",
            "change": "Legalisir diajukan daring; petugas menyelesaikannya di hari yang sama.",
            "started_on": (_today() - timedelta(days=20)).isoformat(), "people": "Kasi Pendma (ketua)",
            "kinds": [K.ON_TIME_RATE, K.IKM], "links": "https://lutra.kemenag.go.id/berita/legalisir-daring"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_unit_officer_registers_a_breakthrough_with_evidence(people):
    c = login(people.pendma_lutra)
    page = c.get("/terobosan/baru/")
    assert page.status_code == 200 and 'name="kinds"' in page.content.decode()
    r = c.post("/terobosan/baru/", {**_form(), "evidence_files": [upload("sk-tim.pdf")]})
    assert r.status_code == 302
    b = Breakthrough.objects.get()
    assert r["Location"] == f"/terobosan/{b.pk}/"
    assert (b.office.code, b.unit.code, b.created_by) == ("73.22", "pendma", people.pendma_lutra)
    assert sorted(b.indicators.values_list("kind", flat=True)) == sorted([K.IKM, K.ON_TIME_RATE])
    kinds = sorted((bool(e.file), bool(e.link)) for e in b.evidence.all())
    assert kinds == [(False, True), (True, False)]
    listing = c.get("/terobosan/").content.decode()
    assert "Legalisir daring satu hari" in listing


def test_missing_fields_are_refused_with_every_message_linked(people):
    c = login(people.kasi_pendma_lutra)
    r = c.post("/terobosan/baru/", _form(title="", problem="", change="", started_on="", kinds=None))
    assert r.status_code == 400
    text = r.content.decode()
    for message, field in [("Tulis nama terobosan.", "t-title"), ("Tulis masalah yang diatasi.", "t-problem"),
                           ("Tulis perubahan yang dibuat.", "t-change"), ("Isi tanggal mulai berlaku.", "t-started_on"),
                           ("Pilih paling sedikit satu indikator", "t-kinds_0")]:
        assert message in text
        assert f'href="#{field}"' in text
    assert 'id="error-summary"' in text and Breakthrough.objects.count() == 0


def test_files_picked_with_a_refused_form_are_asked_for_again(people):
    """A browser never refills a file input: the page says the evidence was not kept."""
    c = login(people.kasi_pendma_lutra)
    r = c.post("/terobosan/baru/", {**_form(problem=""), "evidence_files": [upload("sk-tim.pdf")]})
    assert r.status_code == 400
    text = r.content.decode()
    assert "Pilih lagi berkas bukti" in text and 'href="#t-evidence_files"' in text
    assert BreakthroughEvidence.objects.count() == 0
    # without files nothing is said about them
    assert "Pilih lagi berkas bukti" not in c.post("/terobosan/baru/", _form(problem="")).content.decode()


@pytest.mark.parametrize("value, message", [
    ("2026-13-45", "Tanggal tidak sah"),
    ("1999-12-31", "Tanggal harus antara tahun 2000 dan 2100."),
])
def test_bad_dates_are_refused(people, value, message):
    r = login(people.pendma_lutra).post("/terobosan/baru/", _form(started_on=value))
    assert r.status_code == 400 and message in r.content.decode() and not Breakthrough.objects.exists()


def test_a_start_in_the_future_is_refused(people):
    r = login(people.pendma_lutra).post("/terobosan/baru/", _form(started_on=(_today() + timedelta(days=3)).isoformat()))
    assert r.status_code == 400
    assert "Tanggal mulai tidak boleh setelah hari ini" in r.content.decode()
    assert not Breakthrough.objects.exists()


def test_a_non_document_as_evidence_is_refused_and_nothing_is_saved(people):
    c = login(people.pendma_lutra)
    note = upload("catatan.txt", b"bukan dokumen, hanya teks", "text/plain")
    r = c.post("/terobosan/baru/", {**_form(), "evidence_files": [note]})
    assert r.status_code == 400 and "harus berupa PDF, JPG atau PNG" in r.content.decode()
    assert not Breakthrough.objects.exists() and not BreakthroughEvidence.objects.exists()
    b = breakthrough(started_on=_today() - timedelta(days=5), kinds=[K.IKM])
    fake = upload("laporan.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    r = c.post(f"/terobosan/{b.pk}/bukti/", {"title": "Laporan", "file": fake})
    assert r.status_code == 400 and "harus berupa PDF, JPG atau PNG" in r.content.decode()
    assert not b.evidence.exists()
    r = c.post(f"/terobosan/{b.pk}/bukti/", {"title": "Laporan", "file": upload("laporan.pdf")})
    assert r.status_code == 302 and b.evidence.get().file
    evidence = b.evidence.get()
    download = c.get(f"/terobosan/{b.pk}/bukti/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert not PersonalDataAccess.objects.exists()  # the uploader's own file
    head = login(people.kakan_lutra).get(f"/terobosan/{b.pk}/bukti/{evidence.pk}/")  # another reader: on record
    assert head.status_code == 200
    look = PersonalDataAccess.objects.get()
    assert (look.user, look.subject_type, look.subject_ref) == (people.kakan_lutra, "breakthrough_evidence",
                                                                str(evidence.pk))


def test_a_bad_link_is_refused(people):
    r = login(people.pendma_lutra).post("/terobosan/baru/", _form(links="javascript:alert(1)"))
    assert r.status_code == 400 and "Tautan harus alamat http(s)" in r.content.decode()


def test_a_unit_officer_registers_only_for_their_unit(people):
    r = login(people.pendma_lutra).post("/terobosan/baru/", _form(unit="bimas-islam"))
    assert r.status_code == 400 and "Unit tidak dikenal." in r.content.decode()
    r = login(people.pendma_lutra).post("/terobosan/baru/", _form(unit=""))
    assert r.status_code == 400 and "Pilih unit Anda" in r.content.decode()
    assert not Breakthrough.objects.exists()
    # The head of office may register for the office as a whole.
    r = login(people.kakan_lutra).post("/terobosan/baru/", _form(unit=""))
    assert r.status_code == 302 and Breakthrough.objects.get().unit is None


def test_who_may_see_and_edit(people, client):
    b = breakthrough(started_on=_today() - timedelta(days=10), kinds=[K.IKM])
    url = f"/terobosan/{b.pk}/"
    assert client.get(url).status_code == 302  # signed out: to the login page
    assert login(people.outsider).get(url).status_code == 403  # a citizen
    assert login(people.fo_makassar).get(url).status_code == 404  # another office
    assert login(people.kakanwil_jateng).get(url).status_code == 404  # another region's Kanwil
    assert login(people.kakanwil_sulsel).get(url).status_code == 200  # the Kanwil above reads
    assert login(people.fo_lutra).get(url).status_code == 200  # staff of the office read
    assert login(people.fo_lutra).get("/terobosan/baru/").status_code == 403  # ...but the desk does not register
    assert login(people.bimas_lutra).get(f"{url}ubah/").status_code == 403  # another unit does not edit
    assert login(people.kakanwil_sulsel).get(f"{url}ubah/").status_code == 403
    assert login(people.kasi_pendma_lutra).get(f"{url}ubah/").status_code == 200
    assert "Legalisir daring" not in login(people.fo_makassar).get("/terobosan/").content.decode()
    assert "Legalisir daring" in login(people.kakanwil_sulsel).get("/terobosan/").content.decode()
    assert login(people.outsider).get("/terobosan/").status_code == 403


def test_editing_keeps_the_office_and_replaces_indicators(people):
    b = breakthrough(started_on=_today() - timedelta(days=10), kinds=[K.IKM, K.ON_TIME_RATE])
    r = login(people.kasi_pendma_lutra).post(f"/terobosan/{b.pk}/ubah/", _form(
        office="73.71", title="Legalisir daring", kinds=[K.ONLINE_SHARE], service="legalisir-ijazah-madrasah",
        links=""))
    assert r.status_code == 302
    b.refresh_from_db()
    assert b.office.code == "73.22" and b.title == "Legalisir daring"
    assert [(i.kind, i.service.slug) for i in b.indicators.all()] == [(K.ONLINE_SHARE, "legalisir-ijazah-madrasah")]


def test_two_people_editing_at_once_do_not_overwrite_each_other(people):
    import re

    b = breakthrough(started_on=_today() - timedelta(days=20), kinds=[K.ON_TIME_RATE])
    kasi, kakan = login(people.kasi_pendma_lutra), login(people.kakan_lutra)
    seen = {}
    for name, c in (("kasi", kasi), ("kakan", kakan)):  # both open the form
        page = c.get(f"/terobosan/{b.pk}/ubah/").content.decode()
        seen[name] = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    assert kasi.post(f"/terobosan/{b.pk}/ubah/", _form(title="Judul dari Kasi", seen=seen["kasi"])).status_code == 302
    stale = kakan.post(f"/terobosan/{b.pk}/ubah/", _form(problem="Masalah dari Kakan", seen=seen["kakan"]))
    assert stale.status_code == 409 and "baru saja diubah orang lain" in stale.content.decode()
    b.refresh_from_db()
    assert b.title == "Judul dari Kasi" and b.problem != "Masalah dari Kakan"  # the first save stays
    # reloaded, the Kakan's change goes through
    fresh = re.search(r'name="seen" value="([^"]+)"', kakan.get(f"/terobosan/{b.pk}/ubah/").content.decode()).group(1)
    assert kakan.post(f"/terobosan/{b.pk}/ubah/", _form(title="Judul dari Kasi", problem="Masalah dari Kakan",
                                                       seen=fresh)).status_code == 302


def test_a_nik_typed_in_a_breakthrough_is_masked_for_readers_and_on_record_for_its_keepers(people):
    b = breakthrough(started_on=_today() - timedelta(days=20), kinds=[K.ON_TIME_RATE])
    Breakthrough.objects.filter(pk=b.pk).update(problem="Pemohon NIK 7322015708900001 antre tiga jam.")
    b.evidence.create(title="KTP 7322015708900001.jpg", link="https://lutra.kemenag.go.id/x")
    reader = login(people.fo_lutra)  # reads the office's breakthroughs, does not keep them
    for url in ("/terobosan/", f"/terobosan/{b.pk}/"):
        page = reader.get(url).content.decode()
        assert "7322015708900001" not in page and "[NIK]" in page
    assert not PersonalDataAccess.objects.exists()
    page = login(people.kasi_pendma_lutra).get(f"/terobosan/{b.pk}/").content.decode()
    assert "Pemohon NIK 7322015708900001" in page and "KTP 7322015708900001.jpg" in page
    look = PersonalDataAccess.objects.get()
    assert (look.user, look.subject_type, look.subject_ref) == (people.kasi_pendma_lutra, "breakthrough", str(b.pk))
    plain = Breakthrough.objects.create(office=b.office, unit=b.unit, title="Tanpa data pribadi", problem="Antre.",
                                        change="Daring.", started_on=b.started_on)
    login(people.kasi_pendma_lutra).get(f"/terobosan/{plain.pk}/")
    assert PersonalDataAccess.objects.count() == 1  # nothing personal there: nothing to record


def test_detail_draws_a_chart_per_indicator_and_says_when_there_is_no_data(people):
    started = _today() - timedelta(days=30)
    survey_answers(started - timedelta(days=10), 12, 3)
    survey_answers(started + timedelta(days=5), 10, 4)
    b = breakthrough(started_on=started, kinds=[K.IKM, K.COMPLAINT_HOURS])
    text = login(people.pendma_lutra).get(f"/terobosan/{b.pk}/").content.decode()
    assert text.count('data-testid="before-after-chart"') == 2
    assert 'role="img"' in text and 'aria-labelledby="chart-ikm-title"' in text
    assert "Indeks Kepuasan Masyarakat (IKM): sebelum 75,00, sesudah 100,00." in text  # the SVG's title
    assert '<rect class="bar bar-before"' in text and '<rect class="bar bar-after"' in text
    assert "<td>75,00</td><td>12</td>" in text  # the table for screen readers
    assert "Belum ada data setelah terobosan dimulai (0 pengaduan dijawab sejak" in text
    assert "belum cukup data" in text


def test_the_list_costs_the_same_queries_for_many_breakthroughs(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(people.kakanwil_sulsel)
    for i in range(2):
        breakthrough(started_on=_today() - timedelta(days=10 + i), kinds=[K.IKM, K.ONLINE_SHARE], title=f"T{i}")
    with CaptureQueriesContext(connection) as few:
        assert c.get("/terobosan/").status_code == 200
    for i in range(8):
        breakthrough(started_on=_today() - timedelta(days=20 + i), kinds=[K.IKM], title=f"U{i}", office="73.71")
    with CaptureQueriesContext(connection) as many:
        text = c.get("/terobosan/").content.decode()
    assert text.count('<h3><a href="/terobosan/') == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pages_read_in_english(people):
    started = _today() - timedelta(days=3)
    b = breakthrough(started_on=started, kinds=[K.COMPLAINT_HOURS])
    c = login(people.pendma_lutra)
    c.cookies["django_language"] = "en"
    text = c.get(f"/terobosan/{b.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Before and after" in text and "No data yet since the breakthrough started (0 complaints answered" in text
