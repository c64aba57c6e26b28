"""The response cases' forms: open a case, add a note, add evidence, close. They only parse;
responses.py says what is allowed (its errors come back onto the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.organization.models import Office
from satupintu.situation.forms import PickedField, SlotForm
from satupintu.situation.models import ResponseKind
from satupintu.situation.responses import TEXT_MAX

ACCEPT = "application/pdf,image/jpeg,image/png"


class HoursField(forms.Field):
    """Whole working hours, or None when left empty (the zone's default)."""

    def to_python(self, value: Any) -> int | None:
        raw = str(value if value is not None else "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:
            raise ValidationError(_("Tenggat diisi dengan angka jam kerja, misalnya 4."), code="invalid")
        return int(raw)


class OpenCaseForm(SlotForm):
    """What the case is about comes from the page's address (?isu=, ?peringatan=, ?laporan=); the
    domain checks the office (below the opener, not merged), the kind and the hours."""

    prefix_id = "t-%s"
    office = PickedField(label=_("Kantor yang bertindak"), queryset=Office.objects.select_related("merged_into"),
                         unknown=_("Pilih kantor yang harus bertindak."), widget=forms.Select)
    kind = forms.CharField(label=_("Jenis tanggapan"), widget=forms.Select(choices=[("", "—"), *ResponseKind.choices]))
    hours = HoursField(label=_("Tenggat (jam kerja)"), required=False,
                       widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}))
    instructions = forms.CharField(label=_("Arahan"), required=False, strip=False,
                                   widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))

    def __init__(self, *args: Any, offices: list[Office], default_hours: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["office"].widget.choices = [("", "—")] + [(o.pk, o.name) for o in offices]  # type: ignore[attr-defined]
        f["hours"].help_text = _("Kosongkan untuk tenggat zona ini: %(n)s jam kerja kantor yang bertindak.") % {
            "n": default_hours}
        f["hours"].widget.attrs["max"] = default_hours


class CaseNoteForm(SlotForm):
    slot = "note_form"
    prefix_id = "n-%s"
    text = forms.CharField(label=_("Catatan tindak lanjut"), strip=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))


class CaseEvidenceForm(SlotForm):
    slot = "evidence_form"
    prefix_id = "e-%s"
    file = forms.FileField(label=_("Berkas bukti"), required=False, allow_empty_file=True,
                           widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.widget.attrs["data-max-bytes"] = settings.UPLOAD_MAX_BYTES
        field.help_text = _("PDF, JPG atau PNG, maksimal %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 1048576}
        field.mark = "required"  # type: ignore[attr-defined]


class ResolveCaseForm(SlotForm):
    slot = "resolve_form"
    prefix_id = "r-%s"
    summary = forms.CharField(label=_("Ringkasan penutup"), strip=False,
                              help_text=_("Apa yang dilakukan dan hasilnya; dibaca pimpinan di ringkasan harian."),
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}))
