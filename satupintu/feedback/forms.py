"""The public's forms: a report (complaint, aspiration or question; ``reports.report_submit``),
adding to it and confirming its answer (``report_add_information``, ``report_confirm``), and
the satisfaction survey (``survey.survey_submit``). The domain decides what is valid and names
every problem at once. The staff's forms are in officer_forms.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm, MultipleFileField, MultipleFileInput, filterable
from satupintu.feedback.elements import (
    AGE_CHOICES,
    EDUCATION_CHOICES,
    ELEMENT_CODES,
    ELEMENTS,
    OCCUPATION_CHOICES,
    SEX_CHOICES,
)
from satupintu.feedback.models import ReportCategory, ReportKind
from satupintu.feedback.reports import MAX_ATTACHMENTS, TEXT_MAX, ReportSubmission
from satupintu.organization import finder
from satupintu.services import upload_stash
from satupintu.services.forms import REMOVE_KEPT
from satupintu.services.models import UploadStash

HONEYPOT = "website"  # a field people never see; bots fill it
ATTACHMENT_SLOTS = [f"lampiran-{i}" for i in range(1, MAX_ATTACHMENTS + 1)]
ACCEPT = "application/pdf,image/jpeg,image/png"


def office_choices() -> list[Any]:
    """Kanwils with their Kankemenags, grouped by province."""
    return [("", _("— pilih kantor, atau gunakan lokasi —"))] + [
        (k.region_name, [(k.code, k.name)] + [(c.code, c.region_name) for c in k.children.all()])
        for k in finder.kanwils_with_offices()
    ]


class AttachmentsForm(DomainForm):
    """A form with a ``files`` field (several attachments) whose accepted files are kept across
    an error (services.upload_stash), each in a free slot of ``slots``, under the form's key."""

    slots: list[str] = ATTACHMENT_SLOTS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept: dict[str, UploadStash] = {}
        self.fields["files"].widget.attrs["data-max-bytes"] = settings.UPLOAD_MAX_BYTES

    def _removed(self) -> set[str]:
        return set(self.data.getlist(REMOVE_KEPT)) if hasattr(self.data, "getlist") else set()

    def attachments(self, kept: dict[str, UploadedFile]) -> list[UploadedFile]:
        """Attachments kept from an earlier try first (unless removed), then the new ones."""
        files = [f for slot, f in sorted(kept.items()) if slot not in self._removed()]
        return files + list(self.cleaned_data.get("files") or [])

    def keep_uploads(self, owner: upload_stash.StashOwner) -> None:
        """After errors: keep each new attachment that passes the checks, in a free slot."""
        upload_stash.stash_discard(owner, codes=sorted(self._removed()))
        held = set(upload_stash.stash_list(owner))
        free = [slot for slot in self.slots if slot not in held]
        # self.files, not cleaned_data: a field with an error is gone from cleaned_data, and the
        # good files of several still deserve keeping (stash_keep checks each one again).
        uploads = self.files.getlist("files") if hasattr(self.files, "getlist") else []
        not_kept = False
        for slot, upload in zip(free, uploads, strict=False):
            not_kept |= upload_stash.stash_keep(owner, slot, upload, label=str(_("Lampiran"))) is None
        if not_kept and owner.usable:  # say so, or the person believes the file is with us
            from satupintu.services.forms import FILES_NOT_KEPT_MESSAGE

            self.add_error(None, FILES_NOT_KEPT_MESSAGE)

    def show_kept(self, kept: dict[str, UploadStash]) -> None:
        self.kept = kept
        self.fields["files"].kept_list = [kept[s] for s in sorted(kept)]  # type: ignore[attr-defined]


