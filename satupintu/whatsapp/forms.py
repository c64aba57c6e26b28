"""The inbox's forms (core.forms.DomainForm: they parse; conversations.py decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from satupintu.core.forms import REQUIRED, DomainForm
from satupintu.feedback.models import ReportCategory, ReportKind
from satupintu.whatsapp import access


class ReplyForm(DomainForm):
    text = forms.CharField(label=_("Balasan"), strip=False, required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4096}))
    answer = forms.ChoiceField(label=_("Jawaban siap pakai"), required=False, choices=[],
                               help_text=_("Dikirim bila kolom balasan dikosongkan."))

    def __init__(self, *args: Any, answers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [("", _("— tidak memakai —"))] + [  # type: ignore[attr-defined]
            (a.text, a.title) for a in answers or []]
        # Optional for Django only because a canned answer may stand in for it: with canned answers
        # one of the two is needed, so neither is marked "opsional" (both were, then "Tulis balasan.").
        if answers:
            self.fields["text"].mark = self.fields["answer"].mark = ""  # type: ignore[attr-defined]
            self.fields["text"].help_text = _("Tulis balasan, atau pilih jawaban siap pakai di atas.")
        else:
            self.fields["text"].mark = REQUIRED  # type: ignore[attr-defined]


class FileForm(DomainForm):
    file = forms.FileField(label=pgettext_lazy("singular", "Berkas"), help_text=_("PDF, JPG atau PNG."),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))


class AssignForm(DomainForm):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
                                      label=_("Tugaskan ke"), queryset=None, required=False,  # type: ignore[arg-type]
                                      empty_label=_("— tidak ada —"),
                                      error_messages={"invalid_choice": _("Pilih petugas dari daftar.")})
    # Who had the conversation on the officer's page (empty: nobody), so a colleague's claim made
    # meanwhile is not silently taken over (conversations.assign).
    seen = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, conversation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = access.answerers_of(conversation)
        field.label_from_instance = _person  # type: ignore[method-assign,assignment]

    def seen_assignee(self, default: int | None) -> int | None:
        """The assignee the page showed; ``default`` when the request did not say (not from our page)."""
        return self.cleaned_data.get("seen") if "seen" in self.data else default


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.username)


class LinkForm(DomainForm):
    code = forms.CharField(label=_("Kode lacak permohonan atau laporan"), max_length=20)


class ReportFromChatForm(DomainForm):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportKind.choices)
    category = forms.ChoiceField(label=_("Kategori"), choices=ReportCategory.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)


class CloseForm(DomainForm):
    """No fields: closing is one button."""


class InboxFilter(forms.Form):
    STATUSES = [("open", _("Belum selesai")), ("waiting", _("Menunggu petugas")), ("mine", _("Tugas saya")),
                ("bot", _("Dilayani otomatis")), ("closed", _("Selesai")), ("all", _("Semua"))]
    status = forms.ChoiceField(label=_("Tampilkan"), choices=STATUSES, required=False)


class SimulatorSendForm(forms.Form):
    """What the demo phone sends: text, a button or list choice, a location, or a file."""

    nomor = forms.RegexField(regex=r"^\d{8,15}$", error_messages={"invalid": _("Nomor tidak valid.")})
    text = forms.CharField(required=False, max_length=4096)
    choice = forms.CharField(required=False, max_length=200)
    title = forms.CharField(required=False, max_length=30)
    list = forms.BooleanField(required=False)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    file = forms.FileField(required=False)
    name = forms.CharField(required=False, max_length=60)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Lokasi tidak valid."), code="invalid_location")
        if not (data.get("text", "").strip() or data.get("choice") or data.get("file")
                or data.get("latitude") is not None):
            raise forms.ValidationError(_("Tulis pesan."), code="missing_text")
        if data.get("file") is not None and (data["file"].size or 0) > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar."), code="file_too_large")
        return data


class NumberForm(DomainForm):
    phone_number_id = forms.CharField(label=_("Phone number ID (Meta)"), required=False, max_length=40,
                                      help_text=_("Kosongkan untuk memakai nomor nasional."))
    display_phone = forms.CharField(label=_("Nomor WA Layanan kantor"), required=False, max_length=30)


class CannedAnswerForm(DomainForm):
    title = forms.CharField(label=_("Judul"), max_length=200)
    text = forms.CharField(label=_("Isi jawaban"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}))


class DeleteAnswerForm(DomainForm):
    answer = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
