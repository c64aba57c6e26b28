"""A citizen's phone number, the sign-in name of phone accounts (django-allauth asks the adapter
where it lives: accounts/adapter.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CitizenPhone(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_phone")
    phone = models.CharField(_("nomor HP"), max_length=20, unique=True)  # E.164, "+62..."
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nomor HP warga")
        verbose_name_plural = _("nomor HP warga")

    def __str__(self) -> str:
        return f"#{self.pk}"  # no number in admin titles
