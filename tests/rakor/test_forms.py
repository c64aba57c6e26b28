"""The Rakor forms on Django's forms framework: every problem named next to its field and in a
summary that links to it, what was typed kept, 400 (or the domain's status), never a 500;
fields marked wajib/opsional; English when asked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from satupintu.organization.models import Office
from satupintu.rakor import followups
from satupintu.rakor.models import Action, Decision, Meeting
from tests.conftest import png_bytes, upload
from tests.rakor.test_views import _action, _form, _login, _meeting, _text

pytestmark = pytest.mark.django_db


def _summary_links(page: str) -> list[str]:
    summary = re.search(r'<div class="error-summary[^"]*" id="error-summary" role="alert".*?</div>', page, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'<a href="#([^"]+)">', summary.group(0))


def _invalid(page: str, element_id: str) -> None:
    """The field says it is invalid and points at its message."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{element_id}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in tag and f"{element_id}_error" in tag, tag
    assert f'<p class="error" id="{element_id}_error">' in page


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


# --- recording a meeting -----------------------------------------------------------------------

def test_the_create_form_marks_required_and_optional_fields(people):
    page = _text(_login(people.kakanwil_sulsel).get("/rakor/baru/"))
    assert '<label for="f-title">Judul <span class="mark">(wajib)</span></label>' in page
    assert '<label for="f-date">Tanggal <span class="mark">(wajib)</span></label>' in page
    assert '<label for="f-theme">Tema <span class="mark">(opsional)</span></label>' in page
    assert "<legend>Cara rapat <span class=\"mark\">(wajib)</span></legend>" in page
    assert 'name="start" value="09:00"' in page and "error-summary" not in page


def test_every_parse_error_at_once_with_a_linked_summary_and_the_typed_values_kept(people):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", _form(
        office="33", title="Rakor Evaluasi Semester", date="2026-02-30", end_date="besok", start="25:00",
        online_link="ftp://rapat.example/ruang", participants="banyak", invited=["33.71"]))
    assert response.status_code == 400 and not Meeting.objects.exists()
    page = _text(response)
    assert _summary_links(page) == ["f-office", "f-online_link", "f-date", "f-end_date", "f-start", "f-invited_0",
                                    "f-participants"]
    for element_id in ("f-office", "f-online_link", "f-date", "f-end_date", "f-start", "f-participants"):
        _invalid(page, element_id)
    assert "Pilih kantor Anda sebagai penyelenggara." in page and "Tanggal tidak sah" in page
    assert "Jam tidak sah" in page and "Jumlah peserta harus bilangan bulat yang wajar." in page
    assert 'value="Rakor Evaluasi Semester"' in page and 'value="ftp://rapat.example/ruang"' in page
    assert 'value="2026-02-30"' in page and 'value="25:00"' in page and 'value="banyak"' in page


def test_every_domain_error_at_once_on_its_field(people):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", _form(
        title=" ", mode="online", start="14:00", end="10:00", people="tidak.ada"))
    assert response.status_code == 400 and not Meeting.objects.exists()
    page = _text(response)
    # title, mode's link, the end before the start, the unknown person: one round trip
    assert _summary_links(page) == ["f-title", "f-online_link", "f-end", "f-people"]
    assert "Tulis judul rapat." in page and "perlu tautan rapat" in page and "Petugas tidak ditemukan: tidak.ada." in page
    _invalid(page, "f-end")


def test_decisions_typed_with_the_meeting_are_saved_with_it(people):
    c = _login(people.kakanwil_sulsel)
    response = c.post("/rakor/baru/", _form(decisions="Jaga netralitas ASN\n  \nPercepat layanan daring"))
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/rakor/{meeting.pk}/"
    assert [d.text for d in meeting.decisions.all()] == ["Jaga netralitas ASN", "Percepat layanan daring"]


@pytest.mark.parametrize("over", [
    {"participants": "²"}, {"participants": "１２３"}, {"date": "９９-01-01"}, {"start": "9"}, {"end": "12:00:99"},
    {"end_date": "2024-13-01"}, {"date": "1-1-1"}, {"invited": ["'; drop table"]}, {"roles": ["superuser"]},
    {"source_item": "12abc"}, {"source_item": "²"}, {"type": "bukan"}, {"mode": ""},
    # Past int()'s 4300-digit limit: a ValueError, that is a 500, before they were counted.
    {"participants": "9" * 5000}, {"source_item": "9" * 5000},
])
def test_odd_input_is_a_400_with_the_form_never_a_500(people, over):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", _form(**over))
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert _summary_links(_text(response))


def test_create_form_errors_in_english(people):
    c = _english(_login(people.kakanwil_sulsel))
    page = _text(c.post("/rakor/baru/", _form(date="besok", participants="-5")))
    assert "The meeting has not been saved." in page
    assert "The date is not valid; write year-month-day, for example 2026-03-17." in page
    assert "(required)" in page and "(optional)" in page


