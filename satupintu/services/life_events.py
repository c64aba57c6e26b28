"""What citizens come for, in their words: life events (getting married, school, hajj, a
house of worship ...) and the most asked-for services (counted from recent applications),
each pointing at catalog services.

The home page is built from these instead of the ministry's unit names, which citizens do
not know. Slugs that an administrator removed or switched off are skipped, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from satupintu.services.models import Application, Audience


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    title: str | Promise
    hint: str | Promise
    services: tuple[str, ...]


LIFE_EVENTS: tuple[LifeEvent, ...] = (
    LifeEvent("menikah", _("Menikah dan keluarga"), _("Konsultasi dan bimbingan perkawinan"),
              ("konsultasi-perkawinan", "rekomendasi-penasihatan-perkawinan-bp4")),
    LifeEvent("sekolah", _("Sekolah dan madrasah"), _("Ijazah, pindah sekolah, kegiatan siswa"),
              ("legalisir-ijazah-madrasah", "duplikat-ijazah-madrasah", "rekomendasi-pindah-siswa-madrasah",
               "izin-karya-wisata-madrasah", "pengesahan-ijazah-mdt-tpq")),
    LifeEvent("haji-umrah", _("Haji dan umrah"), _("Mendaftar, membatalkan, paspor, pelimpahan porsi"),
              ("pendaftaran-haji-reguler", "konsultasi-haji-umrah", "rekomendasi-paspor-haji-umrah",
               "pembatalan-haji", "pelimpahan-porsi-haji", "penggabungan-mahram-haji")),
    LifeEvent("rumah-ibadah", _("Rumah ibadah"), _("Membangun, mendaftarkan, arah kiblat"),
              ("rekomendasi-pembangunan-rumah-ibadah", "pengukuran-arah-kiblat", "pendaftaran-id-masjid",
               "rekomendasi-pembangunan-masjid", "rekomendasi-pendirian-gereja", "rekomendasi-pendirian-gereja-katolik",
               "rekomendasi-pendirian-pura", "rekomendasi-pendirian-vihara",
               "rekomendasi-pemanfaatan-bangunan-ibadat-sementara")),
    LifeEvent("wakaf-zakat", _("Wakaf dan zakat"), _("Sertifikat tanah wakaf, nazir, konsultasi zakat"),
              ("percepatan-sertifikat-tanah-wakaf", "konsultasi-wakaf", "fasilitasi-wakaf-uang", "penggantian-nadzir",
               "konsultasi-zakat")),
    LifeEvent("penelitian", _("Penelitian dan data"), _("Izin penelitian, magang, data dan informasi"),
              ("izin-penelitian", "permohonan-data-dan-informasi", "izin-magang")),
    LifeEvent("lembaga", _("Pesantren dan lembaga keagamaan"), _("Izin operasional, pendaftaran lembaga"),
              ("izin-operasional-pondok-pesantren", "pendaftaran-tpq-rumah-tahfiz", "pendaftaran-majelis-taklim",
               "pendaftaran-ormas-lembaga-keagamaan-islam", "rekomendasi-kegiatan-keagamaan")),
)

# The services asked for most at PTSP desks (the demo and the 2026 load figures agree): the
# home page's list until real applications say otherwise (popular_services).
POPULAR_SERVICES: tuple[str, ...] = (
    "legalisir-ijazah-madrasah", "pendaftaran-haji-reguler", "konsultasi-perkawinan", "pengukuran-arah-kiblat",
    "duplikat-ijazah-madrasah", "izin-penelitian", "percepatan-sertifikat-tanah-wakaf",
    "rekomendasi-paspor-haji-umrah",
)


def life_event_get(slug: str) -> LifeEvent | None:
    return next((e for e in LIFE_EVENTS if e.slug == slug), None)


POPULAR_WINDOW = timedelta(days=90)
POPULAR_CACHE_SECONDS = 3600
_POPULAR_KEY = "home:popular-services"
_POPULAR_MIN = 3  # fewer services with applications than this says more about the install than demand


def popular_services(*, now: datetime | None = None) -> tuple[str, ...]:
    """Slugs of the public services with the most applications in the last 90 days, most first;
    the fixed list while too few services have any. Counted at most once an hour: it reads
    every recent application, and the home page is the busiest page."""
    slugs = cache.get(_POPULAR_KEY)
    if slugs is None:
        since = (now or timezone.now()) - POPULAR_WINDOW
        rows = (
            Application.objects.filter(submitted_at__gte=since, service__audience=Audience.PUBLIC,
                                       service__is_active=True)
            .values("service__slug").annotate(n=Count("pk")).order_by("-n", "service__slug")
        )[:len(POPULAR_SERVICES)]
        slugs = [row["service__slug"] for row in rows]
        cache.set(_POPULAR_KEY, slugs, POPULAR_CACHE_SECONDS)
    return tuple(slugs) if len(slugs) >= _POPULAR_MIN else POPULAR_SERVICES
