"""The staff's forms in Suara publik: scheduling an NGOPAS dialogue and recording it
(``dialogues.dialogue_schedule`` / ``dialogue_record``), and acting on a report
(``reports.report_act`` / ``report_recategorize``) or revealing its reporter's contact.
They parse; the domain functions decide what is allowed and valid."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.forms import DomainForm, RevealReasonForm
from satupintu.feedback.dialogues import LINK_MAX, PLACE_MAX, ROW_FIELDS, TITLE_MAX
from satupintu.feedback.models import INTEGRITY_CATEGORIES, DialogueVenue, Report, ReportCategory
from satupintu.feedback.reports import TEXT_MAX
from satupintu.organization.models import Office, Unit


class _ButtonForm(DomainForm):
    """A form that is one button with one hidden flag: did the post ask for it?"""

    def wants(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time as typed (``<input type=datetime-local>``, or by hand where
    a browser has no picker), without a zone: whose clock it is (an office's) is for the view
    to say, so it is not read in the server's zone as Django's DateTimeField would."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H.%M",
               "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M")
    # A sane range: a typo such as year 0202 would otherwise overflow when put in UTC.
    YEARS = (2000, 2100)
    default_error_messages = {
        "invalid": _("Tulis tanggal dan jam yang benar, misalnya 17-08-2025 09.30."),
        "range": _("Tahun harus antara %(low)d dan %(high)d."),
    }

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value or "").strip()
        if not text:
            return None
        for fmt in self.FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            if not self.YEARS[0] <= parsed.year <= self.YEARS[1]:
                raise ValidationError(self.error_messages["range"], code="range",
                                      params={"low": self.YEARS[0], "high": self.YEARS[1]})
            return parsed
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class DialogueForm(DomainForm):
    """Schedule a dialogue for one of ``offices`` (those the user may organise for)."""

    office = forms.CharField(label=_("Kantor penyelenggara"), widget=forms.Select)
    starts_at = LocalDateTimeField(label=_("Tanggal dan jam (waktu setempat)"))
    title = forms.CharField(label=_("Judul"), widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}))
    venue_type = forms.CharField(label=_("Jenis tempat"), widget=forms.Select(choices=DialogueVenue.choices))
    place = forms.CharField(label=_("Nama tempat"), required=False, help_text=_("Wajib, kecuali dialog daring."),
                            widget=forms.TextInput(attrs={"maxlength": PLACE_MAX}))
    online_link = forms.CharField(label=_("Tautan daring (Zoom/YouTube)"), required=False,
                                  help_text=_("Wajib untuk dialog daring; alamat yang diawali https://."),
                                  widget=forms.URLInput(attrs={"maxlength": LINK_MAX}))
    publish = forms.BooleanField(label=_("Tampilkan di halaman publik"), required=False, initial=True)

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.offices = {o.code: o for o in offices}
        self.fields["office"].widget.choices = [(o.code, o.name) for o in offices]  # type: ignore[attr-defined]
        for name in ("place", "online_link", "publish"):  # place or link by venue: said in their hints
            self.fields[name].mark = ""  # type: ignore[attr-defined]

    def clean_office(self) -> Office:
        office = self.offices.get(self.cleaned_data.get("office", ""))
        if office is None:
            raise ValidationError(_("Pilih kantor penyelenggara."), code="unknown_office")
        return office

    def schedule(self) -> dict[str, Any]:
        """The arguments of ``dialogue_schedule`` (but the user): the time on the office's clock."""
        d = self.cleaned_data
        office: Office = d["office"]
        starts_at = d.get("starts_at")
        return {
            "office": office, "title": d.get("title", ""), "venue_type": d.get("venue_type", ""),
            "place": d.get("place", ""), "online_link": d.get("online_link", ""),
            "starts_at": starts_at.replace(tzinfo=ZoneInfo(office.timezone)) if starts_at else None,
            "publish": bool(d.get("publish")),
        }


ASPIRATION_SLOTS = range(1, 6)


class DialogueRecordForm(DomainForm):
    """Attendance and up to five aspirations (rows a1..a5: category, title, text); a row left
    without title and text is not an aspiration."""

    attendees = forms.IntegerField(label=_("Jumlah peserta"), required=False,
                                   widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
                                   error_messages={"invalid": _("Tulis jumlah peserta dengan angka, misalnya 85.")})
    attendee_notes = forms.CharField(label=_("Tokoh/lembaga yang hadir"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        for i in ASPIRATION_SLOTS:
            self.fields[f"a{i}_category"] = forms.CharField(
                label=_("Kategori"), initial=ReportCategory.OTHER, widget=forms.Select(choices=ReportCategory.choices))
            self.fields[f"a{i}_title"] = forms.CharField(label=_("Judul"), widget=forms.TextInput(attrs={"maxlength": 200}))
            self.fields[f"a{i}_text"] = forms.CharField(label=_("Isi aspirasi"), strip=False,
                                                        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))
        self.mark_fields()
        for i in ASPIRATION_SLOTS:  # a row is optional, its title and text needed once it is used: said above them
            for part in ROW_FIELDS:
                field = self.fields[f"a{i}_{part}"]
                field.mark = ""  # type: ignore[attr-defined]
                field.widget.attrs.pop("required", None)
        self.filled: list[int] = []

    def rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(i, [self[f"a{i}_{part}"] for part in ROW_FIELDS]) for i in ASPIRATION_SLOTS]

    def aspirations(self) -> list[tuple[str, str, str]]:
        """(category, title, text) of each row used, for ``dialogue_record``."""
        d, items = self.cleaned_data, []
        self.filled = []
        for i in ASPIRATION_SLOTS:
            title, text = d.get(f"a{i}_title", ""), d.get(f"a{i}_text", "")
            if title.strip() or text.strip():
                items.append((d.get(f"a{i}_category") or ReportCategory.OTHER, title, text))
                self.filled.append(i)
        return items

    def add_domain_error(self, exc: DomainError) -> None:
        """An aspiration's error (``aspirations.<k>.<field>``) goes on its row, saying which."""
        for err in exc.errors if isinstance(exc, ValidationErrors) else [exc]:
            parts = (err.field or "").split(".")
            if len(parts) == 3 and parts[0] == "aspirations" and int(parts[1]) < len(self.filled):
                slot = self.filled[int(parts[1])]
                self.add_error(f"a{slot}_{parts[2]}" if parts[2] in ROW_FIELDS else None,
                               _("Aspirasi %(n)d: %(message)s") % {"n": slot, "message": err.message})
            else:
                super().add_domain_error(err)


