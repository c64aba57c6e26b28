"""The outbox in the admin: enough to follow delivery, never enough to link a person to a
report or to act as them. Recipients are masked; messages to public reporters (who may be
anonymous) show no address, subject or body at all, since the subject and the tracking link
name the report; sign-in and claim codes, reset and activation links show no body."""

import re

from django.contrib import admin

from satupintu.core.privacy import mask_emails, mask_phone
from satupintu.notifications.models import OutboxMessage
from satupintu.notifications.outbox import carries_credential, is_for_reporter

HIDDEN = "(dirahasiakan: pesan untuk pelapor)"
# Whoever may read the outbox must not be able to sign in as a citizen or claim their records.
HIDDEN_CREDENTIAL = "(dirahasiakan: berisi kode atau tautan masuk)"
_PHONE = re.compile(r"\+?\d[\d ()-]{7,}\d")


def _mask(text: str) -> str:
    """Every e-mail address and phone number in ``text`` masked (SMTP errors quote the recipient)."""
    text = mask_emails(text)
    return _PHONE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), text)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "masked_recipient", "shown_subject", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    # Not the recipient: searching an address would tell which messages (and reports) it received.
    search_fields = ["subject", "dedupe_key"]
    readonly_fields = ["created_at", "channel", "masked_recipient", "shown_subject", "shown_body", "status",
                       "attempts", "next_attempt_at", "claimed_until", "masked_error", "sent_at", "application",
                       "attachment_name", "attachment_type"]
    fields = list(readonly_fields)  # only these: the raw recipient, subject and body are never rendered

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description="penerima")
    def masked_recipient(self, obj: OutboxMessage) -> str:
        if is_for_reporter(obj):
            return HIDDEN
        return _mask(obj.recipient) if "@" in obj.recipient else mask_phone(obj.recipient)

    @admin.display(description="subjek")
    def shown_subject(self, obj: OutboxMessage) -> str:
        return HIDDEN if is_for_reporter(obj) else obj.subject

    @admin.display(description="isi")
    def shown_body(self, obj: OutboxMessage) -> str:
        if is_for_reporter(obj):
            return HIDDEN
        return HIDDEN_CREDENTIAL if carries_credential(obj) else _mask(obj.body)

    @admin.display(description="galat terakhir")
    def masked_error(self, obj: OutboxMessage) -> str:
        return _mask(obj.last_error)
