"""The service catalog and the applications (permohonan) made against it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core import actors
from satupintu.core.bilingual import local_list, local_text
from satupintu.organization.models import Office, Unit


class Audience(models.TextChoices):
    PUBLIC = "public", _("Masyarakat")
    # Services for the ministry's own employees (leave, promotion, pension): not listed to the public.
    STAFF = "staff", _("Pegawai Kemenag")


class Service(models.Model):
    """A national PTSP service standard; offices may switch it off or override it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="services")
    summary = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    steps = models.JSONField(default=list, blank=True, help_text="Langkah prosedur, satu per baris")
    steps_en = models.JSONField(default=list, blank=True, help_text="Langkah dalam bahasa Inggris, sebanyak langkah prosedur")
    working_days = models.PositiveSmallIntegerField(default=1)
    fee = models.PositiveIntegerField(default=0, help_text="Biaya dalam rupiah (0 = gratis)")
    product = models.CharField(max_length=300, blank=True)
    product_en = models.CharField(max_length=300, blank=True)
    levels = models.JSONField(default=list, help_text='Tingkat kantor yang melayani, mis. ["kankemenag", "kanwil"]')
    keywords = models.JSONField(default=list, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC, db_index=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    @property
    def local_name(self) -> str:
        """The name in the language being served: the English name when English is asked for."""
        return local_text(self.name, self.name_en)

    # The English text of the catalog shows only when it is there: an office's own edit of the
    # Indonesian text, with no English beside it, is shown as written.
    @property
    def local_summary(self) -> str:
        return local_text(self.summary, self.summary_en)

    @property
    def local_product(self) -> str:
        return local_text(self.product, self.product_en)

    @property
    def local_steps(self) -> list[str]:
        return local_list(self.steps, self.steps_en)

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """A document the applicant uploads. ``office`` set means an office's own extra requirement."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    mandatory = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["order", "id"]
        unique_together = [("service", "code", "office")]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_en)

    def __str__(self) -> str:
        return self.name


class FieldType(models.TextChoices):
    TEXT = "text", _("Teks singkat")
    TEXTAREA = "textarea", _("Teks panjang")
    NUMBER = "number", _("Angka")
    DATE = "date", _("Tanggal")
    CHOICE = "choice", _("Pilihan")


class NumberKind(models.TextChoices):
    """What a number field counts; it sets the sensible range (applications.number_bounds)."""

    AMOUNT = "amount", _("Besaran (0 atau lebih, boleh desimal)")
    COUNT = "count", _("Jumlah (bilangan bulat, 1 atau lebih)")
    YEAR = "year", _("Tahun (1900 sampai tahun ini)")


class FormField(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    name = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=10, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(default=True)
    choices = models.JSONField(default=list, blank=True)
    # What each choice reads as in English, in the order of ``choices``; the answer kept is the
    # Indonesian choice, whatever language the applicant read the form in.
    choices_en = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Number fields only: the kind gives the default range, min/max narrow it (e.g. Kelas 1-12).
    number_kind = models.CharField(max_length=10, choices=NumberKind.choices, default=NumberKind.AMOUNT, blank=True)
    min_value = models.BigIntegerField(null=True, blank=True)
    max_value = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        unique_together = [("service", "name")]
        verbose_name = _("isian formulir")
        verbose_name_plural = _("isian formulir")

    @property
    def local_label(self) -> str:
        return local_text(self.label, self.label_en)

    def local_choices(self) -> list[tuple[str, str]]:
        """(value kept, text shown) for each choice."""
        choices = list(self.choices or [])
        return list(zip(choices, local_list(choices, self.choices_en), strict=True))

    def __str__(self) -> str:
        return self.label


class OfficeService(models.Model):
    """An office's override of a national service: switched off, other time, requirements."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="service_overrides")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="office_overrides")
    enabled = models.BooleanField(default=True)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # {"requirement_code": "optional" | "mandatory" | "hidden"}
    requirement_overrides = models.JSONField(default=dict, blank=True)
    redirect_note = models.CharField(
        max_length=300, blank=True, help_text="Mis. 'Layanan haji kini di Kementerian Haji dan Umrah'"
    )

    class Meta:
        unique_together = [("office", "service")]
        verbose_name = _("pengaturan layanan kantor")
        verbose_name_plural = _("pengaturan layanan kantor")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    VERIFIED = "verified", _("Terverifikasi")
    IN_PROCESS = "in_process", _("Diproses")
    NEEDS_COMPLETION = "needs_completion", _("Perlu Dilengkapi")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan")


FINAL_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN)


