"""Citizen pages through Django's test client: catalog, office tree, apply, track."""

import re

import pytest
from django.test import Client

from satupintu.services.models import Application, Status
from satupintu.services.workflow import application_transition
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db


def test_catalog_search_and_filters():
    c = Client()
    page = c.get("/layanan/", {"q": "duplikat ijasah"}).content.decode()
    assert "Duplikat Ijazah Madrasah" in page
    page = c.get("/layanan/", {"unit": "phu"}).content.decode()
    assert "Pendaftaran Haji Reguler" in page and "Legalisir Ijazah" not in page
    page = c.get("/layanan/", {"office": "zz"}).content.decode()
    assert "Tidak ada kantor untuk \"zz\"" in page


def test_catalog_form_keeps_what_was_searched():
    # The search box and the unit filter show the query back, so a citizen can refine it.
    page = Client().get("/layanan/", {"q": "legalisr ijasah", "unit": "phu"}).content.decode()
    assert 'value="legalisr ijasah"' in page
    assert '<option value="phu" selected' in page


def test_service_page_shows_the_standard():
    page = Client().get("/layanan/legalisir-ijazah-madrasah/?office=73.22").content.decode()
    for text in ("Persyaratan", "Prosedur", "Waktu penyelesaian", "1 hari kerja", "Gratis", "Produk layanan",
                 "Pengaduan", "Kartu Tanda Penduduk", "Kantor Kementerian Agama Kabupaten Luwu Utara"):
        assert text in page


def test_office_tree_has_every_province_and_regency():
    c = Client()
    page = c.get("/kantor/").content.decode()
    assert page.count('href="/kantor/?provinsi=') == 38
    page = c.get("/kantor/?provinsi=73").content.decode()
    assert "Kabupaten Luwu Utara" in page and "Kota Makassar" in page
    page = c.get("/kantor/73.22/").content.decode()
    assert "08.00–16.00 WITA" in page and "Legalisir Ijazah Madrasah" in page
    assert c.get("/kantor/99.99/").status_code == 404


def _post_form(c, **overrides):  # type: ignore[no-untyped-def]
    data = {"office": "73.22", "submission_key": "k-1", "name": "Andi", "nik": VALID_NIK, "phone": "081234567890",
            "email": "andi@contoh.id", "nama_madrasah": "MAN 1", "jenjang": "MA", "tahun_lulus": "2015",
            "jumlah_lembar": "2", "ijazah_asli": upload("a.pdf"), "fotokopi_ijazah": upload("b.pdf"),
            "ktp": upload("c.pdf")}
    data.update(overrides)
    return c.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", {k: v for k, v in data.items() if v is not None})


def test_apply_form_errors_keep_values_and_save_nothing():
    c = Client()
    response = _post_form(c, nik="123", ktp=None)
    assert response.status_code == 400
    page = response.content.decode()
    assert "NIK harus terdiri dari 16 angka." in page and "belum diunggah" in page
    assert 'value="Andi"' in page  # typed values are kept
    assert Application.objects.count() == 0


def test_apply_then_double_submit_goes_to_the_same_application():
    import re

    c = Client()
    form = c.get("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)  # issued by the server
    response = _post_form(c, submission_key=key)
    assert response.status_code == 302
    code = Application.objects.get().tracking_code
    assert response["Location"] == f"/lacak/{code}/?baru=1"
    again = _post_form(c, submission_key=key)  # the browser re-sends the same form
    assert again["Location"] == f"/lacak/{code}/?baru=1"
    assert Application.objects.count() == 1
    page = c.get(f"/lacak/{code}/?baru=1").content.decode()
    assert "Permohonan terkirim." in page and "bukti.pdf" in page


def test_tracking_page_hides_details_until_phone_digits(submit):
    app = submit()
    c = Client()
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Diajukan" in page and "Andi Rahmawati" not in page and "bukti.pdf" not in page
    assert c.get(f"/lacak/{app.tracking_code}/bukti.pdf").status_code == 302
    wrong = c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "1111"})
    assert wrong.status_code == 400 and "tidak cocok" in wrong.content.decode()
    ok = c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    assert ok.status_code == 302
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Andi Rahmawati" in page and VALID_NIK not in page
    assert c.get(f"/lacak/{app.tracking_code}/bukti.pdf").content.startswith(b"%PDF")


