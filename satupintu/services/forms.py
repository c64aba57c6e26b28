"""The citizen's application form: built from the office's offer (its fields and required
documents); ``applications.application_submit`` decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm
from satupintu.services import upload_stash
from satupintu.services.applications import Submission, format_bound, number_bounds
from satupintu.services.catalog import Offer
from satupintu.services.models import FieldType, FormField, UploadStash

ACCEPT = "application/pdf,image/jpeg,image/png"
REMOVE_KEPT = "hapus_berkas"  # checkbox: drop a kept file of an optional document
LOCKER_PREFIX = "pakai_"  # checkbox: send the citizen's locker paper for this document
# A file passed its checks but could not be kept for the next try (the stash is full for this
# session or address, or the storage is away): say so, or the person believes it is with us.
# The same words as the per-address limit (core.ratelimit.UPLOAD_STASH_PER_CLIENT).
FILES_NOT_KEPT_MESSAGE = _("Berkas yang Anda pilih belum dapat disimpan sementara. Pilih lagi berkasnya "
                           "sebelum mengirim.")


def _service_field(f: FormField) -> forms.Field:
    attrs: dict[str, Any] = {}
    widget: forms.Widget
    if f.type == FieldType.TEXTAREA:
        widget = forms.Textarea(attrs={"rows": 4})
    elif f.type == FieldType.CHOICE:
        widget = forms.Select(choices=[("", "—"), *f.local_choices()])
    elif f.type == FieldType.NUMBER:
        bounds = number_bounds(f)
        attrs = {"min": bounds.low, "max": bounds.high, "step": 1 if bounds.whole else "any", "inputmode":
                 "numeric" if bounds.whole else "decimal"}
        widget = forms.NumberInput(attrs=attrs)
    elif f.type == FieldType.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    else:
        widget = forms.TextInput()
    field = forms.CharField(label=f.local_label, required=f.required, widget=widget, strip=False)
    if f.type == FieldType.NUMBER:
        field.help_text = _("Antara %(low)s dan %(high)s.") % {"low": format_bound(attrs["min"], f),
                                                                "high": format_bound(attrs["max"], f)}
    return field


class UploadsForm(DomainForm):
    """A form with one file input per document (``document_codes``, named in
    ``document_names``), whose accepted files are kept across errors (``upload_stash``)."""

    document_codes: list[str]
    document_names: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document_codes, self.document_names = [], {}
        self.kept: dict[str, UploadStash] = {}

    def add_document_field(self, code: str, name: str, *, required: bool, id_prefix: str) -> None:
        self.document_codes.append(code)
        self.document_names[code] = name
        self.fields[code] = forms.FileField(
            label=name, required=required, allow_empty_file=True,  # an empty file: the domain's message
            widget=forms.FileInput(attrs={"id": f"{id_prefix}{code}", "accept": ACCEPT,
                                          "data-max-bytes": settings.UPLOAD_MAX_BYTES}),
        )

    def document_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.document_codes]

    def new_uploads(self) -> dict[str, UploadedFile]:
        return {code: up for code in self.document_codes if (up := self.files.get(code)) is not None}

    def removed_kept(self) -> set[str]:
        """Kept files of optional documents the person chose not to send after all."""
        return set(self.data.getlist(REMOVE_KEPT)) if hasattr(self.data, "getlist") else set()

    def uploads_with_kept(self, kept: dict[str, UploadedFile]) -> dict[str, UploadedFile]:
        """What is sent: new files first, kept files for the documents not picked again."""
        removed = self.removed_kept()
        files = {code: up for code, up in kept.items() if code not in removed and code in self.document_names}
        files.update(self.new_uploads())
        return files

    def keep_uploads(self, owner: upload_stash.StashOwner) -> None:
        """After errors: keep each newly sent file that passed the checks; forget kept files
        replaced with a faulty one or removed."""
        removed = self.removed_kept()
        faulty = [code for code in self.new_uploads() if code in self.errors]
        upload_stash.stash_discard(owner, codes=[c for c in self.document_codes if c in removed or c in faulty])
        all_kept = True
        for code, upload in self.new_uploads().items():
            if code not in faulty and upload_stash.stash_keep(owner, code, upload,
                                                              label=self.document_names[code]) is None:
                all_kept = False
        if not all_kept and owner.usable:
            self.add_error(None, FILES_NOT_KEPT_MESSAGE)

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


class ApplicationForm(UploadsForm):
    """Identity, the service's own fields, then one file input per required document."""

    def __init__(self, offer: Offer, *args: Any, locker: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="f-%s", **kwargs)
        self.offer = offer
        self.locker = locker or {}  # requirement code -> the citizen's locker paper of its kind
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
        f["whatsapp_updates"] = forms.BooleanField(
            label=_("Kirim kabar lewat WhatsApp"), required=False,
            help_text=_("Kabar status dikirim ke nomor di atas lewat WhatsApp (bukan email). Kirim BERHENTI ke WA "
                        "Layanan untuk berhenti."))
        self.service_field_names = [sf.name for sf in offer.fields]
        for sf in offer.fields:
            f[sf.name] = _service_field(sf)
        for r in offer.requirements:
            self.add_document_field(r.code, r.local_name, required=r.mandatory, id_prefix="d-")
            if (doc := self.locker.get(r.code)) is not None:
                # Ticking it is the citizen's consent to send that paper with this application.
                f[f"{LOCKER_PREFIX}{r.code}"] = forms.BooleanField(
                    label=_("Pakai dari berkas saya: %(name)s") % {"name": doc.original_name}, required=False)
        self.mark_fields()

    def document_rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        """Each document's file input, with its "pakai dari berkas saya" box when there is one."""
        return [(self[c], self[f"{LOCKER_PREFIX}{c}"] if c in self.locker else None) for c in self.document_codes]

    def locker_codes(self) -> list[str]:
        """The requirements for which the citizen ticked their locker paper (and picked no new file)."""
        data = self.cleaned_data
        return [c for c in self.locker if data.get(f"{LOCKER_PREFIX}{c}") and self.files.get(c) is None]

    # --- the groups, for the template's headings
    def identity_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("name", "nik", "phone", "email", "whatsapp_updates")]

    def service_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.service_field_names]

    def submission(self, *, user: Any, kept: dict[str, UploadedFile], submission_key: str | None,
                   client: str | None) -> Submission:
        """What the citizen sent: new files first, kept files for the documents not picked again."""
        data = self.cleaned_data
        return Submission(
            service=self.offer.service.slug, office=self.offer.office.code, name=data.get("name", ""),
            nik=data.get("nik", ""), phone=data.get("phone", ""), email=data.get("email", ""),
            fields={n: data.get(n, "") for n in self.service_field_names}, files=self.uploads_with_kept(kept),
            submission_key=submission_key, user=user, client=client,
            whatsapp_updates=bool(data.get("whatsapp_updates")), language=translation.get_language() or "",
        )


