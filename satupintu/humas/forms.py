"""Humas forms: they parse; channels.py, targets.py and imports.py hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm
from satupintu.core.numbers import typed_int
from satupintu.humas.models import SOCIAL_PLATFORMS, Channel, Platform


class ChannelForm(DomainForm):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices, required=True)
    url = forms.CharField(label=_("Alamat"), required=False, max_length=500,
                          help_text=_("Untuk situs web: alamat umpan RSS/Atom, misalnya https://…/feed"))
    handle = forms.CharField(label=_("Nama akun atau nomor"), required=False, max_length=120)


class RemoveChannelForm(DomainForm):
    """The hidden channel id of a "Berhenti pakai" button; anything but an id (typed_int) is refused
    (int() reads "٣" and raises past 4,300 digits). ``confirm`` is the second step's button: the
    first only asks."""

    channel = forms.CharField(required=False)
    confirm = forms.BooleanField(required=False)

    def clean_channel(self) -> int:
        pk = typed_int(self.cleaned_data.get("channel"))
        if pk is None:
            raise forms.ValidationError("unknown channel")
        return pk


class ImportForm(DomainForm):
    channel = forms.ModelChoiceField(label=_("Kanal"), queryset=Channel.objects.none(), required=True,
                                     empty_label=_("— pilih kanal —"))
    platform = forms.ChoiceField(label=_("Platform berkas"), required=False,
                                 choices=[("", _("Sesuai kanal")), *((p.value, p.label) for p in SOCIAL_PLATFORMS)])
    file = forms.FileField(label=_("Berkas ekspor (CSV/XLSX)"), required=True,
                           help_text=_("Dari Meta Business Suite, TikTok atau YouTube Studio, apa adanya."))

    def __init__(self, *args, office=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            office=office, platform__in=SOCIAL_PLATFORMS, retired_at__isnull=True)
        # The office's own channels: "Instagram · @kemenaglutra", not "73.22 Instagram @kemenaglutra".
        self.fields["channel"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.get_platform_display()} · {c.handle or c.url}")


class TargetForm(DomainForm):
    stories_per_week = forms.CharField(label=_("Berita per minggu"), required=False, max_length=6)
    social_posts_per_month = forms.CharField(label=_("Unggahan media sosial per bulan"), required=False, max_length=6)
    no_target = forms.BooleanField(label=_("Tanpa target"), required=False)
