"""Issue #11 point 6: NIKs and phone numbers written with separators are masked wherever free
text is masked (complaints and aspirations into the Situation Room, every item stored there,
log lines), and a masked phone never shows any of the four digits that unlock tracking."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.core.privacy import mask_free_text, mask_phone
from tests.core.test_logs import json_logs

WRITTEN = {
    "NIK 7322 0157 0890 0001": "7322015708900001",
    "NIK: 73.22.01.570890.0001": "7322015708900001",
    "nik 7322-0157-0890-0001.": "7322015708900001",
    "HP 0812-3456-7890": "81234567890",
    "+62 812 3456 7891": "81234567891",
    "62-812-3456-7892": "81234567892",
    "telp (0812) 3456.7893": "81234567893",
    "WA +62 (0)812 3456 7894": "81234567894",
    "0812 3456 7895 atau 0813.4567.8901": "81234567895",
    "nomor 081234567896": "81234567896",
    "nik 7322015708900001 hp 081234567897": "7322015708900001",
    "NIK7322015708900012, hp081234567898": "7322015708900012",  # glued to the label
    "WA ０８１２３４５６７８９９": "81234567899",  # fullwidth digits
    "NIK ٧٣٢٢٠١٥٧٠٨٩٠٠٠١٣": "7322015708900013",  # Arabic-Indic digits
}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_free_text_masks_numbers_written_with_separators():
    for written, secret in WRITTEN.items():
        masked = mask_free_text(written)
        assert secret not in _digits(masked), (written, masked)
        assert "[NIK]" in masked or "[nomor telepon]" in masked
    assert mask_free_text("NIK 7322 0157 0890 0001, HP 0812-3456-7890") == "NIK [NIK], HP [nomor telepon]"
    assert mask_free_text("+62 812 3456 7891 dan 0812 3456 7890") == "[nomor telepon] dan [nomor telepon]"
    # Other numbers people write stay: years, dates and times, money, counts, codes inside words.
    for plain in ("tahun 2024 ada 12 laporan", "tanggal 08-12-2024 10.00 WITA", "biaya Rp 1.500.000",
                  "nomor surat B-123/Kw.21/2024", "kode AB1234567890123456", "antre 3 jam 45 menit"):
        assert mask_free_text(plain) == plain


LANDLINES = {
    "kantor (0411) 450-001": "411450001",
    "telp 0411 450001": "411450001",
    "021-5551234": "215551234",
    "+62 21 5551234": "215551234",
    "Telp. (021) 5551 2345 ext 12": "2155512345",
    "0062 22 7654321": "227654321",
    "+62 (0)473 21234": "47321234",
}


@pytest.mark.parametrize("text", [
    "0812 \u2013 3456 \u2013 7890",  # Word turns " - " into an en dash
    "0812\u20133456\u20137890", "0812\u20143456\u20147890",  # en and em dashes
    "+62\u00a0812\u20113456\u20117890",  # the non-breaking hyphen of phone number formatting
    "0812\u22123456\u22127890", "0812\uff0d3456\uff0d7890",  # minus sign, fullwidth hyphen
    "0812\u20093456\u20097890", "0812\u202f3456\u202f7890",  # thin and narrow no-break spaces
    "7322\u20130157\u20130890\u20130001", "NIKnya7322015708900001", "hpku081234567890",
])
def test_free_text_masks_numbers_written_with_other_dashes_and_spaces(text):  # type: ignore[no-untyped-def]
    masked = mask_free_text(text)
    assert sum(c.isdigit() for c in masked) == 0 and ("[NIK]" in masked or "[nomor telepon]" in masked), masked


def test_ranges_with_dashes_are_not_numbers_to_hide():
    for text in ("tahun 2024\u20132025 ada 120\u2013150 peserta", "rapat 05\u201308\u20132024 pukul 10.00"):
        assert mask_free_text(text) == text


def test_free_text_masks_landline_numbers():
    for written, secret in LANDLINES.items():
        masked = mask_free_text(written)
        assert secret not in _digits(masked) and "[nomor telepon]" in masked, (written, masked)
    assert mask_free_text("HP 0812-3456-7890, kantor (0411) 450-001.") == "HP [nomor telepon], kantor [nomor telepon]."
    # Without the trunk 0 or "+62" the digits could be anything; short numbers are not phones.
    for plain in ("tahun 2025", "biaya Rp 200.000", "Rp 2.500.000,-", "tanggal 17-08-2025", "05-08-2025 10.00 WITA",
                  "buka 07.30 - 16.00 WITA", "kode lacak 62345-67892", "kode 23456-78923", "kode pos 91234",
                  "No. 0345/2024", "0,5 ton"):
        assert mask_free_text(plain) == plain, plain
    # A date beside a number is still a date; the number beside it is still masked.
    assert mask_free_text("17-08-2025 (0411) 450-001") == "17-08-2025 [nomor telepon]"
    assert mask_free_text("05-08-2025 0812 3456 7890") == "05-08-2025 [nomor telepon]"
    with json_logs("satupintu.test_masking") as captured:
        logging.getLogger("satupintu.test_masking").warning("hubungi %s", "(0411) 450-001")
    assert captured.lines[0]["message"] == "hubungi [nomor telepon]"


def test_masked_phone_shows_no_digit_of_the_last_four():
    for phone in ("+6281234567890", "081234567890", "0812-3456-7890", "+62 812 3456 7891", "6281234567890",
                  "+62812345678"):
        masked = mask_phone(phone)
        shown = _digits(masked)
        assert shown in ("62812", "0812"), (phone, masked)
        assert len(masked) == len(phone)
    assert mask_phone("+6281234567890") == "+62812********"
    assert mask_phone("0812-3456-7890") == "0812-****-****"


@pytest.mark.django_db
def test_complaint_with_separated_numbers_reaches_the_situation_room_masked(people):
    from satupintu.feedback import reports
    from satupintu.situation.internal import sync_reports
    from satupintu.situation.models import Item

    text = ("Petugas meminta uang tambahan. NIK saya 7322 0157 0890 0001, HP 0812-3456-7890, "
            "atau WA +62 812 3456 7891. Mohon ditindaklanjuti di Kabupaten Luwu Utara.")
    for kind in ("complaint", "aspiration"):
        reports.report_submit(reports.ReportSubmission(
            kind=kind, category="service_quality" if kind == "complaint" else "other", office="73.22",
            title="Hubungi 0812 3456 7890", text=f"{text} ({kind})", name="Budi", email="budi@contoh.id"))
    assert sync_reports() == 2
    for item in Item.objects.all():
        for field in (item.text, item.title):
            digits = _digits(field)
            for secret in ("7322015708900001", "81234567890", "81234567891"):
                assert secret not in digits, field
        assert "[NIK]" in item.text and item.text.count("[nomor telepon]") == 2


def test_free_text_masks_email_addresses_before_their_digits():
    assert mask_free_text("Balas ke budi.santoso@gmail.com atau budi081234567890@contoh.co.id.") == (
        "Balas ke [email] atau [email].")


def test_text_about_a_known_person_masks_their_name_and_street_addresses():
    from satupintu.core.privacy import mask_known_people

    text = ("Saya Budi Santoso, tinggal di Jl. Merdeka No. 12 Masamba. Pak Budi sudah ke Jalan Andi Djemma 5; "
            "JL. POROS PALOPO KM 3 juga. BUDI SANTOSO menunggu. Budi pekerti petugas baik, saya jalan kaki.")
    assert mask_known_people(text, ["Budi Santoso"]) == (
        "Saya [nama], tinggal di [alamat] Masamba. Pak [nama] sudah ke [alamat]; [alamat] juga. [nama] menunggu. "
        "[nama] pekerti petugas baik, saya jalan kaki.")
    # No name known (anonymous): the addresses still go; short name parts stay (too common to mean them).
    assert mask_known_people("Di Jln Sudirman, Ali datang.", ["Ali"]) == "Di [alamat], [nama] datang."
    assert mask_known_people("Di Jln Sudirman, Ali datang.", ["", "Al"]) == "Di [alamat], Ali datang."
    # Addresses however they are written; roads and fun walks that are nobody's address stay.
    assert mask_known_people("Jl.Merdeka No.12, jl. sudirman no 5, Gg. Mawar RT 02/RW 03, Jl. H. Andi Djemma "
                             "No. 5.", []) == "[alamat], [alamat], [alamat], [alamat]."
    plain = "Jalan Sehat HAB, Jalan Tol Trans Sulawesi, Jl rusak parah, saya jalan kaki, Jalan 2 arah."
    assert mask_known_people(plain, []) == plain
    # A part of a name that is an ordinary word, or a place, is masked only within the whole name.
    said = "Pendaftaran Haji di Bimas Islam; semoga Allah membalas. Bapak Kepala hadir di Luwu Utara."
    assert mask_known_people(said, ["Haji Ahmad Sulaiman", "Hamba Allah", "Nur Islam", "Bapak Rahmat",
                                    "Andi Luwu"], keep=frozenset({"luwu", "utara"})) == said
    # An office's own address in an answer is no one's personal data.
    assert mask_free_text("Kirim ke ptsp.lutra@kemenag.go.id atau budi@gmail.com") == "Kirim ke ptsp.lutra@kemenag.go.id atau [email]"


@pytest.mark.django_db
def test_a_complaint_reaches_the_room_without_its_reporters_name_address_or_email(people):
    """The room is read by staff everywhere; the complaint officer of the office keeps the whole
    text behind an audited reveal."""
    from satupintu.feedback import reports
    from satupintu.situation.internal import sync_reports
    from satupintu.situation.models import Item

    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Budi Santoso menunggu tiga jam",
        text="Saya Budi Santoso, tinggal di Jl. Merdeka No. 12 Masamba. Email saya budi.santoso@gmail.com. "
             "Antrean legalisir di loket PTSP Luwu Utara tiga jam.", name="Budi Santoso", email="budi@contoh.id"))
    assert sync_reports() == 1
    item = Item.objects.get()
    assert item.title == "[nama] menunggu tiga jam"
    assert item.text == ("Saya [nama], tinggal di [alamat] Masamba. Email saya [email]. Antrean legalisir di loket "
                         "PTSP Luwu Utara tiga jam.")


@pytest.mark.django_db
def test_every_item_stored_in_the_room_is_masked():
    from satupintu.situation.ingest.raw import RawItem
    from satupintu.situation.models import Item, Source, SourceKind
    from satupintu.situation.store import save_raw_items

    source = Source.objects.create(name="Ekspor WhatsApp", kind=SourceKind.SOCIAL)
    save_raw_items(source, [RawItem(external_id="w1", author="+62 812 3456 7899",
                                    text="Info antrean KUA hubungi 0812.3456.7898 atau NIK 7322 0157 0890 0001",
                                    published_at=timezone.now() - timedelta(hours=1))])
    item = Item.objects.get()
    assert item.author == "[nomor telepon]"
    assert item.text == "Info antrean KUA hubungi [nomor telepon] atau NIK [NIK]"


def test_log_lines_are_masked():
    with json_logs("satupintu.test_masking") as captured:
        logging.getLogger("satupintu.test_masking").warning("pesan dari %s: %s", "0812-3456-7890",
                                                            "NIK 7322 0157 0890 0001")
    (line,) = captured.lines
    assert line["message"] == "pesan dari [nomor telepon]: NIK [NIK]"


# A day and time as the queue writes them ("08-12 08.18", "08-12-2026 08.18") looks like a number
# that starts 08: it is not one (the test failed on the 8th of a month).
_DAY_AND_TIME = re.compile(r"\d\d-\d\d(?:-\d{4})? \d\d[.:]\d\d\s*")


def _shown_phones(page: str) -> list[str]:
    return [m for m in re.findall(r"(?:\+62|0)8[\d*\-. ]{6,}", page) if not _DAY_AND_TIME.fullmatch(m)]


@pytest.mark.django_db
def test_officer_pages_show_phones_without_the_tracking_digits(people, submit):
    from satupintu.feedback import reports
    from satupintu.organization.models import Office, Role, StaffRole

    app = submit()
    c = Client()
    assert c.login(username=people.fo_lutra.username, password="sandi-uji-123")
    for page in (c.get("/petugas/").content.decode(),
                 c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()):
        for shown in _shown_phones(page):
            assert "*" in shown and _digits(shown) in ("62812", "0812"), shown
    assert "+62812********" in c.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()

    officer = get_user_model().objects.create_user("pengaduan.y", "y@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Layanan lambat",
        text="Pengurusan legalisir ijazah sudah dua minggu belum selesai.", name="Budi", phone="081277776666",
        email="budi@contoh.id"))
    c = Client()
    assert c.login(username="pengaduan.y", password="sandi-uji-123")
    page = c.get(f"/petugas/pengaduan/{report.tracking_code}/").content.decode()
    assert "+62812********" in page and "6666" not in page


@pytest.mark.django_db
def test_complaints_already_in_the_room_are_masked_by_the_migration(people):
    import importlib

    from django.apps import apps

    from satupintu.feedback import reports
    from satupintu.situation.internal import internal_source
    from satupintu.situation.models import Issue, Item

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean lama",
        text="Saya Budi Santoso, email budi.santoso@gmail.com.", name="Budi Santoso", email="budi@contoh.id"))
    # As an earlier version stored it: numbers masked only, in an issue titled and keyed by it.
    now = timezone.now()
    issue = Issue.objects.create(title="Budi Santoso menunggu di Jl. Merdeka No. 12", keywords=["budi", "santoso"],
                                 first_seen=now, last_seen=now)
    locked = Issue.objects.create(title="Antrean Budi", title_locked=True, first_seen=now, last_seen=now)
    old = Item.objects.create(source=internal_source(), external_id=report.tracking_code, issue=issue,
                              title="Budi Santoso menunggu di Jl. Merdeka No. 12", published_at=now,
                              text="Saya Budi Santoso, email budi.santoso@gmail.com.",
                              entities={"people": ["Budi Santoso"], "officials": []})
    Item.objects.create(source=internal_source(), external_id="LAIN", issue=locked, title="Budi di loket",
                        text="Budi Santoso menunggu.", published_at=now)
    migration = importlib.import_module("satupintu.situation.migrations.0010_mask_complaint_people_in_room")
    migration.mask_people(apps, None)
    old.refresh_from_db()
    issue.refresh_from_db()
    assert old.text == "Saya [nama], email [email]." and old.title == "[nama] menunggu di [alamat]"
    assert old.entities == {"people": [], "officials": []}
    assert issue.title == "[nama] menunggu di [alamat]"
    assert not {"budi", "santoso", "gmail", "merdeka"} & set(issue.keywords)
    locked.refresh_from_db()
    assert locked.title == "Antrean Budi"  # an officer's title stays (no report known for that item either)