# --- the article pre-fill ----------------------------------------------------------------------

def test_a_bad_publication_date_is_named_and_the_article_kept(people):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", {
        "prefill": "1", "article": "Kanwil menggelar rapat koordinasi di Makassar.", "published": "kemarin"})
    assert response.status_code == 400
    page = _text(response)
    assert _summary_links(page) == ["f-published"]
    _invalid(page, "f-published")
    assert "Kanwil menggelar rapat koordinasi di Makassar." in page and 'value="kemarin"' in page
    assert "<details open>" in page  # the pre-fill part stays open on its error


def test_a_blank_article_is_named_on_its_field(people):
    response = _login(people.kakanwil_sulsel).post("/rakor/baru/", {"prefill": "1", "article": "  "})
    assert response.status_code == 400
    assert _summary_links(_text(response)) == ["f-article"]


# --- the meeting page: minutes, documents, decisions ---------------------------------------------

def test_a_document_without_title_and_file_names_both(people):
    rakor = _meeting("73")
    response = _login(people.kakanwil_sulsel).post(f"/rakor/{rakor.pk}/aksi/", {"action": "document", "title": ""})
    assert response.status_code == 400 and not rakor.documents.exists()
    page = _text(response)
    assert _summary_links(page) == ["doc-title", "doc-file"]
    assert "Tulis judul dokumen." in page and "Pilih berkas dokumen." in page
    _invalid(page, "doc-file")


def test_a_wrong_document_keeps_its_title_and_a_good_one_answers_forms_js_with_json(people):
    rakor = _meeting("73")
    c = _login(people.kakanwil_sulsel)
    wrong = c.post(f"/rakor/{rakor.pk}/aksi/", {"action": "document", "title": "Bahan paparan",
                                                "file": upload("paparan.pdf", png_bytes())})
    assert wrong.status_code == 400 and not rakor.documents.exists()
    assert _summary_links(_text(wrong)) == ["doc-file"] and 'value="Bahan paparan"' in _text(wrong)
    # forms.js posts with upload progress: the next address as JSON, not a redirect XHR would follow
    ok = c.post(f"/rakor/{rakor.pk}/aksi/", {"action": "document", "title": "Bahan paparan", "file": upload()},
                headers={"X-Form-Upload": "1"})
    assert ok.status_code == 200 and ok.json() == {"redirect": f"/rakor/{rakor.pk}/#dokumen"}
    assert rakor.documents.get().title == "Bahan paparan"


def test_an_empty_decision_is_named_on_its_field(people):
    rakor = _meeting("73")
    response = _login(people.kakanwil_sulsel).post(f"/rakor/{rakor.pk}/aksi/", {
        "action": "decision", "text": "  ", "given_by": "Kakanwil"})
    assert response.status_code == 400 and not Decision.objects.exists()
    page = _text(response)
    assert _summary_links(page) == ["decision-text"] and 'value="Kakanwil"' in page


def test_minutes_too_long_for_a_new_item_are_refused_not_cut_and_kept(people):
    rakor = _meeting("73")
    item = rakor.agenda.first()
    response = _login(people.kakanwil_sulsel).post(f"/rakor/{rakor.pk}/aksi/", {
        "action": "minutes", f"minutes-{item.pk}": "Disepakati tiga program.", "new_item": "x" * 301})
    assert response.status_code == 400 and rakor.agenda.count() == 2
    page = _text(response)
    assert _summary_links(page) == ["new_item"] and "Disepakati tiga program." in page
    item.refresh_from_db()
    assert item.minutes == ""


def test_minutes_leave_an_item_added_since_the_page_was_loaded_alone(people):
    rakor = _meeting("73")
    first, second = rakor.agenda.all()
    second.minutes = "Ditulis rekan di tab lain"
    second.save()
    _login(people.kakanwil_sulsel).post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes",
                                                                      f"minutes-{first.pk}": "Disepakati."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.minutes == "Disepakati." and second.minutes == "Ditulis rekan di tab lain"


