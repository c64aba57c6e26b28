"""Demo response cases (issue #15), on the demo's own issues and alert: one that lapsed and was
escalated to the Kanwil, one resolved with its summary, one open. Idempotent: nothing is added
when a case exists already."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu.organization.models import Office
from satupintu.organization.working_calendar import WorkingCalendar
from satupintu.situation import responses
from satupintu.situation.models import Alert, Issue, IssueStatus, ResponseCase, ResponseKind


def _issues(province: str, regency: str) -> list[Issue]:
    """Two issues of the province, the regency's own first, the most negative first."""
    found = Issue.objects.filter(province_code=province).exclude(status=IssueStatus.MERGED)
    return sorted(found, key=lambda i: (i.regency_code != regency, -i.negative_count, -i.item_count, i.pk))[:2]


def load_response_demo(users: dict) -> str:  # type: ignore[type-arg]
    if ResponseCase.objects.exists():
        return "Tanggapan: data demo sudah ada."
    User = get_user_model()
    kakan = users.get("kakan.lutra") or User.objects.filter(username="kakan.lutra").first()
    bimas = users.get("bimas.lutra") or User.objects.filter(username="bimas.lutra").first()
    admin = User.objects.filter(username="admin").first()
    lutra = Office.objects.filter(code="73.22").first()
    if kakan is None or lutra is None:
        return ""
    now = timezone.now()
    # Within office hours about six days ago (inside the room's default week), so the figures
    # read like a working day: an hour after the desk opened.
    calendar = WorkingCalendar.for_office(lutra)
    start = min(calendar.add_working_seconds(now - timedelta(days=6), 3600), now - timedelta(hours=8))

    def later(hours: float) -> datetime:
        return min(calendar.add_working_seconds(start, int(hours * 3600)), now)

    made: list[str] = []
    sulsel = _issues("73", lutra.code)
    if sulsel:
        # A deadline of four working hours, days ago: lapsed, so the sweep takes it to the Kanwil.
        case = responses.open_case(sulsel[0], user=kakan, office=lutra, kind=ResponseKind.CLARIFICATION,
                                   opener_offices=[lutra], now=start, hours=4,
                                   instructions="Siapkan klarifikasi tertulis dan koordinasikan dengan Humas Kanwil.")
        responses.escalate_due(now)
        case.refresh_from_db()
        made.append(f"#{case.pk} terlambat dan dinaikkan ke {case.escalated_to}")
    if len(sulsel) > 1 and bimas is not None:
        case = responses.open_case(sulsel[1], user=kakan, office=lutra, kind=ResponseKind.MEDIATION,
                                   opener_offices=[lutra], now=start)
        responses.add_note(case, user=bimas, now=later(1.5),
                           text="Sudah menghubungi tokoh masyarakat dan pengurus FKUB kecamatan; mediasi dijadwalkan.")
        responses.resolve(case, user=kakan, now=later(6),
                          summary="Mediasi di kantor KUA dihadiri kedua pihak dan FKUB; disepakati penyelesaian "
                                  "damai, berita acara ditandatangani. Pemantauan lanjut oleh penyuluh agama.")
        made.append(f"#{case.pk} selesai dengan ringkasan")
    # The planted rise in Kabupaten Bogor: its office (or the Kanwil) is asked to act, by Pusat.
    alert = Alert.objects.filter(province_code="32").order_by("-score").first() or Alert.objects.order_by("-score").first()
    where = (alert.regency_code or alert.province_code) if alert else ""
    bogor = Office.objects.filter(code=where).first() if where else None
    pusat = Office.objects.filter(code="pusat").first()
    if alert is not None and admin is not None and pusat is not None:
        case = responses.open_case(alert, user=admin, office=bogor or pusat, kind=ResponseKind.FKUB,
                                   opener_offices=[pusat], now=now - timedelta(hours=1),
                                   instructions="Koordinasikan dengan FKUB dan aparat setempat; laporkan hari ini.")
        made.append(f"#{case.pk} terbuka ({case.office.short_name})")
    if not made:
        return ""
    return "Tanggapan di /situasi/tanggapan/: " + "; ".join(made) + "."
