"""Field reports (issue #15): what penyuluh agama, KUA and madrasah heads and KUB officers see
on the ground, sent from a phone (often offline first: `client_id` is the browser outbox's
idempotency key), verified or rejected by the reporter's Kankemenag, and once verified an item
of the Situation Room (never public)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    TENSION = "tension", _("Ketegangan antarkelompok")
    WORSHIP = "worship", _("Sengketa rumah ibadat")
    INTOLERANCE = "intolerance", _("Intoleransi")
    DEVIANT = "deviant", _("Ajaran menyimpang")
    HOAX = "hoax", _("Hoaks")
    DISASTER = "disaster", _("Bencana")
    SERVICE = "service", _("Masalah layanan")
    OTHER = "other", _("Lainnya")


class Urgency(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")
    CRITICAL = "critical", _("Darurat")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")


class FieldReport(models.Model):
    # Made by the phone when the report is saved to the outbox: a resend is the same report.
    client_id = models.UUIDField(unique=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_reports")
    # The Kankemenag that verifies: the reporter's office when the report came.
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="field_reports")
    province_code = models.CharField(max_length=2, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)  # "73.22"
    district_code = models.CharField(max_length=8, blank=True)  # "73.22.01"
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.CharField(max_length=12, choices=Category.choices)
    urgency = models.CharField(max_length=8, choices=Urgency.choices)
    people_involved = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField()
    occurred_at = models.DateTimeField()
    submitted_at = models.DateTimeField()  # when the phone made it (may be hours before it arrived)
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, db_index=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    item = models.OneToOneField(
        "situation.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="field_report"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("laporan lapangan")
        verbose_name_plural = _("laporan lapangan")
        indexes = [models.Index(fields=["office", "status"], name="field_office_status")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.regency_code} ({self.get_status_display()})"


def _photo_path(instance: "FieldPhoto", filename: str) -> str:
    # Random file names: what the phone called the photo is never used on disk.
    return f"field/{uuid.uuid4().hex}"


class FieldPhoto(models.Model):
    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto laporan lapangan")
        verbose_name_plural = _("foto laporan lapangan")
