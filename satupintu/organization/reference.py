"""Load the real office tree (Pusat, 38 Kanwil, 514 Kankemenag) from the shipped region list.

Region codes and names: Kemendagri codes as compiled by cahyadsn/wilayah (MIT, see
data/LICENSE-regions): provinces.csv, regencies.csv and districts.csv (kecamatan). Safe to run again: existing offices keep their local edits (hours,
address) and only missing ones are added.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from django.db import transaction

WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def province_timezone(province_code: str) -> str:
    if province_code in WIT_PROVINCES:
        return "Asia/Jayapura"
    if province_code in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def timezone_label(zone: str) -> str:
    """WIB, WITA or WIT: how Indonesians name the three zones."""
    return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(zone, zone)


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("satupintu.organization").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def provinces() -> list[dict[str, str]]:
    return _rows("provinces.csv")


def regencies() -> list[dict[str, str]]:
    return _rows("regencies.csv")


def districts() -> list[dict[str, str]]:
    """The 7,285 kecamatan: code ("73.22.01"), regency_code ("73.22"), name."""
    return _rows("districts.csv")


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Kemendagri code -> name, provinces ("73") and regencies ("73.22") alike."""
    names = {p["code"]: p["name"] for p in provinces()}
    names.update({r["code"]: r["name"] for r in regencies()})
    return names


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every word of a province, regency or kecamatan name, lower case ("luwu", "utara", "masamba"):
    words that masking a person's name must leave alone (the room places items by them)."""
    names = [*region_names().values(), *(d["name"] for d in districts())]
    return frozenset(w for name in names for w in re.findall(r"\w+", name.lower()))


def region_name(code: str) -> str:
    return region_names().get(code, code)


def region_label(code: str) -> str:
    """A region's name, or "Indonesia" for none (a national room, brief or subscription)."""
    return region_name(code) if code else "Indonesia"


def kankemenag_name(regency_name: str) -> str:
    # "Kabupaten Luwu Utara" -> "Kantor Kementerian Agama Kabupaten Luwu Utara"
    return f"Kantor Kementerian Agama {regency_name}"


@transaction.atomic
def load_offices(office_model=None) -> int:  # type: ignore[no-untyped-def]
    """Create every office that is missing; return how many were created.

    ``office_model`` lets a data migration pass its historical model.
    """
    if office_model is None:
        from satupintu.organization.models import Office as office_model  # noqa: N813
    existing = set(office_model.objects.values_list("code", flat=True))
    created = 0
    pusat, made = office_model.objects.get_or_create(
        code="pusat",
        defaults={
            "level": "pusat",
            "name": "Kementerian Agama Republik Indonesia",
            "region_name": "Indonesia",
            "timezone": "Asia/Jakarta",
            "address": "Jl. Lapangan Banteng Barat No. 3-4, Jakarta Pusat",
        },
    )
    created += int(made)
    kanwil_by_code = {o.code: o for o in office_model.objects.filter(level="kanwil")}
    new_kanwil = [
        office_model(
            code=p["code"],
            level="kanwil",
            name=f"Kantor Wilayah Kementerian Agama Provinsi {p['name']}",
            region_name=p["name"],
            parent=pusat,
            province_code=p["code"],
            timezone=province_timezone(p["code"]),
        )
        for p in provinces()
        if p["code"] not in existing
    ]
    office_model.objects.bulk_create(new_kanwil)
    created += len(new_kanwil)
    kanwil_by_code.update({o.code: o for o in office_model.objects.filter(level="kanwil")})
    new_kankemenag = [
        office_model(
            code=r["code"],
            level="kankemenag",
            name=kankemenag_name(r["name"]),
            region_name=r["name"],
            parent=kanwil_by_code[r["province_code"]],
            province_code=r["province_code"],
            timezone=province_timezone(r["province_code"]),
        )
        for r in regencies()
        if r["code"] not in existing
    ]
    office_model.objects.bulk_create(new_kankemenag)
    return created + len(new_kankemenag)
