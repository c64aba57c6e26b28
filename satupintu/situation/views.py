"""The Situation Room's pages: the room (map, trends, issues, latest items, alerts, internal
signals), one issue, one alert, alert subscriptions, sources and briefs.

Thin views: figures come from selectors.py, forms from forms.py, changes from issues.py /
trends.py / sources.py. Every staff member may look; every change asks situation/access.py
first (region and role). A change that is done redirects with a message; one that is not
shows the page again with the form as it was sent and its errors summarised at the top
(400 for what cannot be read, else the domain error's status).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from satupintu.core import clock, numbers
from satupintu.core.errors import DomainError
from satupintu.core.forms import DomainForm
from satupintu.core.privacy import typed_texts_for
from satupintu.core.users import signed_in_user
from satupintu.organization import access, reference
from satupintu.situation import access as room_access
from satupintu.situation import issues as issue_actions
from satupintu.situation import maps, response_figures, selectors, trends, warning_views
from satupintu.situation import sources as source_actions
from satupintu.situation.charts import line_chart
from satupintu.situation.forms import (
    ActionForm,
    AlertNoteForm,
    AlertRuleForm,
    AssignAlertForm,
    BriefSubscriptionForm,
    DeleteBriefForm,
    DeleteRuleForm,
    MergeIssueForm,
    RenameIssueForm,
    SlotForm,
    SourceAddForm,
    SourceForm,
    SourceUploadForm,
    SplitIssueForm,
)
from satupintu.situation.models import (
    TOPIC_ORDER,
    Alert,
    AlertRule,
    AlertStatus,
    BriefPeriod,
    BriefSubscription,
    ImportJob,
    Issue,
    IssueStatus,
    Source,
    SourceKind,
    shown_source_name,
)


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
                        "negative": neg, "share": numbers.percent(neg, n) if n else 0, "link": link,
                        "selected": shape.code in (f.regency, f.province)})
    return {"view_box": shapes.view_box, "regions": regions, "legend": maps.legend(vmax, measure),
            "measure": measure, "table": sorted((r for r in regions if r["items"]), key=lambda r: -r["items"])}


def room(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    params = request.GET.copy()
    if not params and (home := room_access.home_province(request.user)):
        return redirect(f"{request.path}?provinsi={home}")
    f = selectors.parse_filter(params)
    # Days are counted, and times shown, in the zone of the region in view (a Papua item at 00:30
    # WIT is that day's, not the day before's in WIB); the whole country: WIB.
    with timezone.override(reference.province_timezone(f.province)):
        return _room_page(request, f, partial=bool(params.get("partial")))


def _room_page(request: HttpRequest, f: selectors.RoomFilter, partial: bool) -> HttpResponse:
    measure: maps.Scheme = "negative" if f.measure == "negatif" else "volume"
    if f.measure == "zona":  # the early-warning layer (warning_views.py)
        room_map = {"measure": "zone", **warning_views.zone_map(f.province, lambda code: "?" + (
            f.querystring(kabkota=code, ukuran="zona") if f.province else
            f.querystring(provinsi=code, kabkota="", ukuran="zona")))}
    else:
        room_map = _map_context(f, measure)
    days, series = selectors.topic_trend(f)
    totals = selectors.totals(f)
    context = {
        "f": f, "totals": totals, "map": room_map, "measure_zone": f.querystring(ukuran="zona"),
        "change_pct": round(totals.change * 100) if totals.change is not None else None,
        "negative_pct": round(totals.negative_share * 100),
        "chart": line_chart(series, [d.strftime(clock.strf("%d/%m")) for d in days]),
        "topic_totals": selectors.topic_totals(f), "issues": selectors.top_issues(f),
        "latest": room_access.with_links(request.user, selectors.latest_items(f)), "alerts": selectors.open_alerts(f),
        "signals": selectors.internal_signals(f), "sources_top": selectors.source_counts(f),
        "topics": TOPIC_ORDER, "domains": selectors.DOMAINS, "sources": Source.objects.all(),
        "provinces": reference.provinces(),
        "regencies": [r for r in reference.regencies() if r["province_code"] == f.province] if f.province else [],
        "region_name": f.region_label(), "parent_query": f.querystring(provinsi="", kabkota=""),
        "province_query": f.querystring(kabkota=""), "province_name": reference.region_name(f.province),
        "measure_volume": f.querystring(ukuran=""), "measure_negative": f.querystring(ukuran="negatif"),
        "may_record_meetings": room_access.may_record_meetings(request.user),
        "may_read_skm": access.may_read_survey_results(request.user),
        "responses": response_figures.office_figures(since=f.since, until=f.until, province=f.province,
                                                     regency=f.regency),
    }
    context["refreshed_at"] = timezone.localtime()
    return render(request, "situation/_room_body.html" if partial else "situation/room.html", context)


# --- one issue -----------------------------------------------------------------------------------

ISSUE_ACTIONS = ("rename", "close", "reopen", "merge", "split")


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    issue = get_object_or_404(Issue, pk=pk)
    if issue.status == IssueStatus.MERGED and issue.merged_into_id:
        flash.info(request, _("Isu ini sudah digabung; Anda dibawa ke isu gabungannya."))
        return redirect("situation_issue", pk=issue.merged_into_id)
    return _issue_page(request, issue, page_number=request.GET.get("hal"))


def _in_place(forms: dict[str, Any], sent: DomainForm | None) -> dict[str, Any]:
    """The page's forms, with the one that was sent (errors, values) in place of its blank one."""
    if isinstance(sent, SlotForm) and sent.slot in forms:
        forms[sent.slot] = sent
    return forms


