"""Demo field reports (idempotent): reporters in four Kankemenags of Sulawesi Selatan and eight
reports from their regencies, most verified (so the room shows them), two waiting in the
queue, one rejected. Sent through the same ``reports.submit`` as the phone's outbox."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from satupintu.field import reports
from satupintu.field.models import FieldReport, ReportStatus
from satupintu.organization.models import Office, Role, StaffRole

_NAMESPACE = uuid.UUID("6f1c2a52-93c1-4d55-9d8a-3f6f0c0a7e15")

# (username, full name, office)
REPORTERS = [
    ("penyuluh.lutra", "Penyuluh Agama Islam Masamba", "73.22"),
    ("penyuluh.makassar", "Penyuluh Agama Kristen Kota Makassar", "73.71"),
    ("kua.bone", "Kepala KUA Tanete Riattang", "73.08"),
    ("kub.gowa", "Petugas FKUB Kabupaten Gowa", "73.06"),
]

# (reporter, regency, kecamatan, GPS, category, urgency, people, hours ago, decision, text)
PLAN = [
    ("penyuluh.lutra", "73.22", "73.22.03", None, "worship", "high", 40, 30, "verify",
     "Sebagian warga Kelurahan Bone Tua menolak renovasi musala di ujung gang karena soal batas tanah wakaf. "
     "Sudah dimediasi KUA Masamba bersama lurah; pertemuan lanjutan Kamis pagi."),
    ("penyuluh.lutra", "73.22", "", (-2.5570, 120.3270), "disaster", "critical", 300, 20, "verify",
     "Banjir bandang merendam dua masjid dan satu gereja di Masamba. Jamaah mengungsi ke madrasah; perlu "
     "bantuan tikar, air bersih dan terpal."),
    ("penyuluh.lutra", "73.22", "73.22.02", None, "hoax", "medium", None, 6, "",
     "Beredar pesan berantai di grup WhatsApp warga bahwa nikah di KUA dipungut biaya Rp 1 juta. Kabar ini hoaks; "
     "warga minta penjelasan resmi."),
    ("penyuluh.makassar", "73.71", "73.71.01", None, "intolerance", "high", 25, 50, "verify",
     "Spanduk berisi ujaran kebencian terhadap jemaat gereja dipasang di dekat rumah ibadat di Mariso. "
     "Spanduk sudah diturunkan bersama Babinsa; pengurus FKUB diberi tahu."),
    ("penyuluh.makassar", "73.71", "", None, "service", "low", None, 70, "reject",
     "Antrean legalisir di kantor lambat sekali hari ini."),
    ("kua.bone", "73.08", "", (-4.5390, 120.3260), "deviant", "high", 15, 44, "verify",
     "Kelompok pengajian baru di Tanete Riattang mengajarkan bahwa salat wajib tidak perlu. Tokoh agama setempat "
     "resah; penyuluh akan berdialog dengan pimpinannya."),
    ("kub.gowa", "73.06", "", None, "tension", "medium", 60, 26, "verify",
     "Ketegangan antara dua kelompok pemuda setelah perayaan keagamaan di Sungguminasa; FKUB dan polsek "
     "mempertemukan kedua pihak, situasi mulai reda."),
    ("kub.gowa", "73.06", "", None, "other", "low", None, 3, "",
     "Rencana dialog lintas iman pemuda Gowa membutuhkan narasumber dari Kankemenag."),
]


def _reporters(password: str) -> dict[str, AbstractBaseUser]:
    from satupintu.demo import set_demo_password

    user_model = get_user_model()
    people: dict[str, AbstractBaseUser] = {}
    for username, full_name, office_code in REPORTERS:
        user, made = user_model.objects.get_or_create(username=username)
        if made or not user.has_usable_password():
            user.first_name = full_name
            user.email = f"{username}@satupintu.local"
        set_demo_password(user, password)
        user.is_active = True
        user.save()
        StaffRole.objects.get_or_create(user=user, office=Office.objects.get(code=office_code),
                                        role=Role.FIELD_REPORTER, unit=None)
        people[username] = user
    return people


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 420), "#7a8b99")
    ImageDraw.Draw(img).rectangle([40, 200, 600, 400], fill="#5b4a3a")  # water and mud, roughly
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile("banjir.jpg", buf.getvalue(), "image/jpeg")


def load_field_demo(users: dict, password: str) -> str:  # type: ignore[type-arg]
    reporters = _reporters(password)
    admin = get_user_model().objects.filter(username="admin").first()
    now = timezone.now()
    made = 0
    for i, (who, regency, district, gps, category, urgency, people, hours, decision, text) in enumerate(PLAN):
        moment = (now - timedelta(hours=hours)).isoformat()
        report, created = reports.submit(reporters[who], reports.Submission(
            client_id=str(uuid.uuid5(_NAMESPACE, f"demo-field-{i}")), category=category, urgency=urgency,
            description=text, occurred_at=moment, submitted_at=moment,
            people_involved="" if people is None else str(people),
            latitude=str(gps[0]) if gps else "", longitude=str(gps[1]) if gps else "",
            regency_code="" if gps else regency, district_code=district,
            photos=[_photo()] if category == "disaster" else []), now=now)
        made += int(created)
        if report.status != ReportStatus.SUBMITTED or not decision:
            continue
        # The Luwu Utara head decides his office's; elsewhere the demo's administrator stands in.
        head = users.get("kakan.lutra") if report.office.code == "73.22" else admin
        if head is None:
            continue  # no one to decide: stays in the queue
        if decision == "verify":
            reports.verify(head, report)
        else:
            reports.reject(head, report, "Ini keluhan layanan: sampaikan lewat Pengaduan (/pengaduan/) agar ditangani "
                                         "petugas pengaduan.")
    total = FieldReport.objects.filter(client_id__in=[uuid.uuid5(_NAMESPACE, f"demo-field-{i}")
                                                      for i in range(len(PLAN))])
    verified = total.filter(status=ReportStatus.VERIFIED).count()
    return (f" Laporan lapangan: {total.count()} dari {len({p[1] for p in PLAN})} kabupaten/kota ({verified} "
            f"terverifikasi di Situation Room; pelapor penyuluh.lutra dan lainnya, buka /lapangan/)."
            if made else " Laporan lapangan: data demo sudah ada.")
