"""The one way HTML forms are handled: Django forms that parse and render, with the domain
functions as the authority on the rules.

A ``DomainForm`` leaves every field optional for Django (it only parses); the view hands the
parsed values to one domain function, and the ``DomainError``s it raises (one, or all of
them in ``ValidationErrors``) are put back on their fields with ``add_domain_error``. Fields
are marked "wajib"/"opsional" from ``mark`` (default: from ``required`` as declared) and
rendered by the shared snippets in templates/forms/: ``_summary.html`` (every error at the
top, each linking to its field) and ``_field.html`` (label, mark, hint, widget, error, with
``aria-invalid``/``aria-describedby`` from Django).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import DomainError, ValidationErrors

REQUIRED, OPTIONAL = "required", "optional"
# Sent by static/satupintu/forms.js when it posts a form itself to show upload progress.
UPLOAD_HEADER = "X-Form-Upload"


def filterable(widget: forms.Widget) -> None:
    """A long select gets a box that narrows it as people type (static/satupintu/select-filter.js,
    which the page loads); these are its words, in the page's language."""
    widget.attrs.update({
        "data-filter-label": _("Cari di daftar"),
        "data-filter-one": _("1 pilihan cocok dan sudah dipilih."),
        "data-filter-count": _("%(n)s pilihan cocok; buka daftar untuk memilih."),
        "data-filter-none": _("Tidak ada yang cocok; hapus sebagian kata."),
    })


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (``<input type=file multiple>``); the domain checks them."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class DomainForm(forms.Form):
    """Parse only; the rules are the domain's (see the module docstring)."""

    # field name as the domain names it -> field name in this form, when they differ
    domain_fields: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.mark_fields()

    def mark_fields(self) -> None:
        """Call again after adding fields. Required fields keep an HTML ``required`` (read out
        by screen readers; the form has ``novalidate``) but Django no longer enforces it."""
        for field in self.fields.values():
            if not hasattr(field, "mark"):
                field.mark = REQUIRED if field.required else OPTIONAL  # type: ignore[attr-defined]
            if field.required:
                field.required = False
                if not field.widget.is_hidden:
                    field.widget.attrs.setdefault("required", True)

    def add_domain_error(self, exc: DomainError) -> None:
        """Put a domain error (or all of a ValidationErrors) on the fields they name."""
        for err in exc.errors if isinstance(exc, ValidationErrors) else [exc]:
            name = self.domain_fields.get(err.field or "", err.field)
            self.add_error(name if name in self.fields else None, err.message)

    def error_summary(self) -> list[tuple[str, str]]:
        """(element id to link to, or "" for a form-wide error; message), in field order."""
        items: list[tuple[str, str]] = [("", str(m)) for m in self.errors.get(NON_FIELD_ERRORS, [])]
        for name in self.fields:
            for message in self.errors.get(name, []):
                items.append((self.link_target(self[name]), str(message)))
        return items

    @staticmethod
    def link_target(bound: forms.BoundField) -> str:
        if bound.is_hidden:
            return ""  # nothing there to focus: the message stands alone
        if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_0"  # a group: its first option
        return str(bound.id_for_label or bound.auto_id)


class RevealReasonForm(DomainForm):
    """Why an officer opens someone's personal data: asked on every reveal, checked and
    recorded by ``core.privacy.record_reveal`` (the authority on the rule)."""

    reason = forms.ChoiceField(label=_("Alasan membuka data"), required=True)
    reason_note = forms.CharField(label=_("Keterangan alasan"), required=False,
                                  help_text=_("Wajib diisi jika memilih Lainnya."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from satupintu.core.privacy import REVEAL_REASONS

        self.fields["reason"].choices = [("", "—"), *REVEAL_REASONS.items()]  # type: ignore[attr-defined]

    def record(self, request: HttpRequest, *, subject_type: str, subject_ref: str, what: str) -> bool:
        """Record the reveal when the form is valid and the reason given; errors go on the fields."""
        from satupintu.core.privacy import record_reveal

        if not self.is_valid():
            return False
        try:
            record_reveal(request, subject_type=subject_type, subject_ref=subject_ref, what=what,
                          reason=self.cleaned_data.get("reason") or "",
                          reason_note=self.cleaned_data.get("reason_note") or "")
        except DomainError as exc:
            self.add_domain_error(exc)
            return False
        return True


def redirect_after_upload(request: HttpRequest, url: str) -> HttpResponse:
    """The redirect after a successful form post. A post made by forms.js (upload progress)
    gets the address as JSON instead: XHR would follow a redirect itself, fetching the next
    page (and using up its one-time messages) before the browser goes there."""
    if request.headers.get(UPLOAD_HEADER) == "1":
        return JsonResponse({"redirect": url})
    return redirect(url)


def session_key(request: HttpRequest) -> str:
    """The browser's session key, making the session if needed (kept uploads are tied to it)."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""
