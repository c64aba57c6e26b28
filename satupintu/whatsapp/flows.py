"""The bot's two short conversations, one step per message, kept in ``Conversation.state``:
filing a report (kind, category, office, text, photos, anonymity) and the satisfaction survey
(the nine SKM elements, one list each). Both end in the same domain function as the web form
(``reports.report_submit``, ``survey.survey_submit``) with its rules: anonymity, integrity
routing, limits, duplicates, one survey per application. "batal" leaves a flow at any step.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from satupintu.core.errors import DomainError
from satupintu.core.texts import clipped
from satupintu.feedback import reports, survey
from satupintu.feedback.elements import ELEMENTS
from satupintu.feedback.models import Channel, ReportCategory, ReportKind
from satupintu.organization.finder import AmbiguousPlace, office_at, office_by_name
from satupintu.organization.models import Office
from satupintu.services.models import Application
from satupintu.whatsapp import talk
from satupintu.whatsapp.models import Conversation, ConversationStatus, Message
from satupintu.whatsapp.replies import Option, Reply
from satupintu.whatsapp.talk import Inbound

MAX_PHOTOS = reports.MAX_ATTACHMENTS


def step(conv: Conversation, inbound: Inbound) -> list[Reply]:
    flow = conv.state.get("flow")
    if flow == "report":
        return _report_step(conv, inbound)
    if flow == "survey":
        return _survey_step(conv, inbound)
    if flow == "handoff":
        return _handoff_office(conv, inbound)
    conv.state = {}
    return [talk.menu()]


def _office_from(inbound: Inbound) -> Office:
    """The office a citizen names by typing a place, by picking one of the places a name fits, or
    by sharing a location; for a merged office, the one that does its work now (nobody reads a
    merged office's inbox)."""
    if inbound.choice.startswith("office:"):
        picked = Office.objects.filter(code=inbound.choice.removeprefix("office:"), level__in=talk.office_levels()).first()
        if picked is not None:
            return picked.successor()
    if inbound.latitude is not None and inbound.longitude is not None:
        return office_at(inbound.latitude, inbound.longitude).successor()
    return office_by_name(inbound.text, levels=talk.office_levels()).successor()


def _not_found(exc: DomainError) -> list[Reply]:
    """What the citizen is told when the place did not give one office: the places a name fits, to
    pick from ("luwu": Luwu, Luwu Utara, Luwu Timur), or what was wrong."""
    if isinstance(exc, AmbiguousPlace):
        return [Reply(_("Ada beberapa tempat dengan nama itu. Pilih kantornya, atau ketik lebih lengkap:"),
                      button=_("Pilih kantor"),
                      options=tuple(Option(f"office:{o.code}", o.region_name)
                                    for o in exc.candidates[:10]))]
    return [Reply(exc.message)]


def _handoff_office(conv: Conversation, inbound: Inbound) -> list[Reply]:
    try:
        conv.office = _office_from(inbound)
    except DomainError as exc:
        return _not_found(exc)
    conv.state = {}
    return talk.handoff(conv)


# --- the report -----------------------------------------------------------------------------

def start_report(conv: Conversation) -> list[Reply]:
    conv.state = {"flow": "report", "step": "kind"}
    return [Reply(_("Apa yang ingin Anda sampaikan? (ketik BATAL untuk berhenti)"),
                  options=tuple(Option(f"kind:{value}", str(label)) for value, label in ReportKind.choices))]


def _ask_category() -> Reply:
    return Reply(_("Pilih kategori:"), button=_("Kategori"),
                 options=tuple(Option(f"cat:{value}", str(label))
                               for value, label in ReportCategory.choices))


def _ask_office() -> Reply:
    return Reply(_("Kantor mana yang Anda maksud? Ketik nama kabupaten/kota, atau kirim lokasi Anda "
                   "(Lampirkan > Lokasi)."))


def _ask_text() -> Reply:
    return Reply(_("Tuliskan laporan Anda: apa, kapan dan di mana (minimal 20 karakter)."))


def _ask_photos() -> Reply:
    return Reply(_("Kirim foto atau dokumen pendukung (paling banyak %(n)d), lalu pilih Selesai. Tidak ada? "
                   "Pilih Lewati.") % {"n": MAX_PHOTOS},
                 options=(Option("photos:done", pgettext("whatsapp photos", "Selesai")), Option("photos:skip", _("Lewati"))))


def _ask_identity() -> Reply:
    return Reply(_("Rahasiakan identitas Anda? Petugas tidak akan melihat nama dan nomor Anda."),
                 options=(Option("anon:yes", _("Rahasiakan")), Option("anon:no", _("Tampilkan nama"))))


def _ask_name(conv: Conversation) -> Reply:
    profile = (conv.profile_name or "").strip()
    if not profile:
        return Reply(_("Tulis nama lengkap Anda untuk laporan ini."))
    return Reply(_("Tulis nama lengkap Anda untuk laporan ini, atau pakai nama WhatsApp Anda (%(name)s).")
                 % {"name": profile[:60]}, options=(Option("name:profile", _("Pakai nama WhatsApp")),))


def _ask_confirm(conv: Conversation) -> Reply:
    """The report read back before it is filed: what, where, the start of the text, the files, who."""
    state = conv.state
    office = Office.objects.filter(code=str(state.get("office", ""))).first()
    text = str(state.get("text", ""))
    who = (_("dirahasiakan") if state.get("anonymous") else str(state.get("name", "")))
    summary = _("Periksa laporan Anda sebelum dikirim:\n%(kind)s · %(category)s\nKantor: %(office)s\nIsi: %(text)s\n"
                "Berkas: %(files)d · Identitas: %(who)s") % {
        "kind": ReportKind(state.get("kind")).label, "category": ReportCategory(state.get("category")).label,
        "office": office.name if office else "-", "text": clipped(text, 300), "files": len(state.get("photos", [])),
        "who": who}
    return Reply(summary, options=(Option("confirm:send", _("Kirim laporan")), Option("confirm:edit", _("Ubah isi")),
                                   Option("batal", _("Batal"))))


def _report_step(conv: Conversation, inbound: Inbound) -> list[Reply]:
    state = conv.state
    choice = inbound.choice
    text = inbound.text.strip()
    at = state.get("step")
    if at == "kind":
        value = choice.removeprefix("kind:") if choice.startswith("kind:") else _match(text, ReportKind.choices)
        if not value:
            return [Reply(_("Pilih salah satu jenis laporan.")), *start_report(conv)]
        state.update(kind=value, step="category")
        return [_ask_category()]
    if at == "category":
        value = choice.removeprefix("cat:") if choice.startswith("cat:") else _match(text, ReportCategory.choices)
        if not value:
            return [Reply(_("Pilih salah satu kategori.")), _ask_category()]
        state["category"] = value
        if conv.number.office is not None:  # an office's own number: the report is for that office
            state.update(office=conv.number.office.code, step="text")
            return [_ask_text()]
        state["step"] = "office"
        return [_ask_office()]
    if at == "office":
        try:
            office = _office_from(inbound)
        except DomainError as exc:
            return _not_found(exc)
        state.update(office=office.code, step="text")  # the conversation goes to it once the report is sent
        return [Reply(_("Kantor: %(office)s.") % {"office": office.name}), _ask_text()]
    if at == "text":
        if inbound.kind != "text" or len(text) < 20:
            return [Reply(_("Laporan terlalu pendek: minimal 20 karakter.")), _ask_text()]
        if state.pop("editing", False):  # changed from the summary: back to it, files and identity kept
            state.update(text=text[:5000], step="confirm")
            return [_ask_confirm(conv)]
        state.update(text=text[:5000], step="photos", photos=[])
        return [_ask_photos()]
    if at == "photos":
        media = list(inbound.media_message_ids)
        if media:
            photos = state.setdefault("photos", [])
            room = MAX_PHOTOS - len(photos)
            photos += media[:max(room, 0)]
            if room <= len(media):
                state["step"] = "identity"
                return [Reply(_received(len(photos))), _ask_identity()]
            return [Reply(_received(len(photos))), _ask_photos()]
        if choice in ("photos:done", "photos:skip") or talk.fold(text) in ("selesai", "lewati", "done", "skip"):
            state["step"] = "identity"
            return [_ask_identity()]
        return [_ask_photos()]
    if at == "identity":
        if choice not in ("anon:yes", "anon:no"):
            return [_ask_identity()]
        if choice == "anon:yes":
            state.update(anonymous=True, name="", step="confirm")
            return [_ask_confirm(conv)]
        state["step"] = "name"  # named: the name the office reads, not only the WhatsApp profile's nickname
        return [_ask_name(conv)]
    if at == "name":
        profile = (conv.profile_name or "").strip()
        name = profile if choice == "name:profile" and profile else (text.strip() if inbound.kind == "text" else "")
        if not 2 <= len(name) <= 100:
            return [Reply(_("Tulis nama Anda: 2 sampai 100 huruf.")), _ask_name(conv)]
        state.update(anonymous=False, name=name, step="confirm")
        return [_ask_confirm(conv)]
    if at == "confirm":  # nothing is filed before the citizen has read it back and said so
        folded = talk.fold(text)
        if choice == "confirm:send" or folded in ("kirim", "ya", "send", "yes"):
            return _submit_report(conv, anonymous=bool(state.get("anonymous")), name=str(state.get("name", "")))
        if choice == "confirm:edit" or folded in ("ubah", "edit"):
            state.update(step="text", editing=True)
            return [Reply(_("Tulis ulang isi laporan Anda; berkas dan identitas tetap.")), _ask_text()]
        return [_ask_confirm(conv)]
    conv.state = {}
    return [talk.menu()]


def _received(n: int) -> str:
    return ngettext("%(n)d berkas diterima.", "%(n)d berkas diterima.", n) % {"n": n}


def _match(text: str, choices: list[tuple[str, Any]]) -> str:
    """A choice typed by its number or its name."""
    folded = text.strip().lower()
    for i, (value, label) in enumerate(choices, start=1):
        if folded in (str(i), value, str(label).lower()):
            return value
    return ""


def _files(ids: list[int]) -> list[UploadedFile]:
    files: list[UploadedFile] = []
    for message in Message.objects.filter(pk__in=ids).exclude(media=""):
        with message.media.open("rb") as handle:
            name = message.media.name.rsplit("/", 1)[-1]
            files.append(SimpleUploadedFile(name, handle.read(), content_type=message.media_type))
    return files


def _submit_report(conv: Conversation, *, anonymous: bool, name: str = "") -> list[Reply]:
    state = conv.state
    text = str(state.get("text", ""))
    submission = reports.ReportSubmission(
        kind=str(state.get("kind")), category=str(state.get("category")), office=str(state.get("office")),
        title=(text.split("\n", 1)[0][:80] or _("Laporan WhatsApp")), text=text,
        name="" if anonymous else (name or conv.profile_name or _("Pelapor WhatsApp")), phone=f"+{conv.wa_id}",
        anonymous=anonymous, files=_files(list(state.get("photos", []))),
        ip=f"whatsapp:{conv.wa_id}",  # the per-client limit counts per WhatsApp number
    )
    try:
        report = reports.report_submit(submission)
    except DomainError as exc:
        field = (exc.errors[0].field if hasattr(exc, "errors") and exc.errors else exc.field) or ""
        back = {"text": ("text", _ask_text()), "title": ("text", _ask_text()), "office": ("office", _ask_office()),
                "files": ("photos", _ask_photos())}.get(field)
        if back is None:  # limits, duplicates: the conversation ends with the reason
            conv.state = {}
            return [Reply(exc.message), talk.menu()]
        state["step"] = back[0]
        if back[0] == "photos":
            state["photos"] = []
        return [Reply(exc.message), back[1]]
    conv.state = {}
    if not (report.anonymous or report.integrity):
        conv.report = report
        conv.office = report.office
    else:
        # An anonymous or integrity report (a levy, a bribe) is not tied to the conversation, and the
        # conversation ends with it: the office it names would otherwise read the chat, now or once the
        # citizen writes about an application later, and reveal the number, which the bot promised not.
        # That holds on an office's own number too (the office is then the one reported on): the
        # conversation leaves the office for Pusat's view, closed, and the next message opens a new one.
        conv.office, conv.sealed = None, True
        conv.status, conv.closed_at = ConversationStatus.CLOSED, timezone.now()
    return [Reply(_("Laporan terkirim ke %(office)s. Kode lacak: %(code)s. Simpan kode ini; kirimkan kapan saja "
                    "untuk melihat tindak lanjutnya.") % {"office": report.office.name, "code": report.tracking_code},
                  options=(Option("menu", _("Menu")), Option("human", _("Bicara dg petugas"))))]


# --- the survey -----------------------------------------------------------------------------

def start_survey(conv: Conversation, code: str) -> list[Reply]:
    app = Application.objects.select_related("office", "service").filter(tracking_code=code).first()
    if app is None or not talk.is_owner(app, conv.wa_id):
        return [Reply(_("Survei hanya dapat diisi dari nomor yang tercatat pada permohonan.")), talk.menu()]
    conv.state = {"flow": "survey", "app": app.tracking_code, "answers": {}}
    conv.application = app
    return [Reply(_("Survei Kepuasan Masyarakat untuk permohonan %(code)s: 9 pertanyaan, pilih satu jawaban "
                    "untuk setiap pertanyaan.") % {"code": app.tracking_code}), _ask_element(0)]


def _ask_element(index: int) -> Reply:
    element = ELEMENTS[index]
    return Reply(f"{index + 1}/9. {_(element.question)}", button=_("Jawab"),
                 options=tuple(Option(f"sv:{value}", _(label)[:24]) for value, label in
                               enumerate(element.answers, start=1)))


def _survey_step(conv: Conversation, inbound: Inbound) -> list[Reply]:
    answers: dict[str, int] = conv.state.setdefault("answers", {})
    index = len(answers)
    choice = inbound.choice
    text = inbound.text.strip()
    value = choice.removeprefix("sv:") if choice.startswith("sv:") else text
    if value not in ("1", "2", "3", "4"):
        return [Reply(_("Pilih salah satu jawaban (1-4).")), _ask_element(index)]
    answers[ELEMENTS[index].code] = int(value)
    if len(answers) < len(ELEMENTS):
        return [_ask_element(len(answers))]
    app = Application.objects.select_related("office", "service").get(tracking_code=conv.state["app"])
    conv.state = {}
    try:
        survey.survey_submit(office=app.office, channel=Channel.ONLINE, answers=answers, application=app)
    except DomainError as exc:
        return [Reply(exc.message)]
    return [Reply(_("Terima kasih! Jawaban Anda membantu kami memperbaiki layanan."),
                  options=(Option("menu", _("Menu")),))]
