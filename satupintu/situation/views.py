"""The Situation Room's pages: the room (map, trends, issues, latest items, alerts, internal
signals), one issue, one alert, alert subscriptions, sources and briefs.

Thin views: figures come from selectors.py, changes from issues.py / trends.py / sources.py.
Every staff member may look; every change asks situation/access.py first (region and role).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError
from satupintu.core.users import signed_in_user
from satupintu.organization import access, reference
from satupintu.organization.models import StaffRole
from satupintu.situation import access as room_access
from satupintu.situation import issues as issue_actions
from satupintu.situation import maps, selectors, trends
from satupintu.situation import sources as source_actions
from satupintu.situation.charts import line_chart
from satupintu.situation.models import (
    TOPIC_ORDER,
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    BriefPeriod,
    BriefSubscription,
    ImportJob,
    Issue,
    IssueStatus,
    Source,
    SourceKind,
)

MAX_UPLOAD = 20 * 1024 * 1024


def _home_region(user) -> str:  # type: ignore[no-untyped-def]
    """A Kanwil or Kankemenag officer starts at their province; Pusat at the whole country."""
    for r in access.staff_roles(user):
        if r.office.code != "pusat":
            return r.office.code[:2]
    return ""


def _map_context(f: selectors.RoomFilter, measure: maps.Scheme) -> dict:
    counts = selectors.map_counts(f)
    shapes = maps.regency_shapes(f.province) if f.province else maps.province_shapes()
    values = {code: (neg / n if measure == "negative" else n) if n else 0 for code, (n, neg) in counts.items()}
    vmax = max(values.values(), default=0) or 0
    regions = []
    for shape in shapes.shapes:
        n, neg = counts.get(shape.code, (0, 0))
        fill = maps.color_scale(values.get(shape.code, 0), vmax, measure)
        link = f.querystring(kabkota=shape.code) if f.province else f.querystring(provinsi=shape.code, kabkota="")
        regions.append({"code": shape.code, "name": shape.name, "d": shape.d, "fill": fill, "items": n,
                        "negative": neg, "share": round(100 * neg / n) if n else 0, "link": link,
                        "selected": shape.code in (f.regency, f.province)})
    return {"view_box": shapes.view_box, "regions": regions, "legend": maps.legend(vmax, measure),
            "measure": measure, "table": sorted((r for r in regions if r["items"]), key=lambda r: -r["items"])}


def room(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    params = request.GET.copy()
    if not params and (home := _home_region(request.user)):
        return redirect(f"{request.path}?provinsi={home}")
    f = selectors.parse_filter(params)
    measure: maps.Scheme = "negative" if params.get("ukuran") == "negatif" else "volume"
    days, series = selectors.topic_trend(f)
    totals = selectors.totals(f)
    context = {
        "f": f, "totals": totals, "map": _map_context(f, measure),
        "change_pct": round(totals.change * 100) if totals.change is not None else None,
        "negative_pct": round(totals.negative_share * 100),
        "chart": line_chart(series, [d.strftime("%d/%m") for d in days]),
        "topic_totals": selectors.topic_totals(f), "issues": selectors.top_issues(f),
        "latest": selectors.latest_items(f), "alerts": selectors.open_alerts(f),
        "signals": selectors.internal_signals(f), "sources_top": selectors.source_counts(f),
        "topics": TOPIC_ORDER, "domains": selectors.DOMAINS, "sources": Source.objects.all(),
        "provinces": reference.provinces(),
        "regencies": [r for r in reference.regencies() if r["province_code"] == f.province] if f.province else [],
        "region_name": f.region_label(), "parent_query": f.querystring(provinsi="", kabkota=""),
        "province_query": f.querystring(kabkota=""), "province_name": reference.region_name(f.province),
        "measure_volume": f.querystring(ukuran=""), "measure_negative": f.querystring(ukuran="negatif"),
        "refreshed_at": timezone.localtime(),
    }
    template = "situation/_room_body.html" if params.get("partial") else "situation/room.html"
    return render(request, template, context)


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    issue = get_object_or_404(Issue, pk=pk)
    if issue.status == IssueStatus.MERGED and issue.merged_into_id:
        flash.info(request, "Isu ini sudah digabung; Anda dibawa ke isu gabungannya.")
        return redirect("situation_issue", pk=issue.merged_into_id)
    page = Paginator(issue.items.select_related("source").order_by("published_at", "id"), 50).get_page(
        request.GET.get("hal"))
    may_act = room_access.may_act_on_issue(request.user, issue)
    others = [o for o in Issue.objects.filter(status=IssueStatus.OPEN).exclude(pk=issue.pk)
              .filter(last_seen__gte=issue.first_seen - timedelta(days=14)).order_by("-last_seen")[:50]
              if room_access.may_act_on_issue(request.user, o)] if may_act else []
    sources = issue.items.values_list("source__name", flat=True).distinct()
    alerts = [(a, room_access.may_act_on_alert(request.user, a)) for a in issue.alerts.all()]
    return render(request, "situation/issue.html", {
        "issue": issue, "page": page, "others": others, "alerts": alerts, "may_act": may_act,
        "sources": sorted({s or "-" for s in sources}),
        "regions": [(c, reference.region_name(c)) for c in issue.provinces + issue.regencies],
    })


@require_POST
def issue_act(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    issue = get_object_or_404(Issue, pk=pk)
    if not room_access.may_act_on_issue(request.user, issue):
        return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            issue_actions.rename(issue, request.POST.get("title", ""))
            flash.success(request, "Judul isu diubah.")
        elif action == "close":
            issue_actions.close(issue)
            flash.success(request, "Isu ditutup.")
        elif action == "reopen":
            issue_actions.reopen(issue)
            flash.success(request, "Isu dibuka kembali.")
        elif action == "merge":
            target = Issue.objects.filter(pk=request.POST.get("into") or 0).first() if (
                request.POST.get("into", "").isdigit()) else None
            if target is None:
                raise DomainError("invalid_issue", "Pilih isu tujuan penggabungan.")
            if not room_access.may_merge_issues(request.user, issue, target):
                return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
            issue_actions.merge(issue, target)
            flash.success(request, f"Isu digabung ke \u201c{target.title}\u201d.")
            return redirect("situation_issue", pk=target.pk)
        elif action == "split":
            ids = [int(x) for x in request.POST.getlist("items") if x.isdigit()]
            new = issue_actions.split(issue, ids, request.POST.get("title", ""))
            flash.success(request, f"{new.item_count} butir dipisahkan menjadi isu baru.")
            return redirect("situation_issue", pk=new.pk)
        else:
            raise DomainError("invalid_action", "Tindakan tidak dikenal.")
    except DomainError as e:
        flash.error(request, e.message)
    return redirect("situation_issue", pk=issue.pk)


def alerts(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    status = request.GET.get("status", "open")
    qs = Alert.objects.select_related("issue", "assigned_to").order_by("-created_at")
    if status == "open":
        qs = qs.exclude(status=AlertStatus.RESOLVED)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("saya"):
        qs = qs.filter(assigned_to=signed_in_user(request))
    page = Paginator(qs, 30).get_page(request.GET.get("hal"))
    return render(request, "situation/alerts.html", {"page": page, "status": status,
                                                     "statuses": AlertStatus.choices})


def _assignable_users(user):  # type: ignore[no-untyped-def]
    offices = [r.office_id for r in access.staff_roles(user)]
    qs = StaffRole.objects.select_related("user").order_by("user__username")
    if not user.is_superuser:
        qs = qs.filter(office_id__in=offices)
    seen, people = set(), []
    for r in qs:
        if r.user_id not in seen:
            seen.add(r.user_id)
            people.append(r.user)
    return people


def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    alert = get_object_or_404(Alert.objects.select_related("issue", "assigned_to", "acknowledged_by"), pk=pk)
    may_act = room_access.may_act_on_alert(request.user, alert)
    if request.method == "POST":
        if not may_act:
            return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        try:
            if action == "acknowledge":
                trends.acknowledge(alert, request.user)
                flash.success(request, "Peringatan diterima.")
            elif action == "assign":
                people = {str(u.pk): u for u in _assignable_users(request.user)}
                assignee = people.get(request.POST.get("assignee", ""))
                if assignee is None:
                    raise DomainError("invalid_assignee", "Pilih petugas yang ditugaskan.")
                trends.assign(alert, request.user, assignee, note)
                flash.success(request, f"Peringatan ditugaskan ke {assignee.get_full_name() or assignee.username}.")
            elif action == "note":
                trends.add_note(alert, request.user, note)
                flash.success(request, "Catatan tindak lanjut tersimpan.")
            elif action == "resolve":
                trends.resolve(alert, request.user, note)
                flash.success(request, "Peringatan selesai ditindaklanjuti.")
            else:
                raise DomainError("invalid_action", "Tindakan tidak dikenal.")
        except DomainError as e:
            flash.error(request, e.message)
        return redirect("situation_alert", pk=alert.pk)
    return render(request, "situation/alert.html", {
        "alert": alert, "events": alert.events.select_related("actor"), "may_act": may_act,
        "people": _assignable_users(request.user) if may_act else [],
        "region": reference.region_name(alert.province_code) if alert.province_code else "Nasional",
        "room_query": f"provinsi={alert.province_code}&hari=1" if alert.province_code else "hari=1",
    })


def rules(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    user = signed_in_user(request)
    if request.method == "POST":
        if request.POST.get("delete", "").isdigit():
            rule = AlertRule.objects.filter(pk=int(request.POST["delete"])).first()
            if rule is not None and not room_access.may_manage_subscription(user, rule):
                rule = None  # another person's subscription is "not found", not a hint that it exists
            if rule is not None:
                rule.delete()
                flash.success(request, "Langganan dihapus.")
            else:
                flash.error(request, "Langganan tidak ditemukan.")
            return redirect("situation_rules")
        return _save_rule(request)
    return render(request, "situation/rules.html", {
        "rules": AlertRule.objects.filter(user=user), "provinces": reference.provinces(),
        "topics": TOPIC_ORDER, "kinds": AlertKind.choices,
        "briefs": BriefSubscription.objects.filter(user=user), "periods": BriefPeriod.choices,
        "region_names": reference.region_names(),
    })


def _save_rule(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    names = reference.region_names()
    if request.POST.get("brief"):
        region = request.POST.get("region", "").strip()
        period = request.POST.get("period", "")
        if (region and region not in names) or period not in BriefPeriod.values:
            flash.error(request, "Wilayah atau periode ringkasan tidak dikenal.")
        else:
            BriefSubscription.objects.get_or_create(user=user, region_code=region, period=period)
            flash.success(request, "Anda akan menerima ringkasan lewat surel.")
        return redirect("situation_rules")
    province = request.POST.get("province", "").strip()
    topic = request.POST.get("topic", "").strip()
    kind = request.POST.get("kind", "").strip()
    problems = []
    if province and (len(province) != 2 or province not in names):
        problems.append("Provinsi tidak dikenal.")
    if topic and topic not in TOPIC_ORDER:
        problems.append("Topik tidak dikenal.")
    if kind and kind not in AlertKind.values:
        problems.append("Jenis lonjakan tidak dikenal.")
    if not user.email:
        problems.append("Akun Anda belum punya alamat surel; peringatan tidak dapat dikirim.")
    if problems:
        for p in problems:
            flash.error(request, p)
        return redirect("situation_rules")
    label = " · ".join(x for x in (topic or "semua topik", names.get(province, "seluruh Indonesia"),
                                   str(dict(AlertKind.choices).get(kind, "semua lonjakan"))))
    AlertRule.objects.create(user=user, province_code=province, topic=topic, kind=kind,
                             name=request.POST.get("name", "").strip()[:200] or label)
    flash.success(request, "Langganan peringatan tersimpan.")
    return redirect("situation_rules")


def sources(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    if request.method == "POST":
        return _change_sources(request)
    rows = Source.objects.select_related("office").order_by("kind", "name")
    return render(request, "situation/sources.html", {
        "sources": [(s, room_access.may_manage_source(request.user, s)) for s in rows],
        "jobs": ImportJob.objects.select_related("source").defer("data")[:10],
        "manager": room_access.may_manage_sources(request.user),
        "kinds": [k for k in SourceKind.choices if k[0] != SourceKind.INTERNAL],
    })


def _change_sources(request: HttpRequest) -> HttpResponse:
    from satupintu.situation.ingestion import queue_import

    if not room_access.may_manage_sources(request.user):
        return room_access.forbidden(request, room_access.NOT_YOUR_SOURCE)
    action = request.POST.get("action", "")
    if action == "add":
        interval = request.POST.get("interval", "30")
        try:
            source_actions.source_add(
                kind=request.POST.get("kind", ""), name=request.POST.get("name", ""),
                url=request.POST.get("url", ""), interval_minutes=int(interval) if interval.isdigit() else 30,
                office=room_access.owner_office_for_new_source(request.user))
        except DomainError as e:
            flash.error(request, e.message)
        else:
            flash.success(request, "Sumber ditambahkan.")
        return redirect("situation_sources")
    source = Source.objects.filter(pk=request.POST.get("source") or 0).first() if \
        request.POST.get("source", "").isdigit() else None
    if source is None:
        flash.error(request, "Sumber tidak ditemukan.")
        return redirect("situation_sources")
    if not room_access.may_manage_source(request.user, source):
        return room_access.forbidden(request, room_access.NOT_YOUR_SOURCE)
    if action == "toggle":
        source_actions.source_toggle(source)
        flash.success(request, "Sumber diaktifkan." if source.active else "Sumber dinonaktifkan.")
    elif action == "now":
        source_actions.source_fetch_now(source)
        flash.success(request, "Sumber dijadwalkan untuk diambil sekarang.")
    elif action == "upload":
        upload = request.FILES.get("file")
        filename = (upload.name or "") if upload is not None else ""  # an uploaded file always has a name
        if source.kind != SourceKind.SOCIAL:
            flash.error(request, "Unggahan hanya untuk sumber impor media sosial.")
        elif upload is None or not filename.lower().endswith((".jsonl", ".json", ".csv", ".ndjson")):
            flash.error(request, "Pilih berkas JSONL atau CSV.")
        elif (upload.size or 0) > MAX_UPLOAD:
            flash.error(request, "Berkas terlalu besar (maksimal 20 MB); bagi menjadi beberapa berkas.")
        else:
            job = queue_import(source, filename, upload.read(), request.user)
            flash.success(request, "Berkas diterima dan sedang dibaca.")
            return redirect("situation_import", pk=job.pk)
    else:
        flash.error(request, "Tindakan tidak dikenal.")
    return redirect("situation_sources")


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    job = get_object_or_404(ImportJob.objects.select_related("source").defer("data"), pk=pk)
    if request.GET.get("format") == "json":
        from django.http import JsonResponse

        return JsonResponse({"status": job.status, "total": job.total, "done": job.done, "added": job.added,
                             "percent": job.percent, "errors": job.errors[:20]})
    return render(request, "situation/import.html", {"job": job})


def brief_pdf(request: HttpRequest) -> HttpResponse:
    if (denied := access.staff_required(request)) is not None:
        return denied
    from satupintu.situation.briefs import brief_pdf as render_brief

    region = request.GET.get("wilayah", "")
    period = request.GET.get("periode", "daily")
    if (region and region not in reference.region_names()) or period not in BriefPeriod.values:
        flash.error(request, "Wilayah atau periode ringkasan tidak dikenal.")
        return redirect("situation_room")
    pdf = render_brief(region, period, timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ringkasan-{period}-{region or "nasional"}.pdf"'
    return response

