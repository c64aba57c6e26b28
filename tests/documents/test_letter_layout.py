"""A letter's layout holds whatever the citizen typed and whatever the office is called: text too
long for one page flows onto the next with the signer's block on the last; a long office name
shrinks instead of running off the page; a draft never says it is signed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from satupintu.documents import rendering
from satupintu.organization.models import Office

pytestmark = pytest.mark.django_db


def _letter(office: Office, paragraphs: list[str], *, draft: bool = False) -> bytes:
    return rendering.draw_letter(rendering.Letter(
        office=office, title="Surat Izin Operasional", number="" if draft else "B-1/Kk.73.22/PP.00/12/2026",
        paragraphs=paragraphs, recipient_line="Andi (NIK 7322********0001)", city="Masamba",
        date_text="8 Desember 2026", signer_title="Kepala Kantor Kementerian Agama Kabupaten Luwu Utara",
        signer_name="Dr. H. Muhammad Abdurrahman Bahri Rahmatullah, S.Ag., M.Pd.I.",
        verify_url="http://127.0.0.1:8000/verifikasi/T5N48Q3UCGNS", token="T5N48Q3UCGNS", draft=draft))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_letter_flows_onto_a_second_page_and_keeps_its_closing():
    long_address = " ".join(["Jalan Poros Masamba-Malangke Dusun Bone-Bone"] * 40)
    paragraphs = ["Kepala Kantor memberikan izin operasional kepada madrasah berikut:",
                  f"Alamat madrasah: {long_address}", "Izin ini berlaku sebagai izin operasional.",
                  "Demikian surat izin ini diberikan untuk dipergunakan sebagaimana mestinya."]
    pages = _pages(_letter(Office.objects.get(code="73.22"), paragraphs))
    assert len(pages) == 2
    assert "bersambung ke halaman berikutnya" in pages[0] and "terpotong" not in "".join(pages)
    assert "Demikian surat izin ini diberikan" in pages[1]  # was dropped, a notice drawn over the text
    assert "Dr. H. Muhammad Abdurrahman Bahri Rahmatullah, S.Ag., M.Pd.I." in pages[1]  # the signer, last
    assert "Token: T5N4" in pages[1] and "Token: T5N4" not in pages[0]


def test_a_short_letter_is_one_page_as_before():
    pages = _pages(_letter(Office.objects.get(code="73.22"), ["Isi singkat.", "Demikian."]))
    assert len(pages) == 1 and "bersambung" not in pages[0]


def test_a_long_office_name_and_contact_line_fit_on_the_page():
    office = Office.objects.get(code="31")  # DKI Jakarta's Kanwil: the longest name
    office.address = "Jl. Haji Agus Salim No. 50 Menteng Jakarta Pusat Daerah Khusus Ibukota Jakarta 10350"
    office.phone, office.email = "(021) 5212345", "kanwil.dki@kemenag.go.id"
    text = _pages(_letter(office, ["Isi."]))[0]
    assert office.name.upper() in text  # whole (was clipped at both edges)
    assert "(021) 5212345" in text and "kanwil.dki@kemenag.go.id" in text  # was cut at 130 characters


def test_a_draft_never_says_it_is_signed():
    text = _pages(_letter(Office.objects.get(code="73.22"), ["Isi."], draft=True))[0]
    assert "ditandatangani secara elektronik" not in text.lower().replace("\n", " ")
    assert "belum ditandatangani" in text.replace("\n", " ")


def test_a_name_outside_western_european_is_drawn_not_boxed():
    """Letters were drawn in Bitstream Vera, which has no "ṣ", "ā" or "ḥ": a box in a signed letter.
    DejaVu Sans has them, with Vera's widths for the rest (the layout tests above still hold)."""
    from reportlab.pdfbase import pdfmetrics

    name = "Ṣāliḥ bin ʿAbd al-Raḥmān, Pondok Pesantren Dār al-Ḥikmah"
    pdf = _letter(Office.objects.get(code="73.22"), [f"Diberikan kepada {name}.", "Demikian."])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert name in page.extract_text()
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert "DejaVuSans" in fonts
    face = pdfmetrics.getFont("SatuPintuSans").face
    assert all(ord(ch) in face.charToGlyph for ch in name if not ch.isspace())
