"""Documents Satu Pintu issues: made from a service's template or uploaded, signed (PAdES) or
sealed, and verifiable by anyone at /verifikasi/<token> (issue #14).

An issued document moves draft -> awaiting signature -> signing -> valid, and later maybe
revoked or replaced. Nothing is public before it is valid: the token of a draft leads nowhere,
and the citizen sees the product only once the signed file exists.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from satupintu.core.actors import ShownNote
from satupintu.organization.models import Office
from satupintu.services.models import Application, Service
from satupintu.services.models import Document as ApplicationDocument


class DocumentTemplate(models.Model):
    """The letter a service produces. A national template (office empty) is used by every office
    until an office writes its own. Placeholders ``{{ name }}`` take the application's data
    (see documents/rendering.py PLACEHOLDERS and the service's form fields)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="document_templates")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, help_text=_("Judul surat, mis. SURAT KETERANGAN PENGGANTI IJAZAH"))
    # Archive classification code of the letter number (Kode klasifikasi arsip, e.g. PP.00).
    classification = models.CharField(max_length=20, default="PP.00")
    body = models.TextField(help_text=_("Isi surat; satu paragraf per baris kosong; {{ nama }} dan lainnya diisi otomatis"))
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "office"], name="document_template_one_per_office"),
                       models.UniqueConstraint(fields=["service"], condition=models.Q(office__isnull=True),
                                               name="document_template_one_national")]
        verbose_name = _("templat dokumen")
        verbose_name_plural = _("templat dokumen")

    def __str__(self) -> str:
        return f"{self.title} ({self.office.code if self.office_id else 'nasional'})"  # type: ignore[union-attr]


class OfficeSigning(models.Model):
    """How an office signs: its letter code, the city on its letters, and who signs. Without a
    named signer, the office's head signs."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="signing")
    letter_code = models.CharField(max_length=30, help_text=_("Kode kantor pada nomor surat, mis. Kk.21.14"))
    city = models.CharField(max_length=80, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    signer_title = models.CharField(max_length=200, blank=True)
    # The signer's NIK as the national signing service (BSrE) knows them; unused by a local key.
    signer_nik = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("penandatanganan kantor")
        verbose_name_plural = _("penandatanganan kantor")


class LetterSequence(models.Model):
    """The office's letter numbers run from 1 each year; taken under a row lock."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="letter_sequence_one_per_year")]


class State(models.TextChoices):
    DRAFT = "draft", _("Draf")
    AWAITING = "awaiting", _("Menunggu tanda tangan")
    SIGNING = "signing", _("Sedang ditandatangani")
    VALID = "valid", _("Sah")
    REVOKED = "revoked", _("Dicabut")
    REPLACED = "replaced", _("Diganti")
    DISCARDED = "discarded", _("Dibatalkan")


# A token's page exists only for these: a draft is nobody's business.
PUBLIC_STATES = (State.VALID, State.REVOKED, State.REPLACED)


class Kind(models.TextChoices):
    PRODUCT = "product", _("Produk layanan")
    RECEIPT = "receipt", _("Bukti permohonan")


class Source(models.TextChoices):
    TEMPLATE = "template", _("Dari templat")
    UPLOAD = "upload", _("Diunggah petugas")
    SYSTEM = "system", _("Dibuat sistem")


def _file_path(instance: "IssuedDocument", filename: str) -> str:
    return f"issued/{instance.office_id}/{uuid.uuid4().hex}.pdf"


# The name an office's electronic seal signs with (documents/issuing.py), stored in Indonesian.
SEAL_NAME = gettext_noop("Segel elektronik %(office)s")


class IssuedDocument(models.Model):
    token = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    source = models.CharField(max_length=10, choices=Source.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    application = models.ForeignKey(Application, null=True, on_delete=models.CASCADE, related_name="issued_documents")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(DocumentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    letter_number = models.CharField(max_length=80, blank=True)
    recipient_name = models.CharField(max_length=150)  # shown masked on the public page
    # The unsigned PDF (a rendered draft, or the officer's upload) and the signed one.
    source_file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    file = models.FileField(upload_to=_file_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)

    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    prepared_at = models.DateTimeField()
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    signer_name = models.CharField(max_length=150, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_backend = models.CharField(max_length=20, blank=True)
    # Retries while the signing service is down (the sweep picks up what is due).
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_reason = models.CharField(max_length=300, blank=True)
    # The document this one replaces (reissue); the old one points forward through .replacements.
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replacements")
    # The product as the citizen downloads it (the application's document row), once valid.
    product = models.OneToOneField(ApplicationDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="issued")

    class Meta:
        ordering = ["-prepared_at", "-id"]
        indexes = [models.Index(fields=["office", "state"])]
        verbose_name = _("dokumen terbitan")
        verbose_name_plural = _("dokumen terbitan")

    def __str__(self) -> str:
        return f"{self.title} [{self.token}]"

    @property
    def shown_signer_name(self) -> str:
        """Who signed, in the page's language: an electronic seal is named by the product (stored
        in Indonesian, as printed on the PDF), a person as they are."""
        prefix = SEAL_NAME.split("%", 1)[0]
        if self.signer_name.startswith(prefix):
            return gettext(SEAL_NAME) % {"office": self.signer_name[len(prefix):]}
        return self.signer_name

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def replaced_by(self) -> "IssuedDocument | None":
        return self.replacements.filter(state__in=PUBLIC_STATES).order_by("-signed_at").first()


EVENT_LABELS = {
    "prepared": _("Draf disiapkan"),
    "submitted": _("Diajukan untuk ditandatangani"),
    "sent_back": _("Dikembalikan untuk diperbaiki"),
    "approved": _("Disetujui penanda tangan"),
    "signing_failed": _("Layanan tanda tangan gagal; dicoba lagi"),
    "signing_refused": _("Ditolak layanan tanda tangan"),
    "signed": _("Ditandatangani"),
    "sealed": _("Disegel elektronik"),
    "revoked": _("Dicabut"),
    "replaced": _("Diganti"),
    "reissue_started": _("Penerbitan ulang dimulai"),
    "discarded": _("Draf dibatalkan"),
}


class DocumentEvent(ShownNote, models.Model):
    """The audit trail of an issued document: who prepared, approved, signed, revoked it, and
    every failed attempt of the signing service. Only ever added to."""

    document = models.ForeignKey(IssuedDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)  # core.actors.step_note: the system's sentence of the note

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat dokumen")
        verbose_name_plural = _("riwayat dokumen")

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))
