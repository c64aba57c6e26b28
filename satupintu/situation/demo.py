"""Demo data for the Situation Room: sources, two weeks of news-like items across provinces
and topics (run through the real pipeline, so issues, tone and places are the product's own
reading), a planted rise (a rumah ibadah dispute in Jawa Barat in the last day) that the
detector turns into an alert, and subscriptions for the demo leaders.

The texts are written for the demo (no real article is copied); a fixed seed makes every
demo the same.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from satupintu.organization import reference
from satupintu.organization.models import Office
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import AlertRule, BriefSubscription, Item, Source, SourceKind
from satupintu.situation.store import save_raw_items, shared_analyzer

# (province code, a city or regency named in the text, the office's short name)
PLACES = [
    ("73", "Kabupaten Luwu Utara", "Kankemenag Luwu Utara"), ("73", "Kota Makassar", "Kankemenag Kota Makassar"),
    ("73", "Kota Palopo", "Kankemenag Kota Palopo"), ("33", "Kota Semarang", "Kanwil Kemenag Jateng"),
    ("33", "Kota Magelang", "Kankemenag Kota Magelang"), ("32", "Kota Bandung", "Kanwil Kemenag Jabar"),
    ("32", "Kabupaten Bogor", "Kankemenag Kabupaten Bogor"), ("35", "Kota Surabaya", "Kanwil Kemenag Jatim"),
    ("64", "Kota Samarinda", "Kanwil Kemenag Kaltim"), ("11", "Kota Banda Aceh", "Kanwil Kemenag Aceh"),
    ("52", "Kota Mataram", "Kanwil Kemenag NTB"), ("91", "Kota Jayapura", "Kanwil Kemenag Papua"),
    ("18", "Kota Bandar Lampung", "Kanwil Kemenag Lampung"), ("12", "Kota Medan", "Kanwil Kemenag Sumut"),
]
# (topic, title pattern, body sentences); {place} and {office} are filled in.
STORIES = [
    ("haji-umrah", "Manasik haji {place} diikuti ratusan calon jemaah",
     ["{office} menggelar manasik haji bagi calon jemaah haji di {place}.",
      "Calon jemaah haji mendapat bimbingan ibadah haji dan informasi pelunasan BPIH.",
      "Kepala kantor berharap jemaah haji menjaga kesehatan dan semangat hingga keberangkatan."]),
    ("pendidikan", "Madrasah di {place} raih prestasi lomba sains",
     ["Siswa madrasah dari {place} meraih juara pada kompetisi sains madrasah.",
      "{office} mengapresiasi guru dan siswa atas prestasi tersebut.",
      "Prestasi ini diharapkan memotivasi madrasah lain untuk meningkatkan mutu pendidikan."]),
    ("nikah-keluarga", "KUA di {place} gelar bimbingan perkawinan",
     ["KUA di {place} menggelar bimbingan perkawinan bagi calon pengantin.",
      "Bimbingan perkawinan membekali catin tentang keluarga sakinah dan kesehatan reproduksi.",
      "{office} menyebut layanan nikah di KUA gratis pada jam kerja."]),
    ("zakat-wakaf", "Penyaluran zakat di {place} capai target",
     ["Baznas dan {office} menyalurkan zakat kepada mustahik di {place}.",
      "Penyaluran zakat tahun ini mencapai target dan berjalan lancar.",
      "Sertifikasi tanah wakaf juga dipercepat bersama nadzir."]),
    ("kerukunan", "FKUB {place} perkuat moderasi beragama",
     ["Forum Kerukunan Umat Beragama (FKUB) {place} menggelar dialog lintas agama.",
      "{office} menekankan pentingnya moderasi beragama dan toleransi antarumat.",
      "Kegiatan berjalan harmonis dan dihadiri tokoh lintas agama."]),
    ("layanan-publik", "PTSP {office} hadirkan layanan digital",
     ["Pelayanan Terpadu Satu Pintu (PTSP) {office} kini melayani permohonan secara digital.",
      "Masyarakat di {place} dapat mengajukan layanan dari telepon genggam tanpa antre.",
      "Transformasi layanan ini mendapat sambutan baik dari masyarakat."]),
    ("integritas", "{office} canangkan zona integritas",
     ["{office} mencanangkan pembangunan zona integritas menuju WBK.",
      "Seluruh pegawai menandatangani pakta integritas dan komitmen antikorupsi.",
      "Kepala kantor meminta pegawai menolak gratifikasi dan pungli dalam pelayanan."]),
    ("layanan-publik", "Warga {place} keluhkan layanan legalisir lambat",
     ["Sejumlah warga {place} mengeluhkan layanan legalisir ijazah yang lambat.",
      "Mereka kecewa karena harus datang berulang kali dan antre lama.",
      "{office} berjanji mengevaluasi pelayanan dan menambah petugas."]),
    ("bencana-sosial", "Banjir rendam madrasah di {place}",
     ["Banjir merendam beberapa madrasah dan rumah warga di {place}.",
      "Kegiatan belajar dihentikan sementara dan sejumlah korban mengungsi.",
      "{office} menyalurkan bantuan bagi korban banjir."]),
    ("koordinasi", "{office} gelar rapat koordinasi program prioritas",
     ["{office} menggelar rapat koordinasi membahas program prioritas Kementerian Agama.",
      "Kepala kantor meminta seluruh satuan kerja menindaklanjuti arahan pimpinan paling lambat akhir bulan.",
      "Rakor diikuti kepala seksi, penyelenggara, dan kepala KUA se-{place}."]),
]
# Sentences that vary otherwise similar reports, so that only real copies count as duplicates.
EXTRA = [
    "Kegiatan dimulai pukul {h}.00 waktu setempat dan dihadiri {n} peserta.",
    "Acara dibuka dengan pembacaan ayat suci Al-Qur'an oleh siswa madrasah setempat.",
    "Camat dan perwakilan pemerintah daerah turut hadir memberikan sambutan.",
    "Panitia menyiapkan {n} paket bahan bacaan untuk dibagikan kepada peserta.",
    "Kegiatan serupa direncanakan berlanjut di {k} kecamatan lain bulan depan.",
    "Penyuluh agama dari {k} KUA ikut mendampingi jalannya kegiatan.",
    "Dokumentasi kegiatan dibagikan melalui kanal resmi kantor.",
    "Peserta berasal dari unsur guru, penyuluh, dan tokoh masyarakat.",
    "Rangkaian acara ditutup dengan doa bersama dan foto bersama.",
    "Anggaran kegiatan bersumber dari DIPA tahun berjalan.",
    "Sebelumnya kegiatan serupa digelar pada tahun lalu dengan {n} peserta.",
    "Masyarakat yang memerlukan informasi dapat menghubungi kantor pada jam kerja.",
]
SPIKE = ("32", "Kabupaten Bogor")
SPIKE_SENTENCES = [
    "Sekelompok warga di {place} menolak pendirian rumah ibadah dan menggelar unjuk rasa.",
    "Penolakan rumah ibadah itu memicu ketegangan dan kericuhan kecil di lokasi.",
    "FKUB dan {office} turun tangan untuk meredakan konflik dan menjaga kerukunan.",
    "Tokoh lintas agama mengecam intoleransi dan meminta semua pihak menahan diri.",
    "Kasus ini menjadi sorotan di media sosial dan memicu polemik.",
]


def _item(rng: random.Random, n: int, when, place: tuple[str, str, str], story) -> RawItem:  # type: ignore[no-untyped-def]
    _, town, office = place
    topic, title, sentences = story
    fill = {"place": town, "office": office}
    body = [s.format(**fill) for s in sentences]
    extra = [e.format(h=rng.randint(7, 15), n=rng.randint(20, 400), k=rng.randint(2, 12))
             for e in rng.sample(EXTRA, 3)]
    text = " ".join(body[:1] + extra[:1] + body[1:] + extra[1:]) + f" (Humas {office}, laporan {n})."
    return RawItem(external_id=f"demo-{n}", title=title.format(**fill), text=text, published_at=when,
                   url="", author=f"Humas {office}")


def load_situation_demo(users: dict) -> str:  # type: ignore[type-arg]
    """Idempotent: nothing is added when the demo items are there already."""
    social, _ = Source.objects.get_or_create(
        name="Contoh berita dan unggahan (demo)", kind=SourceKind.SOCIAL,
        defaults={"url": "", "interval_minutes": 60})
    for name, url, owner in (("Kemenag RI - Berita (RSS)", "https://kemenag.go.id/feed", "pusat"),
                             ("Humas Kanwil Kemenag Sulsel (RSS)", "https://sulsel.kemenag.go.id/feed", "73")):
        # Inactive: demo machines are often offline; an administrator switches them on. The
        # ministry's own sites belong to their offices (Humas counts their stories as the office's).
        Source.objects.get_or_create(name=name, kind=SourceKind.FEED, defaults={
            "url": url, "active": False, "office": Office.objects.filter(code=owner).first()})
    for username, province in (("kakanwil.sulsel", "73"), ("admin", "")):
        user = users.get(username) or get_user_model().objects.filter(username=username).first()
        if user:
            AlertRule.objects.get_or_create(user=user, province_code=province, topic="", kind="",
                                            defaults={"name": f"Semua lonjakan di {reference.region_label(province)}"})
            BriefSubscription.objects.get_or_create(user=user, region_code=province, period="daily")
    from satupintu.situation.response_demo import load_response_demo

    if Item.objects.filter(source=social).exists():
        return f"Situation Room: data demo sudah ada. {load_response_demo(users)}"
    rng = random.Random(2024)
    now = timezone.now()
    raws = []
    n = 0
    for day in range(14, 0, -1):
        for _ in range(rng.randint(18, 26)):
            n += 1
            when = now - timedelta(days=day, minutes=rng.randint(0, 1400))
            raws.append(_item(rng, n, when, rng.choice(PLACES), rng.choice(STORIES)))
    # The planted rise: a dispute in Bogor, reported again and again in the last day.
    for k in range(14):
        n += 1
        picked = rng.sample(SPIKE_SENTENCES, 3)
        raws.append(_item(rng, n, now - timedelta(hours=rng.randint(1, 20)), ("32", "Kabupaten Bogor",
                          "Kankemenag Kabupaten Bogor"),
                          ("kerukunan", "Penolakan rumah ibadah di {place} " + ["memanas", "jadi sorotan",
                                                                               "dimediasi FKUB"][k % 3], picked)))
    shared_analyzer.reset()
    added = 0
    for i in range(0, len(raws), 100):
        added += len(save_raw_items(social, raws[i:i + 100]))
    from satupintu.situation.trends import detect

    alerts = detect(now)
    return f"Situation Room: {added} butir demo, {len(alerts)} peringatan. {load_response_demo(users)}"
