"""Breakthroughs (inovasi/terobosan) of units, the indicators they should move, and Rakor calls for them.

The Zona Integritas evidence pack reads these with the figures other apps already keep; it stores
nothing of its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    """Figures the product already measures, so a breakthrough's effect is read, never typed in."""

    ON_TIME_RATE = "on_time_rate", _("Layanan selesai tepat waktu (%)")
    IKM = "ikm", _("Indeks Kepuasan Masyarakat (IKM)")
    COMPLAINT_HOURS = "complaint_hours", _("Lama penanganan pengaduan (jam kerja)")
    ONLINE_SHARE = "online_share", _("Permohonan daring, bukan di loket (%)")


class BreakthroughCall(models.Model):
    """A Rakor decision asking offices (each unit, where ``per_unit``) for breakthroughs by a date."""

    decision = models.OneToOneField("rakor.Decision", on_delete=models.CASCADE, related_name="breakthrough_call",
                                    verbose_name=_("keputusan rakor"))
    due_date = models.DateField(_("tenggat"))
    offices = models.ManyToManyField("organization.Office", related_name="breakthrough_calls",
                                     verbose_name=_("kantor yang diminta"))
    per_unit = models.BooleanField(_("setiap unit (Tusi) wajib"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("permintaan terobosan")
        verbose_name_plural = _("permintaan terobosan")

    def __str__(self) -> str:
        return f"{self.decision} ({self.due_date:%Y-%m-%d})"


class Breakthrough(models.Model):
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="breakthroughs",
                               verbose_name=_("kantor"))
    unit = models.ForeignKey("organization.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("unit (Tusi)"), help_text=_("Kosong: seluruh kantor"))
    title = models.CharField(_("nama terobosan"), max_length=200)
    problem = models.TextField(_("masalah yang diatasi"))
    change = models.TextField(_("perubahan yang dibuat"))
    started_on = models.DateField(_("mulai berlaku"))
    people = models.TextField(_("tim (nama dan peran)"), blank=True)
    call = models.ForeignKey(BreakthroughCall, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="breakthroughs", verbose_name=_("menjawab permintaan rakor"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # when ``call`` was set

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("terobosan")
        verbose_name_plural = _("terobosan")
        indexes = [models.Index(fields=["office", "started_on"])]

    def __str__(self) -> str:
        return self.title


class BreakthroughIndicator(models.Model):
    """One figure the breakthrough should move; ``service`` narrows a service figure to one service."""

    breakthrough = models.ForeignKey(Breakthrough, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("indikator"), max_length=20, choices=IndicatorKind.choices)
    service = models.ForeignKey("services.Service", null=True, blank=True, on_delete=models.PROTECT,
                                verbose_name=_("layanan"), help_text=_("Kosong: semua layanan unit/kantor"))

    class Meta:
        unique_together = [("breakthrough", "kind", "service")]
        verbose_name = _("indikator terobosan")
        verbose_name_plural = _("indikator terobosan")

    def __str__(self) -> str:
        return self.get_kind_display()


class BreakthroughEvidence(models.Model):
    breakthrough = models.ForeignKey(Breakthrough, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("judul bukti"), max_length=200)
    file = models.FileField(_("berkas"), upload_to="reform/%Y/%m/", blank=True)
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        verbose_name = _("bukti terobosan")
        verbose_name_plural = _("bukti terobosan")

    def __str__(self) -> str:
        return self.title
