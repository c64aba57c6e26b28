"""Who did a step of a timeline, as its reader reads it. A step stores "Pemohon", "Pelapor" or
"Sistem" for the citizen and the system, else the officer's name; those three words are shown
in the page's language (an English timeline read "Pemohon"), a name as written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ROLE_WORDS = {"Pemohon": _("Pemohon"), "Pelapor": _("Pelapor"), "Sistem": _("Sistem")}


def shown(label: str) -> str:
    """For staff: the role word translated, or the officer's name."""
    return str(ROLE_WORDS.get(label, label))


def shown_publicly(label: str) -> str:
    """For the citizen: the role word translated; an officer is "Petugas", never named."""
    return str(ROLE_WORDS.get(label, pgettext_lazy("singular", "Petugas")))


class ShownActor:
    """For a timeline step's model with an ``actor_label``: who acted, for staff and for the public."""

    actor_label: str

    @property
    def actor_shown(self) -> str:
        return shown(self.actor_label)

    @property
    def actor_shown_publicly(self) -> str:
        return shown_publicly(self.actor_label)
