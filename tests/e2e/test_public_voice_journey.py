"""The public's voice, in real Chromium: the satisfaction survey, complaints, the aspiration board.

1. An applicant whose application was completed opens the survey link from the completion
   e-mail on a phone, answers the nine SKM elements and the optional profile; the link
   then says it was already used. One SurveyResponse is tied to the application.
2. A citizen files an anonymous complaint at Kabupaten Luwu Utara (73.22) on a phone,
   leaving a name and a phone number for notifications only.
3. The complaint officer verifies it and forwards it to the Subbagian Tata Usaha; none of
   the officer pages ever shows the reporter's name or phone number.
4. The Tata Usaha unit officer answers it.
5. The citizen confirms the answer solved it (rating 5): the report is "Selesai".
6. An answered, public aspiration appears on /aspirasi/ with its answer; an answered
   confidential one does not.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from satupintu.feedback import reports
from satupintu.feedback.models import Channel, Report, ReportStatus, SurveyResponse
from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.services.applications import application_submit, application_upload_product
from satupintu.services.models import Status
from satupintu.services.workflow import application_transition
from tests.conftest import upload, valid_submission
from tests.e2e.conftest import login
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "sandi-uji-123"
OFFICE_CODE = "73.22"
OFFICE_LABEL = "Kabupaten Luwu Utara"
SECRET_NAME = "Rahasia Sekali"
SECRET_PHONE = "081299998888"
SECRET_PHONE_E164 = "+6281299998888"
# One answer per element, by its visible label (u1..u9); all "good" answers (3 or 4).
SURVEY_ANSWERS = ["Sangat sesuai", "Mudah", "Cepat", "Gratis", "Sesuai", "Sangat kompeten",
                  "Sangat sopan dan ramah", "Dikelola dengan baik", "Baik"]


def _staff(username: str, role: str, unit: str | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", PASSWORD, first_name=username)
    StaffRole.objects.create(user=user, office=Office.objects.get(code=OFFICE_CODE), role=role,
                             unit=Unit.objects.get(code=unit) if unit else None)
    return user


def _login(page: Page, username: str) -> None:
    login(page, username)


def _no_secrets(page: Page) -> None:
    """The anonymous reporter's identity must not reach the page (not even hidden in the HTML)."""
    html = page.content()
    for secret in (SECRET_NAME, SECRET_PHONE, SECRET_PHONE_E164):
        assert secret not in html, f"{secret!r} leaked on {page.url}"


def _no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways on a phone by {overflow}px"


def _file_report(page: Page, *, kind: str, category: str, title: str, text: str, name: str = "",
                 phone: str = "", anonymous: bool = False, confidential: bool = False) -> str:
    """Fill /pengaduan/ and submit; return the tracking code shown on the page it lands on."""
    page.goto("/pengaduan/")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Kategori").select_option(label=category)
    page.get_by_label("Kantor yang dilaporkan / lokasi Anda").select_option(label=OFFICE_LABEL)
    page.get_by_label("Judul").fill(title)
    page.locator("#text").fill(text)
    if anonymous:
        page.get_by_label("Rahasiakan identitas saya").check()
    if confidential:
        page.get_by_label("Laporan ini rahasia").check()
    if name:
        page.get_by_label("Nama", exact=True).fill(name)
    if phone:
        page.get_by_label("Nomor HP (opsional)").fill(phone)
    return _submit_report(page)


