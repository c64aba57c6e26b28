"""Early-warning demo: Kabupaten Luwu Utara (73.22) turns kuning over nine days.

Local news about a dispute over a rumah ibadah in Kecamatan Sabbang grows more negative, a
social post spreads a hoax, two residents complain to the Kankemenag; the field-report demo's
verified reports, when there are any, add to it. The index is computed at five moments of the
last nine days (so the region has a history that rises from hijau) and now; the zone change
raises its alert to the heads of Kankemenag Luwu Utara and Kanwil Sulawesi Selatan.

Items go through the real pipeline (place, topics, tone are the product's reading) and
complaints through `reports.report_submit`. Idempotent: a second run only computes again.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from satupintu.core.numbers import decimal
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import RegionWarningHistory, Source, SourceKind
from satupintu.situation.store import save_raw_items, shared_analyzer

DEMO_REGENCY = "73.22"
# (days ago, social?, title, text): negative, about harmony or intolerance, in Luwu Utara.
STORIES = [
    (9.0, False, "Warga Sabbang persoalkan izin rumah ibadah di Kabupaten Luwu Utara",
     "Sejumlah warga di Kecamatan Sabbang, Kabupaten Luwu Utara, mempersoalkan izin pendirian rumah ibadah. "
     "Mereka kecewa karena merasa tidak dilibatkan. FKUB Luwu Utara diminta menengahi agar kerukunan tetap "
     "terjaga dan masalah tidak meluas."),
    (6.0, True, "Unggahan provokatif soal rumah ibadah di Luwu Utara",
     "Unggahan provokatif yang menuding kelompok lain merusak kerukunan di Kabupaten Luwu Utara beredar luas. "
     "Isinya hoaks dan memicu kemarahan warganet; intoleransi dan ujaran kebencian bermunculan di kolom komentar."),
    (4.0, False, "Penolakan rumah ibadah di Luwu Utara memanas",
     "Penolakan pendirian rumah ibadah di Kecamatan Sabbang, Kabupaten Luwu Utara, memanas. Warga menggelar "
     "unjuk rasa dan sempat terjadi adu mulut. Tokoh lintas agama mengecam intoleransi dan meminta semua pihak "
     "menahan diri demi kerukunan."),
    (3.5, False, "Ketegangan antarwarga di Sabbang, FKUB Luwu Utara turun tangan",
     "Ketegangan antarwarga akibat sengketa rumah ibadah di Kabupaten Luwu Utara belum mereda. Spanduk penolakan "
     "bernada kebencian dipasang, warga marah dan takut konflik meluas. Mediasi FKUB dan Kankemenag Luwu Utara "
     "gagal; kerukunan di desa itu rusak."),
    (2.0, False, "Aksi intoleran di Luwu Utara dikecam",
     "Aksi intoleran berupa pembubaran ibadah di Kabupaten Luwu Utara dikecam banyak pihak. Kejadian buruk ini "
     "merusak kerukunan, jemaah ketakutan dan kecewa, dan warga marah. Polisi memeriksa sejumlah saksi."),
    (1.0, False, "Mediasi sengketa rumah ibadah Luwu Utara buntu",
     "Mediasi sengketa rumah ibadah di Kecamatan Sabbang, Kabupaten Luwu Utara, kembali buntu. Warga penolak "
     "mengancam aksi lebih besar, sementara tokoh agama khawatir kerukunan rusak dan intoleransi meluas."),
    (0.2, False, "Ancaman aksi lanjutan di Luwu Utara, kerukunan terancam",
     "Kelompok penolak rumah ibadah di Kabupaten Luwu Utara mengancam aksi lanjutan yang ricuh pekan ini. "
     "Ketegangan meningkat, warga resah dan takut. FKUB Luwu Utara kecewa: kerukunan rusak bila intoleransi "
     "dibiarkan."),
    (0.1, False, "Provokasi di media sosial perkeruh kerukunan di Luwu Utara",
     "Provokasi dan hoaks di media sosial memperkeruh sengketa rumah ibadah di Kabupaten Luwu Utara. Warga "
     "saling tuding dan marah, suasana makin buruk; intoleransi dikhawatirkan memicu kericuhan dan konflik."),
]
COMPLAINTS = [
    ("Intimidasi terhadap jemaah di Sabbang",
     "Jemaah kami di Kecamatan Sabbang diintimidasi sekelompok orang saat beribadah. Mohon Kemenag Luwu Utara "
     "dan FKUB segera turun tangan menjaga kerukunan."),
    ("Spanduk penolakan rumah ibadah",
     "Spanduk bernada intoleran dipasang di jalan desa menolak rumah ibadah kami. Kami merasa tidak aman dan "
     "mohon perlindungan serta mediasi dari Kankemenag Luwu Utara."),
]
# When the index is computed for the history (days ago); then now.
MOMENTS = (8.0, 5.0, 3.0, 1.5, 0.5)


def _news_sources() -> tuple[Source, Source]:
    news, _ = Source.objects.get_or_create(name="Berita daerah Sulawesi Selatan (demo)", kind=SourceKind.PAGE,
                                           defaults={"url": "https://berita-sulsel.example/", "active": False})
    social, _ = Source.objects.get_or_create(name="Contoh berita dan unggahan (demo)", kind=SourceKind.SOCIAL,
                                             defaults={"url": "", "interval_minutes": 60})
    return news, social


def _complaints() -> int:
    from satupintu.feedback import reports
    from satupintu.feedback.models import Report

    made = 0
    for title, text in COMPLAINTS:
        if Report.objects.filter(office__code=DEMO_REGENCY, title=title).exists():
            continue
        reports.report_submit(reports.ReportSubmission(
            kind="complaint", category="religious_harmony", office=DEMO_REGENCY, title=title, text=text,
            anonymous=False, confidential=False, name="Warga Sabbang", email="warga.sabbang@contoh.local"))
        made += 1
    return made


def load_warning_demo() -> str:
    """Plant Luwu Utara's signals (once), compute its history (once) and the index now."""
    from satupintu.situation.warning import compute

    now = timezone.now()
    news, social = _news_sources()
    shared_analyzer.reset()
    for k, (days, is_social, title, text) in enumerate(STORIES):
        save_raw_items(social if is_social else news, [RawItem(
            external_id=f"demo-kewaspadaan-{k}", title=title, text=text, published_at=now - timedelta(days=days),
            url="" if is_social else f"https://sulsel.kemenag.go.id/berita/demo-kewaspadaan-{k}",
            author="Humas (demo)")])
    _complaints()
    if not RegionWarningHistory.objects.filter(code=DEMO_REGENCY).exists():
        for days in MOMENTS:  # the past, as the schedule would have seen it
            compute(now - timedelta(days=days))
    result = compute()
    from satupintu.situation.models import RegionWarning

    lutra = RegionWarning.objects.get(code=DEMO_REGENCY)
    counts = {z: RegionWarning.objects.filter(zone=z).count() for z in ("kuning", "merah")}
    return (f" Kewaspadaan dini: Luwu Utara zona {lutra.zone} (indeks {decimal(lutra.index, 1, 'id')}); {counts['kuning']} wilayah "
            f"kuning, {counts['merah']} merah; {len(result.changes)} perubahan zona kali ini.")
