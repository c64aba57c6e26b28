"""The back office's forms: one form per action on an application's page (each action's
domain function decides what is valid), and the office settings (``office_setup``,
``organization.contacts``, ``feedback.kiosks``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from satupintu.core import actors
from satupintu.core.errors import DomainError, Forbidden
from satupintu.core.forms import DomainForm, RevealReasonForm
from satupintu.organization import access
from satupintu.organization.contacts import WEEKDAY_NAMES, OfficeContacts
from satupintu.organization.models import Office, Unit
from satupintu.services import applications, workflow
from satupintu.services.forms import ACCEPT
from satupintu.services.models import Application, DocumentKind
from satupintu.services.office_setup import ServiceSetting

NOTE_MAX = 5000
# The note of an action, as the page asks for it (verify and process ask for none).
NOTE_LABELS: dict[str, Any] = {
    "request_completion": _("Apa yang harus dilengkapi pemohon?"),
    "reject": _("Alasan penolakan"),
    "handover": _("Keterangan"),
}


class RevealForm(RevealReasonForm):
    """Showing the applicant's personal data unmasked: with a reason, and the access is recorded."""

    reveal = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)


class ActionForm(DomainForm):
    """One action on an application: ``act`` calls its domain function. Field ids carry the
    action (``note-reject``) since every action's form is on the same page."""

    action = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, app: Application, user: Any, action: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"%s-{action}")
        kwargs.setdefault("initial", {"action": action})
        super().__init__(*args, **kwargs)
        self.app, self.user, self.action_name = app, user, action

    def add_note(self, label: Any, *, required: bool, **attrs: Any) -> None:
        self.fields["note"] = forms.CharField(label=label, required=required, max_length=NOTE_MAX, strip=False,
                                              widget=forms.Textarea(attrs={"rows": 3, **attrs}))
        self.mark_fields()

    def note(self) -> str:
        return str(self.cleaned_data.get("note") or "")

    def act(self) -> None:
        raise DomainError("unknown_action", "Aksi tidak dikenal.")


class TransitionForm(ActionForm):
    """A status change of workflow.TRANSITIONS (verify, process, request_completion, reject)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.action_name in NOTE_LABELS:
            self.add_note(NOTE_LABELS[self.action_name], required=workflow.TRANSITIONS[self.action_name].note_required)

    def act(self) -> None:
        workflow.application_transition(self.app, self.action_name, user=self.user, note=self.note())


class RequestCompletionForm(TransitionForm):
    """Asking the applicant for more: the note, and which files to send again, ticked, so the
    tracking page marks them (the citizen got six upload boxes and no word which one was meant)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from satupintu.services import catalog

        names = catalog.requirement_names(self.app.service, self.app.office)
        self.fields["requirements"] = forms.MultipleChoiceField(
            label=_("Berkas yang perlu dikirim ulang"), required=False, choices=list(names.items()),
            widget=forms.CheckboxSelectMultiple, help_text=_("Ditandai untuk pemohon di halaman lacak."),
            error_messages={"invalid_choice": _("Pilih berkas dari daftar persyaratan layanan ini.")})
        self.fields["requirements"].mark = ""  # type: ignore[attr-defined]
        self.order_fields(["action", "note", "requirements"])

    def act(self) -> None:
        workflow.application_transition(self.app, self.action_name, user=self.user, note=self.note(),
                                        requested=list(self.cleaned_data.get("requirements") or []))


