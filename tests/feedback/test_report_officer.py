"""The back office for complaints: who sees which report, the actions, and the reporter's privacy."""

from __future__ import annotations

import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from satupintu.core.models import PersonalDataAccess
from satupintu.core.privacy import mask_email, mask_phone
from satupintu.feedback import reports
from satupintu.feedback.models import Report, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole, Unit
from tests.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-uji-123"
QUEUE = "/petugas/pengaduan/"
_serial = itertools.count(1)


def _staff(username: str, office: str, role: str, unit: str | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", PASSWORD, first_name=username)
    StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role,
                             unit=Unit.objects.get(code=unit) if unit else None)
    return user


@pytest.fixture
def complaints_lutra(db):  # type: ignore[no-untyped-def]
    return _staff("pengaduan.lutra", "73.22", Role.COMPLAINT_OFFICER)


@pytest.fixture
def inspector_lutra(db):  # type: ignore[no-untyped-def]
    return _staff("itjen.lutra", "73.22", Role.INSPECTORATE)


@pytest.fixture
def inspector_pusat(db):  # type: ignore[no-untyped-def]
    return _staff("itjen.pusat", "pusat", Role.INSPECTORATE)


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _report(**overrides) -> Report:  # type: ignore[no-untyped-def]
    n = next(_serial)
    data = dict(kind="complaint", category="service_quality", office="73.22", title=f"Layanan lambat nomor {n}",
                text=f"Pengurusan legalisir ijazah sudah dua minggu belum selesai (kejadian {n}).",
                name="Budi Santoso", email="budi@contoh.id")
    data.update(overrides)
    return reports.report_submit(reports.ReportSubmission(**data))


def _act(client: Client, report: Report, action: str, **data):  # type: ignore[no-untyped-def]
    return client.post(f"{QUEUE}{report.tracking_code}/aksi/", {"action": action, **data}, follow=True)


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def test_staff_only(people):
    assert Client().get(QUEUE)["Location"] == f"/masuk/?next={QUEUE}"
    assert _login(people.outsider).get(QUEUE).status_code == 403
    report = _report()
    assert _login(people.outsider).get(f"{QUEUE}{report.tracking_code}/").status_code == 403
    # The application queue links to the complaint queue and the survey report (for those who
    # handle complaints: not the front office, tests/web/test_officer_pages.py).
    page = _login(people.kakan_lutra).get("/petugas/").content.decode()
    assert 'href="/petugas/pengaduan/"' in page and 'href="/petugas/skm/"' in page


def test_complaint_officer_verifies_and_forwards_then_unit_answers(people, complaints_lutra):
    mine = _report(title="Antrean legalisir terlalu panjang")
    elsewhere = _report(office="73.71", title="Loket Makassar tutup cepat")
    officer = _login(complaints_lutra)
    queue = officer.get(QUEUE)
    assert queue.status_code == 200
    page = queue.content.decode()
    assert mine.tracking_code in page and elsewhere.tracking_code not in page
    assert "Belum selesai: <strong>1</strong>" in page
    assert officer.get(f"{QUEUE}{elsewhere.tracking_code}/").status_code == 404
    assert _act(officer, elsewhere, "verify").status_code == 404

    detail = officer.get(f"{QUEUE}{mine.tracking_code}/")
    assert detail.status_code == 200
    assert detail.context["actions"] == ["verify", "forward", "reject", "recategorize"]
    assert "Antrean legalisir terlalu panjang" in detail.content.decode()

    response = _act(officer, mine, "verify")
    assert response.redirect_chain[-1][0] == f"{QUEUE}{mine.tracking_code}/"
    mine.refresh_from_db()
    assert mine.status == ReportStatus.VERIFIED

    # The unit does not see it before it is forwarded to them.
    unit_officer = _login(people.pendma_lutra)
    assert unit_officer.get(f"{QUEUE}{mine.tracking_code}/").status_code == 404

    response = _act(officer, mine, "forward", office="73.22", unit="pendma", note="Mohon ditindaklanjuti.")
    assert "diteruskan" in _messages(response)
    mine.refresh_from_db()
    assert mine.status == ReportStatus.FORWARDED and mine.unit.code == "pendma"

    assert mine.tracking_code in unit_officer.get(QUEUE).content.decode()
    detail = unit_officer.get(f"{QUEUE}{mine.tracking_code}/")
    assert detail.status_code == 200 and detail.context["actions"] == ["answer"]
    assert "Mohon ditindaklanjuti." in detail.content.decode()  # the timeline
    response = _act(unit_officer, mine, "answer", note="Antrean kini dibuka dua loket; mohon maaf.")
    mine.refresh_from_db()
    assert mine.status == ReportStatus.ANSWERED and mine.answer.startswith("Antrean kini")
    assert "Antrean kini dibuka dua loket" in response.content.decode()
    # Another unit of the same office does not see it.
    assert _login(people.bimas_lutra).get(f"{QUEUE}{mine.tracking_code}/").status_code == 404

    # The front office has no report rights: an empty queue, no detail.
    front = _login(people.fo_lutra)
    queue = front.get(QUEUE)
    assert queue.status_code == 200 and mine.tracking_code not in queue.content.decode()
    assert front.get(f"{QUEUE}{mine.tracking_code}/").status_code == 404