class Application(models.Model):
    tracking_code = models.CharField(max_length=11, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    # While the citizen holds the file, the status to go back to once they complete it.
    resume_status = models.CharField(max_length=20, choices=Status.choices, blank=True)

    applicant_name = models.CharField(max_length=150)
    nik = models.CharField(max_length=16)
    phone = models.CharField(max_length=20, help_text="E.164, mis. +6281234567890")
    email = models.EmailField(blank=True)
    # The applicant asked for news on WhatsApp ("kirim kabar lewat WhatsApp"); the consent itself
    # is recorded in whatsapp.OptIn, where STOP/BERHENTI ends it.
    whatsapp_updates = models.BooleanField(default=False)
    # The language the applicant applied in: their e-mails are written in it (WhatsApp templates
    # stay Indonesian). "id" when applied for at the desk or in an older version.
    language = models.CharField(max_length=5, default="id")
    form_data = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Idempotency: the form's one-time token or the API's Idempotency-Key, so a double
    # submit returns the first application instead of creating a second one.
    submission_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    submitted_at = models.DateTimeField(db_index=True)  # recent demand (home page), date filters
    # SLA clock state, in seconds of office time (see services/sla.py).
    sla_budget_seconds = models.PositiveIntegerField()
    sla_used_seconds = models.PositiveIntegerField(default=0)
    sla_running_since = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_applications"
    )
    # Assisted mode (issue #13): the desk officer who filled the form for a citizen who could not
    # do it alone, with the citizen's consent. The application stays the citizen's (filed with
    # their phone, claimed later); ``user`` is never the officer.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_request = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    # Where and how the citizen collects the product when none is uploaded ("Selesai"
    # must tell them something): written by the officer who completes.
    pickup_instructions = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["office", "status", "due_at"]),
            models.Index(fields=["office", "unit", "status"]),
        ]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


# Shown in timelines and on buttons; translated when displayed.
ACTION_LABELS = {
    "submit": _("Permohonan diajukan"),
    "verify": _("Berkas diverifikasi"),
    "process": _("Permohonan diproses unit"),
    "request_completion": _("Berkas perlu dilengkapi"),
    "citizen_complete": _("Pemohon melengkapi berkas"),
    "complete": _("Permohonan selesai"),
    "reject": _("Permohonan ditolak"),
    "withdraw": _("Permohonan dibatalkan pemohon"),
    "assign": _("Ditugaskan ke petugas"),
    "forward": _("Didisposisikan"),
    "upload_product": _("Produk layanan diunggah"),
    "issue_document": _("Dokumen layanan ditandatangani"),
    "revoke_document": _("Dokumen layanan dicabut"),
    "handover": _("Produk diserahkan"),
    "note": _("Catatan"),
    "sla_warning": _("Peringatan tenggat"),
    "sla_escalation": _("Eskalasi: melewati tenggat"),
}


class Event(actors.ShownActor, models.Model):
    """One line of an application's timeline, which is also its audit trail."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, help_text="Pemohon, Sistem, or the officer's name")
    note = models.TextField(blank=True)
    # Internal notes (dispositions between units) are not shown to the citizen.
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class DocumentKind(models.TextChoices):
    REQUIREMENT = "requirement", _("Berkas persyaratan")
    PRODUCT = "product", _("Produk layanan")


def _document_path(instance: "Document", filename: str) -> str:
    # Random file names: the original name is kept in the row, never used on disk.
    import uuid

    return f"applications/{instance.application.submitted_at:%Y/%m}/{instance.application_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices, default=DocumentKind.REQUIREMENT)
    requirement_code = models.CharField(max_length=60, blank=True)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # A newer upload for the same requirement replaces this one (kept for the record).
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")


def _stash_path(instance: "UploadStash", filename: str) -> str:
    import uuid

    return f"stash/{uuid.uuid4().hex}"


class UploadStash(models.Model):
    """A file the citizen already sent with a form that had errors elsewhere, kept so that they
    need not pick it again. Tied to the form's key and the browser session; short-lived
    (UPLOAD_STASH_SECONDS) and purged by the scheduler (tasks.upload_stash_purge)."""

    form_key = models.CharField(max_length=80)
    session_key = models.CharField(max_length=64)
    requirement_code = models.CharField(max_length=60)
    file = models.FileField(upload_to=_stash_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form_key", "session_key", "requirement_code"], name="upload_stash_one_per_field"),
        ]
        verbose_name = _("berkas sementara")
        verbose_name_plural = _("berkas sementara")

    def __str__(self) -> str:
        return self.original_name
