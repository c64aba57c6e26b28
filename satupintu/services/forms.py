"""The citizen's application form: built from the office's offer (its fields and required
documents); ``applications.application_submit`` decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm
from satupintu.services import upload_stash
from satupintu.services.applications import Submission, format_bound, number_bounds
from satupintu.services.catalog import Offer
from satupintu.services.models import FieldType, FormField, UploadStash

ACCEPT = "application/pdf,image/jpeg,image/png"
REMOVE_KEPT = "hapus_berkas"  # checkbox: drop a kept file of an optional document


def _service_field(f: FormField) -> forms.Field:
    attrs: dict[str, Any] = {}
    widget: forms.Widget
    if f.type == FieldType.TEXTAREA:
        widget = forms.Textarea(attrs={"rows": 4})
    elif f.type == FieldType.CHOICE:
        widget = forms.Select(choices=[("", "—"), *[(c, c) for c in f.choices]])
    elif f.type == FieldType.NUMBER:
        bounds = number_bounds(f)
        attrs = {"min": bounds.low, "max": bounds.high, "step": 1 if bounds.whole else "any", "inputmode":
                 "numeric" if bounds.whole else "decimal"}
        widget = forms.NumberInput(attrs=attrs)
    elif f.type == FieldType.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    else:
        widget = forms.TextInput()
    field = forms.CharField(label=f.label, required=f.required, widget=widget, strip=False)
    if f.type == FieldType.NUMBER:
        field.help_text = _("Antara %(low)s dan %(high)s.") % {"low": format_bound(attrs["min"], f),
                                                                "high": format_bound(attrs["max"], f)}
    return field


class ApplicationForm(DomainForm):
    """Identity, the service's own fields, then one file input per required document."""

    def __init__(self, offer: Offer, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="f-%s", **kwargs)
        self.offer = offer
        f = self.fields
        f["office"] = forms.CharField(widget=forms.HiddenInput)
        f["submission_key"] = forms.CharField(widget=forms.HiddenInput)
        f["name"] = forms.CharField(label=_("Nama lengkap"), widget=forms.TextInput(attrs={"autocomplete": "name"}))
        f["nik"] = forms.CharField(label="NIK", help_text=_("16 angka sesuai KTP"), widget=forms.TextInput(
            attrs={"inputmode": "numeric", "maxlength": 20, "autocomplete": "off"}))
        f["phone"] = forms.CharField(label=_("Nomor HP / WhatsApp"), widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel"}))
        f["email"] = forms.CharField(label="Email", required=False, help_text=_("untuk pemberitahuan status"),
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
        self.service_field_names = [sf.name for sf in offer.fields]
        for sf in offer.fields:
            f[sf.name] = _service_field(sf)
        self.document_codes = [r.code for r in offer.requirements]
        for r in offer.requirements:
            f[r.code] = forms.FileField(
                label=r.name, required=r.mandatory, allow_empty_file=True,
                widget=forms.FileInput(attrs={"id": f"d-{r.code}", "accept": ACCEPT,
                                              "data-max-bytes": settings.UPLOAD_MAX_BYTES}),
            )
        self.mark_fields()
        self.kept: dict[str, UploadStash] = {}

    # --- the groups, for the template's headings
    def identity_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("name", "nik", "phone", "email")]

    def service_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.service_field_names]

    def document_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.document_codes]

    def new_uploads(self) -> dict[str, UploadedFile]:
        return {code: up for code in self.document_codes if (up := self.files.get(code)) is not None}

    def submission(self, *, user: Any, kept: dict[str, UploadedFile], submission_key: str | None,
                   client: str | None) -> Submission:
        """What the citizen sent: new files first, kept files for the documents not picked again."""
        data = self.cleaned_data
        removed = set(self.data.getlist(REMOVE_KEPT)) if hasattr(self.data, "getlist") else set()
        files = {code: up for code, up in kept.items() if code not in removed}
        files.update(self.new_uploads())
        return Submission(
            service=self.offer.service.slug, office=self.offer.office.code, name=data.get("name", ""),
            nik=data.get("nik", ""), phone=data.get("phone", ""), email=data.get("email", ""),
            fields={n: data.get(n, "") for n in self.service_field_names}, files=files,
            submission_key=submission_key, user=user, client=client,
        )

    def keep_uploads(self, owner: upload_stash.StashOwner) -> None:
        """After errors: keep each newly sent file that passed the checks; forget kept files the
        citizen replaced with a faulty one or removed."""
        removed = set(self.data.getlist(REMOVE_KEPT)) if hasattr(self.data, "getlist") else set()
        faulty = [code for code in self.new_uploads() if code in self.errors]
        upload_stash.stash_discard(owner, codes=[c for c in self.document_codes if c in removed or c in faulty])
        names = {r.code: r.name for r in self.offer.requirements}
        for code, upload in self.new_uploads().items():
            if code not in faulty:
                upload_stash.stash_keep(owner, code, upload, label=names[code])

    def show_kept(self, kept: dict[str, UploadStash]) -> None:
        """The files already with us: named next to their input, which no longer needs a pick."""
        self.kept = kept
        for code, stash in kept.items():
            if code not in self.fields:
                continue
            field = self.fields[code]
            field.kept = stash  # type: ignore[attr-defined]
            field.widget.attrs.pop("required", None)
            bound = self[code]
            ids = [f"{bound.auto_id}_kept"] + ([f"{bound.auto_id}_error"] if bound.errors else [])
            field.widget.attrs["aria-describedby"] = " ".join(ids)

