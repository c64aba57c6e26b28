"""The integrations page's forms (core.forms.DomainForm: they parse; keys.py and webhooks.py decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm
from satupintu.integrations.keys import DEFAULT_VALIDITY_DAYS, VALIDITY_DAYS
from satupintu.integrations.models import EVENT_TYPES, SCOPES

SCOPE_LABELS = {"webhooks": _("Mengatur webhook lewat API"),
                "personal_data": _("Data pribadi (nama, NIK, telepon, e-mail) dalam webhook")}


class ApiKeyForm(DomainForm):
    name = forms.CharField(label=_("Nama kunci"), max_length=100, required=True,
                           help_text=_("Mis. nama mitra atau aplikasinya."))
    scopes = forms.MultipleChoiceField(label=_("Cakupan"), required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[(s, SCOPE_LABELS[s]) for s in SCOPES],
                                       error_messages={"invalid_choice": _("Pilih cakupan dari daftar.")})
    rate_limit_per_minute = forms.IntegerField(label=_("Batas permintaan per menit"), required=False, initial=60,
                                               error_messages={"invalid": _("Isi dengan angka bulat.")})
    valid_days = forms.TypedChoiceField(
        label=_("Masa berlaku"), coerce=int, initial=DEFAULT_VALIDITY_DAYS, required=False, empty_value=None,
        choices=[(d, _("%(days)d hari") % {"days": d}) for d in VALIDITY_DAYS],
        help_text=_("Setelah itu kunci tidak diterima lagi; terbitkan kunci baru sebelum berakhir."),
        error_messages={"invalid_choice": _("Pilih masa berlaku dari daftar.")})


class WebhookForm(DomainForm):
    url = forms.CharField(label=_("Alamat (URL) penerima"), max_length=500, required=True,
                          help_text=_("Alamat https mitra yang menerima peristiwa."))
    events = forms.MultipleChoiceField(label=_("Peristiwa"), required=True, widget=forms.CheckboxSelectMultiple,
                                       choices=[(e, e) for e in EVENT_TYPES],
                                       error_messages={"invalid_choice": _("Pilih peristiwa dari daftar.")})
    description = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    personal_data = forms.BooleanField(label=_("Sertakan data pribadi (hanya kepala kantor)"), required=False)


class ItemForm(DomainForm):
    """Revoke a key, remove or enable an endpoint, redeliver a delivery: one id."""

    item = forms.IntegerField(widget=forms.HiddenInput, error_messages={"invalid": _("Pilihan tidak valid.")})
