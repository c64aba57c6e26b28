"""Coordination meetings, their decisions, and the follow-up actions that cascade down the
office hierarchy: a Kanwil adopts a Rakernas decision into its Rakor and breaks it into
actions for its Kankemenags; progress rolls up to the decision at the top."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingType(models.TextChoices):
    RAKERNAS = "rakernas", _("Rapat Kerja Nasional")
    RAKERWIL = "rakerwil", _("Rapat Kerja Wilayah")
    RAKOR = "rakor", _("Rapat Koordinasi")
    RAPAT_KERJA = "rapat-kerja", _("Rapat Kerja")
    LAINNYA = "lainnya", _("Rapat lainnya (internal unit)")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("Tatap muka")
    ONLINE = "online", _("Daring")
    HYBRID = "hybrid", _("Hibrida")


class Meeting(models.Model):
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="meetings")
    type = models.CharField(_("jenis"), max_length=12, choices=MeetingType.choices)
    title = models.CharField(_("judul"), max_length=300)
    theme = models.CharField(_("tema"), max_length=300, blank=True)
    mode = models.CharField(_("cara"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    venue = models.CharField(_("tempat"), max_length=300, blank=True)
    online_link = models.URLField(_("tautan daring"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    participants_reported = models.PositiveIntegerField(_("jumlah peserta (dilaporkan)"), null=True, blank=True)
    invited_offices = models.ManyToManyField("organization.Office", blank=True, related_name="meeting_invitations")
    invited_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="meeting_invitations")
    # Roles invited in the invited offices (e.g. heads of unit), besides their heads.
    invited_roles = models.JSONField(default=list, blank=True)
    # Where the record came from when an officer pre-filled it from a news article.
    source_item = models.ForeignKey("situation.Item", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="meeting_records")
    attendance_token = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Shown as a link to people: http(s) only, also through the admin (core/links.py).
        from satupintu.core.links import clean_link_fields

        clean_link_fields(self, "online_link")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    minutes = models.TextField(_("notulen"), blank=True)

    class Meta:
        ordering = ["order", "id"]


class Attendance(models.Model):
    """One person present, counted once per meeting, by QR at the door or by the online link."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    office = models.ForeignKey("organization.Office", null=True, on_delete=models.SET_NULL)
    method = models.CharField(max_length=10, choices=[("qr", "QR"), ("link", _("Tautan daring"))])
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]


class Decision(models.Model):
    """A decision or instruction of a meeting; ``adopted_from`` is the decision above it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("keputusan / arahan"))
    given_by = models.CharField(_("disampaikan oleh"), max_length=200, blank=True)
    adopted_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "adopted_from"], name="adopt_once_per_meeting",
                                               condition=models.Q(adopted_from__isnull=False))]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    DONE = "done", _("Selesai")


class Action(models.Model):
    """What one office (or unit) must do and show for a decision, by when."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    office = models.ForeignKey("organization.Office", on_delete=models.PROTECT, related_name="rakor_actions")
    unit = models.ForeignKey("organization.Unit", null=True, blank=True, on_delete=models.PROTECT)
    indicator = models.CharField(_("indikator / yang harus ditunjukkan"), max_length=300)
    evidence_required = models.BooleanField(_("wajib bukti"), default=True)
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(max_length=6, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    note = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    evidence = models.FileField(upload_to="rakor/%Y/%m/", blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    @property
    def has_evidence(self) -> bool:
        return bool(self.link or self.evidence)

    def clean(self) -> None:
        # Shown as a link to people: http(s) only, also through the admin (core/links.py).
        from satupintu.core.links import clean_link_fields

        clean_link_fields(self, "link")


class MeetingDocument(models.Model):
    """Material of a meeting (invitation letter, presentation, minutes signed on paper)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(upload_to="rakor/dokumen/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