def test_track_form_messages():
    from satupintu.services.tracking_codes import new_tracking_code

    c = Client()
    code = new_tracking_code()
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert "salah ketik" in c.get("/lacak/", {"kode": typo}).content.decode()
    assert "tidak ditemukan" in c.get(f"/lacak/{code}/").content.decode()
    page = c.get("/lacak/", {"kode": "abc"}).content.decode()
    assert "10 huruf/angka" in page
    page = c.get("/lacak/ABCDE-FGH0I/").content.decode()
    assert "huruf O dan I" in page
    # The form sent empty says what it needs (the page alone, without "kode", asks nothing yet).
    empty = c.get("/lacak/", {"kode": "  "})
    assert empty.status_code == 400 and "Masukkan kode lacak" in empty.content.decode()
    assert "Masukkan kode lacak" not in c.get("/lacak/").content.decode()


def test_citizen_completes_and_withdraws(submit, people):
    app = submit()
    application_transition(app, "request_completion", user=people.fo_lutra, note="KTP buram, unggah ulang")
    c = Client()
    c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "KTP buram, unggah ulang" in page
    c.post(f"/lacak/{app.tracking_code}/lengkapi/", {"ktp": upload("ktp2.pdf")})
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    c.post(f"/lacak/{app.tracking_code}/batalkan/", {"reason": "tidak jadi"})  # no confirmation box
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    c.post(f"/lacak/{app.tracking_code}/batalkan/", {"reason": "tidak jadi", "confirm": "ya"})
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN


def test_someone_else_cannot_act_without_the_phone_digits(submit):
    app = submit()
    c = Client()
    c.post(f"/lacak/{app.tracking_code}/batalkan/", {"confirm": "ya"})
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_english_is_available():
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get("/").content.decode()
    assert '<html lang="en">' in page


def test_optional_citizen_account_lists_own_applications():
    import re

    from django.contrib.auth import get_user_model

    from satupintu.notifications.models import OutboxMessage

    c = Client()
    response = c.post("/daftar/", {"first_name": "Andi", "email": "andi@contoh.id",
                                   "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9"})
    assert response.status_code == 200 and "Periksa email Anda" in response.content.decode()
    # the account opens from the link e-mailed to the address (which is also the sign-in name)
    mail = OutboxMessage.objects.get(recipient="andi@contoh.id")
    link = re.search(r"https?://[^/\s]+(/daftar/aktifkan/\S+/)", mail.body).group(1)
    assert c.get(link)["Location"] == "/akun/"
    assert _post_form(c).status_code == 302
    app = Application.objects.get()
    assert app.user == get_user_model().objects.get(username="andi@contoh.id")
    page = c.get("/akun/").content.decode()
    assert app.tracking_code in page
    # the owner sees details without typing phone digits; after logging out, not any more
    c.post("/keluar/")
    c.login(username="andi@contoh.id", password="kata-sandi-panjang-9")
    assert "Andi" in c.get(f"/lacak/{app.tracking_code}/").content.decode()
    other = Client()
    assert "bukti.pdf" not in other.get(f"/lacak/{app.tracking_code}/").content.decode()
    # signing up again with the same address: the same answer, no second account, a note by e-mail
    again = Client().post("/daftar/", {"first_name": "A", "email": "ANDI@contoh.id",
                                       "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9"})
    assert again.status_code == 200 and "Periksa email Anda" in again.content.decode()
    assert get_user_model().objects.filter(email__iexact="andi@contoh.id").count() == 1
    assert "sudah memiliki akun" in OutboxMessage.objects.filter(recipient="andi@contoh.id").latest("pk").body


