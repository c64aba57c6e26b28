"""What the applicant is told at each step, and who is told when work runs late."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from satupintu.core import clock
from satupintu.core.reading_language import mail_for
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.organization.models import StaffRole
from satupintu.services.models import Application, Event

SUBJECTS = {
    "submit": gettext_noop("Permohonan %(code)s diterima"),
    "verify": gettext_noop("Permohonan %(code)s telah diverifikasi"),
    "process": gettext_noop("Permohonan %(code)s sedang diproses"),
    "request_completion": gettext_noop("Permohonan %(code)s perlu dilengkapi"),
    "citizen_complete": gettext_noop("Kelengkapan permohonan %(code)s diterima"),
    "complete": gettext_noop("Permohonan %(code)s selesai"),
    "reject": gettext_noop("Permohonan %(code)s ditolak"),
    "withdraw": gettext_noop("Permohonan %(code)s dibatalkan"),
    "forward": gettext_noop("Permohonan %(code)s dialihkan ke kantor lain"),
}


def tracking_url(app: Application) -> str:
    return f"{settings.SITE_URL}/lacak/{app.tracking_code}/"


def _body(app: Application, event: Event) -> str:
    """In the active language (``notify_applicant`` picks the applicant's)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(app.office.timezone)
    lines = [gettext("Yth. %(name)s,") % {"name": app.applicant_name}, ""]
    action = event.action
    p = {"service": app.service.local_name, "office": app.office.name}
    if action == "submit":
        lines.append(gettext("Permohonan layanan %(service)s di %(office)s telah kami terima.") % p)
        if app.due_at:
            lines.append(gettext("Perkiraan selesai: %(when)s %(zone)s.") % {
                "when": app.due_at.astimezone(tz).strftime(clock.strf("%d-%m-%Y %H.%M")), "zone": app.office.timezone_label})
    elif action == "request_completion":
        lines += [gettext("Petugas meminta Anda melengkapi berkas permohonan %(service)s:") % p, "", event.note]
        if asked := (event.data or {}).get("requirements"):
            from satupintu.services.catalog import requirement_names

            names = requirement_names(app.service, app.office)
            lines.append(gettext("Berkas yang perlu dikirim ulang: %(files)s.") % {
                "files": ", ".join(names.get(code, code) for code in asked)})
        lines += ["",
                  gettext("Unggah berkas melalui halaman lacak di bawah. Waktu layanan berhenti sampai Anda "
                          "melengkapinya.")]
    elif action == "complete":
        lines.append(gettext("Permohonan layanan %(service)s telah selesai. Produk layanan dapat diunduh atau "
                             "diambil sesuai keterangan pada halaman lacak.") % p)
        if app.pickup_instructions:
            lines += ["", gettext("Cara pengambilan produk:"), app.pickup_instructions]
        from satupintu.feedback.survey import invitation_url

        lines += ["", gettext("Bantu kami memperbaiki layanan: isi Survei Kepuasan Masyarakat (1 menit) di"),
                  invitation_url(app)]
    elif action == "reject":
        lines += [gettext("Mohon maaf, permohonan layanan %(service)s ditolak dengan alasan:") % p, "", event.note]
    elif action == "withdraw":
        lines.append(gettext("Permohonan layanan %(service)s telah dibatalkan atas permintaan Anda.") % p)
    elif action == "forward":
        lines.append(gettext("Permohonan layanan %(service)s dialihkan ke %(office)s, yang kini menanganinya.") % p)
    else:
        lines.append(gettext("Status permohonan layanan %(service)s kini: %(status)s.") % {
            **p, "status": app.get_status_display()})
        if event.note and event.public:
            lines += ["", event.note]
    lines += ["", gettext("Kode lacak: %(code)s") % {"code": app.tracking_code},
              gettext("Lacak permohonan: %(url)s") % {"url": tracking_url(app)}, "",
              gettext("Pesan ini dikirim otomatis oleh Satu Pintu Kementerian Agama. Jangan membalas email ini.")]
    return "\n".join(lines)


def applicant_mail(app: Application, event: Event, action: str | None = None) -> dict[str, str]:
    """The e-mail for this step, in the language the applicant applied in."""
    with translation.override(app.language or "id"):
        return {"to": app.email, "subject": gettext(SUBJECTS[action or event.action]) % {"code": app.tracking_code},
                "body": _body(app, event)}


def notify_applicant(app: Application, event: Event) -> None:
    """Put the applicant's message for this event in the outbox (inside the event's transaction).

    An applicant who asked for WhatsApp news gets it there (an approved template) instead of by
    e-mail, one message per change; if WhatsApp cannot carry it (no consent any more, no number
    configured) or later fails, the e-mail goes. WhatsApp in Indonesian, the language of the
    templates; the e-mail in the language the applicant applied in; never the officer's."""
    with translation.override("id"):
        _notify_applicant(app, event)


def _notify_applicant(app: Application, event: Event) -> None:
    subject = SUBJECTS.get(event.action)
    if not subject:
        return
    from satupintu.citizen.preferences import channels_for  # the account's choice, when it made one

    mail = applicant_mail(app, event)
    wants_whatsapp, wants_email = channels_for(app)
    if app.whatsapp_updates and event.action == "submit":
        from satupintu.whatsapp import outbound

        outbound.record_opt_in((app.phone or "").lstrip("+"), source=f"application:{app.tracking_code}")
    if wants_whatsapp:
        from satupintu.whatsapp import outbound

        step = _step_text(app, event)
        if outbound.notify_status(app, event_pk=event.pk, text=step, fallback=mail if app.email else None,
                                  asked=True):
            return
        wants_email = True  # WhatsApp cannot carry it: the news still has to reach them
    if not app.email or not wants_email:
        return
    outbox_enqueue(
        channel="email",
        recipient=app.email,
        subject=mail["subject"],
        body=mail["body"],
        dedupe_key=f"event:{event.pk}:email",
        application_id=app.pk,
    )


ASSISTED_SMS_SUBJECT = "Kode lacak permohonan"


def assisted_text(app: Application) -> str:
    """The receipt texted to the citizen's phone: short (one SMS where it can), in Indonesian like
    every message to applicants, with the code they track and later claim with."""
    return (f"Permohonan {app.service.name} Anda di {app.office.name} telah diajukan dibantu petugas. "
            f"Kode lacak: {app.tracking_code}. Lacak: {tracking_url(app)}")


def notify_assisted(app: Application, event: Event) -> None:
    """An application filed at the desk for the citizen: its code goes to the citizen's phone (the
    'assisted_receipt' WhatsApp template when the number opted in, else an SMS), and the usual
    receipt e-mail when an address was given. Inside the submit's transaction, like
    ``notify_applicant``."""
    from satupintu.whatsapp import outbound

    wa_id = (app.phone or "").lstrip("+")
    if app.whatsapp_updates:  # the citizen said yes to WhatsApp news at the desk
        outbound.record_opt_in(wa_id, source=f"application:{app.tracking_code}")
    if not outbound.send_assisted_receipt(app):
        outbox_enqueue(channel="sms", recipient=app.phone, subject=ASSISTED_SMS_SUBJECT, body=assisted_text(app),
                       dedupe_key=f"event:{event.pk}:sms", application_id=app.pk)
    if app.email:
        mail = applicant_mail(app, event, "submit")
        outbox_enqueue(channel="email", recipient=app.email, subject=mail["subject"], body=mail["body"],
                       dedupe_key=f"event:{event.pk}:email", application_id=app.pk)


def _step_text(app: Application, event: Event) -> str:
    """The status change in one line, for the WhatsApp template's third parameter (Meta refuses a
    parameter with a line break, a tab or more than four spaces in a row: error 132018)."""
    text = str(app.get_status_display())
    if event.action == "citizen_complete":  # back to its status: "Diajukan" alone read as a new application
        text = gettext("Kelengkapan berkas diterima; permohonan dilanjutkan (%(status)s)") % {"status": text}
    elif event.action == "request_completion" and event.note:
        text += f": {event.note}"
    elif event.action == "complete" and app.pickup_instructions:
        text += f". {app.pickup_instructions}"
    return re.sub(r"\s+", " ", text).strip()[:900]


def notify_staff(app: Application, *, roles: set[str], kind: str,
                 compose: Callable[[], tuple[str, str]]) -> int:
    """E-mail staff of the application's office and unit who hold one of ``roles``. ``compose``
    gives (subject, body) and is called for each reader in their language (core/reading_language)."""
    staff = (
        StaffRole.objects.select_related("user")
        .filter(office_id=app.office_id, role__in=roles, user__is_active=True)  # not those who left
        .filter(unit_id__in=[app.unit_id])
    )
    sent = 0
    for role in staff:
        if role.user.email:
            subject, body = mail_for(role.user, compose, f"{settings.SITE_URL}/petugas/permohonan/{app.tracking_code}/")
            made = outbox_enqueue(
                channel="email",
                recipient=role.user.email,
                subject=subject,
                body=body,
                dedupe_key=f"{kind}:{app.pk}:{role.user_id}",
                application_id=app.pk,
            )
            sent += made is not None
    return sent

