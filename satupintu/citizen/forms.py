"""The account page's forms: parse only; citizen/claims.py and preferences.py hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm


class ClaimPhoneForm(DomainForm):
    phone = forms.CharField(label=_("Nomor HP yang dipakai saat mengajukan atau melapor"), max_length=30,
                            help_text=_("Kami kirim kode sekali pakai lewat WhatsApp (jika nomor ini setuju "
                                        "menerima pesan kami) atau ke e-mail yang tercatat pada permohonannya."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class ClaimCodeForm(DomainForm):
    code = forms.CharField(label=_("Kode 6 angka"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class PreferencesForm(DomainForm):
    whatsapp = forms.BooleanField(label=_("Kabar lewat WhatsApp"), required=False)
    email = forms.BooleanField(label=_("Kabar lewat e-mail"), required=False)
