"""The public page that follows a case in another app (``cases.case_follow`` decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.bridge.models import ExternalApp
from satupintu.core.forms import DomainForm


class FollowForm(DomainForm):
    app = forms.ChoiceField(label=_("Aplikasi"))
    reference = forms.CharField(label=_("Nomor pendaftaran di aplikasi tersebut"), max_length=64,
                                help_text=_("mis. nomor porsi haji atau nomor pendaftaran nikah"),
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone_last4 = forms.CharField(label=_("Empat digit terakhir nomor HP"), required=False,
                                  help_text=_("bila nomor ini sudah Anda ikuti di sini"),
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4,
                                                                "autocomplete": "off", "style": "max-width:10em"}))
    phone = forms.CharField(label=_("Nomor HP lengkap"), required=False, max_length=20,
                            help_text=_("untuk mulai mengikuti nomor ini"),
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                          "style": "max-width:16em"}))

    def __init__(self, apps: list[ExternalApp], *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.apps = {a.code: a for a in apps}
        choices = [("", "—"), *[(a.code, f"{a.short_name}: {a.local_name}") for a in apps]]
        self.fields["app"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("app"):
            self.add_error("app", _("Pilih aplikasinya."))
        if not (data.get("phone") or "").strip() and not (data.get("phone_last4") or "").strip():
            self.add_error("phone_last4", _("Tulis empat digit terakhir nomor HP, atau nomor HP lengkap."))
        return data

    def chosen_app(self) -> ExternalApp:
        return self.apps[self.cleaned_data["app"]]
