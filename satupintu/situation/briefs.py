"""The daily and weekly brief of a region as a PDF: the figures and how they changed, the top
issues, the alerts, how offices responded (response cases), the internal signals and the sources,
on one or two pages a leader reads in a minute. Subscribers receive it by e-mail (through the outbox) each morning / Monday.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from satupintu.core import pdf_style, pdftext
from satupintu.core.numbers import decimal
from satupintu.core.reading_language import in_language_of
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.organization import reference
from satupintu.situation import response_figures, selectors
from satupintu.situation.access import still_staff
from satupintu.situation.models import Alert, BriefPeriod, BriefSubscription
from satupintu.situation.topic_labels import topic_label

DAYS = {BriefPeriod.DAILY: 1, BriefPeriod.WEEKLY: 7}
TONE = {"positive": "positif", "neutral": "netral", "negative": "negatif"}


def brief_filter(region: str, period: str, until: datetime) -> selectors.RoomFilter:
    f = selectors.RoomFilter(days=DAYS[BriefPeriod(period)], until=until)
    if "." in region:
        f.regency, f.province = region, region[:2]
    elif region:
        f.province = region
    return f


def _change(totals: selectors.Totals) -> str:
    if totals.change is None:
        return "belum ada pembanding"
    return f"{totals.change * 100:+.0f}% dari periode sebelumnya ({totals.previous})".replace(".", ",")


def _responses_section(f: selectors.RoomFilter, st: dict[str, ParagraphStyle]) -> list:  # type: ignore[type-arg]
    """Per office: cases opened in the period, median time to first response and to resolution
    (working hours of the acting office), and the negative issues of its region that got a case."""
    rows = response_figures.office_figures(since=f.since, until=f.until, province=f.province, regency=f.regency,
                                           now=f.until, limit=12)
    out: list = [Paragraph("Tanggapan per kantor", st["h2"])]  # type: ignore[type-arg]
    if not rows:
        return out + [Paragraph("Belum ada tanggapan atau isu negatif pada periode ini.", st["p"])]
    table: list[list[object]] = [["Kantor", "Kasus", "Terlambat", "Respons pertama", "Selesai dalam",
                                  "Isu negatif ditanggapi"]]
    for r in rows:
        share = f"{r.responded_issues}/{r.negative_issues} ({r.responded_percent}%)" if r.negative_issues else "-"
        table.append([Paragraph(pdftext.text(r.office.short_name), st["cell"]), str(r.cases), str(r.overdue),
                      response_figures.hours_label(r.first_response_hours),
                      response_figures.hours_label(r.resolution_hours), share])
    # Each heading fits its column ("Respons pertama" was 4 pt wider than its 28 mm); the office wraps.
    out.append(pdf_style.table(table, [44 * mm, 14 * mm, 20 * mm, 30 * mm, 26 * mm, 40 * mm]))
    out.append(Spacer(1, 1.5 * mm))  # the footnote reads as a note under the table, not as its last row
    out.append(Paragraph("Median dalam jam kerja kantor yang bertindak, untuk tanggapan yang dibuka pada periode ini.",
                         st["muted"]))
    return out


def brief_pdf(region: str, period: str, until: datetime) -> bytes:
    f = brief_filter(region, period, until)
    # In the zone of the region, like the room: a Makassar head reads WITA times.
    zone = reference.province_timezone(f.province)
    # In Indonesian whatever the asking page's language: a filed brief ("Field reports (internal)"
    # and alert states in English were read into an Indonesian document).
    with timezone.override(zone), translation.override("id"):
        return _brief_pdf(f, period, until, reference.timezone_label(zone))


def _brief_pdf(f: selectors.RoomFilter, period: str, until: datetime, zone: str) -> bytes:
    st = pdf_style.styles()
    totals = selectors.totals(f)
    issues = selectors.top_issues(f, limit=8)
    topics = selectors.topic_totals(f)[:8]
    signals = selectors.internal_signals(f)
    alerts = list(Alert.objects.filter(created_at__gt=f.since, created_at__lte=f.until,
                                       **({"province_code": f.province} if f.province else {}))
                  .order_by("-score")[:10])
    label = "Harian" if period == BriefPeriod.DAILY else "Mingguan"
    local = timezone.localtime(until)
    story: list = [
        Paragraph(f"Ringkasan {label} Situation Room", st["h1"]),
        Paragraph(pdftext.text(f"{f.region_label()} · {timezone.localtime(f.since):%d/%m/%Y %H:%M} s.d. "
                         f"{local:%d/%m/%Y %H:%M} {zone} · Kementerian Agama RI"), st["muted"]),
        Spacer(1, 4 * mm),
        pdf_style.table([["Butir", "Negatif", "Positif", "Perubahan"],
                         [str(totals.items), f"{totals.negative} ({totals.negative_share * 100:.0f}%)",
                          str(totals.positive), _change(totals)]], [30 * mm, 35 * mm, 30 * mm, 75 * mm]),
        Paragraph("Isu teratas", st["h2"]),
    ]
    if issues:
        # One line each (breaks=False): a post of a hundred short lines, as an issue's title, made a
        # row taller than the page (LayoutError) and the brief of the whole region failed.
        rows: list[list[object]] = [["Isu", "Butir", "Wilayah", "Nada"]]
        for i in issues:
            where = ", ".join(reference.region_name(c) for c in (i.regencies or i.provinces)[:2]) or "-"
            # The period's items, both figures (as the room): the issue's all-time share beside the
            # period's count read "5 items, 80% negative" of five good-news items.
            count, negative = i.period_count, i.period_negative  # type: ignore[attr-defined]  # selectors.top_issues
            tone = f"{negative * 100 / count:.0f}% negatif" if count else "-"
            rows.append([Paragraph(pdftext.text(i.title, breaks=False), st["cell"]), str(count), Paragraph(pdftext.text(where),
                         st["cell"]), tone])
        story.append(pdf_style.table(rows, [95 * mm, 15 * mm, 40 * mm, 25 * mm]))
    else:
        story.append(Paragraph("Tidak ada isu pada periode ini.", st["p"]))
    story.append(Paragraph("Peringatan", st["h2"]))
    if alerts:
        rows = [["Peringatan", "Status", "Skor"]]
        rows += [[Paragraph(pdftext.text(a.summary, breaks=False), st["cell"]), a.get_status_display(), decimal(a.score, 1, "id")] for a in alerts]
        story.append(pdf_style.table(rows, [130 * mm, 30 * mm, 15 * mm]))
    else:
        story.append(Paragraph("Tidak ada lonjakan yang memicu peringatan.", st["p"]))
    story += _responses_section(f, st)
    story.append(Paragraph("Topik", st["h2"]))
    with translation.override("id"):  # the names the room shows, not the codes ("kerukunan", "haji-umrah")
        named = ", ".join(f"{topic_label(t)} ({n})" for t, n in topics)
    story.append(Paragraph(pdftext.text(named) or "-", st["p"]))
    story.append(Paragraph("Sinyal layanan", st["h2"]))
    ikm = f"{decimal(signals.ikm, 2, 'id')} ({signals.ikm_respondents} responden)" if signals.ikm else "belum ada"
    story.append(pdf_style.table([
        ["Pengaduan terbuka", "Pengaduan baru", "Permohonan terlambat", "IKM periode ini"],
        [str(signals.complaints_open), str(signals.complaints_period),
         f"{signals.applications_overdue} dari {signals.applications_open}", ikm],
    ], [40 * mm, 35 * mm, 45 * mm, 55 * mm]))
    if signals.low_ikm_offices:
        story.append(Paragraph("IKM di bawah mutu B: " + pdftext.text(", ".join(
            f"{name} {decimal(value, 2, 'id')}" for _, name, value in signals.low_ikm_offices)), st["p"]))
    story.append(Paragraph("Sumber", st["h2"]))
    sources = selectors.source_counts(f)
    story.append(Paragraph(pdftext.text(", ".join(f"{name} ({n})" for name, n in sources)) or "-", st["p"]))
    url = settings.SITE_URL.rstrip("/") + "/situasi/?" + f.querystring()
    story += [Spacer(1, 4 * mm), Paragraph(f"Buka Situation Room: {pdftext.text(url)}", st["muted"])]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"Ringkasan {label} {f.region_label()}",
                            author="Satu Pintu - Situation Room")
    footer = pdf_style.page_footer(f"Ringkasan {label} {f.region_label()} · Situation Room")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def send_due_briefs(period: str, now: datetime) -> int:
    """One e-mail with the PDF per subscription; the dedupe key makes a rerun the same day harmless."""
    day = timezone.localdate(now).isoformat()
    cache: dict[str, bytes] = {}
    sent = 0
    for sub in BriefSubscription.objects.filter(still_staff(), period=period).distinct().select_related("user"):
        if not sub.user.email:
            continue
        if sub.region_code not in cache:
            cache[sub.region_code] = brief_pdf(sub.region_code, period, now)
        name = reference.region_label(sub.region_code)
        label = "harian" if period == BriefPeriod.DAILY else "mingguan"
        with in_language_of(sub.user):  # the e-mail in the reader's language; the PDF, like every official one, Indonesian
            params = {"name": name, "day": day}
            if period == BriefPeriod.DAILY:
                subject = gettext("[Situation Room] Ringkasan harian %(name)s %(day)s") % params
                body = gettext("Terlampir ringkasan harian Situation Room untuk %(name)s.") % params + "\n"
            else:
                subject = gettext("[Situation Room] Ringkasan mingguan %(name)s %(day)s") % params
                body = gettext("Terlampir ringkasan mingguan Situation Room untuk %(name)s.") % params + "\n"
        if outbox_enqueue(channel="email", recipient=sub.user.email, subject=subject, body=body,
                          dedupe_key=f"brief:{sub.pk}:{day}",
                          attachment=(f"ringkasan-{label}-{sub.region_code or 'nasional'}-{day}.pdf", cache[sub.region_code],
                                      "application/pdf")):
            sent += 1
    return sent
