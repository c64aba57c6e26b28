"""Early-warning pages: the zones map (/situasi/kewaspadaan/, a province with ?provinsi=73) and a
region's page (/situasi/kewaspadaan/<code>/: index, zone, explanation, history). Staff only,
like the room they belong to. The room's own map shows the same layer with ?ukuran=zona
(`zone_map`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core import clock
from satupintu.organization import reference
from satupintu.situation import access as room_access
from satupintu.situation import maps, warning
from satupintu.situation.charts import line_chart
from satupintu.situation.models import Alert, AlertKind, RegionWarning, RegionWarningHistory, WarningLevel, Zone

# Red, yellow and green as the ministry's EWS has them; merah is also hatched and hijau darker
# than kuning, so the three differ without colour vision too (and the table says it in words).
ZONE_FILLS = {Zone.HIJAU: "#1a9850", Zone.KUNING: "#fee08b", Zone.MERAH: "url(#zone-merah)"}
ZONE_SWATCHES = {Zone.HIJAU: "#1a9850", Zone.KUNING: "#fee08b",
                 Zone.MERAH: "repeating-linear-gradient(45deg,#d73027 0 4px,#7f0000 4px 6px)"}
HISTORY_POINTS = 60
THRESHOLD_COLOURS = ("#b07d00", "#a50f15")  # kuning and merah, dark enough for a thin line on white


def zone_map(province: str, link: Callable[[str], str]) -> dict[str, Any]:
    """The map of zones: provinces of Indonesia, or the regencies of one province. ``link(code)``
    is where a region leads."""
    shapes = maps.regency_shapes(province) if province else maps.province_shapes()
    rows = RegionWarning.objects.filter(level=WarningLevel.REGENCY if province else WarningLevel.PROVINCE)
    if province:
        rows = rows.filter(province_code=province)
    stored = {w.code: w for w in rows.only("code", "index", "zone")}
    labels = dict(Zone.choices)
    regions = []
    for shape in shapes.shapes:
        w = stored.get(shape.code)
        regions.append({"code": shape.code, "name": shape.name, "d": shape.d, "link": link(shape.code),
                        "fill": ZONE_FILLS[Zone(w.zone)] if w else maps.NEUTRAL, "zone": w.zone if w else "",
                        "zone_label": labels[w.zone] if w else _("belum dihitung"),
                        "index": w.index if w else None, "page": f"/situasi/kewaspadaan/{shape.code}/"})
    legend = [(str(labels[z]), ZONE_SWATCHES[Zone(z)]) for z in Zone.values]
    if len(stored) < len(regions):
        legend.append((_("belum dihitung"), maps.NEUTRAL))
    cfg = warning.warning_config()
    return {"view_box": shapes.view_box, "regions": regions, "legend": legend, "kuning": cfg.kuning, "merah": cfg.merah,
            "table": sorted(regions, key=lambda r: (-(r["index"] or 0), r["code"])),
            "counts": {str(z.label).lower(): sum(1 for r in regions if r["zone"] == z.value) for z in Zone}}


def warning_map(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    if not request.GET and (home := room_access.home_province(request.user)):
        return redirect(f"{request.path}?provinsi={home}")  # as the room opens (its zone: WITA for Sulsel)
    province = request.GET.get("provinsi", "").strip()
    problem = ""
    if province and (len(province) != 2 or province not in reference.region_names()):
        province, problem = "", _("Provinsi tidak dikenal; menampilkan seluruh Indonesia.")

    def link(code: str) -> str:
        return f"/situasi/kewaspadaan/{code}/" if province else f"?provinsi={code}"

    latest = RegionWarning.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    with timezone.override(reference.province_timezone(province)):  # the place's time, as on every room page
        return render(request, "situation/warning_map.html", {
            "map": zone_map(province, link), "province": province, "problem": problem,
            "province_name": reference.region_label(province), "computed_at": latest,
            "province_row": RegionWarning.objects.filter(code=province).first() if province else None,
            "config": warning.warning_config(),
        })


def _signals(row: RegionWarning | RegionWarningHistory, user: Any) -> list[dict[str, Any]]:
    # A province's two regency entries carry an index, not a count of signals: "value" is that index
    # (the highest regency's, or the mean over all its regencies), which the page multiplies by the weight.
    complaints = warning.complaint_links(user, row.signals)
    return [{**s, "label": warning.signal_label(s["kind"]),
             "value": s["points"] / s["weight"] if s["kind"] in REGENCY_KINDS and s["weight"] else None,
             "links": [{"label": warning.link_text(link),
                        "href": complaints.get(link.get("report"), "") if "report" in link
                        else warning.link_href(link["url"])} for link in s["links"]]}
            for s in row.signals]


REGENCY_KINDS = ("regency_max", "regency_mean")


def warning_region(request: HttpRequest, code: str) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    if code not in reference.region_names():
        raise Http404(_("Wilayah tidak dikenal."))
    with timezone.override(reference.province_timezone(code[:2])):  # the region's own time (it read WIB for Sulsel)
        return _region_page(request, code)


def _region_page(request: HttpRequest, code: str) -> HttpResponse:
    row = RegionWarning.objects.filter(code=code).first()
    cfg = warning.warning_config()
    history = list(RegionWarningHistory.objects.filter(code=code).order_by("-computed_at", "-id")[:HISTORY_POINTS])
    history.reverse()
    labels = [timezone.localtime(h.computed_at).strftime(clock.strf("%d/%m %H.%M")) for h in history]  # as the table below
    chart = line_chart({_("Indeks"): [round(h.index) for h in history],
                        _("Ambang kuning"): [round(cfg.kuning)] * len(history),
                        _("Ambang merah"): [round(cfg.merah)] * len(history)}, labels,
                       max_labels=4)  # day and time: four fit a phone
    for series, colour in zip(chart["series"][1:], THRESHOLD_COLOURS, strict=False):
        series["color"] = colour  # the thresholds in their zone's colour, not the palette's next
    return render(request, "situation/warning_region.html", {
        "code": code, "name": reference.region_name(code), "row": row, "signals": _signals(row, request.user) if row else [],
        "no_signals": warning.no_signals_text(cfg), "config": cfg, "chart": chart,
        "history": list(reversed(history)), "zone_labels": dict(Zone.choices),
        "province": code[:2], "province_name": reference.region_name(code[:2]), "is_regency": "." in code,
        "alerts": Alert.objects.filter(kind=AlertKind.ZONE, province_code=code[:2],
                                       regency_code=code if "." in code else "").order_by("-created_at")[:10],
        "swatches": ZONE_SWATCHES,
    })
