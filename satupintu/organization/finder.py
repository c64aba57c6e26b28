"""Finding the office a citizen means: by its code, by a place name they type, or by where
they stand. Citizens know their regency ("Luwu Utara", "kota makassar"), not office codes, and
a list of 553 offices is three screens long on a phone."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from django.db.models import Prefetch, QuerySet
from rapidfuzz import fuzz, process

from satupintu.core.errors import DomainError
from satupintu.organization.models import Level, Office

# Words every office name shares, which say nothing about the place.
_NOISE = re.compile(r"\b(kantor|kementerian|agama|kemenag|kankemenag|kanwil|wilayah|provinsi|prov|kabupaten|kab|"
                    r"kota|adm|administrasi)\b\.?")
_CITY = re.compile(r"\bkota\b")
SCORE_CUTOFF = 85  # below this a typed name is more likely another place than a typo of this one
MARGIN = 4  # the best match must beat the next by this much, or the citizen chooses


def kanwils_with_offices() -> QuerySet[Office]:
    """The Kanwils by name, each with the Kankemenags under it that take new work (``children``,
    in one query for all): the pickers' grouped list. A merged office is kept for history only."""
    return Office.objects.filter(level=Level.KANWIL).order_by("name").prefetch_related(
        Prefetch("children", queryset=Office.objects.filter(merged_into__isnull=True)))


def offices_below(office: Office) -> list[Office]:
    """The offices right below ``office`` that take new work, by code (Rakor's invitations and
    actions): a merged office's work would wait with nobody."""
    return list(Office.objects.filter(parent=office, merged_into__isnull=True).order_by("code"))


def _place(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text.lower().replace(".", " ")).split())


class AmbiguousPlace(DomainError):
    """The typed name fits several places: ``candidates`` are their offices, best first, for the
    citizen to pick (a link on the page, a list row on WhatsApp)."""

    def __init__(self, candidates: list[Office]):
        super().__init__("office_ambiguous", "Nama itu cocok dengan beberapa tempat: %(names)s. Pilih salah satu, "
                         "atau ketik lebih lengkap.", field="nama",
                         params={"names": ", ".join(o.region_name for o in candidates)})
        self.candidates = candidates


_REGENCY_WORD = re.compile(r"\b(kabupaten|kab)\b")


@lru_cache(maxsize=1)
def _districts_by_name() -> dict[str, list[str]]:
    """kecamatan name (as _place reads it) -> the regency codes that have a kecamatan so named."""
    from satupintu.organization.reference import districts

    out: dict[str, list[str]] = {}
    for d in districts():
        out.setdefault(_place(d["name"]), []).append(d["regency_code"])
    return out


def office_by_name(text: str, *, levels: Sequence[str]) -> Office:
    """The office at one of ``levels`` whose place the text names (typos forgiven), or the office
    of the regency a typed kecamatan lies in ("Masamba": Luwu Utara). A name that fits several
    places is not decided for the citizen: AmbiguousPlace lists them ("Bogor": the Kabupaten and
    the Kota; "Luwu": Luwu, Luwu Utara, Luwu Timur)."""
    query = _place(text or "")
    if not query:
        raise DomainError("missing_field", "Ketik nama kabupaten/kota atau provinsi Anda.", field="nama")
    offices = list(Office.objects.filter(level__in=levels).only("code", "name", "region_name", "level"))
    lowered = text.lower()
    wants_city, wants_regency = bool(_CITY.search(lowered)), bool(_REGENCY_WORD.search(lowered))
    exact = [o for o in offices if _place(o.region_name) == query]
    if len(exact) > 1 and (wants_city or wants_regency):  # "Kota Bogor" or "Kab. Bogor": the word decides
        exact = [o for o in exact if bool(_CITY.search(o.region_name.lower())) == wants_city] or exact
    # Places whose name starts with what was typed ("luwu" -> Luwu Utara): the citizen may mean one.
    longer = [o for o in offices if _place(o.region_name).startswith(query + " ")] if exact else []
    if len(exact) == 1 and not (longer and not wants_city and not wants_regency):
        return exact[0]
    if exact:
        raise AmbiguousPlace(exact + sorted(longer, key=lambda o: o.code)[:4])
    choices = {o.pk: _place(o.region_name) for o in offices}
    ranked = process.extract(query, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=SCORE_CUTOFF)
    by_pk = {o.pk: o for o in offices}
    if districts := _district_offices(query, levels):
        # "Makasar" is a kecamatan of Jakarta Timur and a typo of Makassar: both are offered.
        near = [by_pk[ranked[0][2]]] if ranked else []
        found = near + [o for o in districts if o not in near]
        if len(found) == 1:
            return found[0]
        raise AmbiguousPlace(found[:5])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        raise AmbiguousPlace([by_pk[pk] for _, _, pk in ranked[:3]])
    if not ranked:
        raise DomainError("office_not_found", "Tidak ada kantor untuk '%(text)s'. Periksa ejaannya atau pilih dari "
                          "daftar.", field="nama", params={"text": text.strip()[:80]})
    return by_pk[ranked[0][2]]


def _district_offices(query: str, levels: Sequence[str]) -> list[Office]:
    """The offices serving the regencies that have a kecamatan named exactly so, by code."""
    regencies = _districts_by_name().get(query, [])
    serving: dict[str, Office] = {}
    for regency in Office.objects.filter(code__in=regencies).order_by("code"):
        office = office_serving(regency, levels)
        serving.setdefault(office.code, office)
    return list(serving.values())


def office_at(latitude: str | float, longitude: str | float) -> Office:
    """The Kankemenag of the regency or city that contains the point."""
    from satupintu.organization.geo import regency_code_at

    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        lat = lon = math.nan
    # float() reads "NaN", "inf" and "1e309" too: those are no place (they read "outside Indonesia").
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise DomainError("invalid_location", "Lokasi tidak valid.", field="office")
    code = regency_code_at(lat, lon)
    office = Office.objects.filter(code=code).first() if code else None
    if office is None:
        # Said for the apply page and the complaint form alike (both pick the office the same way).
        raise DomainError("location_outside", "Lokasi Anda tidak berada di wilayah kabupaten/kota Indonesia; "
                          "pilih kantornya dari daftar.", field="office")
    return office


def office_serving(office: Office, levels: Sequence[str]) -> Office:
    """The office itself if it serves at one of ``levels``, else the nearest one above it that does
    (a service of the Kanwil, asked for from a regency)."""
    for candidate in office.ancestors_and_self():  # itself first, then upwards
        if candidate.level in levels:
            return candidate
    return office
