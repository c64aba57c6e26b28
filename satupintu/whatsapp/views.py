"""Officers' WhatsApp inbox (/petugas/wa/): the office's conversations, newest waiting first,
one conversation with its case, and response times for heads."""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError
from satupintu.core.forms import RevealReasonForm
from satupintu.core.privacy import mask_free_text, mask_phone, record_access, typed_texts_for
from satupintu.organization.access import settings_offices, staff_required
from satupintu.organization.working_calendar import CalendarCache
from satupintu.whatsapp import access, conversations, office_setup, outbound, selectors
from satupintu.whatsapp.forms import (
    AssignForm,
    CannedAnswerForm,
    CloseForm,
    DeleteAnswerForm,
    FileForm,
    InboxFilter,
    LinkForm,
    NumberForm,
    ReplyForm,
    ReportFromChatForm,
)
from satupintu.whatsapp.models import CannedAnswer, Conversation, ConversationStatus, Message, Number

TIMELINE_LATEST = 40  # the newest messages; the rest one click away


def _scoped(request: HttpRequest) -> QuerySet[Conversation]:
    if not access.works_on_whatsapp(request.user):
        raise PermissionDenied(_("WhatsApp kantor bukan bagian tugas Anda."))
    qs = Conversation.objects.select_related("office", "assignee", "number").exclude(sealed=True)
    scope = access.conversation_scope(request.user)
    return qs if scope is None else qs.filter(scope)