def test_integrity_reports_go_to_the_inspectorate_only(people, complaints_lutra, inspector_lutra, inspector_pusat):
    levy = _report(category="illegal_levy", title="Diminta uang untuk legalisir")
    for user in (complaints_lutra, people.kakan_lutra, people.pendma_lutra, people.kakanwil_sulsel):
        client = _login(user)
        assert levy.tracking_code not in client.get(QUEUE).content.decode()
        assert client.get(f"{QUEUE}{levy.tracking_code}/").status_code == 404
        assert _act(client, levy, "verify").status_code == 404
    levy.refresh_from_db()
    assert levy.status == ReportStatus.SUBMITTED

    local = _login(inspector_lutra)
    assert levy.tracking_code in local.get(QUEUE).content.decode()
    detail = local.get(f"{QUEUE}{levy.tracking_code}/")
    assert detail.status_code == 200 and "answer" not in detail.context["actions"]
    _act(local, levy, "verify")
    levy.refresh_from_db()
    assert levy.status == ReportStatus.VERIFIED

    central = _login(inspector_pusat)
    assert levy.tracking_code in central.get(QUEUE).content.decode()
    assert "answer" in central.get(f"{QUEUE}{levy.tracking_code}/").context["actions"]
    _act(central, levy, "answer", note="Petugas yang bersangkutan telah diperiksa dan dikenai sanksi.")
    levy.refresh_from_db()
    assert levy.status == ReportStatus.ANSWERED

    # The local inspectorate answers too.
    conduct = _report(category="illegal_levy", title="Pungutan saat pendaftaran nikah")
    _act(local, conduct, "verify")
    _act(local, conduct, "answer", note="Sudah ditindaklanjuti oleh Inspektorat.")
    conduct.refresh_from_db()
    assert conduct.status == ReportStatus.ANSWERED


def test_anonymous_identity_never_reaches_an_officer(people, complaints_lutra, inspector_lutra):
    phone_raw, email = "081299998888", "rahasia@contoh.id"
    secret = dict(anonymous=True, name="Rahasia Sekali", phone=phone_raw, email=email)
    report = _report(**secret)
    levy = _report(category="illegal_levy", **secret)
    assert report.reporter_name == "Rahasia Sekali"  # kept, for progress messages only
    stored = report.reporter_phone
    forbidden = {"Rahasia Sekali", phone_raw, stored, stored.lstrip("+"), "81299998888", email,
                 mask_phone(phone_raw), mask_phone(stored), mask_email(email)}
    root = get_user_model().objects.create_superuser("root", "root@test.local", PASSWORD)
    # Forward it so the unit sees it as well.
    _act(_login(complaints_lutra), report, "forward", office="73.22", unit="pendma", note="Mohon dicek.")
    viewers = [(complaints_lutra, report), (people.kakan_lutra, report), (people.kakanwil_sulsel, report),
               (people.pendma_lutra, report), (root, report), (root, levy), (inspector_lutra, levy)]
    for user, seen in viewers:
        client = _login(user)
        pages = {
            "queue": client.get(QUEUE),
            "queue-search": client.get(QUEUE, {"q": seen.tracking_code, "status": "all"}),
            "detail": client.get(f"{QUEUE}{seen.tracking_code}/"),
            "reveal": client.post(f"{QUEUE}{seen.tracking_code}/", {"reveal": "1", "reason": "follow_up"}),
            "export": client.get(QUEUE, {"status": "all", "format": "csv"}),
        }
        for name, response in pages.items():
            assert response.status_code == 200, (user, name)
            body = response.content.decode("utf-8-sig")
            assert seen.tracking_code in body, (user, name)
            for text in forbidden:
                assert text not in body, (user.username, name, text)
        assert "Identitas dirahasiakan pelapor" in pages["detail"].content.decode()
        assert "Tampilkan data pribadi" not in pages["detail"].content.decode()
        assert pages["detail"].context["reporter"] is None
    # Nothing of the reporter was revealed (each CSV download of the queue is on record as such).
    assert not PersonalDataAccess.objects.exclude(subject_type="report_queue").exists()


