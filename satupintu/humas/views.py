"""Humas pages: my office's scorecard (channels, imports), the ranking with its chart and
exports, targets, and the yearly Rakor Kehumasan report. Thin: parse, ask access.py, call one
domain function or selector, render."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.humas import access, channels, exports, figures, imports, selectors, targets
from satupintu.humas.forms import ChannelForm, ImportForm, RemoveChannelForm, TargetForm
from satupintu.humas.models import Channel, Platform, SocialImport, Target
from satupintu.humas.priorities import programmes
from satupintu.humas.score import PART_LABELS, WEIGHTS
from satupintu.organization.access import staff_required
from satupintu.organization.models import Level, Office
from satupintu.organization.working_calendar import office_today

NATIONAL_PAGE_ROWS = 100


def _denied() -> PermissionDenied:
    return PermissionDenied(_("Halaman ini untuk petugas Humas, administrator dan kepala kantor."))


def _guard(request: HttpRequest) -> HttpResponse | None:
    if (denied := staff_required(request)) is not None:
        return denied
    if not access.works_on_humas(request.user):
        raise _denied()
    return None


def _bad_request(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The branded 400 page with what was wrong, in the reader's language (a typed-in address
    or an old bookmark is a person's mistake, not a missing page nor a server error)."""
    return render(request, "400.html", {"exception_message": error.message}, status=400)


def _office(request: HttpRequest, code: str | None) -> Office:
    if code:
        office = get_object_or_404(Office, code=code)
    else:
        office = access.home_office(request.user) or Office.objects.get(level=Level.PUSAT)
    if not access.can_view_office(request.user, office):
        raise _denied()
    return office