class ReportForm(AttachmentsForm):
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
        widget=MultipleFileInput(attrs={"accept": ACCEPT}))
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
        self.fields["office"].widget.choices = office_choices()  # type: ignore[attr-defined]
        filterable(self.fields["office"].widget)
        self.fields["name"].mark = ""  # type: ignore[attr-defined]  # required unless anonymous: said in its hint
        self.fields["name"].widget.attrs.pop("required", None)
        for name in ("anonymous", "confidential"):
            self.fields[name].mark = ""  # type: ignore[attr-defined]

    def submission(self, *, ip: str, kept: dict[str, UploadedFile] | None = None) -> ReportSubmission:
        d = self.cleaned_data
        return ReportSubmission(
            kind=d.get("kind", ""), category=d.get("category", ""), office=d.get("office", ""),
            title=d.get("title", ""), text=d.get("text", ""), name=d.get("name", ""), email=d.get("email", ""),
            phone=d.get("phone", ""), anonymous=bool(d.get("anonymous")), confidential=bool(d.get("confidential")),
            application_code=d.get("application_code", ""), files=self.attachments(kept or {}), ip=ip,
            honeypot=str(self.data.get(HONEYPOT, "")), latitude=d.get("latitude", ""),
            longitude=d.get("longitude", ""), language=translation.get_language() or "",
        )


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
                label=_(e.name), help_text=_(e.question),  # noqa: INT001 (the elements' texts are in the catalogue)
                widget=forms.RadioSelect(choices=[(str(i), _(a))  # noqa: INT001
                                                  for i, a in enumerate(e.answers, start=1)]))
        for name, choices in (("sex", SEX_CHOICES), ("age_group", AGE_CHOICES), ("education", EDUCATION_CHOICES),
                              ("occupation", OCCUPATION_CHOICES)):
            self.fields[name].widget = forms.Select(choices=[("", "—"), *[(v, _(label)) for v, label in choices]])  # noqa: INT001
        if services is not None:  # the kiosk: which service the visitor received
            self.fields["service"] = forms.CharField(
                label=_("Layanan yang Anda terima"), required=False,
                widget=forms.Select(choices=[("", "—"), *[(s.slug, s.local_name) for s in services]]))
            # One per questionnaire shown: the same one sent twice (a double tap) counts once.
            self.fields["answer_key"] = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
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


class AddInformationForm(AttachmentsForm):
    """The reporter adds to an open report (``reports.report_add_information``)."""

    slots = [f"lampiran-{i}" for i in range(1, MAX_ATTACHMENTS * 2 + 1)]  # the domain's limit per report

    text = forms.CharField(label=_("Informasi tambahan"), strip=False,
                           help_text=_("Tulis tambahan informasi, lampirkan berkas, atau keduanya."),
                           widget=forms.Textarea(attrs={"maxlength": TEXT_MAX, "rows": 4}))
    files = MultipleFileField(  # type: ignore[assignment]  # see ReportForm.files
        label=_("Lampiran"), required=False, help_text=_("PDF, JPG atau PNG."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}))
    form_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "info-%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].mark = ""  # type: ignore[attr-defined]  # text or a file: said in its hint
        self.fields["text"].widget.attrs.pop("required", None)


RESOLVED_CHOICES = [("ya", _("Ya, selesai")), ("tidak", _("Belum, mohon ditindaklanjuti"))]


class ConfirmForm(DomainForm):
    """The reporter says whether the answer solved it, and may rate it (``reports.report_confirm``)."""

    resolved = forms.CharField(label=_("Apakah jawaban ini menyelesaikan masalah Anda?"),
                               widget=forms.RadioSelect(choices=RESOLVED_CHOICES))
    rating = forms.IntegerField(
        label=_("Nilai penanganan (1-5)"), required=False,
        widget=forms.Select(choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]),
        error_messages={"invalid": _("Nilai 1 sampai 5.")})
    comment = forms.CharField(label=_("Komentar"), required=False, strip=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": _("Maksimal %(limit_value)d karakter.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def clean_resolved(self) -> bool | None:
        # Anything but the two answers is no answer: report_confirm says what is missing.
        return {"ya": True, "tidak": False}.get(self.cleaned_data.get("resolved", ""))


class BoardFilterForm(DomainForm):
    """The aspiration board's search: words, and an office picked by name (a Kanwil takes its
    province's offices too); citizens do not know office codes."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"}))
    office = forms.ChoiceField(label=_("Kantor"), required=False, choices=(),
                               error_messages={"invalid_choice": _("Kantor tidak dikenal; pilih dari daftar.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        field = self.fields["office"]
        field.choices = [("", _("Semua kantor"))] + office_choices()[1:]  # type: ignore[attr-defined]
        filterable(field.widget)
        for f in self.fields.values():
            f.mark = ""  # type: ignore[attr-defined]  # a search: neither box is asked for

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip()[:100]