def test_reporter_contact_is_masked_until_revealed_and_audited(people, complaints_lutra):
    report = _report(phone="081277776666", email="budi.santoso@contoh.id",
                     files=[upload("bukti.png", png_bytes(), "image/png")])
    client = _login(complaints_lutra)
    url = f"{QUEUE}{report.tracking_code}/"
    page = client.get(url).content.decode()
    assert "Budi Santoso" in page
    assert report.reporter_phone not in page and "budi.santoso@contoh.id" not in page
    assert mask_phone(report.reporter_phone) in page and mask_email("budi.santoso@contoh.id") in page
    assert "Tampilkan data pribadi" in page
    assert not PersonalDataAccess.objects.exists()

    page = client.post(url, {"reveal": "1", "reason": "follow_up"}).content.decode()
    assert report.reporter_phone in page and "budi.santoso@contoh.id" in page
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.subject_type, access.subject_ref, access.what) == (
        complaints_lutra, "report", report.tracking_code, "identitas pelapor")

    # Attachments: listed, downloaded with an audit entry; not for someone who cannot see the report.
    attachment = report.attachments.get()
    link = f"{url}lampiran/{attachment.pk}/"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert PersonalDataAccess.objects.filter(subject_ref=report.tracking_code, what__startswith="lampiran").count() == 1
    assert _login(people.fo_lutra).get(link).status_code == 404
    assert client.get(f"{url}lampiran/{attachment.pk + 999}/").status_code == 404
    assert PersonalDataAccess.objects.count() == 2


def test_bad_actions_are_refused_with_a_message(people, complaints_lutra):
    # The refusal is on the report's page, sent back with its status (no longer a redirect
    # with a one-time message): the error summary says it, and what was typed stays.
    report = _report()
    client = _login(complaints_lutra)

    def refused(action: str, status: int, message: str, **data) -> str:  # type: ignore[no-untyped-def]
        response = _act(client, report, action, **data)
        assert response.status_code == status and not response.redirect_chain
        page = response.content.decode()
        summary = re.search(r'<div class="error-summary.*?</div>', page, re.S)
        assert summary and message in summary.group(0), page
        return page

    refused("answer", 409, "tidak bisa dilakukan", note="Jawaban terlalu dini.")  # not verified yet
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    _act(client, report, "verify")
    refused("verify", 409, "tidak bisa dilakukan")

    page = refused("answer", 400, "Tuliskan jawaban", note="   ")
    assert '<a href="#answer-note">' in page
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.answer == ""

    refused("reject", 400, "Tuliskan alasan laporan tidak dapat diproses", note="")
    # Forwarding with neither a note nor a unit: both said at once, the note in forwarding's words.
    page = refused("forward", 400, "Tuliskan catatan untuk unit tujuan", office="73.22", unit="", note="")
    assert '<a href="#fw-note">Tuliskan catatan untuk unit tujuan.</a>' in page and '<a href="#fw-unit">' in page

    page = refused("forward", 400, "kantor atasan", office="33.74", unit="pendma", note="Salah alamat.")
    assert '<a href="#fw-office">' in page and "Salah alamat.</textarea>" in page
    refused("forward", 400, "Pilih kantor tujuan", office="99.99", unit="pendma", note="Tidak ada.")
    page = refused("forward", 400, "Pilih unit tujuan", office="73.22", unit="", note="Tanpa unit.")
    assert '<a href="#fw-unit">' in page and "Tanpa unit.</textarea>" in page
    refused("menghapus", 400, "Aksi tidak dikenal")
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.office.code == "73.22" and report.unit is None

    # A GET on the action URL does nothing.
    assert client.get(f"{QUEUE}{report.tracking_code}/aksi/").status_code == 405


