"""The public's forms: a report (complaint, aspiration or question; ``reports.report_submit``)
and the satisfaction survey (``survey.survey_submit``). The domain decides what is valid and
names every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm, MultipleFileField, MultipleFileInput
from satupintu.feedback.elements import (
    AGE_CHOICES,
    EDUCATION_CHOICES,
    ELEMENT_CODES,
    ELEMENTS,
    OCCUPATION_CHOICES,
    SEX_CHOICES,
)
from satupintu.feedback.models import ReportCategory, ReportKind
from satupintu.feedback.reports import MAX_ATTACHMENTS, ReportSubmission
from satupintu.organization.models import Level, Office
from satupintu.services import upload_stash
from satupintu.services.forms import REMOVE_KEPT
from satupintu.services.models import UploadStash

HONEYPOT = "website"  # a field people never see; bots fill it
ATTACHMENT_SLOTS = [f"lampiran-{i}" for i in range(1, MAX_ATTACHMENTS + 1)]


def office_choices() -> list[Any]:
    """Kanwils with their Kankemenags, grouped by province."""
    kanwils = Office.objects.filter(level=Level.KANWIL).prefetch_related("children").order_by("name")
    return [("", _("— pilih kantor, atau gunakan lokasi —"))] + [
        (k.region_name, [(k.code, k.name)] + [(c.code, c.region_name) for c in k.children.all()]) for k in kanwils
    ]


class ReportForm(DomainForm):
    kind = forms.CharField(label=_("Jenis laporan"), initial=ReportKind.choices[0][0],
                           widget=forms.RadioSelect(choices=ReportKind.choices))
    category = forms.CharField(label=_("Kategori"), widget=forms.Select(choices=ReportCategory.choices),
                               help_text=_("Laporan pungli, gratifikasi dan perilaku petugas langsung ditangani "
                                           "Inspektorat."))
    office = forms.CharField(label=_("Kantor yang dilaporkan / lokasi Anda"), widget=forms.Select)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Judul"), widget=forms.TextInput(attrs={"maxlength": 200}))
    text = forms.CharField(label=_("Isi laporan"), help_text=_("Ceritakan apa, kapan, di mana (minimal 20 karakter)."),
                           widget=forms.Textarea(attrs={"maxlength": 5000, "rows": 6}), strip=False)
    application_code = forms.CharField(label=_("Kode lacak permohonan terkait"), required=False)
    # Named "files" like the posted field; the form metaclass moves it into base_fields, so it
    # does not shadow Form.files (the uploads) at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Lampiran"), required=False, help_text=_("PDF, JPG atau PNG, maksimal 3 berkas."),
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    anonymous = forms.BooleanField(label=_("Rahasiakan identitas saya (petugas tidak akan melihat siapa pelapornya)"),
                                   required=False)
    confidential = forms.BooleanField(label=_("Laporan ini rahasia (tidak ditampilkan di papan publik)"),
                                      required=False)
    name = forms.CharField(label=_("Nama"), help_text=_("Wajib, kecuali identitas Anda dirahasiakan."),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Nomor HP"), required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("Email untuk kabar tindak lanjut"), required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    # The form's own key: attachments already sent are kept under it (services.upload_stash).
    form_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.kept: dict[str, UploadStash] = {}
        self.fields["office"].widget.choices = office_choices()  # type: ignore[attr-defined]
        self.fields["name"].mark = ""  # type: ignore[attr-defined]  # required unless anonymous: said in its hint
        self.fields["name"].widget.attrs.pop("required", None)
        self.fields["files"].widget.attrs["data-max-bytes"] = settings.UPLOAD_MAX_BYTES
        for name in ("anonymous", "confidential"):
            self.fields[name].mark = ""  # type: ignore[attr-defined]

    def _removed(self) -> set[str]:
        return set(self.data.getlist(REMOVE_KEPT)) if hasattr(self.data, "getlist") else set()

    def submission(self, *, ip: str, kept: dict[str, UploadedFile] | None = None) -> ReportSubmission:
        """Attachments kept from an earlier try first (unless removed), then the new ones."""
        d = self.cleaned_data
        files = [f for slot, f in sorted((kept or {}).items()) if slot not in self._removed()]
        return ReportSubmission(
            kind=d.get("kind", ""), category=d.get("category", ""), office=d.get("office", ""),
            title=d.get("title", ""), text=d.get("text", ""), name=d.get("name", ""), email=d.get("email", ""),
            phone=d.get("phone", ""), anonymous=bool(d.get("anonymous")), confidential=bool(d.get("confidential")),
            application_code=d.get("application_code", ""), files=files + list(d.get("files") or []), ip=ip,
            honeypot=str(self.data.get(HONEYPOT, "")), latitude=d.get("latitude", ""),
            longitude=d.get("longitude", ""),
        )

    def keep_uploads(self, owner: upload_stash.StashOwner) -> None:
        """After errors: keep each new attachment that passes the checks, in a free slot."""
        upload_stash.stash_discard(owner, codes=sorted(self._removed()))
        held = set(upload_stash.stash_list(owner))
        free = [slot for slot in ATTACHMENT_SLOTS if slot not in held]
        # self.files, not cleaned_data: a field with an error is gone from cleaned_data, and the
        # good files of several still deserve keeping (stash_keep checks each one again).
        uploads = self.files.getlist("files") if hasattr(self.files, "getlist") else []
        for slot, upload in zip(free, uploads, strict=False):
            upload_stash.stash_keep(owner, slot, upload, label=str(_("Lampiran")))

    def show_kept(self, kept: dict[str, UploadStash]) -> None:
        self.kept = kept
        self.fields["files"].kept_list = [kept[s] for s in sorted(kept)]  # type: ignore[attr-defined]


class SurveyForm(DomainForm):
    """The SKM questionnaire (nine elements, 1-4) with the optional respondent profile; at a
    kiosk also the service received. ``survey.survey_submit`` checks it."""

    sex = forms.CharField(label=_("Jenis kelamin"), required=False)
    age_group = forms.CharField(label=_("Usia"), required=False)
    education = forms.CharField(label=_("Pendidikan"), required=False)
    occupation = forms.CharField(label=_("Pekerjaan"), required=False)
    comment = forms.CharField(label=_("Saran atau komentar"), required=False, strip=False,
                              widget=forms.Textarea(attrs={"maxlength": 2000, "rows": 4}))

    def __init__(self, *args: Any, services: list[Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        for e in ELEMENTS:
            self.fields[e.code] = forms.CharField(
                label=e.name, help_text=e.question,
                widget=forms.RadioSelect(choices=[(str(i), a) for i, a in enumerate(e.answers, start=1)]))
        for name, choices in (("sex", SEX_CHOICES), ("age_group", AGE_CHOICES), ("education", EDUCATION_CHOICES),
                              ("occupation", OCCUPATION_CHOICES)):
            self.fields[name].widget = forms.Select(choices=[("", "—"), *choices])
        if services is not None:  # the kiosk: which service the visitor received
            self.fields["service"] = forms.CharField(
                label=_("Layanan yang Anda terima"), required=False,
                widget=forms.Select(choices=[("", "—"), *[(s.slug, s.name) for s in services]]))
        self.order_fields(["service", *ELEMENT_CODES])
        self.mark_fields()

    def element_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in ELEMENT_CODES]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("sex", "age_group", "education", "occupation")]

    def answers(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code in ELEMENT_CODES}

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in ("sex", "age_group", "education", "occupation")}