def test_catalog_list_follows_catalog_edits(django_capture_on_commit_callbacks):
    from satupintu.services.models import Service

    c = Client()
    assert "Pengukuran Arah Kiblat" in c.get("/layanan/", {"q": "kiblat"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.filter(slug="pengukuran-arah-kiblat").update(is_active=False)  # bulk: no signal
        service = Service.objects.get(slug="pengukuran-arah-kiblat")
        service.save()
    assert "Pengukuran Arah Kiblat" not in c.get("/layanan/", {"q": "kiblat"}).content.decode()


def test_indonesian_first_even_for_an_english_browser():
    page = Client().get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="id">' in page and "Lacak" in page


def test_the_form_without_an_office_goes_to_the_service_page_without_an_error():
    c = Client()
    response = c.get("/layanan/legalisir-ijazah-madrasah/ajukan/", follow=True)
    assert response.redirect_chain == [("/layanan/legalisir-ijazah-madrasah/", 302)]
    assert "tidak ditemukan" not in response.content.decode()  # not "office '' not found"


def test_the_officer_ticks_the_files_to_send_again_and_the_citizen_sees_them_marked_first(submit, people):
    # The citizen got every requirement's upload box and no word which one the note meant.
    from satupintu.notifications.models import OutboxMessage

    app = submit()
    fo = Client()
    fo.force_login(people.fo_lutra)
    form = fo.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    assert 'name="requirements" value="ktp"' in form and "Berkas yang perlu dikirim ulang" in form
    bad = fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
                  {"action": "request_completion", "note": "KTP buram", "requirements": ["paspor"]})
    assert bad.status_code == 400 and "Pilih berkas dari daftar persyaratan layanan ini." in bad.content.decode()
    fo.post(f"/petugas/permohonan/{app.tracking_code}/aksi/",
            {"action": "request_completion", "note": "KTP buram, unggah ulang", "requirements": ["ktp"]})
    app.refresh_from_db()
    assert app.status == Status.NEEDS_COMPLETION
    mail = OutboxMessage.objects.filter(recipient="andi@contoh.id").latest("id").body
    assert "Berkas yang perlu dikirim ulang: Kartu Tanda Penduduk (KTP) pemohon." in mail, mail
    c = Client()
    c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    section = page[page.index('id="lengkapi"'):]
    inputs = re.findall(r'<input type="file" name="([a-z_]+)"', section)
    assert inputs[0] == "ktp" and len(inputs) > 1  # the asked-for file first, the others still offered
    assert "Diminta petugas: kirim ulang berkas ini." in section[:section.index('name="ktp"') + 400]


def test_a_password_under_twelve_characters_is_refused_at_sign_up():
    """ASVS 2.1.1: at least 12 characters (Django's default was 8)."""
    from satupintu.notifications.models import OutboxMessage

    r = Client().post("/daftar/", {"first_name": "Andi", "email": "andi@contoh.id",
                                   "password1": "sandi-bar-1", "password2": "sandi-bar-1"})  # 11 characters
    assert r.status_code == 400 and "12" in r.content.decode() and "Periksa email Anda" not in r.content.decode()
    assert not OutboxMessage.objects.filter(recipient="andi@contoh.id").exists()
    r = Client().post("/daftar/", {"first_name": "Andi", "email": "andi@contoh.id",
                                   "password1": "sandi-baru-12", "password2": "sandi-baru-12"})
    assert r.status_code == 200 and "Periksa email Anda" in r.content.decode()


def test_the_sign_up_page_its_errors_and_its_mail_read_in_english_when_asked():
    import html
    import re

    from django.conf import settings

    from satupintu.notifications.models import OutboxMessage

    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = c.get("/daftar/").content.decode()
    labels = re.findall(r'<label for="id_[^"]+">([^<(]+)', page)
    assert [label.strip() for label in labels] == ["Full name", "Email", "Password", "Repeat the password"]
    assert "Used to sign in" in page
    bad = c.post("/daftar/", {"first_name": "", "email": "andi@contoh.id",
                              "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-lain-99"})
    text = html.unescape(bad.content.decode())
    assert bad.status_code == 400
    # Every error at the top, each linking to its field, in the page's language.
    assert '<a href="#id_first_name">\'Full name\' is required.</a>' in text
    assert '<a href="#id_password2">The two passwords are not the same.</a>' in text
    short = html.unescape(c.post("/daftar/", {"first_name": "Andi", "email": "andi@contoh.id", "password1": "pendek",
                                              "password2": "lain"}).content.decode())
    # Both problems in one answer: the mismatch and the password's own.
    assert '<a href="#id_password2">' in short and '<a href="#id_password1">' in short
    assert "Kedua kata sandi" not in text and "wajib" not in text
    c.post("/daftar/", {"first_name": "Andi", "email": "andi@contoh.id",
                        "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9"})
    mail = OutboxMessage.objects.get(recipient="andi@contoh.id")
    assert mail.subject == "Activate your Satu Pintu account"
    assert mail.body.startswith("Dear Andi,") and "/daftar/aktifkan/" in mail.body


def test_the_claim_form_promises_only_the_channels_the_code_goes_by():
    from satupintu.citizen.forms import ClaimPhoneForm

    hint = str(ClaimPhoneForm().fields["phone"].help_text)
    assert "SMS" in hint and "e-mail" not in hint
