"""Where a field report happened: a GPS point, or a regency and kecamatan picked from the shipped
Kemendagri lists (organization/data), checked here and turned into region codes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from satupintu.core.errors import DomainError
from satupintu.organization import geo, reference

# Indonesia's extent with a margin for the outer islands (Sabang to Merauke, Miangas to Rote).
LAT_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LON_RANGE = (Decimal("94.5"), Decimal("141.5"))


@dataclass(frozen=True)
class Place:
    province_code: str
    regency_code: str
    district_code: str
    latitude: Decimal | None
    longitude: Decimal | None


@lru_cache(maxsize=1)
def regency_names() -> dict[str, str]:
    return {r["code"]: r["name"] for r in reference.regencies()}


@lru_cache(maxsize=1)
def _districts() -> dict[str, tuple[str, str]]:
    """kecamatan code -> (regency code, name)."""
    return {d["code"]: (d["regency_code"], d["name"]) for d in reference.districts()}


def districts_of(regency_code: str) -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, (regency, name) in _districts().items() if regency == regency_code]


def districts_of_province(province_code: str) -> dict[str, list[dict[str, str]]]:
    """The kecamatan of every regency of a province, for the form to work offline."""
    out: dict[str, list[dict[str, str]]] = {}
    prefix = province_code + "."
    for code, (regency, name) in _districts().items():
        if regency.startswith(prefix):
            out.setdefault(regency, []).append({"code": code, "name": name})
    return out


def regency_choices(province_code: str) -> list[dict[str, str]]:
    """Every regency, the reporter's province first (a penyuluh reports where they work)."""
    rows = [{"code": code, "name": name} for code, name in regency_names().items()]
    return sorted(rows, key=lambda r: (not r["code"].startswith(province_code + "."), r["code"]))


def district_name(code: str) -> str:
    return _districts().get(code, ("", code))[1]


def _coordinate(value: str) -> Decimal | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise DomainError("coordinates_invalid", "Koordinat GPS tidak dapat dibaca.", field="latitude") from None
    # No coordinate is over 360 degrees; 1e30 could not even be rounded to six places (a 500, which
    # the phone's outbox retries for ever), and abs() of 1E+1000000 overflows: its magnitude is
    # read from the exponent first.
    if not number.is_finite() or (number and number.adjusted() > 3) or abs(number) > 360:
        raise DomainError("coordinates_invalid", "Koordinat GPS tidak dapat dibaca.", field="latitude")
    return number.quantize(Decimal("0.000001"))


def resolve(*, latitude: str, longitude: str, regency_code: str, district_code: str) -> Place:
    """The report's place, or a DomainError saying what is missing or wrong."""
    lat, lon = _coordinate(latitude), _coordinate(longitude)
    if (lat is None) != (lon is None):
        raise DomainError("coordinates_invalid", "Koordinat GPS tidak lengkap: lintang dan bujur keduanya diperlukan.",
                          field="latitude")
    regency_code, district_code = (regency_code or "").strip(), (district_code or "").strip()
    if lat is None and not regency_code and not district_code:
        raise DomainError("location_required",
                          "Lokasi wajib diisi: gunakan GPS atau pilih kabupaten/kota (dan kecamatan).",
                          field="regency_code")
    if lat is not None and lon is not None:
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            raise DomainError("outside_indonesia",
                              "Koordinat GPS (%(lat)s, %(lon)s) berada di luar wilayah Indonesia.",
                              field="latitude", params={"lat": lat, "lon": lon})
    if district_code:
        if district_code not in _districts():
            raise DomainError("unknown_district", "Kecamatan tidak dikenal.", field="district_code")
        if not regency_code:
            regency_code = _districts()[district_code][0]
    if regency_code and regency_code not in regency_names():
        raise DomainError("unknown_regency", "Kabupaten/kota tidak dikenal.", field="regency_code")
    if district_code and _districts()[district_code][0] != regency_code:
        raise DomainError("district_not_in_regency", "Kecamatan %(district)s tidak berada di %(regency)s.",
                          field="district_code",
                          params={"district": district_name(district_code), "regency": regency_names()[regency_code]})
    if not regency_code and lat is not None and lon is not None:
        # GPS only: the regency from the shipped boundaries.
        regency_code = geo.regency_code_at(float(lat), float(lon)) or ""
        if not regency_code:
            raise DomainError("regency_needed",
                              "Lokasi GPS tidak dapat dipastikan kabupaten/kotanya (mungkin di laut atau di batas "
                              "wilayah). Pilih kabupaten/kota.", field="regency_code")
    return Place(province_code=regency_code.split(".")[0], regency_code=regency_code, district_code=district_code,
                 latitude=lat, longitude=lon)


def gps_elsewhere(latitude: Decimal | None, longitude: Decimal | None, regency_code: str) -> str:
    """The name of the regency the GPS point lies in when it is not the one the report names, else
    "". Not refused at sending: a penyuluh may report from home what they saw in the next regency
    (the chosen place wins), but the verifier should know before the index counts it there."""
    if latitude is None or longitude is None or not regency_code:
        return ""
    at = geo.regency_code_at(float(latitude), float(longitude))
    return regency_names().get(at, at) if at and at != regency_code else ""