def _submit_report(page: Page) -> str:
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page).to_have_url(re.compile(r"/pengaduan/[A-Z0-9]{5}-[A-Z0-9]{5}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator(".big-code")).to_have_text(code)
    expect(page.locator(".messages")).to_contain_text("Laporan terkirim.")
    return code


def _officer_act(page: Page, button: str, flash: str, status: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(flash)
    expect(page.locator("#status")).to_have_text(status)


def _completed_application(people):  # type: ignore[no-untyped-def]
    app, _ = application_submit(valid_submission())
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("legalisir-ijazah.pdf"))
    app = application_transition(app, "complete", user=people.pendma_lutra)
    assert app.status == Status.COMPLETED
    return app


def test_survey_from_the_completion_link(people, new_context, artifacts):  # type: ignore[no-untyped-def]
    app = _completed_application(people)
    mail = OutboxMessage.objects.get(application=app, subject__endswith="selesai")
    match = re.search(r"/survei/([^/\s]+)/", mail.body)
    assert match, mail.body
    link = match.group(0)

    page = new_context("phone").new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    expect(page.locator(".meta .code")).to_have_text(app.tracking_code)
    questions = page.locator("fieldset.skm-q")
    expect(questions).to_have_count(9)
    for i, answer in enumerate(SURVEY_ANSWERS):
        questions.nth(i).get_by_label(answer, exact=True).check()
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Usia").select_option(label="30-39 tahun")
    page.get_by_label("Pendidikan").select_option(label="SMA/MA/SMK")
    page.get_by_label("Pekerjaan").select_option(label="Guru/Dosen")
    page.get_by_label("Saran atau komentar (opsional)").fill("Pelayanan cepat, terima kasih.")
    shot(page, path=artifacts / "10-survey-form-mobile.png", full_page=True)
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    shot(page, path=artifacts / "11-survey-thanks-mobile.png", full_page=True)

    page.goto(link)  # one-time link
    expect(page.get_by_text("sudah diisi")).to_be_visible()
    expect(page.locator("fieldset.skm-q")).to_have_count(0)

    response = SurveyResponse.objects.get()
    assert response.application_id == app.pk and response.channel == Channel.ONLINE
    assert response.office == app.office and response.service == app.service
    assert [getattr(response, f"u{i}") for i in range(1, 10)] == [4, 3, 3, 4, 3, 4, 4, 4, 3]
    assert (response.sex, response.age_group, response.education, response.occupation) == ("P", "30-39", "SMA", "GURU")
    assert response.comment == "Pelayanan cepat, terima kasih."


def test_anonymous_complaint_forwarded_answered_confirmed_and_the_board(new_context, artifacts):  # type: ignore[no-untyped-def]
    complaints = _staff("pengaduan.lutra", Role.COMPLAINT_OFFICER)
    _staff("tu.lutra", Role.UNIT_OFFICER, "tu")

    # --- 2. An anonymous complaint from a phone: name and phone are kept for notifications only.
    citizen = new_context("phone").new_page()
    citizen.goto("/pengaduan/")
    citizen.get_by_label("Pengaduan", exact=True).check()
    citizen.get_by_label("Kategori").select_option(label="Kualitas layanan")
    citizen.get_by_label("Kantor yang dilaporkan / lokasi Anda").select_option(label=OFFICE_LABEL)
    expect(citizen.locator("#office")).to_have_value(OFFICE_CODE)
    citizen.get_by_label("Judul").fill("Antrean loket PTSP terlalu lama")
    citizen.locator("#text").fill("Saya menunggu tiga jam di loket PTSP pada hari Senin tanpa nomor antrean "
                                  "yang jelas, dan tidak ada petugas yang memberi informasi.")
    citizen.get_by_label("Rahasiakan identitas saya").check()
    citizen.get_by_label("Nama", exact=True).fill(SECRET_NAME)
    citizen.get_by_label("Nomor HP (opsional)").fill(SECRET_PHONE)
    shot(citizen, path=artifacts / "20-complaint-form-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)
    code = _submit_report(citizen)
    shot(citizen, path=artifacts / "21-complaint-tracking-mobile.png", full_page=True)
    expect(citizen.locator("#status")).to_have_text("Diterima")
    _no_secrets(citizen)  # anyone with the code may open this page
    report = Report.objects.get(tracking_code=code)
    assert (report.kind, report.category, report.office.code, report.anonymous) == (
        "complaint", "service_quality", OFFICE_CODE, True)
    assert (report.reporter_name, report.reporter_phone) == (SECRET_NAME, SECRET_PHONE_E164)

    # --- 3. The complaint officer verifies and forwards it to Tata Usaha, never seeing who sent it.
    officer = new_context("desktop").new_page()
    _login(officer, complaints.username)
    officer.goto("/petugas/pengaduan/")
    expect(officer.get_by_role("heading", name="Pengaduan, aspirasi, dan pertanyaan")).to_be_visible()
    row = officer.locator("table.queue tbody tr", has_text=code)
    expect(row).to_contain_text("Antrean loket PTSP terlalu lama")
    expect(row).to_contain_text("Diterima")
    _no_secrets(officer)
    row.get_by_role("link", name=code).click()
    expect(officer).to_have_url(re.compile(rf"/petugas/pengaduan/{code}/$"))
    expect(officer.locator("#anonymous")).to_have_text("Identitas dirahasiakan pelapor")
    shot(officer, path=artifacts / "22-complaint-officer-detail-desktop.png", full_page=True)
    _no_secrets(officer)
    _officer_act(officer, "Verifikasi laporan", "Laporan diverifikasi.", "Diverifikasi")
    _no_secrets(officer)
    officer.get_by_text("Teruskan ke unit").click()  # opens the <details>
    expect(officer.locator("#fw-office")).to_have_value(OFFICE_CODE)
    officer.get_by_label("Unit", exact=True).select_option(label="Subbagian Tata Usaha")
    expect(officer.locator("#fw-unit")).to_have_value("tu")
    officer.get_by_label("Catatan disposisi").fill("Mohon ditindaklanjuti: pengaturan antrean loket PTSP.")
    _officer_act(officer, "Teruskan", "Laporan diteruskan.", "Diteruskan ke unit")
    expect(officer.locator("dd", has_text="Subbagian Tata Usaha").first).to_be_visible()
    expect(officer.locator(".timeline")).to_contain_text("Ke Subbagian Tata Usaha")
    shot(officer, path=artifacts / "23-complaint-officer-forwarded-desktop.png", full_page=True)
    _no_secrets(officer)

    # --- 4. The Tata Usaha unit officer finds it and answers.
    unit = new_context("desktop").new_page()
    _login(unit, "tu.lutra")
    unit.goto("/petugas/pengaduan/")
    row = unit.locator("table.queue tbody tr", has_text=code)
    expect(row).to_contain_text("Subbagian Tata Usaha")
    _no_secrets(unit)
    row.get_by_role("link", name=code).click()
    expect(unit.locator("#anonymous")).to_be_visible()
    _no_secrets(unit)
    answer = "Mulai pekan depan loket PTSP memakai nomor antrean dan papan informasi. Terima kasih atas laporannya."
    unit.get_by_label("Jawaban untuk pelapor").fill(answer)
    _officer_act(unit, "Kirim jawaban", "Jawaban tersimpan dan dikirim ke pelapor.", "Dijawab")
    _no_secrets(unit)

    # --- 5. The citizen reads the answer and confirms it solved the problem.
    citizen.goto(f"/pengaduan/{code}/")
    expect(citizen.locator("#status")).to_have_text("Dijawab")
    expect(citizen.locator("#answer")).to_have_text(answer)
    citizen.get_by_label("Ya, selesai").check()
    citizen.get_by_label("Nilai penanganan (1-5)").select_option("5")
    shot(citizen, path=artifacts / "24-complaint-answered-mobile.png", full_page=True)
    _no_horizontal_scroll(citizen)
    citizen.get_by_role("button", name="Kirim konfirmasi").click()
    expect(citizen.locator(".messages")).to_contain_text("Terima kasih atas konfirmasi Anda.")
    expect(citizen.locator("#status")).to_have_text("Selesai")
    expect(citizen.get_by_text("Nilai Anda: 5/5")).to_be_visible()
    _no_secrets(citizen)
    report.refresh_from_db()
    assert (report.status, report.resolved, report.rating) == (ReportStatus.CLOSED, True, 5)
    assert report.unit.code == "tu" and report.answer == answer
    officer.reload()
    expect(officer.locator("#status")).to_have_text("Selesai")
    _no_secrets(officer)

    # --- 6. The board: an answered public aspiration is shown, an answered confidential one is not.
    public_title = "Usul kelas bimbingan manasik haji di kecamatan"
    public_code = _file_report(
        citizen, kind="Aspirasi", category="Haji dan umrah", title=public_title, name="Siti Aminah",
        text="Mohon kelas bimbingan manasik haji diadakan juga di kecamatan Sabbang agar lansia tidak jauh.")
    secret_title = "Usul rahasia tentang pembinaan madrasah"
    secret_code = _file_report(
        citizen, kind="Aspirasi", category="Pendidikan", title=secret_title, name="Siti Aminah", confidential=True,
        text="Usulan pembinaan guru madrasah swasta yang sebaiknya tidak diumumkan di papan publik.")
    assert Report.objects.get(tracking_code=secret_code).confidential is True

    officer.goto(f"/petugas/pengaduan/{public_code}/")
    _officer_act(officer, "Verifikasi laporan", "Laporan diverifikasi.", "Diverifikasi")
    public_answer = "Kelas manasik di kecamatan Sabbang dijadwalkan mulai bulan depan."
    officer.get_by_label("Jawaban untuk pelapor").fill(public_answer)
    _officer_act(officer, "Kirim jawaban", "Jawaban tersimpan dan dikirim ke pelapor.", "Dijawab")
    secret = Report.objects.get(tracking_code=secret_code)
    secret = reports.report_act(secret, "verify", user=complaints)
    reports.report_act(secret, "answer", user=complaints, note="Usulan pembinaan kami teruskan ke seksi terkait.")

    board = new_context("phone").new_page()
    board.goto("/aspirasi/")
    item = board.locator("article", has_text=public_title)
    expect(item).to_be_visible()
    expect(item).to_contain_text(public_answer)
    expect(item).to_contain_text("Aspirasi")
    expect(board.get_by_text(secret_title)).to_have_count(0)
    expect(board.get_by_text("Antrean loket PTSP")).to_have_count(0)  # complaints never go on the board
    assert "Usulan pembinaan kami teruskan" not in board.content()
    shot(board, path=artifacts / "25-aspiration-board-mobile.png", full_page=True)
    _no_horizontal_scroll(board)