def test_forward_out_of_reach_returns_to_the_queue(people, complaints_lutra):
    report = _report()
    client = _login(complaints_lutra)
    response = _act(client, report, "forward", office="73", unit="pendma", note="Kewenangan Kanwil.")
    report.refresh_from_db()
    assert report.office.code == "73" and report.status == ReportStatus.FORWARDED
    assert response.redirect_chain[-1][0] == QUEUE
    assert "di luar wewenang" in _messages(response)


def test_queue_filters(people, inspector_pusat):
    question = _report(kind="question", category="hajj", title="Kapan pelunasan haji dibuka")
    complaint = _report(category="facilities", office="73.71", title="Toilet kantor rusak")
    levy = _report(category="illegal_levy", office="33.74", title="Pungutan di KUA")
    root = _login(get_user_model().objects.create_superuser("root", "root@test.local", PASSWORD))

    def codes(**params) -> set[str]:  # type: ignore[no-untyped-def]
        response = root.get(QUEUE, params)
        assert response.status_code == 200
        return {row["report"].tracking_code for row in response.context["rows"]}

    everything = {question.tracking_code, complaint.tracking_code, levy.tracking_code}
    assert codes() == everything
    assert codes(kind="question") == {question.tracking_code}
    assert codes(category="facilities") == {complaint.tracking_code}
    assert codes(office="33.74") == {levy.tracking_code}
    assert codes(q="pelunasan") == {question.tracking_code}
    assert codes(q=complaint.tracking_code.lower()) == {complaint.tracking_code}
    assert codes(status="verified") == set()
    assert root.get(QUEUE).context["show_offices"]
    Report.objects.filter(pk=question.pk).update(status=ReportStatus.REJECTED)
    assert codes() == everything - {question.tracking_code}
    assert codes(status="all") == everything
    assert codes(status="rejected") == {question.tracking_code}
    # The inspectorate at Pusat sees integrity reports everywhere, and nothing else.
    assert {r["report"].tracking_code for r in _login(inspector_pusat).get(QUEUE).context["rows"]} == {
        levy.tracking_code}


def _queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE).status_code == 200
    return len(ctx.captured_queries)


def test_queue_queries_do_not_grow_with_reports(people, complaints_lutra):
    client = _login(complaints_lutra)
    for _ in range(2):
        _report()
    few = _queue_queries(client)
    for i in range(8):
        report = _report(kind="aspiration" if i % 2 else "complaint")
        if i % 3 == 0:
            _act(client, report, "forward", office="73.22", unit="pendma", note="Mohon ditindaklanjuti.")
    assert len(client.get(QUEUE).context["rows"]) == 10
    assert _queue_queries(client) == few


