"""The WhatsApp bot: what a citizen's message gets back. Menus by number and free text both
work, a help word always brings the menu back, and every path ends at a person ("Bicara
dengan petugas"). The bot calls the same domain functions as the web pages: tracking,
catalog search, report_submit, survey_submit (flows.py has the two short conversations).

``respond`` is pure apart from the domain calls: it takes the conversation and one inbound
message and returns the replies; inbound.py stores and sends them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.core.errors import DomainError
from satupintu.core.privacy import mask_free_text
from satupintu.feedback.models import SurveyResponse
from satupintu.services import catalog
from satupintu.services.models import ACTION_LABELS, Application, Status
from satupintu.services.tracking_codes import normalize_tracking_code
from satupintu.whatsapp import flows
from satupintu.whatsapp.models import Conversation, ConversationStatus, OptIn
from satupintu.whatsapp.outbound import record_opt_in
from satupintu.whatsapp.replies import Option, Reply
from satupintu.whatsapp.talk import Inbound, fold, handoff, is_owner, local_time, menu

# A code in any spacing or case: ABCDE-FGH2K, abcde fgh2k, ABCDEFGH2K.
_CODE = re.compile(r"(?<![A-Z0-9])([A-Z0-9]{5})[\s\-_.]?([A-Z0-9]{5})(?![A-Z0-9])")
STOP_WORDS = {"stop", "berhenti", "unsubscribe"}
START_WORDS = {"mulai", "start", "subscribe"}
MENU_WORDS = {"menu", "halo", "hallo", "hai", "hi", "hello", "help", "bantuan", "tolong", "info", "0",
              "assalamualaikum", "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "p", "ping"}
CANCEL_WORDS = {"batal", "cancel", "keluar", "exit"}
HUMAN_WORDS = {"petugas", "bicara dengan petugas", "operator", "cs", "admin", "human", "agent", "officer",
               "talk to officer", "talk to an officer", "staff"}
_EN = {"hello", "hi", "help", "track", "tracking", "requirements", "requirement", "complaint", "officer",
       "agent", "what", "how", "my", "application", "please", "thanks", "thank", "where", "english", "the"}
_ID = {"halo", "hai", "syarat", "pengaduan", "lacak", "petugas", "bantuan", "apa", "bagaimana", "saya", "permohonan",
       "selamat", "terima", "kasih", "tolong", "mohon", "dimana", "gimana", "bisa", "mau", "ingin", "yang", "untuk"}
# Words of a question that are not the service's name ("apa syarat mengurus ...?").
_FILLER = {"syarat", "syaratnya", "persyaratan", "requirement", "requirements", "cara", "caranya", "how", "to", "do",
           "i", "get", "bagaimana", "gimana", "mengurus", "urus", "ngurus", "biaya", "berapa", "lama", "apa", "apakah",
           "saja", "aja", "what", "are", "is", "the", "for", "a", "an", "of", "my", "need", "saya", "mau", "ingin",
           "minta", "info", "informasi", "tentang", "untuk", "dong", "ya", "kak", "min", "pak", "bu", "hello", "halo",
           "hi", "hai", "please", "tolong", "mohon", "layanan", "service", "di", "ke", "dan", "and",
           "assalamualaikum", "wassalamualaikum", "selamat", "pagi", "siang", "sore", "malam", "bisa", "sudah"}
# A question about progress ("kapan selesai?", "sudah sampai mana?"): the answer needs the code.
STATUS_WORDS = {"kapan", "status", "selesai", "jadi", "sampai", "proses", "diproses", "progress", "done", "when",
                "ready"}
MENU_NUMBERS = {"1": "track", "2": "ask", "3": "report", "4": "human"}


def guess_language(text: str, current: str) -> str:
    words = set(fold(text).split())
    en, id_ = len(words & _EN), len(words & _ID)
    if en > id_:
        return "en"
    if id_ > en:
        return "id"
    return current


def respond(conv: Conversation, inbound: Inbound) -> list[Reply]:
    conv.language = guess_language(inbound.text, conv.language) if inbound.text else conv.language
    with translation.override(conv.language):
        return _respond(conv, inbound)


def _respond(conv: Conversation, inbound: Inbound) -> list[Reply]:
    said = fold(inbound.text)
    command = inbound.choice or said
    if said in STOP_WORDS:
        return [opt_out(conv)]
    if said in START_WORDS:
        record_opt_in(conv.wa_id, source="whatsapp", proven=True)  # written from the number itself
        return [Reply(_("Terima kasih. Anda akan menerima kabar layanan lewat WhatsApp. Kirim BERHENTI untuk "
                        "berhenti kapan saja.")), menu()]
    if said in CANCEL_WORDS and conv.state:
        conv.state = {}
        return [Reply(_("Dibatalkan.")), menu()]
    if command in HUMAN_WORDS or command == "human" or (not conv.state and said in MENU_NUMBERS and
                                                        MENU_NUMBERS[said] == "human"):
        conv.state = {}
        return handoff(conv)
    if conv.state.get("flow"):
        return flows.step(conv, inbound)
    if said in MENU_WORDS or command == "menu":
        return [menu(greeting=True)]
    command = MENU_NUMBERS.get(said, command)
    if command == "track":
        return [Reply(_("Ketik kode lacak permohonan atau laporan Anda, contoh: ABCDE-FGH23."))]
    if command == "ask":
        return [Reply(_("Ketik nama layanan yang Anda cari, contoh: syarat legalisir ijazah."))]
    if command == "report":
        return flows.start_report(conv)
    if command.startswith("survey:"):
        return flows.start_survey(conv, command.split(":", 1)[1])
    if inbound.kind in ("image", "document"):
        return [Reply(_("Berkas diterima. Untuk melampirkannya pada pengaduan, pilih Pengaduan di menu; "
                        "untuk petugas, pilih Bicara dengan petugas.")), menu()]
    if inbound.kind == "location":
        return [Reply(_("Lokasi diterima. Untuk pengaduan, pilih Pengaduan di menu lalu kirim lokasi saat "
                        "ditanya kantor.")), menu()]
    if inbound.kind == "unsupported":
        return [Reply(_("Maaf, jenis pesan ini belum dapat kami baca. Kirim teks, foto, dokumen atau lokasi.")),
                menu()]
    code = find_code(inbound.text)
    if code:
        return track(conv, code)
    if set(said.split()) & STATUS_WORDS:  # "kapan ijazah saya selesai?" without a code
        return [Reply(_("Untuk melihat status permohonan atau laporan, ketik kode lacaknya (contoh: ABCDE-FGH23). "
                        "Kode ada di bukti permohonan dan di email atau WhatsApp yang kami kirim.")),
                menu()]
    return ask_catalog(conv, inbound.text)


def find_code(text: str) -> str:
    """The first well-formed tracking code in the text ('' if none)."""
    for a, b in _CODE.findall((text or "").upper()):
        try:
            return normalize_tracking_code(a + b)
        except DomainError:
            continue
    return ""


def track(conv: Conversation, code: str) -> list[Reply]:
    from satupintu.feedback.models import Report

    app = Application.objects.select_related("service", "office").filter(tracking_code=code).first()
    if app is None:
        report = Report.objects.select_related("office").filter(tracking_code=code).first()
        if report is None:
            return [Reply(_("Kode %(code)s tidak ditemukan. Periksa kembali kodenya, atau ketik MENU.") % {"code": code})]
        return [track_report(conv, report)]
    owner = is_owner(app, conv.wa_id)
    last = app.events.filter(public=True).order_by("-at", "-id").first()
    lines = [
        _("Permohonan %(code)s") % {"code": app.tracking_code},
        _("Layanan: %(service)s") % {"service": app.service.local_name},
        _("Kantor: %(office)s") % {"office": app.office.name},
        _("Status: %(status)s") % {"status": Status(app.status).label},
    ]
    if last is not None:
        lines.append(_("Langkah terakhir: %(step)s, %(at)s") % {"step": ACTION_LABELS.get(last.action, last.action),
                                                                  "at": local_time(last.at, app.office)})
    if not app.is_final:
        lines.append(_("Perkiraan selesai: %(due)s") % {"due": local_time(app.due_at, app.office)})
    options: list[Option] = []
    if owner:
        conv.application = app
        conv.office = conv.office or app.office
        if app.status == Status.NEEDS_COMPLETION and app.completion_request:
            lines += ["", _("Yang perlu dilengkapi: %(what)s") % {"what": app.completion_request},
                      _("Unggah di: %(url)s") % {"url": f"{settings.SITE_URL}/lacak/{app.tracking_code}/"}]
        if app.status == Status.COMPLETED and app.pickup_instructions:
            lines += ["", _("Cara pengambilan: %(how)s") % {"how": app.pickup_instructions}]
        if app.status == Status.COMPLETED and not SurveyResponse.objects.filter(application=app).exists():
            options.append(Option(f"survey:{app.tracking_code}", _("Isi survei")))
    else:
        lines += ["", _("Rincian lain hanya dikirim ke nomor yang tercatat pada permohonan.")]
    lines.append(_("Lacak: %(url)s") % {"url": f"{settings.SITE_URL}/lacak/{app.tracking_code}/"})
    options += [Option("menu", _("Menu")), Option("human", _("Bicara dg petugas"))]
    return [Reply("\n".join(lines), options=tuple(options))]


def track_report(conv: Conversation, report: object) -> Reply:
    from satupintu.feedback.models import Report

    assert isinstance(report, Report)
    lines = [
        _("Laporan %(code)s") % {"code": report.tracking_code},
        _("Kantor: %(office)s") % {"office": report.office.name},
        _("Status: %(status)s") % {"status": report.get_status_display()},
    ]
    last = report.events.filter(public=True).order_by("-at", "-id").first()
    if last is not None and last.note:
        # Masked as on the public tracking page: anyone who knows the code may send it from any number.
        lines.append(_("Tanggapan terakhir: %(note)s") % {"note": mask_free_text(last.note_shown)[:500]})
    lines.append(_("Lacak: %(url)s") % {"url": f"{settings.SITE_URL}/pengaduan/{report.tracking_code}/"})
    return Reply("\n".join(lines), options=(Option("menu", _("Menu")), Option("human", _("Bicara dg petugas"))))


def ask_catalog(conv: Conversation, text: str) -> list[Reply]:
    query = " ".join(w for w in fold(text).split() if w not in _FILLER)
    found = catalog.service_search(q=query)[:3] if query.strip() else []
    if not found:
        return [Reply(_("Maaf, kami belum memahami pesan Anda. Ketik nama layanan (contoh: legalisir ijazah), "
                        "kode lacak, atau pilih dari menu.")), menu()]
    replies = []
    for service in found:
        requirements = [r.local_name for r in service.requirements.filter(office__isnull=True)]
        fee = _("gratis") if not service.fee else f"Rp{service.fee:,}".replace(",", ".")
        lines = [f"*{service.local_name}*",
                 ngettext("Waktu: %(days)d hari kerja. Biaya: %(fee)s.", "Waktu: %(days)d hari kerja. Biaya: %(fee)s.",
                          service.working_days) % {"days": service.working_days, "fee": fee}]
        if requirements:
            lines += [_("Persyaratan:")] + [f"- {name}" for name in requirements]
        if conv.office is not None:
            lines.append(_("Kantor: %(office)s") % {"office": conv.office.name})
        lines.append(_("Ajukan: %(url)s") % {"url": f"{settings.SITE_URL}/layanan/{service.slug}/"})
        replies.append(Reply("\n".join(lines)))
    replies.append(Reply(_("Ada lagi yang bisa kami bantu?"),
                         options=(Option("menu", _("Menu")), Option("human", _("Bicara dg petugas")))))
    return replies


def opt_out(conv: Conversation) -> Reply:
    OptIn.objects.update_or_create(wa_id=conv.wa_id, defaults={"opted_in": False, "source": "whatsapp"})
    conv.state = {}
    return Reply(_("Anda tidak akan lagi menerima kabar dari kami lewat WhatsApp. Kirim MULAI untuk "
                   "berlangganan lagi."))




def while_with_person(conv: Conversation, inbound: Inbound) -> list[Reply]:
    """A person has the conversation: the bot keeps quiet (the message waits in the inbox),
    except for STOP, and BATAL/MENU which hand the citizen back to the bot: out of the queue, so
    the menu they are shown answers them (it stayed silent while they waited)."""
    said = fold(inbound.text)
    with translation.override(conv.language):
        if said in STOP_WORDS:
            return [opt_out(conv)]
        if said in MENU_WORDS or said in CANCEL_WORDS:
            conv.status, conv.waiting_since, conv.state = ConversationStatus.BOT, None, {}
            return [Reply(_("Anda kembali ke layanan otomatis. Petugas tetap dapat membaca pesan Anda; pilih "
                            "\"Bicara dg petugas\" untuk mengantre lagi.")), menu()]
    return []


def media_refused(conv: Conversation, *, locked: bool = False, too_many: bool = False) -> Reply:
    with translation.override(conv.language):
        if too_many:  # past WHATSAPP_MEDIA_PER_NUMBER_DAY: not fetched at all
            return Reply(_("Maaf, hari ini sudah terlalu banyak berkas dari nomor Anda, jadi berkas ini tidak kami "
                           "terima. Kirim lagi besok, atau ketik pesan untuk petugas."))
        if locked:  # a PDF that asks for a password: sending it again as it is would not help
            return Reply(_("Maaf, PDF itu dikunci dengan kata sandi sehingga petugas tidak dapat membukanya. "
                           "Kirim PDF yang tanpa kata sandi, atau fotonya."))
        return Reply(_("Maaf, berkas itu tidak dapat kami terima (hanya JPG, PNG atau PDF, paling besar %(mb)d MB). "
                       "Coba kirim lagi.") % {"mb": settings.WHATSAPP_MEDIA_MAX_BYTES // (1024 * 1024)})


def fault(conv: Conversation) -> list[Reply]:
    with translation.override(conv.language):
        return [Reply(_("Maaf, terjadi gangguan pada layanan otomatis.")), *handoff(conv)]