def test_minutes_from_a_page_opened_earlier_keep_what_a_colleague_wrote_since(people):
    import re

    rakor = _meeting("73")
    first, second = rakor.agenda.all()
    a, b = _login(people.kakanwil_sulsel), _login(people.kakanwil_sulsel)
    page_a = _text(a.get(f"/rakor/{rakor.pk}/"))  # A opens the meeting
    seen = dict(re.findall(r'name="(seen-\d+)" value="([0-9a-f]+)"', page_a))
    assert set(seen) == {f"seen-{first.pk}", f"seen-{second.pk}"}
    b.post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes", f"minutes-{first.pk}": "", **seen,
                                        f"minutes-{second.pk}": "Notulen B untuk butir 2."})  # B records item 2
    # A saves item 1 from the old page, whose item 2 is still empty
    sent = a.post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes", f"minutes-{first.pk}": "Notulen A.",
                                               f"minutes-{second.pk}": "", **seen})
    assert sent.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.minutes == "Notulen A." and second.minutes == "Notulen B untuk butir 2."  # B's was blanked
    # both change item 2: the later one is told, nothing is lost
    clash = a.post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes", f"minutes-{first.pk}": "Notulen A.",
                                                f"minutes-{second.pk}": "Versi A.", **seen})
    assert clash.status_code == 409 and "baru saja diubah orang lain" in _text(clash)
    second.refresh_from_db()
    assert second.minutes == "Notulen B untuk butir 2."


# --- assigning and adopting ----------------------------------------------------------------------

def test_assign_with_a_bad_date_and_an_unknown_unit_names_both_and_keeps_the_form_open(people):
    decision = followups.add_decision(_meeting("73"), "Percepat layanan daring")
    response = _login(people.kakanwil_sulsel).post(f"/rakor/keputusan/{decision.pk}/tindak-lanjut/", {
        "office": "73.22", "unit": "bukan-unit", "indicator": "Laporan layanan daring", "due_date": "2026-02-30"})
    assert response.status_code == 400 and not Action.objects.exists()
    page = _text(response)
    assert _summary_links(page) == [f"a-unit-{decision.pk}", f"a-due_date-{decision.pk}"]
    _invalid(page, f"a-due_date-{decision.pk}")
    assert "Unit tidak dikenal." in page and 'value="Laporan layanan daring"' in page
    assert '<details class="inline-form" open><summary>Tambah tindak lanjut</summary>' in page


def test_assign_to_an_unknown_office_is_named(people):
    decision = followups.add_decision(_meeting("73"), "Percepat layanan daring")
    due = (followups.office_today(Office.objects.get(code="73")) + timedelta(days=5)).isoformat()
    response = _login(people.kakanwil_sulsel).post(f"/rakor/keputusan/{decision.pk}/tindak-lanjut/", {
        "office": "99.99", "indicator": "x", "due_date": due})
    assert response.status_code == 400 and _summary_links(_text(response)) == [f"a-office-{decision.pk}"]


def test_adopt_without_a_meeting_is_named_on_the_select(people):
    from satupintu.rakor.models import MeetingType

    rakernas = followups.add_decision(_meeting("pusat", MeetingType.RAKERNAS), "Tujuh program prioritas")
    _meeting("73")
    response = _login(people.kakanwil_sulsel).post(f"/rakor/keputusan/{rakernas.pk}/adopsi/", {"into": ""})
    assert response.status_code == 400
    page = _text(response)
    assert _summary_links(page) == [f"adopt-into-{rakernas.pk}"]
    assert "Pilih rapat kantor Anda yang menerima keputusan ini." in page
    # A digit int() refuses ("²" is a digit to str.isdigit()) is the same clear 400, not a 500.
    odd = _login(people.kakanwil_sulsel).post(f"/rakor/keputusan/{rakernas.pk}/adopsi/", {"into": "²"})
    assert odd.status_code == 400 and "Pilih rapat kantor Anda" in _text(odd)
    assert _login(people.kakanwil_sulsel).get("/rakor/baru/", {"butir": "²"}).status_code == 200


# --- reporting progress ----------------------------------------------------------------------------

def test_progress_names_every_problem_and_keeps_what_was_typed(people):
    action = _action()
    response = _login(people.kakan_lutra).post(f"/rakor/tindak-lanjut/{action.pk}/", {
        "action": "progress", "note": "Sudah berjalan di PTSP", "link": "javascript:alert(1)", "percent": "150"})
    assert response.status_code == 400 and not action.updates.exists()
    page = _text(response)
    assert _summary_links(page) == ["p-link", "p-percent"]
    _invalid(page, "p-link")
    _invalid(page, "p-percent")
    assert "Sudah berjalan di PTSP" in page and 'value="150"' in page


def test_progress_without_a_note_and_with_a_wrong_file_names_both(people):
    action = _action()
    response = _login(people.kakan_lutra).post(f"/rakor/tindak-lanjut/{action.pk}/", {
        "action": "progress", "note": "", "percent": "40", "evidence": upload("bukti.pdf", b"bukan pdf")})
    assert response.status_code == 400 and not action.updates.exists()
    assert _summary_links(_text(response)) == ["p-note", "p-evidence"]