def test_a_bribery_report_filed_as_service_quality_is_recategorised_to_the_inspectorate(
        people, complaints_lutra, inspector_lutra):
    report = _report(title="Diminta uang rokok", text="Petugas loket meminta uang rokok Rp50.000 agar legalisir "
                     "ijazah saya cepat selesai.")
    desk = _login(complaints_lutra)
    _act(desk, report, "verify")
    detail = desk.get(f"{QUEUE}{report.tracking_code}/")
    assert "recategorize" in detail.context["actions"]
    assert 'name="category"' in detail.content.decode()
    # A reason is required, and the category must be one we know.
    # (Refused on the page itself, status 400, each message linked to its field.)
    response = _act(desk, report, "recategorize", category="illegal_levy", note="")
    assert response.status_code == 400 and '<a href="#re-note">Tuliskan alasan' in response.content.decode()
    response = _act(desk, report, "recategorize", category="bribes", note="Salah kategori")
    assert response.status_code == 400 and '<a href="#re-category">Pilih kategori' in response.content.decode()
    report.refresh_from_db()
    assert report.category == "service_quality" and not report.integrity

    response = _act(desk, report, "recategorize", category="illegal_levy",
                    note="Isi laporan tentang permintaan uang oleh petugas.")
    # The desk loses sight of it (it may be about the desk itself) and is told so.
    assert response.request["PATH_INFO"] == QUEUE and report.tracking_code in _messages(response)
    report.refresh_from_db()
    assert report.category == "illegal_levy" and report.integrity and report.unit is None
    assert desk.get(f"{QUEUE}{report.tracking_code}/").status_code == 404
    assert _login(people.pendma_lutra).get(f"{QUEUE}{report.tracking_code}/").status_code == 404
    # The inspectorate now has it, with the officer's reason in the (internal) timeline.
    inspector = _login(inspector_lutra)
    assert report.tracking_code in inspector.get(QUEUE).content.decode()
    page = inspector.get(f"{QUEUE}{report.tracking_code}/").content.decode()
    assert "Kualitas layanan → Pungutan liar / gratifikasi" in page and "permintaan uang" in page
    event = report.events.get(action="recategorize")
    assert not event.public and event.actor == complaints_lutra
    # The reporter's public timeline does not show the internal note.
    assert "permintaan uang oleh petugas" not in Client().get(f"/pengaduan/{report.tracking_code}/").content.decode()
    _act(inspector, report, "answer", note="Petugas yang bersangkutan telah diperiksa.")
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED


def test_the_recategorise_step_is_stored_in_indonesian_and_reads_in_english(people, complaints_lutra,
                                                                             inspector_lutra):
    """The officer reads in English: the step is still stored in Indonesian (API, audit), and the
    system's sentence and the category names read in English on English pages, with the officer's
    own words as written."""
    report = _report(title="Diminta uang rokok", text="Petugas loket meminta uang rokok agar cepat selesai.")
    desk = _login(complaints_lutra)
    desk.cookies["django_language"] = "en"
    _act(desk, report, "verify")
    _act(desk, report, "recategorize", category="illegal_levy", note="Permintaan uang oleh petugas.")
    event = report.events.get(action="recategorize")
    assert event.note == ("Kategori: Kualitas layanan → Pungutan liar / gratifikasi. Diteruskan ke Inspektorat "
                          "(laporan integritas). Permintaan uang oleh petugas.")
    inspector = _login(inspector_lutra)
    inspector.cookies["django_language"] = "en"
    page = inspector.get(f"{QUEUE}{report.tracking_code}/").content.decode()
    assert ("Category: Service quality → Illegal levies / gratuities. Sent to the Inspectorate (integrity "
            "report). Permintaan uang oleh petugas.") in page
    assert "Kategori: Kualitas layanan" not in page
    inspector.cookies["django_language"] = "id"
    assert event.note in inspector.get(f"{QUEUE}{report.tracking_code}/").content.decode()


def test_a_forwarded_report_leaves_the_unit_when_it_becomes_an_integrity_report(people, complaints_lutra):
    report = _report()
    desk = _login(complaints_lutra)
    _act(desk, report, "verify")
    _act(desk, report, "forward", unit="pendma", note="Mohon dijawab")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED and report.unit is not None
    reports.report_recategorize(report, user=complaints_lutra, category="staff_conduct", note="Perilaku petugas")
    report.refresh_from_db()
    assert report.integrity and report.unit is None and report.status == ReportStatus.VERIFIED
    assert _login(people.pendma_lutra).get(f"{QUEUE}{report.tracking_code}/").status_code == 404
    # Others cannot re-categorise what they may not handle.
    from satupintu.core.errors import DomainError

    other = _report(office="73.71")
    with pytest.raises(DomainError) as info:
        reports.report_recategorize(other, user=complaints_lutra, category="illegal_levy", note="x")
    assert info.value.status == 403


