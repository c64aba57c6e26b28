"""API keys for partners, the webhook endpoints they (or an administrator) register, and the
log of every delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a key may do. "webhooks": manage its own endpoints through the API; "personal_data":
# payloads to its endpoints carry names, NIK, phone numbers and e-mail addresses.
SCOPE_WEBHOOKS = "webhooks"
SCOPE_PERSONAL_DATA = "personal_data"
SCOPES = (SCOPE_WEBHOOKS, SCOPE_PERSONAL_DATA)

EVENT_TYPES = (
    "application.submitted",
    "application.status_changed",
    "report.submitted",
    "report.status_changed",
    "survey.submitted",
)


class ApiKey(models.Model):
    name = models.CharField(_("nama"), max_length=100)
    # The first characters of the key ("sp_live_AbCd"), shown so people can tell keys apart;
    # the key itself is kept only as its SHA-256 and shown once, when it is made.
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(default=60)
    office = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="api_keys", help_text=_("kantor yang menerbitkan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every key made since expiry was added ends (keys.VALIDITY_DAYS); empty only on older keys.
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def days_left(self) -> int | None:
        """Whole days until the key ends (None: it does not, or it already has)."""
        if self.expires_at is None or self.expired:
            return None
        return (self.expires_at - timezone.now()).days


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    # "whsec_" + base64 (Standard Webhooks); needed in clear to sign.
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    # Endpoints made by an administrator or on the command line carry personal data only when
    # this is set; an endpoint of an API key follows the key's "personal_data" scope.
    personal_data = models.BooleanField(default=False)
    failure_count = models.PositiveIntegerField(default=0)  # consecutive
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    owner_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.CASCADE, related_name="webhooks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Whose events it receives: a Kanwil's endpoint its own and its Kankemenags'; Pusat's or
    # none (the command line) everything.
    office = models.ForeignKey("organization.Office", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="webhooks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")

    def __str__(self) -> str:
        return f"webhook #{self.pk}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    DELIVERED = "delivered", _("Terkirim")
    FAILING = "failing", _("Gagal, dicoba lagi")
    FAILED = "failed", _("Gagal")


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload, and how the attempts went."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=60)  # the webhook-id header: the same on every attempt
    event_type = models.CharField(max_length=40)
    payload = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    response_snippet = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=200, blank=True)
    redeliveries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once")]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} -> webhook #{self.endpoint_id}"