def inbox(request: HttpRequest) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    qs = _scoped(request)
    form = InboxFilter(request.GET or None)
    status = form.cleaned_data.get("status") or "open" if form.is_valid() else "open"
    if status == "open":
        qs = qs.exclude(status=ConversationStatus.CLOSED)
    elif status == "mine":
        qs = qs.filter(assignee_id=request.user.pk).exclude(status=ConversationStatus.CLOSED)
    elif status != "all":
        qs = qs.filter(status=status)
    # Waiting for a person first, newest first; then the rest by their last message.
    qs = qs.annotate(waiting=Case(When(status=ConversationStatus.WAITING, then=Value(0)), default=Value(1),
                                  output_field=IntegerField())).order_by("waiting", "-last_inbound_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    calendars, now = CalendarCache(), timezone.now()
    rows = []
    newest = selectors.last_messages(list(page))
    for c in page:
        waited = selectors.waited(c, calendars, now)
        last = newest.get(c.pk)
        rows.append({"conv": c, "phone": mask_phone(f"+{c.wa_id}"), "waited": waited,
                     "waited_phrase": selectors.duration_phrase(waited) if waited is not None else "",
                     # A list is masked: a NIK or a number the citizen typed shows on the conversation's page.
                     "last": last, "last_text": mask_free_text(last.text) if last else ""})
    summary = selectors.summary(_scoped(request))
    return render(request, "whatsapp/inbox.html", {"rows": rows, "page": page, "form": form, "status": status,
                                                   "summary": summary,
                                                   "may_read_stats": selectors.may_read_stats(request.user),
                                                   "may_configure": bool(settings_offices(request.user))})


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(_scoped(request).select_related("application", "report", "first_responder"), pk=pk)


def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    conv = _conversation(request, pk)
    return _page(request, conv)


def _page(request: HttpRequest, conv: Conversation, *, forms: dict[str, Any] | None = None, reveal: bool = False,
          status: int = 200) -> HttpResponse:
    forms = forms or {}
    answers = list(CannedAnswer.objects.filter(office=conv.office)) if conv.office else []
    messages = conv.messages.select_related("sender").order_by("-created_at", "-id")
    everything = request.GET.get("semua") == "1"
    shown = list(messages if everything else messages[:TIMELINE_LATEST])[::-1]
    answers_it = access.may_answer(request.user, conv)
    # A NIK or a number the citizen typed: whole for those who answer (on record), masked for readers.
    texts = typed_texts_for(request, [m.text for m in shown], whole=answers_it, subject_type="whatsapp",
                            subject_ref=str(conv.pk), what="isi percakapan WhatsApp")
    for m, text in zip(shown, texts, strict=True):
        m.shown_text = text  # type: ignore[attr-defined]
    context = {
        "conv": conv, "timeline": shown, "earlier": not everything and messages.count() > TIMELINE_LATEST,
        "phone": f"+{conv.wa_id}" if reveal else mask_phone(f"+{conv.wa_id}"), "revealed": reveal,
        "may_answer": answers_it, "window_open": outbound.window_open(conv),
        "opted_in": outbound.is_opted_in(conv.wa_id),
        "reply_form": forms.get("reply") or ReplyForm(answers=answers),
        "file_form": forms.get("file") or FileForm(),
        "assign_form": forms.get("assign") or AssignForm(conversation=conv, initial={"assignee": conv.assignee_id,
                                                                                      "seen": conv.assignee_id}),
        "link_form": forms.get("link") or LinkForm(),
        "report_form": forms.get("report") or ReportFromChatForm(),
        "reveal_form": forms.get("reveal") or RevealReasonForm(), "reveal_url": f"/petugas/wa/{conv.pk}/aksi/",
    }
    context["all_forms"] = [context[k] for k in ("reveal_form", "reply_form", "file_form", "assign_form", "link_form",
                                                 "report_form")]
    return render(request, "whatsapp/conversation.html", context, status=status)


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    conv = _conversation(request, pk)
    action = request.POST.get("action", "")
    if action == "reveal":
        if not access.may_answer(request.user, conv):  # the page offers it only to those who answer
            raise PermissionDenied(_("Nomor warga hanya dibuka oleh petugas yang menjawab percakapan ini."))
        reveal_form = RevealReasonForm(request.POST)
        if reveal_form.record(request, subject_type="whatsapp", subject_ref=str(conv.pk), what="nomor WhatsApp warga"):
            return _page(request, conv, reveal=True)
        return _page(request, conv, forms={"reveal": reveal_form}, status=400)
    form, key, done = _form_for(action, request, conv)
    if form is None:
        return _page(request, conv, status=400)
    if not form.is_valid():
        return _page(request, conv, forms={key: form}, status=400)
    try:
        done(form.cleaned_data)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        form.add_domain_error(exc)
        conv.refresh_from_db()  # a colleague may have closed or taken it meanwhile: the page shows it as it is
        if key == "assign":  # and sending the form again means "over what the page shows now"
            form.data = form.data.copy()
            form.data["seen"] = str(conv.assignee_id or "")
        return _page(request, conv, forms={key: form}, status=exc.status)
    flash.success(request, str(DONE.get(action, _("Tersimpan."))))
    # A message sent: back at the conversation's end, just under it (the page opened at its top).
    return redirect(f"/petugas/wa/{conv.pk}/" + ("#reply-title" if key in ("reply", "file") else ""))


# What happened, said after the action ("Tersimpan." after a reply said nothing of it).
DONE = {
    "reply": gettext_lazy("Balasan dikirim."),
    "template": gettext_lazy("Templat dikirim."),
    "file": gettext_lazy("Berkas dikirim."),
    "assign": gettext_lazy("Percakapan ditugaskan."),
    "link": gettext_lazy("Percakapan ditautkan ke permohonan."),
    "report": gettext_lazy("Laporan dibuat dari percakapan ini."),
    "close": gettext_lazy("Percakapan ditutup."),
}


def _form_for(action: str, request: HttpRequest, conv: Conversation) -> tuple[Any, str, Any]:
    user = request.user
    answers = list(CannedAnswer.objects.filter(office=conv.office)) if conv.office else []
    if action == "reply":
        return (ReplyForm(request.POST, answers=answers), "reply",
                lambda d: conversations.reply(conv, user=user, text=d.get("text") or d.get("answer") or ""))
    if action == "template":
        return ReplyForm(request.POST, answers=answers), "reply", lambda d: conversations.reply(
            conv, user=user, template=True)
    if action == "file":
        return FileForm(request.POST, request.FILES), "file", lambda d: conversations.reply(
            conv, user=user, upload=d.get("file"))
    if action == "assign":
        assign_form = AssignForm(request.POST, conversation=conv)
        return assign_form, "assign", lambda d: conversations.assign(
            conv, user=user, assignee=d.get("assignee"), seen_assignee_id=assign_form.seen_assignee(conv.assignee_id))
    if action == "link":
        return LinkForm(request.POST), "link", lambda d: conversations.link(conv, user=user, code=d.get("code") or "")
    if action == "report":
        return ReportFromChatForm(request.POST), "report", lambda d: conversations.file_report(
            conv, user=user, kind=d.get("kind") or "", category=d.get("category") or "", title=d.get("title") or "")
    if action == "close":
        return CloseForm(request.POST), "close", lambda d: conversations.close(conv, user=user)
    return None, "", None


def media(request: HttpRequest, pk: int, message_id: int) -> HttpResponse | FileResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    conv = _conversation(request, pk)
    message = Message.objects.filter(pk=message_id, conversation=conv).exclude(media="").first()
    if message is None:
        raise Http404(_("Berkas tidak ditemukan"))
    record_access(request, subject_type="whatsapp", subject_ref=str(conv.pk), what=f"berkas pesan {message.pk}")
    return FileResponse(message.media.open("rb"), filename=message.media.name.rsplit("/", 1)[-1],
                        content_type=message.media_type or "application/octet-stream")


def stats(request: HttpRequest) -> HttpResponse:
    if (denied := staff_required(request)) is not None:
        return denied
    if not selectors.may_read_stats(request.user):
        raise PermissionDenied(_("Kinerja WhatsApp dibaca kepala kantor."))
    qs = _scoped(request)
    return render(request, "whatsapp/stats.html", {"by_office": selectors.response_times(qs, "office"),
                                                   "by_officer": selectors.response_times(qs, "officer"),
                                                   "target_minutes": selectors.TARGET_SECONDS // 60})




def office_settings(request: HttpRequest) -> HttpResponse:
    """The office's own WhatsApp number and its canned answers (head or administrator)."""
    if (denied := staff_required(request)) is not None:
        return denied
    offices = settings_offices(request.user)
    if not offices:
        raise PermissionDenied(_("Pengaturan WhatsApp kantor diubah kepala kantor dan administrator."))
    office = next((o for o in offices if o.code == request.GET.get("office")), offices[0])
    number = Number.objects.filter(office=office).first()
    forms: dict[str, Any] = {
        "number": NumberForm(initial={"phone_number_id": number.phone_number_id if number else "",
                                      "display_phone": number.display_phone if number else ""}),
        "answer": CannedAnswerForm(),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")  # which of the page's forms was sent
        form: Any = {"number": NumberForm, "answer": CannedAnswerForm, "delete": DeleteAnswerForm}.get(
            action, DeleteAnswerForm)(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "number":
                    office_setup.number_set(office, phone_number_id=data["phone_number_id"] or "",
                                            display_phone=data["display_phone"] or "")
                elif action == "answer":
                    office_setup.answer_add(office, title=data["title"] or "", text=data["text"] or "")
                else:
                    office_setup.answer_delete(office, data["answer"])
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                flash.success(request, _("Tersimpan."))
                return redirect(f"/petugas/wa/pengaturan/?office={office.code}")
        forms[action if action in forms else "answer"] = form
        status = 400
    return render(request, "whatsapp/office_settings.html", {
        "office": office, "offices": offices, "forms": forms, "number": number,
        "answers": CannedAnswer.objects.filter(office=office),
        "webhook_url": f"{django_settings.SITE_URL}/webhooks/whatsapp",
    }, status=status)
