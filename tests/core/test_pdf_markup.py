"""Issue #11 point 3: what a user typed is shown in every PDF as typed, never read as
reportlab markup (no forged bold row, no live link, no image read from the server's disk, no
crash on an unclosed tag)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from satupintu.core import pdftext

PAYLOADS = [
    "<b>DISETUJUI</b>",
    '<a href="https://jahat.example/">klik</a>',
    '<img src="/etc/passwd"/>',
    "Budi <b",
    "Tom & Jerry &amp; &#65;",
    # Outside Western European: reportlab's standard fonts wrote each as a black square ("■■li■").
    "Ṣāliḥ dari Pondok Dār al-Ḥikmah, Ğ",
]


def _flat(text: str) -> str:
    return "".join(text.split())


def _check(pdf: bytes, payloads: list[str] = PAYLOADS) -> str:
    """Every payload appears literally; no page has a link annotation or an image."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for payload in payloads:
        assert _flat(payload) in _flat(text), payload
    for page in reader.pages:
        annots = page.get("/Annots")
        assert not annots, "a link annotation was made from user text"
        resources = page["/Resources"]
        xobjects = resources.get("/XObject") if resources else None
        if xobjects:
            assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.get_object().values())
    return text


def test_text_escapes_markup_and_keeps_line_breaks():
    assert pdftext.text("Budi <b") == "Budi &lt;b"
    assert pdftext.text("a & b") == "a &amp; b"
    assert pdftext.text("baris 1\r\nbaris 2\nbaris 3") == "baris 1<br/>baris 2<br/>baris 3"
    assert pdftext.text("baris 1\nbaris 2", breaks=False) == "baris 1 baris 2"
    assert pdftext.text(None) == ""
    assert pdftext.text("nol\x00byte") == "nolbyte"
    # The Paragraph renders it without complaint and shows the characters.
    p = pdftext.para("Budi <b>", ParagraphStyle("x"))
    p.wrap(200, 200)


@pytest.mark.django_db
def test_a_bold_value_outside_western_european_is_bold_too():
    """The characters Helvetica cannot show are set in DejaVu Sans of the paragraph's weight."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([
        pdftext.para("Ḥasan", ParagraphStyle("b", fontName="Helvetica-Bold")),
        pdftext.para("Ṣāliḥ", ParagraphStyle("i", fontName="Helvetica-Oblique"))])
    page = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert {"DejaVuSans-Bold", "DejaVuSans-Oblique"} <= fonts and "DejaVuSans" not in fonts
    assert "Ḥasan" in page.extract_text() and "Ṣāliḥ" in page.extract_text()


def test_arabic_is_drawn_joined_and_right_to_left():
    """reportlab draws Arabic letters as typed: unjoined, left to right ("م س ب" for "بسم")."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([
        pdftext.para("Santri: محمد صالح, Pondok دار الحكمة", ParagraphStyle("p", fontName="Helvetica"))])
    text = PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text()
    # the reader gives the joined forms back in reading order: meem-hah-meem-dal, sad-alef-lam-hah
    assert "\ufee3\ufea4\ufee4\ufeaa" in text and "\ufebb\ufe8e\ufedf\ufea2" in text
    assert "Santri:" in text and "Pondok" in text


def test_arabic_for_drawing_joins_then_reverses():
    from satupintu.core.pdf_fonts import arabic_for_drawing

    # beh initial, seen medial, meem final (Unicode's joined forms), drawn from the right; two words
    # are one phrase: the second is drawn first
    assert arabic_for_drawing("بسم") == "\ufee2\ufeb4\ufe91"
    # (alef isolated, lam initial, lam medial, heh final: no ligature, DejaVu Sans lacks it)
    assert arabic_for_drawing("بسم الله") == "\ufeea\ufee0\ufedf\ufe8d \ufee2\ufeb4\ufe91"


def test_receipt_shows_the_applicant_name_literally(submit):
    from satupintu.services.receipts import receipt_pdf

    app = submit(name="Budi <b")  # stored as typed: the name is data, the PDF must cope
    assert app.applicant_name == "Budi <b"
    for payload in PAYLOADS:
        app.applicant_name = payload
        _check(receipt_pdf(app), [payload])