def office_page(request: HttpRequest) -> HttpResponse:
    if (denied := _guard(request)) is not None:
        return denied
    office = _office(request, request.POST.get("kantor") or request.GET.get("kantor"))
    try:
        period = selectors.parse_month(request.GET.get("bulan"), today=office_today(office))
    except DomainError as e:
        return _bad_request(request, e)
    manager = access.can_manage_channels(request.user, office)
    channel_form, import_form = ChannelForm(), ImportForm(office=office)
    stopping: Channel | None = None  # the channel whose "Berhenti pakai" asks to be confirmed
    if request.method == "POST":
        if not manager:
            raise _denied()
        action = request.POST.get("action")
        back = f"{request.path}?kantor={office.code}&bulan={period.label}"
        if action == "add":
            channel_form = ChannelForm(request.POST)
            if channel_form.is_valid():
                try:
                    d = channel_form.cleaned_data
                    channels.channel_register(office=office, platform=d["platform"], url=d["url"] or "",
                                              handle=d["handle"] or "", user=request.user)
                    flash.success(request, _("Kanal didaftarkan."))
                    return redirect(back)
                except DomainError as e:
                    channel_form.add_domain_error(e)
        elif action == "remove":
            removal = RemoveChannelForm(request.POST)
            if not removal.is_valid():
                return _bad_request(request, DomainError("humas_bad_channel", "Kanal yang akan dihapus tidak dikenal. "
                                                         "Muat ulang halaman lalu coba lagi.", field="channel"))
            channel = Channel.objects.filter(pk=removal.cleaned_data["channel"], office=office).first()
            if channel is None or channel.retired_at is not None:
                # Already done (a double click on "Ya", an old tab): said, not a "not found" page.
                flash.info(request, _("Kanal itu sudah tidak dipakai."))
                return redirect(back)
            if not removal.cleaned_data["confirm"]:  # the first step only asks (the page below)
                stopping = channel
            else:
                # No month is rebuilt: what the channel counted stays counted (channels.channel_stop).
                retired = channels.channel_stop(channel, user=request.user)
                flash.success(request, _("Kanal tidak dipakai lagi. Unggahan dan berita yang sudah tercatat tetap "
                                         "dihitung di bulannya.") if retired else _("Kanal dihapus."))
                return redirect(back)
        elif action == "import":
            import_form = ImportForm(request.POST, request.FILES, office=office)
            if import_form.is_valid():
                upload = import_form.cleaned_data.get("file")  # the domain says what is missing
                try:
                    result = imports.social_import(channel=import_form.cleaned_data.get("channel"),
                                                   filename=upload.name if upload else "",
                                                   data=upload.read() if upload else b"",
                                                   platform=import_form.cleaned_data["platform"] or None,
                                                   user=request.user)
                    # The office's own months (a post at 05:00 WITA on the 1st is still the day before in UTC).
                    months = figures.local_months(list(result.record.channel.posts.filter(
                        last_import=result.record).values_list("published_at", flat=True)), office.timezone)
                    figures.refresh_months(months, office_ids=[office.pk])
                    (flash.warning if result.record.problems else flash.success)(request, result.summary)
                    if months and not set(period.months) & months:
                        # Show the figures just imported: the latest month the file holds.
                        return redirect(f"{request.path}?kantor={office.code}&bulan={max(months):%Y-%m}")
                    return redirect(back)
                except DomainError as e:
                    import_form.add_domain_error(e)
        else:
            return _bad_request(request, DomainError("humas_bad_action", "Tindakan yang diminta tidak dikenal. "
                                                     "Muat ulang halaman lalu coba lagi.", field="action"))
    row = next(iter(selectors.scorecard(period, office=office)), None)
    office_channels = list(Channel.objects.filter(office=office, retired_at__isnull=True)
                           .select_related("source", "foreign_office"))
    names = {p.code: p.local_name for p in programmes()}
    context = {
        "office": office, "period": period, "row": row, "manager": manager,
        # Links only to the pages this person may open (a Kankemenag's Humas sets no target and
        # reads its rank here, not the Kanwil's table).
        "sets_targets": bool(access.target_offices(request.user)),
        "sees_ranking": access.ranking_kanwils(request.user) != [],
        "parts": [(PART_LABELS[k], WEIGHTS[k], None if v is None else round(100 * v)) for k, v in
                  (row.parts.items() if row else [])],
        "channels": [(c, channels.foreign_message(c)) for c in office_channels],
        "retired_channels": Channel.objects.filter(office=office, retired_at__isnull=False).order_by("-retired_at"),
        "stopping": stopping, "stopping_counted": stopping is not None and channels.has_counted(stopping),
        "undated": figures.undated_stories(office),
        "programmes": sorted(((names.get(c, c), n) for c, n in selectors.programme_counts(office, period).items()),
                             key=lambda x: -x[1]),
        "imports": SocialImport.objects.filter(channel__office=office).select_related("channel")[:10],
        "channel_form": channel_form, "import_form": import_form,
        "has_social_channel": any(c.platform not in (Platform.WEBSITE, Platform.WHATSAPP) for c in office_channels),
    }
    status = 400 if (channel_form.errors or import_form.errors) else 200
    return render(request, "humas/office.html", context, status=status)


def _ranking_scope(request: HttpRequest) -> Office | None:
    """The Kanwil asked for (or the person's own), None for national; 403 outside one's scope."""
    allowed = access.ranking_kanwils(request.user)
    code = request.GET.get("kanwil", "")
    if code:
        kanwil = get_object_or_404(Office, code=code, level=Level.KANWIL)
        if allowed is not None and kanwil.pk not in {k.pk for k in allowed}:
            raise _denied()
        return kanwil
    if allowed is None:
        return None
    if not allowed:
        raise _denied()
    return allowed[0]


def _ranking_period(request: HttpRequest, kanwil: Office | None) -> selectors.Period:
    # Without a month asked, the Kanwil's own: at 00:30 WITA on the 1st a Makassar ranking opened on
    # the month before (Jakarta's). The national ranking keeps the ministry's (WIB).
    today = office_today(kanwil) if kanwil is not None else None
    return selectors.parse_period(request.GET.get("bulan"), request.GET.get("tahun"), request.GET.get("periode"),
                                  today=today)