class PublishForm(_ButtonForm):
    """Showing a scheduled dialogue on the public page (``dialogues.dialogue_publish``)."""

    publish = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)


# --- reports -------------------------------------------------------------------------------

# What each action asks for; every field of an action is needed, so none is marked (the
# forms say so in one hint, and the widgets keep ``required`` for screen readers).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "verify": (), "forward": ("office", "unit", "note"), "answer": ("note",), "reject": ("note",),
    "recategorize": ("category", "note"),
}
# Element ids stay those the pages and the browser tests have always used.
ACTION_IDS = {"verify": "verify-%s", "forward": "fw-%s", "answer": "answer-%s", "reject": "reject-%s",
              "recategorize": "re-%s"}
NOTE_LABELS = {
    "forward": _("Catatan disposisi"), "answer": _("Jawaban untuk pelapor"), "reject": _("Alasan"),
    "recategorize": _("Alasan perubahan"),
}
NOTE_HINTS = {
    "forward": _("Hanya untuk petugas; pelapor melihat ke mana laporannya diteruskan."),
    "answer": _("Jawaban dapat dilihat pelapor di halaman lacak laporan."),
}


class ReportActionForm(DomainForm):
    """One action on ``report``: only the fields that action takes. One per action on the
    detail page, told apart by their element ids; the posted names are the same for all."""

    action = forms.CharField(widget=forms.HiddenInput)
    office = forms.CharField(label=_("Kantor"), widget=forms.Select)
    unit = forms.CharField(label="Unit", widget=forms.Select)
    category = forms.CharField(label=_("Kategori yang benar"), widget=forms.Select, help_text=_(
        "Pungutan liar, gratifikasi dan perilaku petugas adalah laporan integritas: ditangani Inspektorat, tidak "
        "lagi terlihat oleh unit dan petugas pengaduan."))
    note = forms.CharField(strip=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"max_length": _("Maksimal %(limit_value)d karakter.")})

    def __init__(self, action: str, report: Report, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", ACTION_IDS.get(action, "act-%s"))
        kwargs.setdefault("initial", {
            "action": action, "office": report.office.code, "unit": report.unit.code if report.unit else "",
            "category": report.category,
        })
        super().__init__(*args, **kwargs)
        self.action_name = action
        for name in set(self.fields) - {"action", *ACTION_FIELDS.get(action, ())}:
            del self.fields[name]
        for field in self.fields.values():
            field.mark = ""  # type: ignore[attr-defined]
        f = self.fields
        if "office" in f:  # its own office, the one above and those below (report_act checks)
            offices = Office.objects.filter(Q(pk=report.office_id) | Q(pk=report.office.parent_id)
                                            | Q(parent_id=report.office_id)).order_by("code")
            f["office"].widget.choices = [(o.code, o.name) for o in offices]  # type: ignore[attr-defined]
        if "unit" in f:
            f["unit"].widget.choices = [("", _("Pilih unit")), *[(u.code, u.local_name) for u in Unit.objects.all()]]  # type: ignore[attr-defined]
        if "category" in f:
            integrity = {str(c) for c in INTEGRITY_CATEGORIES}
            f["category"].widget.choices = [  # type: ignore[attr-defined]
                (value, _("%(label)s (ke Inspektorat)") % {"label": label} if value in integrity else label)
                for value, label in ReportCategory.choices]
        if "note" in f:
            f["note"].label = NOTE_LABELS.get(action, _("Catatan"))
            f["note"].help_text = NOTE_HINTS.get(action, "")
            f["note"].widget.attrs["maxlength"] = TEXT_MAX

    def clean_office(self) -> Office | None:
        """Empty: the report's own office; a code no office has is refused here."""
        code = self.cleaned_data.get("office", "")
        if not code:
            return None
        office = Office.objects.filter(code=code).first()
        if office is None:
            raise ValidationError(_("Pilih kantor tujuan."), code="invalid_destination")
        return office

    def clean_unit(self) -> Unit | None:
        # No such unit is no unit: report_act says one is needed.
        code = self.cleaned_data.get("unit", "")
        return Unit.objects.filter(code=code).first() if code else None


class RevealForm(RevealReasonForm):
    """Asking to see the reporter's contact in clear: with a reason, and the access is recorded."""

    reveal = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)