class AssistedApplicationForm(ApplicationForm):
    """The same form filled at the PTSP desk by an officer for a citizen (assisted mode): the
    service in a hidden field, and the citizen's consent, which ``application_submit`` requires."""

    def __init__(self, offer: Offer, *args: Any, **kwargs: Any) -> None:
        super().__init__(offer, *args, **kwargs)
        self.fields["layanan"] = forms.CharField(widget=forms.HiddenInput)
        self.fields["consent"] = forms.BooleanField(
            label=_("Warga menyetujui petugas mengisi atas namanya"), required=True,
            help_text=_("Tanyakan dulu kepada warga. Permohonan tetap milik warga: kode lacak dikirim ke nomor HP-nya."))
        for code in self.document_codes:
            self.fields[code].help_text = _("Pindai berkas warga di meja layanan, lalu pilih hasil pindaiannya.")
        self.mark_fields()

    def submission(self, *, user: Any, kept: dict[str, UploadedFile], submission_key: str | None,
                   client: str | None) -> Submission:
        sub = super().submission(user=None, kept=kept, submission_key=submission_key, client=client)
        sub.assisted_by = user
        sub.assisted_consent = bool(self.cleaned_data.get("consent"))
        return sub


# --- the tracking page ------------------------------------------------------------------

class UnlockForm(DomainForm):
    """Proving the application is yours (``unlock.check_proof``): the phone's last four
    digits, or the whole number once the four digits were guessed too often."""

    phone_last4 = forms.CharField(label=_("Empat digit terakhir nomor HP yang didaftarkan"), widget=forms.TextInput(
        attrs={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off", "style": "max-width:10em"}))
    phone = forms.CharField(label=_("Nomor HP lengkap yang didaftarkan"), widget=forms.TextInput(
        attrs={"type": "tel", "inputmode": "tel", "maxlength": 20, "autocomplete": "off", "style": "max-width:16em"}))

    def __init__(self, *args: Any, full_phone: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.full_phone = full_phone
        if full_phone:  # only the whole number is shown: what is said about the digits goes there
            self.domain_fields = {"phone_last4": "phone"}

    def shown(self) -> forms.BoundField:
        return self["phone" if self.full_phone else "phone_last4"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.full_phone and not (data.get("phone") or "").strip() and not (data.get("phone_last4") or "").strip():
            self.add_error("phone", _("Tulis nomor HP lengkap yang didaftarkan."))
        return data


class CompletionForm(UploadsForm):
    """The documents the officer asked for (``applications.application_complete_documents``)."""

    def __init__(self, requirements: list[Any], *args: Any, requested: list[str] | tuple[str, ...] = (),
                 **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "c-%s")
        super().__init__(*args, **kwargs)
        # The form's own key: files already sent are kept under it (services.upload_stash).
        self.fields["form_key"] = forms.CharField(widget=forms.HiddenInput)
        # The files the officer ticked come first, marked (workflow.requested_files).
        for r in sorted(requirements, key=lambda r: r.code not in requested):
            self.add_document_field(r.code, r.local_name, required=False, id_prefix="c-")
            if r.code in requested:
                self.fields[r.code].help_text = _("Diminta petugas: kirim ulang berkas ini.")
        self.fields["note"] = forms.CharField(label=_("Keterangan"), required=False, max_length=1000, strip=False,
                                              widget=forms.Textarea(attrs={"rows": 3}))
        if self.document_codes:  # "send at least one file": said at the first file input
            self.domain_fields = {"files": self.document_codes[0]}
        self.mark_fields()
        for code in self.document_codes:  # none is required on its own: the mark would mislead
            self.fields[code].mark = ""  # type: ignore[attr-defined]

    @property
    def form_key(self) -> str:
        return str(self.data.get("form_key") or self.initial.get("form_key") or "")[:80]


class WithdrawForm(DomainForm):
    """Withdrawing an application: asked for twice (the box), with an optional reason."""

    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
    confirm = forms.BooleanField(label=_("Saya yakin membatalkan permohonan ini"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "w-%s")
        super().__init__(*args, **kwargs)

    def clean_confirm(self) -> bool:
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(_("Centang konfirmasi untuk membatalkan permohonan."))
        return True
