"""Audit of every view of personal data (Law 27/2022 on Personal Data Protection)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    subject_type = models.CharField(max_length=40)  # e.g. "application"
    subject_ref = models.CharField(max_length=40)  # e.g. the tracking code
    what = models.CharField(max_length=120)  # e.g. "identitas", "berkas ktp"
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")
