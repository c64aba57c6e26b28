"""The Rakor forms: recording a meeting (by hand or pre-filled from a Humas article), the
organiser's changes on the meeting page (minutes, documents, decisions), assigning and adopting
decisions, and reporting an action's progress.

Each form parses what was typed (dates, times, numbers, links, which office) and says what is
wrong next to the field; the domain functions in meetings.py and followups.py stay the authority
on the rules, and their errors come back onto the fields through ``add_domain_error``.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from satupintu.core import clock
from satupintu.core.forms import DomainForm
from satupintu.core.links import is_web_link
from satupintu.core.numbers import typed_int
from satupintu.organization.finder import offices_below
from satupintu.organization.models import Office, Role, Unit
from satupintu.rakor import meetings
from satupintu.rakor.meetings import minutes_digest
from satupintu.rakor.models import AgendaItem, Decision, Meeting, MeetingMode, MeetingType

LINK_MAX = 500  # the URLField length of ProgressUpdate.link and Meeting.online_link
TEXT_MAX = 5000  # a decision, a progress note
MINUTES_MAX = 50_000  # the minutes of one agenda item, a pasted article
PARTICIPANTS_MAX = 1_000_000
YEARS = (2000, 2100)  # a typo like 0202 would overflow the time-zone arithmetic
ACCEPT = "application/pdf,image/jpeg,image/png"
# Besides heads of office (always invited with their office), these roles may be invited too.
INVITABLE_ROLES = [(r.value, r.label) for r in Role if r.value not in ("head_of_office", "admin")]

INVALID_DATE = _("Tanggal tidak sah; tulis tahun-bulan-tanggal, misalnya 2026-03-17.")
DATE_OUT_OF_RANGE = _("Tanggal harus antara tahun 2000 dan 2100.")
INVALID_TIME = _("Jam tidak sah; tulis jam:menit, misalnya 09:30.")
INVALID_LINK = _("Tautan harus alamat http(s) yang sah, paling panjang 500 karakter.")


# --- fields that parse ---------------------------------------------------------------------

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type=date> reads, in any language


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DayField(forms.Field):
    """A date as <input type=date> sends it (YYYY-MM-DD), between 2000 and 2100; None if empty."""

    widget = DateInput

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        raw = str(value or "").strip()
        if not raw:
            return None
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(INVALID_DATE, code="invalid") from None
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValidationError(DATE_OUT_OF_RANGE, code="out_of_range")
        return day


class ClockField(forms.Field):
    """A time of day as <input type=time> sends it (HH:MM); None if empty."""

    widget = TimeInput

    def to_python(self, value: Any) -> time | None:
        if isinstance(value, time):
            return value
        raw = str(value or "").strip()
        if not raw:
            return None
        try:
            return time.fromisoformat(raw)
        except ValueError:
            raise ValidationError(INVALID_TIME, code="invalid") from None


class WholeNumberField(forms.Field):
    """Digits only, up to ``high``: ``message`` otherwise; ``empty`` when nothing was typed."""

    def __init__(self, *, message: Any, high: int, empty: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 0, "max": high, "inputmode": "numeric"}))
        super().__init__(**kwargs)
        self.message, self.high, self.empty = message, high, empty

    def to_python(self, value: Any) -> int | None:
        raw = str(value if value is not None else "").strip()
        if not raw:
            return self.empty
        number = typed_int(raw)
        if number is None or number > self.high:
            raise ValidationError(self.message, code="invalid")
        return number


class LinkField(forms.CharField):
    """An http(s) address (what core.links accepts), or "" when left empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.URLInput(attrs={"maxlength": LINK_MAX, "inputmode": "url"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        link = super().to_python(value)
        if link and not is_web_link(link, LINK_MAX):
            raise ValidationError(INVALID_LINK, code="invalid")
        return str(link)


def _local_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(ZoneInfo(meeting.office.timezone)).date()


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def limit_file(field: forms.Field) -> None:
    """The upload limit, said in the hint and checked by forms.js before sending."""
    field.widget.attrs["data-max-bytes"] = settings.UPLOAD_MAX_BYTES
    field.help_text = _("PDF, JPG atau PNG, maksimal %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 1048576}


def _textarea(rows: int, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


# --- recording a meeting -------------------------------------------------------------------

class MeetingForm(DomainForm):
    """The meeting as the organiser types it; ``draft()`` is what ``meetings.create_meeting`` takes.

    ``offices``: the offices the person works in (the organiser is one of them); offices below
    them may be invited."""

    domain_fields = {"starts_at": "start", "ends_at": "end", "invited_offices": "invited",
                     "invited_people": "people", "invited_roles": "roles", "participants_reported": "participants"}

    office = forms.CharField(label=_("Kantor penyelenggara"), widget=forms.Select)
    type = forms.CharField(label=_("Jenis rapat"), initial=MeetingType.RAKOR,
                           widget=forms.Select(choices=MeetingType.choices))
    title = forms.CharField(label=_("Judul"), max_length=300)
    theme = forms.CharField(label=_("Tema"), required=False, max_length=300)
    mode = forms.CharField(label=_("Cara rapat"), initial=MeetingMode.IN_PERSON,
                           widget=forms.RadioSelect(choices=MeetingMode.choices))
    venue = forms.CharField(label=_("Tempat"), required=False, max_length=300)
    online_link = LinkField(label=_("Tautan rapat daring"), required=False, help_text=_("untuk daring atau hibrida"))
    date = DayField(label=_("Tanggal"))
    end_date = DayField(label=_("Tanggal selesai"), required=False, help_text=_("jika lebih dari sehari"))
    start = ClockField(label=_("Jam mulai"), initial="09:00")
    end = ClockField(label=_("Jam selesai"), initial="12:00")
    invited = forms.MultipleChoiceField(
        label=_("Kantor yang diundang"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kantor undangan harus kantor di bawah kantor penyelenggara."),
                        "invalid_list": _("Kantor undangan harus kantor di bawah kantor penyelenggara.")})
    roles = forms.MultipleChoiceField(
        label=_("Selain kepala kantor, undang juga peran berikut di kantor yang diundang"), required=False,
        choices=INVITABLE_ROLES, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ada peran undangan yang tidak dikenal."),
                        "invalid_list": _("Ada peran undangan yang tidak dikenal.")})
    people = forms.CharField(label=_("Undang petugas"), required=False, max_length=2000,
                             help_text=_("nama pengguna atau surel, dipisah koma"),
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=MINUTES_MAX,
                             help_text=_("satu butir per baris"), widget=_textarea(7))
    participants = WholeNumberField(label=_("Jumlah peserta (dilaporkan)"), required=False, high=PARTICIPANTS_MAX,
                                    message=_("Jumlah peserta harus bilangan bulat yang wajar."))
    decisions = forms.CharField(label=_("Keputusan / arahan"), required=False, max_length=MINUTES_MAX,
                                help_text=_("satu per baris; dapat ditambah setelah rapat disimpan"),
                                widget=_textarea(3))
    source_item = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        self.offices = {o.code: o for o in offices}
        self.below = {o.code: offices_below(o) for o in offices}
        self.fields["office"].widget.choices = [  # type: ignore[attr-defined]
            (o.code, f"{o.name} ({o.timezone_label})") for o in offices]
        self.fields["invited"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for children in self.below.values() for c in children]
        self.fields["invited"].mark = self.fields["roles"].mark = ""  # type: ignore[attr-defined]

    def clean_office(self) -> str:
        code = self.cleaned_data.get("office", "")
        if code not in self.offices:
            raise ValidationError(_("Pilih kantor Anda sebagai penyelenggara."), code="not_your_office")
        return str(code)

    def clean_source_item(self) -> int | None:
        """The Situation Room item the record was pre-filled from, if it still exists."""
        from satupintu.situation.models import Item

        pk = typed_int(str(self.cleaned_data.get("source_item") or ""))
        return pk if pk is not None and Item.objects.filter(pk=pk).exists() else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Without a day and both times there is no moment to give the domain.
        for name, message in (("date", _("Isi tanggal rapat.")), ("start", _("Isi jam mulai.")),
                              ("end", _("Isi jam selesai."))):
            if name not in self.errors and data.get(name) is None:
                self.add_error(name, message)
        office = data.get("office")
        if office in self.offices and "invited" not in self.errors:
            below = {o.code for o in self.below[office]}
            if not set(data.get("invited") or []) <= below:
                self.add_error("invited", _("Kantor undangan harus kantor di bawah kantor penyelenggara."))
        return data

    def draft(self) -> meetings.MeetingDraft:
        d = self.cleaned_data
        office = self.offices[d["office"]]
        day = d["date"]
        return meetings.MeetingDraft(
            office=office.code, type=d.get("type", ""), title=d.get("title", ""),
            starts_at=meetings.local_datetime(office, day, d["start"]),
            ends_at=meetings.local_datetime(office, d.get("end_date") or day, d["end"]),
            theme=d.get("theme", ""), mode=d.get("mode", ""), venue=d.get("venue", ""),
            online_link=d.get("online_link", ""), participants_reported=d.get("participants"),
            agenda=_lines(d.get("agenda", "")), invited_offices=list(d.get("invited") or []),
            invited_people=[n for n in d.get("people", "").replace(";", ",").split(",") if n.strip()],
            invited_roles=list(d.get("roles") or []), source_item_id=d.get("source_item"),
            decisions=_lines(d.get("decisions", "")))

    def invited_groups(self) -> list[tuple[Office, list[BoundWidget]]]:
        """The invitable offices under each of the person's offices, as checkboxes."""
        boxes = {box.data["value"]: box for box in self["invited"]}
        return [(self.offices[code], [boxes[c.code] for c in children])
                for code, children in self.below.items() if children]

    @staticmethod
    def blank_initial(offices: list[Office]) -> dict[str, Any]:
        return {"office": offices[0].code if offices else "", "agenda": "\n".join(meetings.STANDARD_AGENDA)}

    @staticmethod
    def initial_from(prefill: meetings.Prefill, offices: list[Office], source_item: int | None = None) -> dict[str, Any]:
        """What a Humas article says, for the officer to check before saving."""
        return {**MeetingForm.blank_initial(offices), "type": prefill.type, "title": prefill.title,
                "venue": prefill.venue, "date": prefill.date.isoformat() if prefill.date else "",
                "participants": prefill.participants, "source_item": source_item or ""}


class ArticleForm(DomainForm):
    """A Humas article pasted (or taken from a Situation Room item) to pre-fill the meeting form."""

    article = forms.CharField(label=_("Teks berita"), max_length=MINUTES_MAX, strip=False, widget=_textarea(8))
    article_title = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    published = DayField(label=_("Tanggal terbit berita"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)


# --- the organiser's changes on the meeting page -------------------------------------------

class MinutesForm(DomainForm):
    """The minutes of each agenda item, and one new item."""

    new_item = forms.CharField(label=_("Tambah butir agenda"), required=False, max_length=300)

    def __init__(self, *args: Any, agenda: list[AgendaItem], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.agenda = agenda
        for item in agenda:
            field = forms.CharField(label=item.title, required=False, strip=False, max_length=MINUTES_MAX,
                                    initial=item.minutes, widget=_textarea(2, placeholder=_("Notulen butir ini")))
            field.mark = ""  # type: ignore[attr-defined]  # an agenda item's title is its label
            self.fields[f"minutes-{item.pk}"] = field
            # What the page showed, so only what this person changed is written (meetings.save_minutes).
            self.fields[f"seen-{item.pk}"] = forms.CharField(required=False, widget=forms.HiddenInput, max_length=16,
                                                             initial=minutes_digest(item.minutes))
        self.order_fields([*(f"minutes-{item.pk}" for item in agenda), "new_item"])
        self.mark_fields()

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"minutes-{item.pk}"] for item in self.agenda]

    def seen_fields(self) -> list[forms.BoundField]:
        return [self[f"seen-{item.pk}"] for item in self.agenda]

    def minutes(self) -> dict[int, str]:
        """Only the items that were on the page when it was sent (one added since keeps its minutes)."""
        return {item.pk: self.cleaned_data.get(f"minutes-{item.pk}", "")
                for item in self.agenda if f"minutes-{item.pk}" in self.data}

    def seen(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"seen-{item.pk}"] for item in self.agenda
                if self.cleaned_data.get(f"seen-{item.pk}")}


class DocumentForm(DomainForm):
    domain_fields = {"upload": "file"}

    title = forms.CharField(label=_("Judul dokumen"), max_length=200)
    file = forms.FileField(label=_("Berkas"), allow_empty_file=True, widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "doc-%s")
        super().__init__(*args, **kwargs)
        limit_file(self.fields["file"])


class DecisionForm(DomainForm):
    text = forms.CharField(label=_("Keputusan / arahan"), max_length=TEXT_MAX, widget=_textarea(3))
    given_by = forms.CharField(label=_("Disampaikan oleh"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)


# --- decisions: assigning and adopting -----------------------------------------------------

class ActionForm(DomainForm):
    """An action on a decision: to the organising office or an office right below it."""

    office = forms.CharField(label=_("Kantor yang menindaklanjuti"), widget=forms.Select)
    unit = forms.CharField(label=_("Unit penanggung jawab"), required=False, widget=forms.Select)
    indicator = forms.CharField(label=_("Indikator / yang harus ditunjukkan"), max_length=300)
    due_date = DayField(label=_("Tenggat"))
    evidence_required = forms.BooleanField(label=_("Wajib bukti (tautan atau berkas) sebelum ditutup"),
                                           required=False, initial=True)

    def __init__(self, *args: Any, decision: Decision, offices: list[Office], units: list[Unit],
                 today: date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"a-%s-{decision.pk}")
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.offices = {o.code: o for o in offices}
        self.units = {u.code: u for u in units}
        self.fields["office"].widget.choices = [(o.code, o.name) for o in offices]  # type: ignore[attr-defined]
        self.fields["unit"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("Seluruh kantor")), *[(u.code, u.local_name) for u in units]]
        self.fields["due_date"].widget.attrs["min"] = today.isoformat()

    def clean_office(self) -> Office:
        office = self.offices.get(self.cleaned_data.get("office", ""))
        if office is None:
            raise ValidationError(_("Pilih kantor yang menindaklanjuti."), code="invalid_office")
        return office

    def clean_unit(self) -> Unit | None:
        code = self.cleaned_data.get("unit", "")
        if code and code not in self.units:
            raise ValidationError(_("Unit tidak dikenal."), code="invalid_unit")
        return self.units.get(code) if code else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "due_date" not in self.errors and data.get("due_date") is None:
            self.add_error("due_date", _("Isi tenggat yang sah."))
        if not str(data.get("indicator") or "").strip() and "indicator" not in self.errors:
            # With the date's problem, not after it is fixed (followups.add_action says the same).
            from satupintu.rakor.followups import missing_indicator

            self.add_domain_error(missing_indicator())
        return data


class AdoptForm(DomainForm):
    """Take a decision into a meeting of one's own office (the cascade)."""

    into = forms.CharField(label=_("Rapat kantor saya"), widget=forms.Select)

    def __init__(self, *args: Any, decision: Decision, own_meetings: list[Meeting], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"adopt-%s-{decision.pk}")
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["into"].widget.choices = [  # type: ignore[attr-defined]
            ("", "—"), *[(m.pk, f"{m.title} ({clock.shown(_local_day(m), 'd/m/Y')})") for m in own_meetings]]

    def clean_into(self) -> Meeting:
        pk = typed_int(str(self.cleaned_data.get("into") or ""))
        meeting = Meeting.objects.select_related("office").filter(pk=pk).first() if pk is not None else None
        if meeting is None:
            raise ValidationError(_("Pilih rapat kantor Anda yang menerima keputusan ini."), code="invalid_meeting")
        return meeting


# --- reporting progress ----------------------------------------------------------------------

class ProgressForm(DomainForm):
    note = forms.CharField(label=_("Perkembangan"), max_length=TEXT_MAX, widget=_textarea(3))
    link = LinkField(label=_("Tautan bukti"), required=False, help_text=_("alamat http(s)"))
    evidence = forms.FileField(label=_("Berkas bukti"), required=False, allow_empty_file=True,
                               widget=forms.FileInput(attrs={"accept": ACCEPT}))
    percent = WholeNumberField(label=_("Persentase selesai"), required=False, high=100, empty=0,
                               message=_("Persentase harus 0 sampai 100."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "p-%s")
        super().__init__(*args, **kwargs)
        limit_file(self.fields["evidence"])
