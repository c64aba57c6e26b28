"""The Situation Room's forms: the actions on an issue and on an alert, subscriptions, sources.

Each page has several small forms; the button pressed names its action (``ActionForm``) and
the action's form parses the rest. Forms only parse: an id becomes its object (or a field
error when it is not a number or names nothing here), a number becomes an int. Who may act is
situation/access.py's; what is allowed is the domain's (issues.py, trends.py, sources.py), and
its errors come back onto the fields with ``add_domain_error``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm
from satupintu.organization import reference
from satupintu.situation.models import (
    TOPIC_ORDER,
    AlertKind,
    AlertRule,
    BriefPeriod,
    BriefSubscription,
    Issue,
    Item,
    Source,
)
from satupintu.situation.sources import ADDABLE_KINDS, INTERVAL_DEFAULT, INTERVAL_MAX, INTERVAL_MIN, MAX_UPLOAD
from satupintu.situation.topic_labels import topic_label
from satupintu.situation.trends import NOTE_MAX

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str or a lazy translation

ID_DIGITS = 18  # longer is no id of ours (and would not fit the database's integer)


def _ids(values: Iterable[Any]) -> list[int] | None:
    """The values as ids, or None when one of them is not an id."""
    ids = []
    for value in values:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= ID_DIGITS):
            return None
        ids.append(int(text))
    return ids


class PickedField(forms.CharField):
    """The id of one object picked from a list, a hidden input or a button: cleaned to the
    object of ``queryset`` it names (None when empty), or ``unknown`` as the field's error."""

    def __init__(self, *, queryset: QuerySet[Any] | None = None, unknown: StrOrPromise = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset = queryset
        self.unknown = unknown

    def clean(self, value: Any) -> Model | None:
        text = super().clean(value)
        if not text:
            return None
        ids = _ids([text])
        found = self.queryset.filter(pk=ids[0]).first() if ids and self.queryset is not None else None
        if found is None:
            raise ValidationError(self.unknown, code="unknown")
        return found


class PickedManyField(forms.MultipleChoiceField):
    """Several ids (checkboxes under one name): the objects of ``queryset``, or ``unknown`` when
    one of them is not there. The template draws the boxes where the objects are listed."""

    def __init__(self, *, queryset: QuerySet[Any] | None = None, unknown: StrOrPromise = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset = queryset
        self.unknown = unknown

    def clean(self, value: Any) -> list[Any]:
        values = [v for v in (value or []) if str(v).strip()]
        ids = _ids(values)
        if ids is None:
            raise ValidationError(self.unknown, code="unknown")
        found = list(self.queryset.filter(pk__in=ids)) if ids and self.queryset is not None else []
        if len(found) != len(set(ids)):
            raise ValidationError(self.unknown, code="unknown")
        return found


def _select(choices: Iterable[tuple[Any, Any]], empty: Any = None) -> forms.Select:
    return forms.Select(choices=([("", empty)] if empty is not None else []) + list(choices))


class ActionForm(DomainForm):
    """Which of a page's forms was sent: its button's (or hidden input's) ``action``. Actions
    without fields of their own (close, acknowledge...) put their domain error here."""

    action = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, actions: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = frozenset(actions)

    def clean_action(self) -> str:
        action = self.cleaned_data.get("action", "")
        if action not in self.actions:
            raise ValidationError(_("Tindakan tidak dikenal."), code="invalid_action")
        return str(action)


class SlotForm(DomainForm):
    """A form with its place on the page: ``slot`` names it in the page's context, so the page
    shows the form that was sent (with its errors and values) in place of a blank one."""

    slot = ""
    prefix_id = "%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.prefix_id)
        super().__init__(*args, **kwargs)


# --- an issue ------------------------------------------------------------------------------------

class RenameIssueForm(SlotForm):
    slot = "rename_form"
    title = forms.CharField(label=_("Judul"), widget=forms.TextInput(attrs={"maxlength": 300}))


class MergeIssueForm(SlotForm):
    """``into`` may name any issue: access.may_merge_issues and issues.merge decide; the list
    offers the ones worth offering (recent, open, in the officer's region)."""

    slot = "merge_form"
    into = PickedField(label=_("Gabungkan ke isu"), queryset=Issue.objects.all(),
                       unknown=_("Pilih isu tujuan penggabungan."), widget=forms.Select)

    def offer(self, targets: Iterable[Issue]) -> None:
        label = "{} ({})"
        self.fields["into"].widget.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (t.pk, label.format(t.title if len(t.title) <= 90 else t.title[:89] + "…", t.item_count))
            for t in targets]


class SplitIssueForm(SlotForm):
    """The items chosen on the issue's timeline (any page of it) and the new issue's title."""

    slot = "split_form"
    prefix_id = "split-%s"
    items = PickedManyField(label=_("Butir yang dipisahkan"), unknown=_("Pilih butir dari isu ini."),
                            widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("Pisahkan butir terpilih menjadi isu baru, dengan judul"), required=False,
                            widget=forms.TextInput(attrs={"maxlength": 300}))
    # The timeline page the officer was on, to show it again after an error.
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, issue: Issue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Item.objects.filter(issue=issue)  # type: ignore[attr-defined]

    def chosen(self) -> set[str]:
        """The item ids ticked (as sent), to tick them again."""
        return {str(v) for v in (self["items"].value() or [])} if self.is_bound else set()


# --- an alert ------------------------------------------------------------------------------------

class AssignAlertForm(SlotForm):
    slot = "assign_form"
    prefix_id = "assign-%s"
    assignee = PickedField(label=_("Tugaskan ke"), unknown=_("Pilih petugas yang dapat menindaklanjuti peringatan ini."),
                           widget=forms.Select)
    note = forms.CharField(label=_("Arahan"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}))

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        """``people``: access.alert_assignees, the only ones offered and accepted."""
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])  # type: ignore[attr-defined]
        field.widget.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (p.pk, p.get_full_name() or p.get_username()) for p in people]


