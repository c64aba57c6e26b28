"""Humas personas (Sulawesi Selatan, next to tests/conftest.py's) and helpers to put stories
into an office's feed through the room's own store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():
    """The ingestion duplicate finder lives per process; the test database does not."""
    from satupintu.situation.store import shared_analyzer

    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


@dataclass
class HumasPeople:
    humas_sulsel: object
    kakanwil_sulsel: object
    humas_lutra: object
    admin_lutra: object
    humas_makassar: object
    fo_lutra: object
    humas_pusat: object
    humas_jateng: object


@pytest.fixture
def hp(db) -> HumasPeople:  # type: ignore[no-untyped-def]
    from satupintu.organization.models import Role
    from tests.conftest import _staff

    return HumasPeople(
        humas_sulsel=_staff("humas.sulsel", "73", Role.HUMAS),
        kakanwil_sulsel=_staff("kakanwil.sulsel", "73", Role.HEAD_OF_OFFICE),
        humas_lutra=_staff("humas.lutra", "73.22", Role.HUMAS),
        admin_lutra=_staff("admin.lutra", "73.22", Role.ADMIN),
        humas_makassar=_staff("humas.makassar", "73.71", Role.HUMAS),
        fo_lutra=_staff("fo.lutra", "73.22", Role.FRONT_OFFICE),
        humas_pusat=_staff("humas.pusat", "pusat", Role.HUMAS),
        humas_jateng=_staff("humas.jateng", "33", Role.HUMAS),
    )


def office(code: str):  # type: ignore[no-untyped-def]
    from satupintu.organization.models import Office

    return Office.objects.get(code=code)


def feed(code: str, path: str = ""):  # type: ignore[no-untyped-def]
    """The office's website channel (the demo's way: no address check, never fetched)."""
    from satupintu.humas.channels import channel_register

    return channel_register(office=office(code), platform="website",
                            url=f"https://sulsel.kemenag.go.id/{path or code}/feed", check_address=False)


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WITA)


def story(ext: str, text: str, when: datetime | None, title: str = ""):  # type: ignore[no-untyped-def]
    from satupintu.situation.ingest.raw import RawItem

    return RawItem(external_id=ext, title=title or text[:60], text=text, url=f"https://contoh.example/{ext}",
                   published_at=when)


def publish(channel, *raws):  # type: ignore[no-untyped-def]
    from satupintu.situation.store import save_raw_items

    return save_raw_items(channel.source, list(raws))


PRESS_RELEASE = ("Kanwil Kementerian Agama Provinsi Sulawesi Selatan menggelar rapat koordinasi kehumasan di Pangkep. "
                 "Ketua tim HDI meminta pengelola humas memasifkan publikasi program prioritas melalui berita, "
                 "infografis dan konten media sosial. Website Kemenag Sulsel membukukan lebih dari enam puluh ribu "
                 "berita sepanjang tahun lalu, capaian terbanyak dalam sejarah.")


def unique_text(n: int, place: str = "Kabupaten Luwu Utara") -> str:
    words = ["madrasah", "penyuluh", "zakat", "manasik", "kerukunan", "wakaf", "santri", "nikah", "masjid", "guru"]
    return (f"Kegiatan ke-{n} di {place}: " + " ".join(f"{words[(n + i) % 10]}{i * n}" for i in range(40))
            + f" diikuti {n * 7} peserta dari {place}.")