@pytest.mark.parametrize("percent", ["²", "-1", "12.5", "seratus", "101"])
def test_a_percent_that_is_not_0_to_100_is_a_field_error_never_a_500(people, percent):
    action = _action()
    response = _login(people.kakan_lutra).post(f"/rakor/tindak-lanjut/{action.pk}/", {
        "action": "progress", "note": "Sedang disiapkan", "percent": percent})
    assert response.status_code == 400 and _summary_links(_text(response)) == ["p-percent"]
    assert not action.updates.exists()


def test_progress_with_evidence_answers_forms_js_with_json_and_in_english(people):
    action = _action()
    url = f"/rakor/tindak-lanjut/{action.pk}/"
    c = _login(people.kakan_lutra)
    ok = c.post(url, {"action": "progress", "note": "Berjalan", "percent": "", "evidence": upload("laporan.pdf")},
                headers={"X-Form-Upload": "1"})
    assert ok.status_code == 200 and ok.json() == {"redirect": url}
    assert action.updates.get().percent == 0  # nothing typed: 0, as before
    english = _text(_english(c).post(url, {"action": "progress", "note": "x", "percent": "abc"}))
    assert "The percentage must be between 0 and 100." in english and "The progress has not been recorded." in english


def test_numbers_too_long_to_read_are_a_clear_answer_not_a_500(people):
    huge = "9" * 5000
    kanwil = _login(people.kakanwil_sulsel)
    assert kanwil.get("/rakor/baru/", {"butir": huge}).status_code == 200  # the blank form
    decision = followups.add_decision(_meeting("73"), "Percepat layanan")
    _meeting("73.22")
    adopt = _login(people.kakan_lutra).post(f"/rakor/keputusan/{decision.pk}/adopsi/", {"into": huge})
    assert adopt.status_code == 400 and not Decision.objects.filter(adopted_from=decision).exists()
    action = _action()
    progress = _login(people.fo_lutra).post(f"/rakor/tindak-lanjut/{action.pk}/",
                                            {"action": "progress", "note": "Jalan", "percent": huge})
    assert progress.status_code == 400 and not action.updates.exists()


# --- the same form sent twice -------------------------------------------------------------------


def test_a_progress_report_sent_twice_is_recorded_once(people):
    # A double click, or "send" again after "back" on a slow connection: one update on the action's
    # history (and one row for the Rakor's figures), not two.
    action = _action()
    c = _login(people.kakan_lutra)
    form = {"action": "progress", "note": "Sudah berjalan di PTSP", "link": "https://lutra.example/bukti",
            "percent": "60"}
    for _ in range(2):
        assert c.post(f"/rakor/tindak-lanjut/{action.pk}/", form).status_code == 302
    assert action.updates.count() == 1
    with_file = {"action": "progress", "note": "Foto kegiatan", "percent": "70"}
    for _ in range(2):
        c.post(f"/rakor/tindak-lanjut/{action.pk}/", {**with_file, "evidence": upload("bukti.png", png_bytes())})
    assert action.updates.filter(note="Foto kegiatan").count() == 1
    # Another photo of the very same size with the same words is another piece of evidence.
    from tests.conftest import pdf_bytes

    first, second = pdf_bytes("Foto A"), pdf_bytes("Foto B")
    assert len(first) == len(second) and first != second
    for data in (first, second):
        c.post(f"/rakor/tindak-lanjut/{action.pk}/", {**with_file, "note": "Foto lapangan",
                                                      "evidence": upload("bukti.pdf", data)})
    assert action.updates.filter(note="Foto lapangan").count() == 2
    # Another report, even in the same words, with other figures is a new one.
    c.post(f"/rakor/tindak-lanjut/{action.pk}/", {**form, "percent": "80"})
    assert action.updates.filter(note="Sudah berjalan di PTSP").count() == 2


def test_minutes_with_a_new_item_sent_twice_add_the_item_once(people):
    rakor = _meeting("73")
    c = _login(people.kakanwil_sulsel)
    for _ in range(2):
        c.post(f"/rakor/{rakor.pk}/aksi/", {"action": "minutes", "new_item": "Evaluasi  layanan haji"})
    assert list(rakor.agenda.values_list("title", flat=True))[-1] == "Evaluasi layanan haji"
    assert rakor.agenda.count() == 3


def test_an_action_whose_reporter_account_was_deleted_still_opens(people):
    # ProgressUpdate.author is SET_NULL: an officer who left and whose account was removed. The page
    # gave a 500 (a template filter's argument that does not resolve is an error).
    from django.contrib.auth import get_user_model

    action = _action()
    leaver = get_user_model().objects.create_user("pindah.tugas", "p@test.local", "x")
    followups.report_progress(action, user=leaver, note="Sudah berjalan", percent=30)
    leaver.delete()
    response = _login(people.kakan_lutra).get(f"/rakor/tindak-lanjut/{action.pk}/")
    assert response.status_code == 200
    assert re.search(r"· — · <span class=\"percent\">30%</span>", _text(response))
