"""WhatsApp Layanan: numbers, the raw webhook events, conversations and their messages, opt-ins.

A webhook event is stored before anything is done with it (Meta retries, Redis may be down:
the row is the durable copy; the sweep handles what the broker never carried). A message id
(``wamid``) is unique, so an event seen twice makes one message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Number(models.Model):
    """A WhatsApp Business phone number of ours. Without an office it is the national line."""

    phone_number_id = models.CharField(_("Phone number ID (Meta)"), max_length=40, unique=True)
    display_phone = models.CharField(_("nomor tampilan"), max_length=30, blank=True)
    office = models.OneToOneField("organization.Office", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="whatsapp_number")

    class Meta:
        verbose_name = _("nomor WhatsApp")
        verbose_name_plural = _("nomor WhatsApp")

    def __str__(self) -> str:
        return self.display_phone or self.phone_number_id


class WebhookEvent(models.Model):
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    body = models.BinaryField()
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["received_at", "id"]


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("Dilayani otomatis")
    WAITING = "waiting", _("Menunggu petugas")
    ASSIGNED = "assigned", _("Ditangani petugas")
    CLOSED = "closed", _("Selesai")


class Conversation(models.Model):
    number = models.ForeignKey(Number, on_delete=models.PROTECT, related_name="conversations")
    wa_id = models.CharField(max_length=20, db_index=True)  # the citizen's number, digits only
    profile_name = models.CharField(max_length=100, blank=True)
    office = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="whatsapp_conversations")
    status = models.CharField(max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.BOT,
                              db_index=True)
    language = models.CharField(max_length=5, default="id")
    # where the bot is in a short conversation (complaint, survey): {"flow": ..., ...}
    state = models.JSONField(default=dict, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="whatsapp_conversations")
    application = models.ForeignKey("services.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="whatsapp_conversations")
    report = models.ForeignKey("feedback.Report", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="whatsapp_conversations")
    started_at = models.DateTimeField(auto_now_add=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True, db_index=True)  # handed to a person
    first_response_at = models.DateTimeField(null=True, blank=True)
    # office time (seconds) from handover to the first human reply, on the office's calendar
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # An anonymous or integrity report was sent from it: the bot promised that no officer would see
    # the name and number, so no one reads the conversation in the inbox (whatsapp/access.py).
    sealed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_inbound_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "wa_id"], condition=~models.Q(status="closed"),
                                    name="whatsapp_one_open_conversation"),
        ]
        indexes = [models.Index(fields=["office", "status", "waiting_since"])]
        verbose_name = _("percakapan WhatsApp")
        verbose_name_plural = _("percakapan WhatsApp")

    def __str__(self) -> str:
        return f"WA #{self.pk}"


class Direction(models.TextChoices):
    IN = "in", _("Masuk")
    OUT = "out", _("Keluar")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    QUEUED = "queued", _("Antre")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", pgettext_lazy("delivery status", "Sampai")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")


# A status callback may arrive out of order (read before delivered): never go back.
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="messages")
    number = models.ForeignKey(Number, on_delete=models.PROTECT, related_name="+")
    wa_id = models.CharField(max_length=20)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    wamid = models.CharField(max_length=200, null=True, blank=True, unique=True)
    kind = models.CharField(max_length=20)  # text, interactive, template, image, document, location, ...
    text = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)  # outbound: the Graph API body; inbound: the message
    media = models.FileField(upload_to="whatsapp/%Y/%m/", blank=True)
    media_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    status_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=12, blank=True)
    error_title = models.CharField(max_length=200, blank=True)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # notifications: the application this message tells about, and the e-mail sent if it failed
    application = models.ForeignKey("services.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="whatsapp_messages")
    # a notification's e-mail ({"to", "subject", "body"}), sent instead if WhatsApp fails
    fallback = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} #{self.pk}"


class OptIn(models.Model):
    """Whether a citizen's number may receive messages we start (templates). STOP/BERHENTI ends it."""

    wa_id = models.CharField(max_length=20, unique=True)
    opted_in = models.BooleanField(default=True)
    source = models.CharField(max_length=60)  # "application:<code>", "whatsapp"
    changed_at = models.DateTimeField(auto_now=True)


class CannedAnswer(models.Model):
    office = models.ForeignKey("organization.Office", on_delete=models.CASCADE, related_name="whatsapp_answers")
    title = models.CharField(max_length=80)
    text = models.TextField(max_length=1000)

    class Meta:
        ordering = ["title"]
        verbose_name = _("jawaban siap pakai")
        verbose_name_plural = _("jawaban siap pakai")

    def __str__(self) -> str:
        return self.title


class SimulatorMessage(models.Model):
    """What the local Graph API stand-in of the simulator received (the demo phone's screen)."""

    phone_number_id = models.CharField(max_length=40)
    wa_id = models.CharField(max_length=20, db_index=True)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    wamid = models.CharField(max_length=200, unique=True)
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