def test_an_anonymous_reporters_application_is_not_shown(people, complaints_lutra, submit):
    """The application an anonymous reporter named would tell who they are (its applicant)."""
    app = submit()
    report = _report(anonymous=True, name="Rahasia", email="rahasia@contoh.id", application_code=app.tracking_code)
    open_report = _report(application_code=app.tracking_code)
    for user in (complaints_lutra, people.kakan_lutra):
        client = _login(user)
        page = client.get(f"{QUEUE}{report.tracking_code}/").content.decode()
        assert app.tracking_code not in page and app.applicant_name not in page
        assert "Dirahasiakan: pelapor meminta identitasnya dirahasiakan." in page
        assert app.tracking_code in client.get(f"{QUEUE}{open_report.tracking_code}/").content.decode()


def test_a_report_that_becomes_an_integrity_report_leaves_the_situation_room(people, complaints_lutra):
    from satupintu.situation.internal import sync_reports
    from satupintu.situation.models import Item

    report = _report(title="Diminta uang rokok", text="Petugas loket meminta uang rokok agar legalisir cepat.")
    other = _report()
    assert sync_reports() == 2  # both entered the room, read by staff everywhere
    reports.report_recategorize(report, user=complaints_lutra, category="illegal_levy", note="Permintaan uang")
    assert set(Item.objects.values_list("external_id", flat=True)) == {other.tracking_code}
    assert sync_reports() == 0  # and it does not come back


def test_a_report_made_an_integrity_report_while_the_sync_ran_leaves_the_room_at_the_next_sync(
        people, complaints_lutra):
    """The recategorisation's withdrawal ran before the sync wrote the item (it was analysing): the
    item appeared after, read by staff everywhere. Each sync now takes such items out."""
    from satupintu.situation.internal import internal_source, sync_reports
    from satupintu.situation.models import Item

    report = _report(title="Diminta uang rokok", text="Petugas loket meminta uang rokok agar legalisir cepat.")
    assert sync_reports() == 1
    # As the interleaving leaves it: integrity, and its item still in the room.
    Report.objects.filter(pk=report.pk).update(integrity=True, category="illegal_levy")
    assert Item.objects.filter(source=internal_source(), external_id=report.tracking_code).exists()
    sync_reports()
    assert not Item.objects.filter(source=internal_source(), external_id=report.tracking_code).exists()


def test_a_forward_sent_again_to_the_same_unit_is_refused_and_mails_nobody_twice(people, complaints_lutra):
    from satupintu.notifications.models import OutboxMessage

    report = _report()
    desk = _login(complaints_lutra)
    _act(desk, report, "verify")
    _act(desk, report, "forward", unit="pendma", note="Mohon dijawab.")
    sent = OutboxMessage.objects.filter(recipient="budi@contoh.id").count()
    again = _act(desk, report, "forward", unit="pendma", note="Mohon dijawab.")
    assert again.status_code == 409 and "sudah diteruskan ke unit itu" in again.content.decode()
    assert report.events.filter(action="forward").count() == 1
    assert OutboxMessage.objects.filter(recipient="budi@contoh.id").count() == sent


def test_a_second_confirmation_racing_the_first_does_not_reopen_a_closed_report(complaints_lutra):
    from satupintu.core.errors import DomainError

    report = _report()
    reports.report_act(report, "verify", user=complaints_lutra)
    reports.report_act(Report.objects.get(pk=report.pk), "answer", user=complaints_lutra, note="Sudah selesai.")
    yes, no = Report.objects.get(pk=report.pk), Report.objects.get(pk=report.pk)  # both read "answered"
    reports.report_confirm(yes, resolved=True, rating=5)
    with pytest.raises(DomainError) as late:
        reports.report_confirm(no, resolved=False, rating=None)
    assert late.value.code == "invalid_transition" and late.value.status == 409
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.resolved is True


NIK_IN_TEXT, PHONE_IN_TEXT = "7322011203900001", "0812-3456-7890"


