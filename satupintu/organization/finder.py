"""Finding the office a citizen means: by its code, by a place name they type, or by where
they stand. Citizens know their regency ("Luwu Utara", "kota makassar"), not office codes, and
a list of 553 offices is three screens long on a phone."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from satupintu.core.errors import DomainError
from satupintu.organization.models import Office

# Words every office name shares, which say nothing about the place.
_NOISE = re.compile(r"\b(kantor|kementerian|agama|kemenag|kankemenag|kanwil|wilayah|provinsi|prov|kabupaten|kab|"
                    r"kota|adm|administrasi)\b\.?")
_CITY = re.compile(r"\bkota\b")
SCORE_CUTOFF = 85  # below this a typed name is more likely another place than a typo of this one
MARGIN = 4  # the best match must beat the next by this much, or the citizen chooses


def _place(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text.lower().replace(".", " ")).split())


def office_by_name(text: str, *, levels: Sequence[str]) -> Office:
    """The office at one of ``levels`` whose place name the text names (typos forgiven)."""
    query = _place(text or "")
    if not query:
        raise DomainError("missing_field", "Ketik nama kabupaten/kota atau provinsi Anda.", field="nama")
    offices = list(Office.objects.filter(level__in=levels).only("code", "name", "region_name", "level"))
    wants_city = bool(_CITY.search(text.lower()))
    exact = [o for o in offices if _place(o.region_name) == query]
    if len(exact) > 1:  # "Kota Bogor" and "Kabupaten Bogor": the word "kota" decides
        exact = [o for o in exact if bool(_CITY.search(o.region_name.lower())) == wants_city] or exact
    if len(exact) == 1:
        return exact[0]
    choices = {o.pk: _place(o.region_name) for o in offices}
    ranked = process.extract(query, choices, scorer=fuzz.WRatio, limit=3, score_cutoff=SCORE_CUTOFF)
    by_pk = {o.pk: o for o in offices}
    if len(exact) > 1 or (len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN):
        names = ", ".join(by_pk[pk].region_name for _, _, pk in ranked[:3]) if not exact else \
            ", ".join(o.region_name for o in exact)
        raise DomainError("office_ambiguous", "Nama itu cocok dengan beberapa tempat: %(names)s. Ketik lebih lengkap "
                          "atau pilih dari daftar.", field="nama", params={"names": names})
    if not ranked:
        raise DomainError("office_not_found", "Tidak ada kantor untuk '%(text)s'. Periksa ejaannya atau pilih dari "
                          "daftar.", field="nama", params={"text": text.strip()[:80]})
    return by_pk[ranked[0][2]]


def office_at(latitude: str | float, longitude: str | float) -> Office:
    """The Kankemenag of the regency or city that contains the point."""
    from satupintu.organization.geo import regency_code_at

    try:
        code = regency_code_at(float(latitude), float(longitude))
    except (TypeError, ValueError):
        raise DomainError("invalid_location", "Lokasi tidak valid.", field="office") from None
    office = Office.objects.filter(code=code).first() if code else None
    if office is None:
        raise DomainError("location_outside", "Lokasi Anda tidak berada di wilayah kabupaten/kota Indonesia; "
                          "pilih kantor yang dilaporkan.", field="office")
    return office


def office_serving(office: Office, levels: Sequence[str]) -> Office:
    """The office itself if it serves at one of ``levels``, else the nearest one above it that does
    (a service of the Kanwil, asked for from a regency)."""
    for candidate in office.ancestors_and_self():  # itself first, then upwards
        if candidate.level in levels:
            return candidate
    return office
