"""A timeline step as its reader reads it.

Who: a step stores "Pemohon", "Pelapor" or "Sistem" for the citizen and the system, else the
officer's name; those three words are shown in the page's language (an English timeline read
"Pemohon"), a name as written.

What the system wrote: a step's note is stored in Indonesian, whole ("Ke Subbagian Tata Usaha.
Mohon dijawab"), as the API, webhooks and the audit read it. Where the system wrote its start,
``said`` keeps which sentence that was and its values, so a page shows that part in the reader's
language and the officer's own words after it as written. A value with a name of its own in
English (a unit: "Administration Subdivision") is kept in ``said_en`` and shown on English pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from satupintu.core.bilingual import local_text

ROLE_WORDS = {"Pemohon": _("Pemohon"), "Pelapor": _("Pelapor"), "Sistem": _("Sistem")}


def shown(label: str) -> str:
    """For staff: the role word translated, or the officer's name."""
    return str(ROLE_WORDS.get(label, label))


def shown_publicly(label: str) -> str:
    """For the citizen: the role word translated; an officer is "Petugas", never named."""
    return str(ROLE_WORDS.get(label, pgettext_lazy("singular", "Petugas")))


def step_note(message: str, rest: str = "", data: dict[str, Any] | None = None, english: dict[str, str] | None = None,
              **params: str) -> dict[str, Any]:
    """``note=`` and ``data=`` of a step whose note the system starts with ``message`` (marked with
    ``gettext_noop`` where it is written; Indonesian, with ``params``), then ``rest``, the officer's
    own words. ``english``: the English of those values that have one (a unit's name_en)."""
    said: dict[str, Any] = {"said": [message, params]}
    if english := {k: v for k, v in (english or {}).items() if v and k in params}:
        said["said_en"] = english
    return {"note": f"{message % params} {rest}".strip(), "data": {**(data or {}), **said}}


def note_shown(note: str, data: dict[str, Any] | None) -> str:
    said_ = (data or {}).get("said")
    if not said_:
        return note
    try:
        message, params = said_
        stored = message % params
        if not note.startswith(stored):  # edited since, or an older step: as stored
            return note
        english = (data or {}).get("said_en") or {}
        if isinstance(english, dict) and english:
            params = {k: local_text(v, str(english.get(k) or "")) for k, v in params.items()}
        return gettext(message) % params + note[len(stored):]
    except (TypeError, ValueError, KeyError, AttributeError):  # a damaged record reads as stored, never a 500
        return note


class ShownNote:
    """For a timeline step's model with ``note`` and ``data``: the note in the reader's language
    where the system wrote it."""

    note: str
    data: Any

    @property
    def note_shown(self) -> str:
        return note_shown(self.note, self.data)


class ShownActor(ShownNote):
    """For a timeline step's model that also has ``actor_label``: who acted, for staff and for the
    public."""

    actor_label: str

    @property
    def actor_shown(self) -> str:
        return shown(self.actor_label)

    @property
    def actor_shown_publicly(self) -> str:
        return shown_publicly(self.actor_label)