def test_numbers_the_reporter_typed_are_masked_like_the_contact_until_revealed(people, complaints_lutra):
    """ASVS 8.3: a reporter who writes "NIK saya 7322..." into the complaint gets the same care as
    their contact: masked for every officer, whole only through the audited reveal."""
    report = _report(title=f"Hubungi {PHONE_IN_TEXT}",
                     text=f"NIK saya {NIK_IN_TEXT}, tolong hubungi {PHONE_IN_TEXT} atau budi.santoso@gmail.com "
                          "soal legalisir yang tertunda.")
    client = _login(complaints_lutra)
    url = f"{QUEUE}{report.tracking_code}/"
    for body in (client.get(url).content.decode(), client.get(QUEUE).content.decode(),
                 client.get(QUEUE, {"status": "all", "format": "csv"}).content.decode("utf-8-sig")):
        assert NIK_IN_TEXT not in body and PHONE_IN_TEXT not in body and "budi.santoso@" not in body
    page = client.get(url).content.decode()
    assert "NIK saya [NIK], tolong hubungi [nomor telepon] atau [email]" in page
    assert "Tampilkan data pribadi" in page and "disamarkan" in page
    assert not PersonalDataAccess.objects.filter(subject_type="report").exists()
    # The CSV carries reporters' names: its download is on record.
    export = PersonalDataAccess.objects.get(subject_type="report_queue")
    assert export.user == complaints_lutra and "1 laporan" in export.what and export.subject_ref == "antrean"
    # Filtered by office, the record names it; a long made-up code is not stored (its column holds 40).
    client.get(QUEUE, {"status": "all", "format": "csv", "office": "73.22"})
    assert client.get(QUEUE, {"status": "all", "format": "csv", "office": "7" * 41}).status_code == 200
    assert list(PersonalDataAccess.objects.filter(subject_type="report_queue").order_by("pk")
                .values_list("subject_ref", flat=True)) == ["antrean", "73.22", "antrean"]

    page = client.post(url, {"reveal": "1", "reason": "follow_up"}).content.decode()
    assert NIK_IN_TEXT in page and PHONE_IN_TEXT in page and "budi.santoso@gmail.com" in page
    assert PersonalDataAccess.objects.get(subject_type="report").subject_ref == report.tracking_code


def test_an_anonymous_reporters_typed_numbers_stay_masked(people, complaints_lutra):
    report = _report(anonymous=True, text=f"Saya tidak mau disebut, NIK {NIK_IN_TEXT}, pungutan di loket.")
    client = _login(complaints_lutra)
    url = f"{QUEUE}{report.tracking_code}/"
    for response in (client.get(url), client.post(url, {"reveal": "1", "reason": "follow_up"})):
        body = response.content.decode()
        assert NIK_IN_TEXT not in body and "NIK [NIK]" in body
        assert "Tampilkan data pribadi" not in body and "merahasiakan identitasnya" in body
    assert not PersonalDataAccess.objects.exists()


def test_numbers_in_the_history_are_masked_like_the_report_until_revealed(people, complaints_lutra):
    """The history repeats what people wrote (the reporter's additions, the answer): the same care
    as the report's own text, and never whole for an anonymous reporter."""
    for anonymous in (True, False):
        report = _report(anonymous=anonymous, text=f"Pengurusan legalisir ijazah lama sekali ({anonymous}).")
        reports.report_add_information(report, text=f"Tambahan: NIK saya {NIK_IN_TEXT}, HP {PHONE_IN_TEXT}.",
                                       files=[])
        client = _login(complaints_lutra)
        url = f"{QUEUE}{report.tracking_code}/"
        page = client.get(url).content.decode()
        assert NIK_IN_TEXT not in page and PHONE_IN_TEXT not in page
        assert "Tambahan: NIK saya [NIK], HP [nomor telepon]." in page
        revealed = client.post(url, {"reveal": "1", "reason": "follow_up"}).content.decode()
        assert (NIK_IN_TEXT in revealed) is (not anonymous)
        assert ("Tampilkan data pribadi" in page) is (not anonymous)


def test_the_queue_csv_gives_times_in_the_offices_own_time(people, complaints_lutra, monkeypatch):
    # Filed at 00:30 WITA on 8 December: the CSV said 2026-12-07T16:30:00+00:00, the day before in Excel.
    import csv
    import io
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 8, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")))
    report = _report()
    monkeypatch.undo()
    body = _login(complaints_lutra).get(QUEUE, {"status": "all", "format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    row = next(r for r in rows if r["kode"] == report.tracking_code)
    assert row["diterima"] == "2026-12-08 00:30" and row["zona waktu"] == "WITA"