class CompleteForm(ActionForm):
    """Completing closes the file and tells the citizen: asked for twice (the box), without
    JavaScript. Without a product uploaded, the note (where and when to collect it) is needed."""

    confirm = forms.BooleanField(label=_("Saya yakin permohonan ini selesai; pemohon akan diberi tahu."),
                                 required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_product = self.app.documents.filter(kind=DocumentKind.PRODUCT, superseded=False).exists()
        office = self.app.office
        example = _("Mis. Ambil di loket PTSP")
        place = f"{office.name}{', ' + office.address if office.address else ''}"
        hours = f"{office.opens_at:%H.%M}–{office.closes_at:%H.%M} {office.timezone_label}"
        self.add_note(_("Cara pengambilan produk"), required=not self.has_product,
                      placeholder=f"{example} {place}, {hours}")
        self.fields["note"].help_text = (
            _("Produk layanan sudah diunggah; pemohon dapat mengunduhnya.") if self.has_product
            else _("Belum ada produk diunggah: tuliskan di mana dan kapan pemohon mengambil produknya."))
        self.order_fields(["action", "note", "confirm"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("confirm"):
            self.add_error("confirm", _("Centang konfirmasi untuk menyelesaikan permohonan."))
            # Not completed without the box; what else would stop it is said now, not next time.
            if (missing := workflow.completion_error(self.app, str(data.get("note") or ""))) is not None:
                self.add_domain_error(missing)
        return data

    def act(self) -> None:
        workflow.application_transition(self.app, "complete", user=self.user, note=self.note())


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("Tugaskan ke"), queryset=get_user_model().objects.none(),
                                      empty_label="—",  # nobody chosen for the officer: a quick click assigns no one
                                      error_messages={"invalid_choice": _("Pilih petugas yang ditugaskan.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.widget.attrs["id"] = "assignee"
        field.queryset = get_user_model().objects.filter(  # type: ignore[attr-defined]
            access.assignable(self.app), is_active=True).distinct().order_by("first_name", "username")
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]

    def act(self) -> None:
        workflow.application_assign(self.app, user=self.user, assignee=self.cleaned_data.get("assignee"))


class ForwardForm(ActionForm):
    """Disposition to another unit, the office above or an office below."""

    office = forms.ModelChoiceField(label=_("Kantor"), queryset=Office.objects.none(), to_field_name="code",
                                    empty_label=None,
                                    error_messages={"invalid_choice": _("Pilih kantor dan unit tujuan.")})
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), to_field_name="code",
                                  empty_label=None,
                                  error_messages={"invalid_choice": _("Pilih kantor dan unit tujuan.")})

    def __init__(self, app: Application, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "fw-%s")
        kwargs.setdefault("initial", {"action": "forward", "office": app.office.code,
                                      "unit": app.unit.code if app.unit_id else ""})
        super().__init__(app, *args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(  # type: ignore[attr-defined]
            Q(pk=app.office_id) | Q(pk=app.office.parent_id) | Q(parent_id=app.office_id)).order_by("code")
        self.fields["unit"].queryset = Unit.objects.all()  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = lambda unit: unit.local_name  # type: ignore[attr-defined]
        self.add_note(_("Catatan disposisi"), required=True)

    def act(self) -> None:
        d = self.cleaned_data
        workflow.application_forward(self.app, user=self.user, office=d.get("office"), unit=d.get("unit"),
                                     note=self.note())


class UploadProductForm(ActionForm):
    product = forms.FileField(label=_("Unggah produk layanan (PDF/JPG/PNG)"), allow_empty_file=True,
                              widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].widget.attrs["id"] = "product"

    def act(self) -> None:
        applications.application_upload_product(self.app, user=self.user, upload=self.cleaned_data.get("product"))


class HandoverForm(ActionForm):
    """The product was given at the desk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_note(NOTE_LABELS["handover"], required=False)

    def act(self) -> None:
        if not access.can_act(self.user, self.app, "handover"):
            raise Forbidden("forbidden", "Anda tidak berwenang.")
        if typed := self.note().strip():
            applications.application_mark_handed_over(self.app, user=self.user, how=typed)
        else:
            step = actors.step_note(gettext_noop("Diserahkan di loket."))
            applications.application_mark_handed_over(self.app, user=self.user, how=step["note"], said=step["data"])


ACTION_FORMS: dict[str, type[ActionForm]] = {
    **{name: TransitionForm for name, t in workflow.TRANSITIONS.items() if not t.by_citizen},
    "request_completion": RequestCompletionForm,
    "complete": CompleteForm, "assign": AssignForm, "forward": ForwardForm,
    "upload_product": UploadProductForm, "handover": HandoverForm,
}


def action_form(app: Application, user: Any, action: str, data: Any = None, files: Any = None) -> ActionForm:
    """The form of ``action`` (bound when ``data`` is given); an unknown action gets the bare
    form, whose ``act`` says so."""
    if action not in ACTION_FORMS:  # what was posted goes into no element id
        return ActionForm(app, user, action, data, files, auto_id="%s-unknown")
    return ACTION_FORMS[action](app, user, action, data, files)


# --- office settings -------------------------------------------------------------------

class ContactsForm(DomainForm):
    """The office's contact details for citizens (``contacts.office_update_contacts``)."""

    office = forms.CharField(widget=forms.HiddenInput)
    section = forms.CharField(widget=forms.HiddenInput, initial="contacts")
    address = forms.CharField(label=_("Alamat"), required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    phone = forms.CharField(label=_("Telepon"), required=False, widget=forms.TextInput(
        attrs={"type": "tel", "maxlength": 40, "placeholder": "(0473) 21234"}))
    whatsapp = forms.CharField(label="WhatsApp", required=False, widget=forms.TextInput(
        attrs={"type": "tel", "maxlength": 20, "placeholder": "0812 3456 7890"}))
    email = forms.CharField(label="Email", required=False, widget=forms.EmailInput(attrs={"maxlength": 254}))
    opening_hours_text = forms.CharField(label=_("Jam layanan (seperti dibaca warga)"), required=False,
                                         widget=forms.TextInput(attrs={"maxlength": 200}))
    latitude = forms.CharField(label=_("Lintang"), required=False, widget=forms.TextInput(
        attrs={"inputmode": "decimal", "placeholder": "-2.55412"}))
    longitude = forms.CharField(label=_("Bujur"), required=False, widget=forms.TextInput(
        attrs={"inputmode": "decimal", "placeholder": "120.32801"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "c-%s")
        super().__init__(*args, **kwargs)
        self.fields["opening_hours_text"].widget.attrs["placeholder"] = _(
            "Senin–Kamis 08.00–16.00, Jumat 08.00–16.30")

    @classmethod
    def for_office(cls, office: Office) -> ContactsForm:
        fields = ("address", "phone", "whatsapp", "email", "opening_hours_text", "latitude", "longitude")
        return cls(initial={"office": office.code, **{f: getattr(office, f) for f in fields}})

    def contacts(self) -> OfficeContacts:
        d = self.cleaned_data
        return OfficeContacts(**{f: d.get(f) or "" for f in ("address", "phone", "whatsapp", "email",
                                                             "opening_hours_text", "latitude", "longitude")})

    def add_domain_error(self, exc: DomainError) -> None:
        for err in getattr(exc, "errors", None) or [exc]:  # contacts.ContactErrors lists every field
            super().add_domain_error(err)


WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES, 1)]
TIME_ERROR = _("Tulis jam dengan format JJ:MM, mis. 08:00.")


def _time_field(label: Any, placeholder: str) -> forms.TimeField:
    return forms.TimeField(label=label, input_formats=["%H:%M", "%H.%M"], error_messages={"invalid": TIME_ERROR},
                           widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric",
                                                                          "placeholder": placeholder,
                                                                          "style": "max-width:8em"}))


class OfficeSettingsForm(DomainForm):
    """Opening hours and days, and per service: open or not, and its own completion time
    (``office_setup.office_update_settings``)."""

    office = forms.CharField(widget=forms.HiddenInput)
    opens_at = _time_field(_("Buka"), "08:00")
    closes_at = _time_field(_("Tutup"), "16:00")
    weekday = forms.MultipleChoiceField(label=_("Hari layanan"), choices=WEEKDAY_CHOICES,
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"invalid_choice": _("Hari layanan tidak dikenal.")})
    enabled = forms.MultipleChoiceField(label=_("Layanan yang dibuka"), required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"invalid_choice": _("Layanan tidak dikenal.")})
    domain_fields = {"weekdays": "weekday"}

    def __init__(self, services: list[Any], *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "s-%s")
        super().__init__(*args, **kwargs)
        self.services = services
        self.fields["enabled"].choices = [(str(s.pk), s.local_name) for s in services]  # type: ignore[attr-defined]
        for s in services:
            label = _("Hari kerja %(service)s") % {"service": s.local_name}
            self.fields[f"days-{s.pk}"] = forms.IntegerField(  # text, not number: "abc" stays as typed
                label=label, required=False,
                error_messages={"invalid": _("Tulis waktu penyelesaian dengan angka hari kerja, mis. 5.")},
                widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": s.working_days,
                                              "aria-label": label, "style": "max-width:6em"}))
        self.mark_fields()
        self.fields["enabled"].mark = ""  # type: ignore[attr-defined]
        # A group of boxes: "at least one" is said in the legend, not as required on every box.
        self.fields["weekday"].widget.attrs.pop("required", None)

    @classmethod
    def for_office(cls, office: Office, services: list[Any], overrides: dict[int, Any]) -> OfficeSettingsForm:
        initial: dict[str, Any] = {
            "office": office.code, "opens_at": office.opens_at, "closes_at": office.closes_at,
            "weekday": list(office.working_weekdays),
            "enabled": [str(s.pk) for s in services if s.pk not in overrides or overrides[s.pk].enabled],
        }
        for s in services:
            if s.pk in overrides and overrides[s.pk].working_days:
                initial[f"days-{s.pk}"] = overrides[s.pk].working_days
        return cls(services, initial=initial)

    def rows(self) -> list[dict[str, Any]]:
        """One table row per service: its switch (a checkbox of ``enabled``) and its days."""
        switches = {str(w.data["value"]): w for w in self["enabled"]}
        return [{"service": s, "switch": switches[str(s.pk)], "days": self[f"days-{s.pk}"]} for s in self.services]

    def add_other_errors(self, errors: list[DomainError]) -> None:
        """After parse errors: the domain's findings on the fields that did parse, so every
        problem is shown at once (a field that could not be read keeps its own message)."""
        for err in errors:
            if self.domain_fields.get(err.field or "", err.field) not in self.errors:
                self.add_domain_error(err)

    def settings(self) -> dict[str, Any]:
        d = self.cleaned_data
        enabled = set(d.get("enabled") or [])
        return {
            "opens_at": d.get("opens_at"), "closes_at": d.get("closes_at"), "weekdays": "".join(d.get("weekday") or []),
            "services": {s.pk: ServiceSetting(enabled=str(s.pk) in enabled, working_days=d.get(f"days-{s.pk}"))
                         for s in self.services},
        }