class AlertNoteForm(SlotForm):
    """A follow-up note, or the closing note of "resolve" (the same box, two buttons)."""

    slot = "note_form"
    note = forms.CharField(label=_("Catatan tindak lanjut"), strip=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}))


# --- subscriptions -------------------------------------------------------------------------------

class AlertRuleForm(SlotForm):
    """trends.subscribe checks the province, topic and kind (unknown ones are field errors)."""

    slot = "rule_form"
    prefix_id = "r-%s"
    topic = forms.CharField(label=_("Topik"), required=False)
    province = forms.CharField(label=_("Provinsi"), required=False)
    kind = forms.CharField(label=_("Jenis lonjakan"), required=False)
    name = forms.CharField(label=_("Nama"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["topic"].widget = _select(((t, topic_label(t)) for t in TOPIC_ORDER), _("Semua topik"))
        f["province"].widget = _select(((p["code"], p["name"]) for p in reference.provinces()),
                                       _("Seluruh Indonesia"))
        f["kind"].widget = _select(AlertKind.choices, _("Semua"))
        for name in ("topic", "province", "kind"):
            f[name].mark = ""  # type: ignore[attr-defined]  # blank means "all", said by its first option


class BriefSubscriptionForm(SlotForm):
    slot = "brief_form"
    prefix_id = "b-%s"
    region = forms.CharField(label=_("Wilayah"), required=False)
    period = forms.CharField(label=_("Periode"), widget=_select(BriefPeriod.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].widget = _select(((p["code"], p["name"]) for p in reference.provinces()), "Indonesia")
        self.fields["region"].mark = ""  # type: ignore[attr-defined]


class DeleteRuleForm(DomainForm):
    """The "Hapus" button of one subscription (its value is the rule's id)."""

    delete = PickedField(queryset=AlertRule.objects.all(), unknown=_("Langganan tidak ditemukan."),
                         widget=forms.HiddenInput)
    domain_fields = {"rule": "delete"}


class DeleteBriefForm(DomainForm):
    """The "Hapus" button of one brief subscription (its value is the subscription's id)."""

    delete_brief = PickedField(queryset=BriefSubscription.objects.all(), unknown=_("Langganan tidak ditemukan."),
                               widget=forms.HiddenInput)
    domain_fields = {"subscription": "delete_brief"}


# --- sources -------------------------------------------------------------------------------------

class SourceAddForm(SlotForm):
    slot = "add_form"
    prefix_id = "s-%s"
    name = forms.CharField(label=_("Nama"), widget=forms.TextInput(attrs={"maxlength": 200}))
    kind = forms.CharField(label=_("Jenis"), widget=_select((k.value, k.label) for k in ADDABLE_KINDS))
    url = forms.CharField(label=_("Alamat (URL)"), required=False,
                          help_text=_("Wajib untuk umpan RSS/Atom dan halaman web."),
                          widget=forms.URLInput(attrs={"placeholder": "https://", "maxlength": 500}))
    interval = forms.IntegerField(
        label=_("Selang (menit)"), required=False, initial=INTERVAL_DEFAULT,
        error_messages={"invalid": _("Selang diisi dengan angka menit, misalnya 30.")},
        widget=forms.NumberInput(attrs={"min": INTERVAL_MIN, "max": INTERVAL_MAX}))
    domain_fields = {"interval_minutes": "interval"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].mark = ""  # type: ignore[attr-defined]  # required for some kinds: said in its hint


class SourceForm(DomainForm):
    """A source's own buttons (fetch now, switch on/off): which source."""

    source = PickedField(queryset=Source.objects.select_related("office"), unknown=_("Sumber tidak ditemukan."),
                         widget=forms.HiddenInput)


class SourceUploadForm(SourceForm):
    """An export file for one social source; sources.source_import checks it."""

    file = forms.FileField(
        label=_("Unggah ekspor (JSONL/CSV)"), allow_empty_file=True,
        error_messages={"invalid": _("Pilih berkas JSONL atau CSV."), "missing": _("Pilih berkas JSONL atau CSV.")},
        widget=forms.FileInput(attrs={"accept": ",".join((".jsonl", ".json", ".ndjson", ".csv")),
                                               "data-max-bytes": MAX_UPLOAD}))

    def __init__(self, *args: Any, source_pk: int | None = None, **kwargs: Any) -> None:
        """One per social source on the page: ids of its own (``sumber-<pk>-file``)."""
        kwargs.setdefault("auto_id", f"sumber-{source_pk}-%s" if source_pk else "%s")
        super().__init__(*args, **kwargs)

    def place(self) -> Source | None:
        """After parsing: the source it was sent for (None if unknown), taking the ids of that
        source's row so the error summary links to the file input there."""
        source = self.cleaned_data.get("source") if hasattr(self, "cleaned_data") else None
        if source is not None:
            self.auto_id = f"sumber-{source.pk}-%s"
        return source