def ranking(request: HttpRequest) -> HttpResponse:
    if (denied := _guard(request)) is not None:
        return denied
    kanwil = _ranking_scope(request)
    try:
        period = _ranking_period(request, kanwil)
    except DomainError as e:
        return _bad_request(request, e)
    rows = selectors.scorecard(period, kanwil=kanwil)
    top = rows[:30]
    chart = [{"name": r.short_name, "score": r.score, "width": round(r.score)} for r in top]
    # The national table shows the leaders (a phone cannot read 553 rows); the exports have all.
    shown = rows if kanwil else rows[:NATIONAL_PAGE_ROWS]
    context = {"rows": shown, "total": len(rows), "period": period, "kanwil": kanwil, "chart": chart,
               "awards": selectors.awards(rows), "national": access.is_national(request.user),
               "kanwils": Office.objects.filter(level=Level.KANWIL) if access.is_national(request.user) else []}
    return render(request, "humas/ranking.html", context)


def ranking_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if (denied := _guard(request)) is not None:
        return denied
    kanwil = _ranking_scope(request)
    try:
        period = _ranking_period(request, kanwil)
    except DomainError as e:
        return _bad_request(request, e)
    rows = selectors.scorecard(period, kanwil=kanwil)
    name = f"humas-peringkat-{kanwil.code if kanwil else 'nasional'}-{period.label}"
    if fmt == "csv":
        response = HttpResponse(exports.ranking_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.ranking_xlsx(rows, period),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    if (denied := _guard(request)) is not None:
        return denied
    from satupintu.humas.report_pdf import yearly_report_pdf

    kanwil = _ranking_scope(request)
    try:
        period = selectors.parse_year(str(year))
    except DomainError as e:
        return _bad_request(request, e)
    # Built while the person waits (a national report reads every office): a few a minute per person.
    if not ratelimit.take(ratelimit.HUMAS_REPORT_PER_USER, request.user.pk):
        response = render(request, "_error_page.html", {
            "status": 429, "title_id": "Terlalu banyak permintaan", "title_en": "Too many requests",
            "text_id": "Tunggu sebentar lalu coba lagi.", "text_en": "Wait a moment, then try again.",
            "exception_message": _(ratelimit.HUMAS_REPORT_PER_USER.message)}, status=429)
        response["Retry-After"] = str(ratelimit.HUMAS_REPORT_PER_USER.window)
        return response
    pdf = yearly_report_pdf(period, kanwil=kanwil)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-humas-{kanwil.code if kanwil else "nasional"}-{year}.pdf"'
    return response


def target_page(request: HttpRequest) -> HttpResponse:
    if (denied := _guard(request)) is not None:
        return denied
    offices = access.target_offices(request.user)
    if not offices:
        raise _denied()
    # A posted form's own year wins over the address it was posted to (the hidden field is what was shown).
    asked = request.POST.get("tahun") if request.method == "POST" else None
    try:
        period = selectors.parse_year(asked or request.GET.get("tahun"))
    except DomainError as e:
        return _bad_request(request, e)
    errors: dict[int, TargetForm] = {}
    if request.method == "POST":
        office = get_object_or_404(Office, code=request.POST.get("kantor", ""))
        if not access.can_set_target(request.user, office):
            raise _denied()
        form = TargetForm(request.POST, auto_id=f"t{office.pk}_%s")
        if form.is_valid():
            d = form.cleaned_data
            try:
                targets.target_set(office=office, year=period.year, stories_per_week=d["stories_per_week"],
                                   social_posts_per_month=d["social_posts_per_month"], no_target=d["no_target"],
                                   user=request.user)
                flash.success(request, _("Target %(office)s disimpan.") % {"office": office.short_name})
                return redirect(f"{request.path}?tahun={period.year}")
            except DomainError as e:
                form.add_domain_error(e)
        errors[office.pk] = form
    current = {t.office_id: t for t in Target.objects.filter(year=period.year, office__in=offices)}
    rows = []
    for o in offices:
        t = current.get(o.pk)
        form = errors.get(o.pk) or TargetForm(initial={
            "stories_per_week": t.stories_per_week if t else "", "no_target": bool(t and t.stories_per_week is None
                                                                                    and t.social_posts_per_month is None),
            "social_posts_per_month": t.social_posts_per_month if t else ""}, auto_id=f"t{o.pk}_%s")
        rows.append((o, t, form))
    return render(request, "humas/targets.html", {"rows": rows, "period": period}, status=400 if errors else 200)