def _issue_page(request: HttpRequest, issue: Issue, sent: DomainForm | None = None, status: int = 200,
                page_number: str | None = None) -> HttpResponse:
    may_act = room_access.may_act_on_issue(request.user, issue)
    others = [o for o in Issue.objects.filter(status=IssueStatus.OPEN).exclude(pk=issue.pk)
              .filter(last_seen__gte=issue.first_seen - timedelta(days=14)).order_by("-last_seen")[:50]
              if room_access.may_act_on_issue(request.user, o)] if may_act else []
    forms = _in_place({"rename_form": RenameIssueForm(initial={"title": issue.title}), "merge_form": MergeIssueForm(),
                       "split_form": SplitIssueForm(issue=issue)}, sent)
    forms["merge_form"].offer(others)
    split = forms["split_form"]
    if split.is_bound:  # back on the timeline page the items were ticked on
        page_number = split["page"].value()
    page = Paginator(issue.items.select_related("source").order_by("published_at", "id"), 50).get_page(page_number)
    page.object_list = room_access.with_links(request.user, list(page.object_list))
    if not split.is_bound:
        split.initial["page"] = page.number
    sources = issue.items.values_list("source__name", flat=True).distinct()
    alerts = [(a, room_access.may_act_on_alert(request.user, a)) for a in issue.alerts.all()]
    context = {
        "issue": issue, "cases": issue.responses.select_related("office").order_by("-opened_at"),
        "case_query": f"isu={issue.pk}", "page": page, "others": others, "alerts": alerts, "may_act": may_act,
        "sources": sorted({shown_source_name(s) if s else "-" for s in sources}),
        "regions": [(c, reference.region_name(c)) for c in issue.provinces + issue.regencies],
        "form": sent, "chosen": split.chosen(), "may_record_meetings": room_access.may_record_meetings(request.user),
        **forms,
    }
    # Times in the zone of the issue's province, as the room of that region shows them (was WIB).
    with timezone.override(reference.province_timezone(issue.province_code)):
        return render(request, "situation/issue.html", context, status=status)