@pytest.mark.django_db
def test_skm_report_shows_office_unit_and_service_names_literally():
    from datetime import date

    from satupintu.feedback.ikm import ikm_from_sums
    from satupintu.feedback.report_pdf import skm_report_pdf
    from satupintu.feedback.selectors import Period, Row
    from satupintu.organization.models import Office

    office = Office.objects.get(code="73.22")
    office.name = "Kantor <b>DISETUJUI</b> & Co"
    result = ikm_from_sums(10, [34, 33, 24, 38, 33, 34, 36, 28, 30])
    units = [Row(f"U{i}", p, result) for i, p in enumerate(PAYLOADS)]
    pdf = skm_report_pdf(office=office, period=Period(date(2026, 1, 1), date(2026, 6, 30)), result=result,
                         units=units, services=[Row("s", "Budi <b", result)], children=[])
    _check(pdf, [*PAYLOADS, office.name])


@pytest.mark.django_db
def test_minutes_show_meeting_text_literally(people):
    from satupintu.rakor import followups, meetings
    from satupintu.rakor.minutes_pdf import minutes_pdf
    from satupintu.rakor.models import MeetingType

    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rapat <b>DISETUJUI</b>", starts_at=start,
        ends_at=start + timedelta(hours=2), agenda=list(meetings.STANDARD_AGENDA[:1]),
        venue='<img src="/etc/passwd"/>'), user=None)
    item = m.agenda.first()
    item.minutes = "Budi <b\n" + '<a href="https://jahat.example/">klik</a>\n' + PAYLOADS[-1]
    item.save()
    followups.add_decision(m, "Tom & Jerry &amp; &#65;", "Budi <b")
    _check(minutes_pdf(m), PAYLOADS)


@pytest.mark.django_db
def test_the_footer_shows_a_meeting_title_outside_western_european(people):
    """Every page's foot names the document ("Notulen <title>"), drawn on the canvas, not in a
    Paragraph: it wrote "Dār" as "D■r" there."""
    from satupintu.rakor import meetings
    from satupintu.rakor.minutes_pdf import minutes_pdf
    from satupintu.rakor.models import MeetingType

    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(
        office="73", type=MeetingType.RAKOR, title="Rapat Pondok Dār al-Ḥikmah", starts_at=start,
        ends_at=start + timedelta(hours=2), agenda=list(meetings.STANDARD_AGENDA[:1])), user=None)
    text = PdfReader(io.BytesIO(minutes_pdf(m))).pages[0].extract_text()
    assert "Notulen Rapat Pondok Dār al-Ḥikmah" in text and "■" not in text


@pytest.mark.django_db
def test_brief_shows_item_titles_alert_summaries_and_source_names_literally():
    from satupintu.situation.briefs import brief_pdf
    from satupintu.situation.ingest.raw import RawItem
    from satupintu.situation.models import Alert, Source, SourceKind
    from satupintu.situation.store import save_raw_items

    now = timezone.now()
    source = Source.objects.create(name="Sumber <b>DISETUJUI</b>", kind=SourceKind.SOCIAL)
    save_raw_items(source, [RawItem(external_id="x1", title="Budi <b", text="Warga Kota Bandung mengeluh soal "
                                    "antrean layanan nikah di KUA yang lama sekali.", published_at=now)])
    for i, payload in enumerate(PAYLOADS):
        Alert.objects.create(kind="volume", window_start=now - timedelta(hours=1), window_end=now, count=5,
                             baseline=1.0, score=9.0 - i, summary=payload, key=f"k{i}")
    _check(brief_pdf("", "daily", now + timedelta(minutes=1)), [*PAYLOADS, source.name])


def test_every_module_that_builds_paragraphs_uses_the_helper():
    """The mechanism, not one PDF: a module that makes reportlab Paragraphs escapes user text
    with core.pdftext (and none keeps its own escape, which forgets line breaks or one PDF)."""
    from pathlib import Path

    root = Path(pdftext.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text()
        if path.name == "pdftext.py" or "Paragraph(" not in source:
            continue
        if "pdftext" not in source or "saxutils" in source:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
