"""What people read for a topic: the codes (``haji-umrah``) are the stored bit order and the
lexicons' keys; leaders read names, in their language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from satupintu.situation.nlp.topics import TOPICS

TOPIC_LABELS: dict[str, Promise] = {
    "haji-umrah": _("Haji dan umrah"),
    "pendidikan": _("Pendidikan"),
    "nikah-keluarga": _("Nikah dan keluarga"),
    "halal": _("Halal"),
    "zakat-wakaf": _("Zakat dan wakaf"),
    "kerukunan": _("Kerukunan umat beragama"),
    "ibadah": _("Ibadah"),
    "layanan-publik": _("Layanan publik"),
    "integritas": _("Integritas"),
    "pemilu-politik": _("Pemilu dan netralitas"),
    "kepegawaian-anggaran": _("Kepegawaian dan anggaran"),
    "koordinasi": _("Koordinasi"),
    "humas-media": _("Humas dan media"),
    "bencana-sosial": _("Bencana dan sosial"),
    "radikalisme-intoleransi": _("Radikalisme dan intoleransi"),
}
assert set(TOPIC_LABELS) >= set(TOPICS), "every topic needs a label"

# The article's dynamics (``analysis.domain``), stored as these codes.
DOMAIN_LABELS: dict[str, Promise] = {
    "keagamaan": _("Keagamaan"),
    "sosial": _("Sosial"),
    "politik": _("Politik"),
}


def topic_label(code: str) -> str:
    return str(TOPIC_LABELS.get(code, code))


def domain_label(code: str) -> str:
    return str(DOMAIN_LABELS.get(code, code))
