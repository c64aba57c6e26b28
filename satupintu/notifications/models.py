"""The durable outbox: a message is a row written in the same transaction as its cause."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutboxMessage(models.Model):
    channel = models.CharField(max_length=20, default="email")
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # Unique per cause and channel (e.g. "event:42:email"), so the same cause never
    # produces two messages even if the code that records it runs twice.
    dedupe_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    application = models.ForeignKey(
        "services.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # One optional file sent with the message (e.g. the Situation Room brief as a PDF).
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")

    def __str__(self) -> str:
        # No recipient or subject: this is what the admin prints in titles and breadcrumbs, and
        # an anonymous reporter's address or report code must not show there.
        return f"{self.channel} #{self.pk}"
