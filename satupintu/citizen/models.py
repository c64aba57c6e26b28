"""What a citizen account holds beyond the sign-in: the phones it proved, the one-time codes
that prove them, and how the person wants to hear news."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class VerifiedPhone(models.Model):
    """A phone the account holder proved with a one-time code: everything filed with it
    (applications, reports, followed cases) is theirs on Beranda saya."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_phones")
    phone = models.CharField(max_length=20, help_text="E.164")
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "phone")]
        verbose_name = _("nomor HP terverifikasi")
        verbose_name_plural = _("nomor HP terverifikasi")

    def __str__(self) -> str:
        return self.phone


class ClaimCode(models.Model):
    """One code sent to a phone's channel. Only its hash is kept; used once, expires, and
    counts wrong tries (the rate limits in core/ratelimit.py cap the rest)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, blank=True)  # "whatsapp", "sms" or "" (the number filed nothing)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "phone", "created_at"])]
        verbose_name = _("kode klaim")
        verbose_name_plural = _("kode klaim")


class NotificationPreferences(models.Model):
    """How the person wants news of their applications; no row means the choice made on each form."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    whatsapp = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")


class LockerKind(models.TextChoices):
    """The papers asked for again and again; each matches requirement codes (citizen/locker.py)."""

    KTP = "ktp", _("KTP")
    KK = "kk", _("Kartu Keluarga")
    IJAZAH = "ijazah", _("Ijazah")
    PAS_FOTO = "pas_foto", _("Pas foto")


def _locker_path(instance: "LockerDocument", filename: str) -> str:
    import uuid

    # Random names, private storage, served only through the account's pages (like application files).
    return f"locker/{instance.user_id}/{uuid.uuid4().hex}"


class LockerDocument(models.Model):
    """A paper the citizen uploaded once ("tell us once"), offered on apply forms for the
    requirements of its kind; sent with an application only when the citizen ticks it there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="locker_documents")
    kind = models.CharField(max_length=20, choices=LockerKind.choices)
    file = models.FileField(upload_to=_locker_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="locker_one_per_kind")]
        verbose_name = _("berkas saya")
        verbose_name_plural = _("berkas saya")

    def __str__(self) -> str:
        return self.original_name


@receiver(post_delete, sender=LockerDocument)
def _file_goes_with_its_row(sender: type[LockerDocument], instance: LockerDocument, **kwargs: object) -> None:
    """An ID card outlives nothing: removed by its owner, replaced, or with the account (a cascade
    sends this too), the file is deleted once the deletion is committed."""
    if instance.file.name:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
