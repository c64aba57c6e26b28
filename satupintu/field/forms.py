"""The field report form (drawn on /lapangan/, posted by the outbox to the API) and the
verifier's actions. They parse; field/reports.py decides what is valid and allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm, MultipleFileField, filterable
from satupintu.field.locations import regency_choices
from satupintu.field.models import Category, Urgency
from satupintu.field.reports import MAX_DESCRIPTION, MAX_REASON, Submission


class FieldReportForm(DomainForm):
    # Made by the outbox (static/satupintu/field/app.js) when the report is saved on the phone.
    client_id = forms.CharField(widget=forms.HiddenInput)
    submitted_at = forms.CharField(widget=forms.HiddenInput, required=False)
    reporter = forms.CharField(widget=forms.HiddenInput, required=False)  # the outbox's account (user id)
    latitude = forms.CharField(widget=forms.HiddenInput, required=False)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False)
    regency_code = forms.CharField(label=_("Kabupaten/kota"), required=False,
                                   help_text=_("Tidak perlu diisi bila lokasi GPS sudah dipakai. Laporan diverifikasi "
                                               "oleh Kankemenag kabupaten/kota tempat kejadian."),
                                   widget=forms.Select)
    district_code = forms.CharField(label=_("Kecamatan"), required=False, widget=forms.Select)
    category = forms.CharField(label=_("Kategori"), widget=forms.Select(choices=[("", "—"), *Category.choices]))
    urgency = forms.CharField(label=_("Urgensi"), widget=forms.Select(choices=[("", "—"), *Urgency.choices]))
    people_involved = forms.CharField(label=_("Jumlah orang yang terlibat"), required=False,
                                      widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}))
    description = forms.CharField(label=_("Apa yang terjadi"),
                                  help_text=_("Siapa, di mana, apa yang dilihat atau didengar. Jangan tulis NIK atau "
                                              "nomor telepon warga."),
                                  widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_DESCRIPTION}))
    occurred_at = forms.CharField(label=_("Waktu kejadian"), required=False,
                                  help_text=_("Kosongkan bila baru saja terjadi."),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    photos = MultipleFileField(label=_("Foto"), required=False, help_text=_("JPEG atau PNG, paling banyak 5."))

    def __init__(self, *args: Any, province_code: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Neither "wajib" nor "opsional": the location is required (its fieldset says so), by GPS or this.
        self.fields["regency_code"].mark = ""  # type: ignore[attr-defined]
        regencies = regency_choices(province_code)
        mine = [(r["code"], r["name"]) for r in regencies if r["code"].startswith(province_code + ".")]
        others = [(r["code"], r["name"]) for r in regencies if not r["code"].startswith(province_code + ".")]
        choices: list[Any] = [("", "—")]
        if mine:
            choices += [(_("Provinsi Anda"), mine), (_("Provinsi lain"), others)]
        else:
            choices += others
        self.fields["regency_code"].widget.choices = choices  # type: ignore[attr-defined]
        filterable(self.fields["regency_code"].widget)
        self.fields["district_code"].widget.choices = [("", "—")]  # type: ignore[attr-defined]
        self.fields["photos"].widget.attrs.update({"accept": "image/jpeg,image/png"})

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(**{name: data.get(name) or "" for name in (
            "client_id", "category", "urgency", "description", "occurred_at", "submitted_at", "people_involved",
            "latitude", "longitude", "regency_code", "district_code", "reporter")}, photos=list(data.get("photos") or []))


class RejectForm(DomainForm):
    reason = forms.CharField(label=_("Alasan penolakan"), required=True,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}))
