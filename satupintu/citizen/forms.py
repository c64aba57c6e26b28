"""The account page's forms: parse only; citizen/claims.py and preferences.py hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm


class ClaimPhoneForm(DomainForm):
    phone = forms.CharField(label=_("Nomor HP yang dipakai saat mengajukan atau melapor"), max_length=30,
                            help_text=_("Kami kirim kode sekali pakai lewat WhatsApp (jika nomor ini setuju "
                                        "menerima pesan kami) atau lewat SMS ke nomor ini."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class ClaimCodeForm(DomainForm):
    code = forms.CharField(label=_("Kode 6 angka"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class PreferencesForm(DomainForm):
    whatsapp = forms.BooleanField(label=_("Kabar lewat WhatsApp"), required=False)
    email = forms.BooleanField(label=_("Kabar lewat e-mail"), required=False)


class LockerForm(DomainForm):
    """One paper for the locker (``locker.locker_add`` checks it)."""

    kind = forms.ChoiceField(label=_("Jenis berkas"), required=True)
    file = forms.FileField(label=_("Berkas"), required=True, allow_empty_file=True,
                           help_text=_("PDF, JPG atau PNG. Berkas baru menggantikan berkas lama dengan jenis yang sama."),
                           widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from satupintu.citizen.models import LockerKind

        self.fields["kind"].choices = [("", "—"), *LockerKind.choices]  # type: ignore[attr-defined]
