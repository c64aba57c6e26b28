"""Audit of every view of personal data (Law 27/2022 on Personal Data Protection)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(PermissionDenied):
    """An attempt to change or delete a row of the access log (a 403 if it reaches a view)."""


class _AppendOnlyQuerySet(models.QuerySet):
    # Bulk writes bypass Model.save/delete, so they are closed here too (the admin's bulk
    # delete, a shell's .delete()/.update()). PostgreSQL also refuses them in a trigger.
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Log akses data pribadi tidak dapat diubah.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Log akses data pribadi tidak dapat dihapus.")

    def bulk_update(self, objs, fields, batch_size=None):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Log akses data pribadi tidak dapat diubah.")


class PersonalDataAccess(models.Model):
    """Append-only: rows are only ever added, for everyone including superusers."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: deleting a person must not rewrite (SET_NULL) who looked at whose data.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    subject_type = models.CharField(max_length=40)  # e.g. "application"
    subject_ref = models.CharField(max_length=40)  # e.g. the tracking code
    what = models.CharField(max_length=120)  # e.g. "identitas", "berkas ktp"
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Why an officer revealed the data (core.privacy.REVEAL_REASONS); blank for opening a file,
    # which the officer's task already explains. Shown to the person on /akun/data-saya/.
    reason = models.CharField(max_length=20, blank=True)
    reason_note = models.CharField(max_length=200, blank=True)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("Log akses data pribadi tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Log akses data pribadi tidak dapat dihapus.")


class ReadingLanguage(models.Model):
    """The language a signed-in person last chose with the page's language buttons: what the
    e-mails the product sends them are written in (core/reading_language.py). Without a row,
    Indonesian."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_language")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)