RULE_CHOICES = [("default", _("Ikuti standar nasional")), ("mandatory", _("Wajib")), ("optional", _("Opsional")),
                ("hidden", _("Tidak diminta"))]


class RequirementsForm(DomainForm):
    """The office's rule per national requirement, and one requirement of its own
    (``office_setup.office_set_requirements``)."""

    office = forms.CharField(widget=forms.HiddenInput)
    extra_name = forms.CharField(label=_("Tambah persyaratan kantor"), required=False,
                                 help_text=_("Mis. Surat pengantar madrasah."),
                                 widget=forms.TextInput(attrs={"maxlength": 300}))
    extra_mandatory = forms.BooleanField(label=_("Persyaratan tambahan ini wajib"), required=False)

    def __init__(self, requirements: list[Any], *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.codes = [r.code for r in requirements]
        for r in requirements:
            self.fields[f"req-{r.code}"] = forms.ChoiceField(
                label=r.local_name, choices=RULE_CHOICES, required=False, initial="default",
                help_text=_("Wajib secara nasional") if r.mandatory else _("Opsional secara nasional"),
                error_messages={"invalid_choice": _("Pilih salah satu aturan yang tersedia.")})
            self.fields[f"req-{r.code}"].mark = ""  # type: ignore[attr-defined]  # a select always has a value
        self.domain_fields = {code: f"req-{code}" for code in self.codes}
        self.order_fields(["office", *[f"req-{c}" for c in self.codes], "extra_name", "extra_mandatory"])

    def requirement_fields(self) -> list[forms.BoundField]:
        return [self[f"req-{code}"] for code in self.codes]

    def rules(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"req-{code}") or "default" for code in self.codes}


class KioskForm(DomainForm):
    """Registering a survey kiosk (``kiosks.kiosk_register``)."""

    office = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nama kios"), widget=forms.TextInput(attrs={"maxlength": 100}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "kiosk-%s")
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = _("Tablet loket PTSP")


class KioskRevokeForm(DomainForm):
    """Revoking a kiosk: the button names the device (``kiosks.kiosk_revoke``)."""

    revoke = forms.IntegerField(widget=forms.HiddenInput,
                                error_messages={"invalid": _("Kios tidak ditemukan di kantor ini.")})
