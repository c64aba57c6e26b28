"""The breakthrough forms: registering (and editing) a breakthrough, adding evidence, and the Rakor
organiser's call for breakthroughs on a decision.

They parse (which office, unit, service, call; dates; links); ``reform.breakthroughs`` decides and
its errors come back onto the fields through ``add_domain_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.core import clock
from satupintu.core.forms import DomainForm, MultipleFileField, MultipleFileInput
from satupintu.organization.models import Office, Unit
from satupintu.rakor.forms import ACCEPT, DayField, LinkField, limit_file
from satupintu.reform.breakthroughs import BreakthroughDraft
from satupintu.reform.models import Breakthrough, BreakthroughCall, IndicatorKind
from satupintu.services.models import Service

LINES_MAX = 5000


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class BreakthroughForm(DomainForm):
    """``offices``: where the person may register; ``units``: the units they may choose (None: every
    unit and the whole office); ``services`` and ``calls`` of the chosen office."""

    domain_fields = {"files": "evidence_files"}

    office = forms.CharField(label=_("Kantor"), widget=forms.Select)
    unit = forms.CharField(label=_("Unit (Tusi)"), required=False, widget=forms.Select)
    title = forms.CharField(label=_("Nama terobosan"), max_length=200)
    problem = forms.CharField(label=_("Masalah yang diatasi"), max_length=LINES_MAX, widget=_textarea(4),
                              help_text=_("Apa yang dialami warga atau petugas sebelum terobosan ini?"))
    change = forms.CharField(label=_("Perubahan yang dibuat"), max_length=LINES_MAX, widget=_textarea(4),
                             help_text=_("Apa yang sekarang dikerjakan berbeda?"))
    started_on = DayField(label=_("Mulai berlaku"), help_text=_("Tanggal terobosan mulai dijalankan; tidak boleh "
                                                                 "setelah hari ini."))
    people = forms.CharField(label=_("Tim (nama dan peran)"), required=False, max_length=LINES_MAX,
                             widget=_textarea(3), help_text=_("satu orang per baris"))
    kinds = forms.MultipleChoiceField(
        label=_("Indikator yang diharapkan berubah"), choices=IndicatorKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Dibaca dari data Satu Pintu: permohonan, survei kepuasan dan pengaduan kantor ini."),
        error_messages={"invalid_choice": _("Indikator tidak dikenal.")})
    service = forms.CharField(label=_("Layanan"), required=False, widget=forms.Select,
                              help_text=_("Kosongkan untuk semua layanan unit/kantor."))
    call = forms.CharField(label=_("Menjawab permintaan rakor"), required=False, widget=forms.Select)
    evidence_files = MultipleFileField(label=_("Berkas bukti"), required=False,
                              widget=MultipleFileInput(attrs={"accept": ACCEPT}))
    links = forms.CharField(label=_("Tautan bukti"), required=False, max_length=LINES_MAX, widget=_textarea(2),
                            help_text=_("satu tautan http(s) per baris, misalnya berita atau video"))
    # An edit: the version the form was opened on (two people editing at once must not silently
    # overwrite each other: breakthroughs.breakthrough_update).
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: Any, offices: list[Office], units: list[Unit] | None, services: list[Service],
                 calls: list[BreakthroughCall], instance: Breakthrough | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "t-%s")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(instance)
        super().__init__(*args, **kwargs)
        self.offices = {o.code: o for o in offices}
        every_unit = units is None
        self.units = {u.code: u for u in (Unit.objects.order_by("name") if every_unit else units or [])}
        self.services = {s.slug: s for s in services}
        self.calls = {str(c.pk): c for c in calls}
        self.fields["office"].widget.choices = [(o.code, o.name) for o in offices]  # type: ignore[attr-defined]
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
            self.fields["office"].initial = offices[0].code
        unit_choices = [(u.code, u.local_name) for u in self.units.values()]
        self.fields["unit"].widget.choices = (  # type: ignore[attr-defined]
            [("", _("Seluruh kantor")), *unit_choices] if every_unit else unit_choices)
        self.fields["unit"].mark = "optional" if every_unit else "required"  # type: ignore[attr-defined]
        self.fields["service"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("Semua layanan")), *[(s.slug, s.local_name) for s in services]]
        self.fields["call"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("Tidak menjawab permintaan rakor")),
            *[(str(c.pk), call_label(c)) for c in calls]]
        limit_file(self.fields["evidence_files"])
        self.fields["kinds"].widget.attrs.pop("required", None)  # one box is enough: the group is what is required
        if instance is not None:
            self.fields["evidence_files"].label = _("Tambah berkas bukti")
            self.fields["links"].label = _("Tambah tautan bukti")

    def clean_office(self) -> Office:
        if len(self.offices) == 1:  # the hidden field: the one office there is (an edit never moves office)
            return next(iter(self.offices.values()))
        office = self.offices.get(self.cleaned_data.get("office", ""))
        if office is None:
            raise ValidationError(_("Pilih kantor."), code="invalid_office")
        return office

    def clean_unit(self) -> Unit | None:
        code = self.cleaned_data.get("unit", "")
        if code and code not in self.units:
            raise ValidationError(_("Unit tidak dikenal."), code="invalid_unit")
        return self.units.get(code) if code else None

    def clean_service(self) -> Service | None:
        slug = self.cleaned_data.get("service", "")
        if slug and slug not in self.services:
            raise ValidationError(_("Layanan tidak dikenal di kantor ini."), code="invalid_service")
        return self.services.get(slug) if slug else None

    def clean_call(self) -> BreakthroughCall | None:
        key = self.cleaned_data.get("call", "")
        if key and key not in self.calls:
            raise ValidationError(_("Permintaan rakor ini tidak ditujukan ke kantor Anda."), code="invalid_call")
        return self.calls.get(key) if key else None

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in (self.cleaned_data.get("links") or "").splitlines() if line.strip()]
        field = LinkField()
        for link in links:
            field.to_python(link)  # the same rule as every stored link, said on this field
        return links

    def draft(self) -> BreakthroughDraft:
        d = self.cleaned_data
        return BreakthroughDraft(
            office=d["office"], unit=d.get("unit"), title=d.get("title") or "", problem=d.get("problem") or "",
            change=d.get("change") or "", started_on=d.get("started_on"), people=d.get("people") or "",
            kinds=list(d.get("kinds") or []), service=d.get("service"), call=d.get("call"),
            files=list(d.get("evidence_files") or []), links=list(d.get("links") or []), seen=d.get("seen") or "")


def initial_for(b: Breakthrough) -> dict[str, Any]:
    indicators = list(b.indicators.all())
    service = next((i.service for i in indicators if i.service_id), None)
    return {"office": b.office.code, "unit": b.unit.code if b.unit else "", "title": b.title, "problem": b.problem,
            "change": b.change, "started_on": b.started_on, "people": b.people,
            "kinds": [i.kind for i in indicators], "service": service.slug if service else "",
            "call": str(b.call_id) if b.call_id else "", "seen": b.updated_at.isoformat()}


def call_label(call: BreakthroughCall) -> str:
    meeting = call.decision.meeting
    return f"{meeting.title} · {call.decision.text[:80]} ({_('tenggat')} {clock.shown(call.due_date, 'd/m/Y')})"


class EvidenceForm(DomainForm):
    title = forms.CharField(label=_("Judul bukti"), max_length=200)
    file = forms.FileField(label=_("Berkas"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    link = LinkField(label=_("atau tautan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "e-%s")
        super().__init__(*args, **kwargs)
        limit_file(self.fields["file"])


class CallForm(DomainForm):
    """On a Rakor decision: ask offices (each unit, or each office) for breakthroughs by a date."""

    due_date = DayField(label=_("Tenggat terobosan"))
    offices = forms.MultipleChoiceField(
        label=_("Kantor yang diminta"), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kantor yang diminta harus kantor penyelenggara atau di bawahnya."),
                        "invalid_list": _("Kantor yang diminta harus kantor penyelenggara atau di bawahnya.")})
    per_unit = forms.ChoiceField(
        label=_("Yang diminta"), widget=forms.RadioSelect, initial="unit",
        choices=[("unit", _("Setiap unit (Tusi) di kantor yang diminta")), ("office", _("Satu terobosan per kantor"))])

    def __init__(self, *args: Any, offices: list[Office], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "c-%s")
        super().__init__(*args, **kwargs)
        self.office_map = {o.code: o for o in offices}
        self.fields["offices"].choices = [(o.code, o.name) for o in offices]  # type: ignore[attr-defined]
        self.fields["offices"].widget.attrs.pop("required", None)  # one box is enough: the group is what is required

    def cleaned_offices(self) -> list[Office]:
        return [self.office_map[c] for c in self.cleaned_data.get("offices") or [] if c in self.office_map]
