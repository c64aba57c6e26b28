"""The Humas demo: channels, stories and social figures for Kanwil Sulsel and six of its offices.

Stories go in through the room's own store (situation.store.save_raw_items: the same analysis
and near-duplicate linking as fetched feeds); the feeds are registered through
channels.channel_register without the address check and stay inactive (the demo never fetches).
November 2026 is the month shown, with a few October stories; three Kankemenag stories repeat
the Kanwil's (a copied press release), one story has no date, and outside media write about
two offices. Targets are set by the Kanwil (three stories a week) and by Pusat for the Kanwil.
Social figures come from the sample exports (humas/data/samples/) through the same import as
the upload form, when those files are there. Texts are written for the demo; a fixed seed
makes every run the same. Idempotent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from satupintu.humas.channels import channel_register
from satupintu.humas.figures import refresh_month
from satupintu.humas.models import Channel, Platform
from satupintu.humas.targets import target_set
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import Source, SourceKind
from satupintu.situation.store import save_raw_items

WITA = ZoneInfo("Asia/Makassar")
SAMPLES = Path(__file__).parent / "data" / "samples"
# office code, demo Humas user, place named in its stories, feed path, stories in November, in October
OFFICES = [
    ("73", "humas.sulsel", "Sulawesi Selatan", "", 15, 4),
    ("73.71", "humas.makassar", "Kota Makassar", "kota-makassar", 14, 3),
    ("73.22", "humas.lutra", "Kabupaten Luwu Utara", "kab-luwu-utara", 11, 3),
    ("73.73", "humas.palopo", "Kota Palopo", "kota-palopo", 8, 2),
    ("73.72", "humas.parepare", "Kota Parepare", "kota-parepare", 6, 2),
    ("73.10", "humas.pangkep", "Kabupaten Pangkajene dan Kepulauan", "kab-pangkep", 12, 0),
    ("73.14", "humas.sidrap", "Kabupaten Sidenreng Rappang", "kab-sidrap", 3, 1),
]
# sample file -> the office whose account exported it
SAMPLE_OWNERS = {"meta_facebook_posts_id.csv": ("73", "facebook"), "meta_instagram_posts_en.csv": ("73", "instagram"),
                 "tiktok_videos.xlsx": ("73.22", "tiktok"), "youtube_table_data.csv": ("73.71", "youtube")}
SOCIAL_HANDLES = {("73", "facebook"): "Kanwil Kemenag Sulsel", ("73", "instagram"): "@kemenagsulsel",
                  ("73.22", "tiktok"): "@kemenagluwuutara", ("73.71", "youtube"): "Kemenag Kota Makassar"}
TOPICS = [
    ("Manasik haji bagi calon jemaah di {place}", "{office} menggelar manasik haji bagi calon jemaah haji asal {place}. "
     "Para calon jemaah mendapat bimbingan ibadah haji, informasi pelunasan BPIH dan pemeriksaan kesehatan."),
    ("Madrasah {place} juara kompetisi sains", "Siswa madrasah dari {place} meraih juara kompetisi sains madrasah. "
     "{office} memberi penghargaan kepada guru pembimbing dan orang tua siswa."),
    ("Bimbingan perkawinan calon pengantin di KUA {place}", "KUA di {place} menggelar bimbingan perkawinan bagi calon "
     "pengantin tentang keluarga sakinah. {office} mengingatkan layanan nikah di KUA gratis pada jam kerja."),
    ("Penyaluran zakat produktif di {place}", "Baznas bersama {office} menyalurkan zakat produktif kepada mustahik di "
     "{place}. Sertifikasi tanah wakaf juga dipercepat bersama para nadzir."),
    ("Dialog kerukunan FKUB {place}", "Forum Kerukunan Umat Beragama {place} bersama {office} menggelar dialog lintas "
     "agama tentang moderasi beragama dan toleransi antarumat."),
    ("PTSP {office} layani permohonan dari ponsel", "Pelayanan Terpadu Satu Pintu {office} kini menerima permohonan "
     "layanan secara digital sehingga warga {place} tidak perlu antre."),
    ("Pegawai {office} teken pakta integritas", "{office} mencanangkan zona integritas menuju WBK. Seluruh pegawai di "
     "{place} menandatangani pakta integritas dan menolak gratifikasi."),
]
DETAILS = [
    "Kegiatan dimulai pukul {h}.00 WITA dan diikuti {n} peserta.", "Camat dan tokoh masyarakat turut hadir.",
    "Panitia menyiapkan {n} paket bahan bacaan untuk peserta.", "Acara dibuka dengan pembacaan ayat suci Al-Qur'an.",
    "Kepala seksi menyampaikan materi selama {h} jam.", "Peserta antusias mengajukan pertanyaan kepada narasumber.",
    "Kegiatan serupa dijadwalkan kembali bulan depan di {n} kecamatan.", "Dokumentasi kegiatan diunggah ke media sosial.",
    "Penyuluh agama dari {n} kecamatan ikut mendampingi.", "Evaluasi kegiatan dilakukan pada pekan berikutnya.",
]
# Outside media: (regency code or "" for the province, title, text) — tone comes from the pipeline.
COVERAGE = [
    ("73.71", "Warga apresiasi layanan Kemenag Kota Makassar", "Warga Kota Makassar mengapresiasi layanan PTSP "
     "Kementerian Agama Kota Makassar yang cepat dan ramah. Pelayanan kini bisa dari ponsel."),
    ("73.71", "Antrean legalisir di Kemenag Makassar dikeluhkan", "Sejumlah warga Kota Makassar mengeluhkan antrean "
     "legalisir ijazah di Kemenag Kota Makassar yang lambat dan berbelit. Mereka kecewa harus datang berulang kali."),
    ("73.22", "Kemenag Luwu Utara salurkan bantuan korban banjir", "Kementerian Agama Kabupaten Luwu Utara menyalurkan "
     "bantuan bagi madrasah terdampak banjir di Kabupaten Luwu Utara. Bantuan disambut baik warga."),
    ("", "Kanwil Kemenag Sulsel raih penghargaan keterbukaan informasi", "Kanwil Kementerian Agama Provinsi Sulawesi "
     "Selatan meraih penghargaan keterbukaan informasi publik. Kakanwil berterima kasih atas kerja keras tim Humas."),
]


def _humas_user(username: str, office: Office, password: str):  # type: ignore[no-untyped-def]
    from satupintu.demo import set_demo_password

    user, made = get_user_model().objects.get_or_create(username=username)
    if made or not user.has_usable_password():
        user.first_name = f"Humas {office.short_name}"
        user.email = f"{username}@satupintu.local"
        set_demo_password(user, password)
        user.save()
    StaffRole.objects.get_or_create(user=user, office=office, role=Role.HUMAS, unit=None)
    return user


def _story(rng: random.Random, office: Office, place: str, when: datetime | None, n: int) -> RawItem:
    title, body = rng.choice(TOPICS)
    details = " ".join(d.format(h=rng.randint(2, 10), n=rng.randint(20, 400)) for d in rng.sample(DETAILS, 3))
    name = office.name
    return RawItem(external_id=f"humas-demo-{office.code}-{n}", title=title.format(place=place, office=name),
                   text=f"{body.format(place=place, office=name)} {details} Kegiatan nomor {n} tahun ini.",
                   url=f"https://sulsel.kemenag.go.id/berita/demo-{office.code}-{n}", published_at=when)


def _moment(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=WITA)


def _feed(office: Office, path: str, user) -> Channel:  # type: ignore[no-untyped-def]
    url = f"https://sulsel.kemenag.go.id/{path + '/' if path else ''}feed"
    channel = Channel.objects.filter(office=office, platform=Platform.WEBSITE).first()
    return channel or channel_register(office=office, platform=Platform.WEBSITE, url=url, user=user,
                                       check_address=False)


def _import_samples(users: dict) -> str:  # type: ignore[type-arg]
    from satupintu.core.errors import DomainError
    from satupintu.humas.imports import social_import

    done = []
    for filename, (code, platform) in SAMPLE_OWNERS.items():
        path = SAMPLES / filename
        office = Office.objects.get(code=code)
        channel = Channel.objects.filter(office=office, platform=platform).first() or channel_register(
            office=office, platform=platform, handle=SOCIAL_HANDLES[(code, platform)], check_address=False)
        if not path.exists() or channel.imports.filter(filename=filename).exists():  # the demo runs twice
            continue
        try:
            result = social_import(channel=channel, filename=filename, data=path.read_bytes(), user=users.get(code))
        except DomainError as e:  # a sample the parser refuses: say so, the rest of the demo goes on
            done.append(f"{filename}: {e}")
            continue
        done.append(f"{filename}: {result.record.rows_imported} baris, {result.record.problem_count} bermasalah")
    return "; ".join(done)


def load_humas_demo(users: dict) -> str:  # type: ignore[type-arg]
    from satupintu.demo import DEMO_PASSWORD

    rng = random.Random(16)
    humas: dict[str, object] = {}
    kanwil = Office.objects.get(code="73")
    kanwil_stories: list[RawItem] = []
    for code, username, place, path, november, october in OFFICES:
        office = Office.objects.get(code=code)
        user = _humas_user(username, office, DEMO_PASSWORD)
        humas[code] = user
        channel = _feed(office, path, user)
        assert channel.source is not None
        raws = [_story(rng, office, place, _moment(rng, date(2026, 11, 1), 30), i) for i in range(november)]
        raws += [_story(rng, office, place, _moment(rng, date(2026, 10, 1), 31), 100 + i) for i in range(october)]
        if code == "73":
            kanwil_stories = raws[:3]
        elif code in ("73.22", "73.73", "73.10") and kanwil_stories:
            # A copied press release of the Kanwil's, published a day or two later: a repeat.
            original = kanwil_stories[("73.22", "73.73", "73.10").index(code)]
            assert original.published_at is not None
            raws.append(RawItem(external_id=f"humas-demo-{code}-copy", title=original.title,
                                text=f"(Humas) - {original.text}",
                                url=f"https://sulsel.kemenag.go.id/{path}/berita/salinan",
                                published_at=original.published_at + timedelta(days=1, hours=2)))
        if code == "73.22":
            raws.append(RawItem(external_id="humas-demo-73.22-undated", title="Rapat persiapan kegiatan akhir tahun",
                                text="Pengelola Humas mengikuti rapat persiapan kegiatan akhir tahun di aula kantor. "
                                     "Rapat membahas pembagian tugas peliputan dan jadwal unggahan."))
        save_raw_items(channel.source, raws, region_code="" if code == "73" else code)
    media, _ = Source.objects.get_or_create(name="Media daring Sulsel (demo)", kind=SourceKind.FEED,
                                            defaults={"url": "https://berita-sulsel.example/feed", "active": False})
    save_raw_items(media, [RawItem(external_id=f"humas-demo-media-{i}", title=title, text=text,
                                   url=f"https://berita-sulsel.example/{i}",
                                   published_at=datetime(2026, 11, 5 + 4 * i, 9, 0, tzinfo=WITA))
                           for i, (_, title, text) in enumerate(COVERAGE)])
    pusat_admin = users.get("admin")
    for code, *_ in OFFICES:
        office = Office.objects.get(code=code)
        if code == "73":
            target_set(office=office, year=2026, stories_per_week=5, social_posts_per_month=30, user=pusat_admin)
        elif code == "73.14":
            target_set(office=office, year=2026, stories_per_week=None, social_posts_per_month=None, no_target=True,
                       user=humas["73"])
        else:
            target_set(office=office, year=2026, stories_per_week=3, social_posts_per_month=12, user=humas["73"])
    social = _import_samples(humas)
    for month in (date(2026, 10, 1), date(2026, 11, 1)):
        refresh_month(month)
    names = ", ".join(u for _, u, *_ in OFFICES)
    return (f" Humas: kartu skor November 2026 untuk {kanwil.short_name} dan {len(OFFICES) - 1} kantornya "
            f"(/humas/?bulan=2026-11, /humas/peringkat/?bulan=2026-11&kanwil=73; akun {names}; "
            f"`satupintu humas scorecard --month 2026-11 --office 73`)."
            + (f" Impor media sosial: {social}." if social else ""))