@require_POST
def issue_act(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    issue = get_object_or_404(Issue, pk=pk)
    if not room_access.may_act_on_issue(request.user, issue):
        return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
    chosen = ActionForm(request.POST, actions=ISSUE_ACTIONS)
    if not chosen.is_valid():
        return _issue_page(request, issue, chosen, status=400)
    action = chosen.cleaned_data["action"]
    form: DomainForm = chosen  # close and reopen have nothing more to read
    if action == "rename":
        form = RenameIssueForm(request.POST)
    elif action == "merge":
        form = MergeIssueForm(request.POST)
    elif action == "split":
        form = SplitIssueForm(request.POST, issue=issue)
    if not form.is_valid():
        return _issue_page(request, issue, form, status=400)
    data = form.cleaned_data
    try:
        if action == "rename":
            issue_actions.rename(issue, data.get("title", ""))
            flash.success(request, _("Judul isu diubah."))
        elif action == "close":
            issue_actions.close(issue)
            flash.success(request, _("Isu ditutup."))
        elif action == "reopen":
            issue_actions.reopen(issue)
            flash.success(request, _("Isu dibuka kembali."))
        elif action == "merge":
            target = data.get("into")
            if target is not None and not room_access.may_merge_issues(request.user, issue, target):
                return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
            merged = issue_actions.merge(issue, target)
            flash.success(request, _("Isu digabung ke “%(title)s”.") % {"title": merged.title})
            return redirect("situation_issue", pk=merged.pk)
        else:
            new = issue_actions.split(issue, [item.pk for item in data.get("items") or []], data.get("title", ""))
            flash.success(request, ngettext("%(n)s butir dipisahkan menjadi isu baru.",
                                            "%(n)s butir dipisahkan menjadi isu baru.", new.item_count)
                          % {"n": new.item_count})
            return redirect("situation_issue", pk=new.pk)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _issue_page(request, issue, form, status=exc.status)
    return redirect("situation_issue", pk=issue.pk)


# --- alerts --------------------------------------------------------------------------------------

ALERT_ACTIONS = ("acknowledge", "assign", "note", "resolve")


def alerts(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
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


def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    alert = get_object_or_404(Alert.objects.select_related("issue", "assigned_to", "acknowledged_by"), pk=pk)
    if request.method != "POST":
        return _alert_page(request, alert)
    if not room_access.may_act_on_alert(request.user, alert):
        return room_access.forbidden(request, room_access.NOT_YOUR_REGION)
    chosen = ActionForm(request.POST, actions=ALERT_ACTIONS)
    if not chosen.is_valid():
        return _alert_page(request, alert, chosen, status=400)
    action = chosen.cleaned_data["action"]
    form: DomainForm = chosen
    if action == "assign":
        form = AssignAlertForm(request.POST, people=room_access.alert_assignees(request.user, alert))
    elif action in ("note", "resolve"):
        form = AlertNoteForm(request.POST)
    if not form.is_valid():
        return _alert_page(request, alert, form, status=400)
    note = form.cleaned_data.get("note", "")
    try:
        if action == "acknowledge":
            trends.acknowledge(alert, request.user)
            flash.success(request, _("Peringatan diterima."))
        elif action == "assign":
            assignee = form.cleaned_data.get("assignee")
            trends.assign(alert, request.user, assignee, note)
            assert assignee is not None  # assign refuses nobody
            flash.success(request, _("Peringatan ditugaskan ke %(name)s.") % {
                "name": assignee.get_full_name() or assignee.get_username()})
        elif action == "note":
            trends.add_note(alert, request.user, note)
            flash.success(request, _("Catatan tindak lanjut tersimpan."))
        else:
            trends.resolve(alert, request.user, note)
            flash.success(request, _("Peringatan selesai ditindaklanjuti."))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _alert_page(request, alert, form, status=exc.status)
    return redirect("situation_alert", pk=alert.pk)


def _alert_page(request: HttpRequest, alert: Alert, sent: DomainForm | None = None,
                status: int = 200) -> HttpResponse:
    may_act = room_access.may_act_on_alert(request.user, alert)
    people = room_access.alert_assignees(request.user, alert) if may_act else []
    forms = _in_place({"assign_form": AssignAlertForm(people=people), "note_form": AlertNoteForm()}, sent)
    events = list(alert.events.select_related("actor"))
    # Notes may name people (a phone, an ID number): those who act on the alert read them whole, and
    # each such look is on record; the rest of the room reads them masked (as a response case's).
    for e, text in zip(events, typed_texts_for(request, [e.note for e in events], whole=may_act, subject_type="alert",
                                               subject_ref=str(alert.pk), what="catatan peringatan"), strict=True):
        e.shown = text  # type: ignore[attr-defined]
    with timezone.override(alert.time_zone):  # the place's time: the room showed 03.19 WITA, this page 02.19 WIB
        return render(request, "situation/alert.html", {
            "alert": alert, "events": events, "may_act": may_act, "form": sent, **forms,
            "cases": alert.responses.select_related("office").order_by("-opened_at"),
            "case_query": f"peringatan={alert.pk}",
            "region": reference.region_name(alert.province_code) if alert.province_code else _("Nasional"),
            "room_query": f"provinsi={alert.province_code}&hari=1" if alert.province_code else "hari=1",
        }, status=status)


# --- subscriptions -------------------------------------------------------------------------------

def rules(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    user = signed_in_user(request)
    if request.method != "POST":
        return _rules_page(request)
    # Four forms post here: the "Hapus" button of an alert subscription (delete=<id>) and of a
    # brief (delete_brief=<id>), the brief form (brief=1), and the alert form.
    form: DomainForm
    if "delete" in request.POST:
        form = DeleteRuleForm(request.POST)
        done = _("Langganan dihapus.")
    elif "delete_brief" in request.POST:
        form = DeleteBriefForm(request.POST)
        done = _("Langganan dihapus.")
    elif "brief" in request.POST:
        form = BriefSubscriptionForm(request.POST)
        done = _("Anda akan menerima ringkasan lewat surel.")
    else:
        form = AlertRuleForm(request.POST)
        done = _("Langganan peringatan tersimpan.")
    if not form.is_valid():
        return _rules_page(request, form, status=400)
    data = form.cleaned_data
    try:
        if isinstance(form, DeleteRuleForm):
            trends.unsubscribe(user, data.get("delete"))
        elif isinstance(form, DeleteBriefForm):
            trends.unsubscribe_brief(user, data.get("delete_brief"))
        elif isinstance(form, BriefSubscriptionForm):
            trends.subscribe_brief(user, region=data.get("region", ""), period=data.get("period", ""))
        else:
            trends.subscribe(user, province=data.get("province", ""), topic=data.get("topic", ""),
                             kind=data.get("kind", ""), name=data.get("name", ""))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _rules_page(request, form, status=exc.status)
    flash.success(request, done)
    return redirect("situation_rules")


def _rules_page(request: HttpRequest, sent: DomainForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    forms = _in_place({"rule_form": AlertRuleForm(), "brief_form": BriefSubscriptionForm()}, sent)
    briefs = list(BriefSubscription.objects.filter(user=user).order_by("pk"))
    for b in briefs:
        b.region_name = reference.region_label(b.region_code)  # type: ignore[attr-defined]
    return render(request, "situation/rules.html", {
        "rules": AlertRule.objects.filter(user=user), "briefs": briefs, "form": sent, **forms,
    }, status=status)


# --- sources -------------------------------------------------------------------------------------

SOURCE_ACTIONS = ("add", "toggle", "now", "upload")


def sources(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    if request.method == "POST":
        return _change_sources(request)
    return _sources_page(request)


def _sources_page(request: HttpRequest, sent: DomainForm | None = None, status: int = 200) -> HttpResponse:
    rows = Source.objects.select_related("office").order_by("kind", "name")
    # A file sent for a source goes back to that source's row, with its error.
    uploaded = sent.place() if isinstance(sent, SourceUploadForm) else None
    table = []
    for s in rows:
        may_manage = room_access.may_manage_source(request.user, s)
        upload = None
        if may_manage and s.kind == SourceKind.SOCIAL:
            upload = sent if uploaded is not None and uploaded.pk == s.pk else SourceUploadForm(
                source_pk=s.pk, initial={"source": s.pk})
        table.append((s, may_manage, upload))
    forms = _in_place({"add_form": SourceAddForm()}, sent)
    return render(request, "situation/sources.html", {
        "sources": table, "jobs": ImportJob.objects.select_related("source").defer("data")[:10],
        "manager": room_access.may_manage_sources(request.user), "form": sent, **forms,
    }, status=status)


def _change_sources(request: HttpRequest) -> HttpResponse:
    if not room_access.may_manage_sources(request.user):
        return room_access.forbidden(request, room_access.NOT_YOUR_SOURCE)
    chosen = ActionForm(request.POST, actions=SOURCE_ACTIONS)
    if not chosen.is_valid():
        return _sources_page(request, chosen, status=400)
    action = chosen.cleaned_data["action"]
    form: DomainForm
    if action == "add":
        form = SourceAddForm(request.POST)
    elif action == "upload":
        form = SourceUploadForm(request.POST, request.FILES)
    else:
        form = SourceForm(request.POST)
    if not form.is_valid():
        return _sources_page(request, form, status=400)
    data = form.cleaned_data
    if action == "add":
        try:
            source_actions.source_add(kind=data.get("kind", ""), name=data.get("name", ""), url=data.get("url", ""),
                                      interval_minutes=data.get("interval"),
                                      office=room_access.owner_office_for_new_source(request.user))
        except DomainError as exc:
            form.add_domain_error(exc)
            return _sources_page(request, form, status=exc.status)
        flash.success(request, _("Sumber ditambahkan."))
        return redirect("situation_sources")
    source = data.get("source")
    if source is None:
        form.add_error("source", _("Sumber tidak ditemukan."))
        return _sources_page(request, form, status=400)
    if not room_access.may_manage_source(request.user, source):
        return room_access.forbidden(request, room_access.NOT_YOUR_SOURCE)
    if action == "toggle":
        source_actions.source_toggle(source)
        flash.success(request, _("Sumber diaktifkan.") if source.active else _("Sumber dinonaktifkan."))
    elif action == "now":
        source_actions.source_fetch_now(source)
        flash.success(request, _("Sumber dijadwalkan untuk diambil sekarang."))
    else:
        try:
            job = source_actions.source_import(source, data.get("file"), request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
            return _sources_page(request, form, status=exc.status)
        flash.success(request, _("Berkas diterima dan sedang dibaca."))
        return redirect("situation_import", pk=job.pk)
    return redirect("situation_sources")


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    job = get_object_or_404(ImportJob.objects.select_related("source").defer("data"), pk=pk)
    if request.GET.get("format") == "json":
        from django.http import JsonResponse

        return JsonResponse({"status": job.status, "total": job.total, "done": job.done, "added": job.added,
                             "percent": job.percent, "errors": job.errors[:20]})
    return render(request, "situation/import.html", {"job": job})


def brief_pdf(request: HttpRequest) -> HttpResponse:
    if (denied := room_access.room_required(request)) is not None:
        return denied
    from satupintu.situation.briefs import brief_pdf as render_brief

    region = request.GET.get("wilayah", "")
    period = request.GET.get("periode", "daily")
    if (region and region not in reference.region_names()) or period not in BriefPeriod.values:
        flash.error(request, _("Wilayah atau periode ringkasan tidak dikenal."))
        return redirect("situation_room")
    pdf = render_brief(region, period, timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ringkasan-{period}-{region or "nasional"}.pdf"'
    return response

