"""Demo data: staff accounts in three real offices and applications in every state.

Safe to run twice: accounts are updated in place, demo applications are created once
(their submission keys start with ``demo:``).
"""

from __future__ import annotations

import functools
import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.services.applications import (
    Submission,
    application_submit,
    application_upload_product,
    number_bounds,
)
from satupintu.services.catalog import offer_for
from satupintu.services.models import Application, Service
from satupintu.services.workflow import application_transition

DEMO_PASSWORD = "satupintu-demo"


@functools.cache
def _demo_hash(password: str, algorithm: str) -> str:
    return make_password(password)


def set_demo_password(user, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Every demo account gets one hash of the (published) demo password: the production hasher
    costs about a quarter of a second per account, so hashing each of ~30 accounts took a fifth of
    ``satupintu demo``. Keyed by the hasher in use, so a test's fast hasher is never handed a hash it
    cannot check."""
    user.password = _demo_hash(password, get_hasher().algorithm)

# (username, full name, office code, unit code or None, role)
STAFF = [
    ("kakanwil.sulsel", "Kepala Kanwil Sulsel", "73", None, Role.HEAD_OF_OFFICE),
    ("kakan.lutra", "Kepala Kankemenag Luwu Utara", "73.22", None, Role.HEAD_OF_OFFICE),
    ("fo.lutra", "Petugas FO Luwu Utara", "73.22", None, Role.FRONT_OFFICE),
    ("pendma.lutra", "Petugas Pendma Luwu Utara", "73.22", "pendma", Role.UNIT_OFFICER),
    ("kasi.pendma.lutra", "Kasi Pendma Luwu Utara", "73.22", "pendma", Role.HEAD_OF_UNIT),
    ("bimas.lutra", "Petugas Bimas Islam Luwu Utara", "73.22", "bimas-islam", Role.UNIT_OFFICER),
    ("admin.lutra", "Admin Kankemenag Luwu Utara", "73.22", None, Role.ADMIN),
    ("fo.makassar", "Petugas FO Kota Makassar", "73.71", None, Role.FRONT_OFFICE),
    ("pengaduan.lutra", "Petugas Pengaduan Luwu Utara", "73.22", None, Role.COMPLAINT_OFFICER),
    ("inspektorat.sulsel", "Auditor Inspektorat Wilayah Sulsel", "73", None, Role.INSPECTORATE),
]


def demo_pdf(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(72, 760, title)
    pdf.drawString(72, 740, "Berkas contoh untuk demo Satu Pintu.")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _files(service: Service, office: Office) -> dict[str, UploadedFile]:
    return {
        r.code: SimpleUploadedFile(f"{r.code}.pdf", demo_pdf(r.name), content_type="application/pdf")
        for r in offer_for(service, office).requirements
        if r.mandatory
    }


def _fields(service: Service) -> dict[str, str]:
    values = {}
    for f in service.fields.all():
        number = number_bounds(f)  # 2020 where the field's range allows it (a year), else its nearest bound
        values[f.name] = {"number": str(min(max(2020, number.low), number.high)), "date": "2024-07-01",
                          "choice": (f.choices or [""])[0]}.get(f.type, "Contoh isian")
    return values


def _people() -> list[tuple[str, str, str]]:
    # Valid-looking NIKs of Luwu Utara (73.22) residents: district, birth date, serial.
    return [
        ("Andi Rahmawati", "7322015708900001", "081234560001"),
        ("Muhammad Ilham", "7322021203880002", "081234560002"),
        ("Siti Nurhaliza", "7322035011950003", "081234560003"),
        ("Ahmad Fauzi", "7322040101850004", "081234560004"),
        ("Nur Aisyah", "7371016504920005", "081234560005"),
        ("Rudi Hartono", "7371020707800006", "081234560006"),
    ]


# Contact details of the demo offices (demo values: the numbers are not the offices' real ones).
DEMO_OFFICE_CONTACTS = {
    "73.22": dict(address="Jl. Simpurusiang, Masamba, Kabupaten Luwu Utara, Sulawesi Selatan 92961",
                  phone="(0473) 21001", whatsapp="081234569022", email="ptsp.lutra@satupintu.local",
                  opening_hours_text="Senin–Kamis 08.00–16.00 WITA, Jumat 08.00–16.30 WITA",
                  latitude="-2.55300", longitude="120.32600"),
    "73.71": dict(address="Jl. Andi Pangerang Pettarani, Kota Makassar, Sulawesi Selatan 90222",
                  phone="(0411) 450001", whatsapp="081234569071", email="ptsp.makassar@satupintu.local",
                  opening_hours_text="Senin–Kamis 08.00–16.00 WITA, Jumat 08.00–16.30 WITA",
                  latitude="-5.15400", longitude="119.43600"),
    "73": dict(address="Jl. Nuri, Kota Makassar, Sulawesi Selatan 90131", phone="(0411) 850001",
               whatsapp="081234569073", email="ptsp.sulsel@satupintu.local",
               opening_hours_text="Senin–Kamis 07.30–16.00 WITA, Jumat 07.30–16.30 WITA",
               latitude="-5.15600", longitude="119.41400"),
}


def _office_contacts() -> None:
    from satupintu.organization.contacts import OfficeContacts, office_update_contacts

    for code, values in DEMO_OFFICE_CONTACTS.items():
        office = Office.objects.filter(code=code).first()
        if office is not None:
            office_update_contacts(office, OfficeContacts(**values))


def load_demo() -> str:
    user_model = get_user_model()
    with transaction.atomic():
        admin, _ = user_model.objects.get_or_create(username="admin", defaults={"email": "admin@satupintu.local"})
        admin.is_staff = admin.is_superuser = True
        admin.first_name = "Administrator"
        set_demo_password(admin)
        admin.save()
        users = {}
        for username, full_name, office_code, unit_code, role in STAFF:
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name = full_name
            user.email = f"{username}@satupintu.local"
            set_demo_password(user)
            user.save()
            StaffRole.objects.get_or_create(
                user=user, office=Office.objects.get(code=office_code),
                unit=Unit.objects.get(code=unit_code) if unit_code else None, role=role,
            )
            users[username] = user
        _office_contacts()
    if Application.objects.filter(submission_key__startswith="demo:").exists():
        return "Data demo sudah ada; akun diperbarui. " + _situation(users)
    surveys = _demo_surveys()
    voices = _demo_reports(users)
    lutra, makassar = Office.objects.get(code="73.22"), Office.objects.get(code="73.71")
    plan = [
        # (service slug, office, person index, days ago, actions)
        ("legalisir-ijazah-madrasah", lutra, 0, 0, []),
        ("duplikat-ijazah-madrasah", lutra, 1, 1, ["verify"]),
        ("legalisir-ijazah-madrasah", lutra, 2, 3, ["verify", "process"]),
        ("rekomendasi-pendirian-madrasah", lutra, 3, 12, ["verify", "process"]),
        ("duplikat-ijazah-madrasah", lutra, 0, 2, ["request_completion"]),
        ("legalisir-ijazah-madrasah", lutra, 1, 6, ["verify", "process", "complete"]),
        ("legalisir-ijazah-madrasah", lutra, 2, 5, ["reject"]),
        ("pengukuran-arah-kiblat", lutra, 3, 1, ["verify"]),
        ("legalisir-ijazah-madrasah", makassar, 4, 0, []),
        ("duplikat-ijazah-madrasah", makassar, 5, 4, ["verify"]),
        # Issue #14: a letter made from the service's template, signed by the head, downloadable
        # and verifiable; and one waiting in the head's signing queue.
        ("duplikat-ijazah-madrasah", lutra, 4, 7, ["verify", "process", "issue", "complete"]),
        ("rekomendasi-pendirian-madrasah", lutra, 5, 9, ["verify", "process", "prepare"]),
    ]
    people = _people()
    actor = {"verify": users["fo.lutra"], "process": users["pendma.lutra"], "complete": users["pendma.lutra"],
             "request_completion": users["fo.lutra"], "reject": users["kasi.pendma.lutra"]}
    made = 0
    now = timezone.now()
    for i, (slug, office, who, days_ago, actions) in enumerate(plan):
        service = Service.objects.filter(slug=slug).first()
        if service is None:
            continue
        name, nik, phone = people[who]
        app, _ = application_submit(
            Submission(service=slug, office=office.code, name=name, nik=nik, phone=phone,
                       email=f"pemohon{i}@contoh.local", fields=_fields(service), files=_files(service, office),
                       submission_key=f"demo:{i}"),
            now=now - timedelta(days=days_ago, hours=1),
        )
        made += 1
        for action in actions:
            if action in ("issue", "prepare"):
                _demo_document(app, users, sign=action == "issue")
                continue
            user = actor[action] if office == lutra else admin
            if action == "complete" and "issue" in actions:
                app = application_transition(app, "complete", user=user, note="")
                continue
            if action == "complete":
                application_upload_product(app, user=user, upload=SimpleUploadedFile(
                    "produk.pdf", demo_pdf(f"Produk layanan {app.tracking_code}"), content_type="application/pdf"))
            note = {"request_completion": "Scan ijazah kurang jelas; unggah ulang dengan resolusi lebih tinggi.",
                    "reject": "Ijazah bukan terbitan madrasah di wilayah Kabupaten Luwu Utara."}.get(action, "")
            app = application_transition(app, action, user=user, note=note)
    from satupintu.documents.models import IssuedDocument

    signed = IssuedDocument.objects.filter(application__submission_key__startswith="demo:", state="valid",
                                           source="template").first()
    papers = (f"Dokumen: surat {signed.letter_number} ditandatangani, periksa di /verifikasi/{signed.token}; "
              "satu draf menunggu tanda tangan kakan.lutra di /petugas/dokumen/. ") if signed else ""
    return (f"Data demo dimuat: {made} permohonan, {surveys} jawaban survei kepuasan, {voices} laporan publik, "
            f"{len(STAFF) + 1} akun "
            f"(kata sandi: {DEMO_PASSWORD}). " + papers + _situation(users))


def _demo_document(app: Application, users: dict, *, sign: bool) -> None:  # type: ignore[type-arg]
    """The service's letter from its template: prepared by the unit's officer and, with
    ``sign``, signed by the head of office (the demo's local test CA) at once."""
    from satupintu.documents import issuing

    doc = issuing.prepare_from_template(app, user=users["pendma.lutra"])
    issuing.submit_for_signature(doc, user=users["pendma.lutra"])
    if sign:
        with transaction.atomic():  # the task is queued on commit; the demo signs right here
            issuing.record_approval(doc, user=users["kakan.lutra"], note="Disetujui (data demo)")
        issuing.sign_now(doc.pk)


def _situation(users: dict) -> str:  # type: ignore[type-arg]
    """The Situation Room and Rakor demo (both idempotent)."""
    from satupintu.bridge.simulator import load_bridge_demo
    from satupintu.field.demo import load_field_demo
    from satupintu.humas.demo import load_humas_demo
    from satupintu.rakor.demo import load_rakor_demo
    from satupintu.reform.demo import load_reform_demo
    from satupintu.situation.demo import load_situation_demo
    from satupintu.situation.internal import sync_reports
    from satupintu.situation.warning_demo import load_warning_demo
    from satupintu.whatsapp.demo import load_whatsapp_demo

    message = load_situation_demo(users)
    message += load_whatsapp_demo(users)
    message += load_bridge_demo()
    message += _demo_reveals(users)
    internal = sync_reports()
    if internal:
        message += f" {internal} pengaduan/aspirasi masuk ke Situation Room."
    message += load_field_demo(users, DEMO_PASSWORD)
    message += load_humas_demo(users)
    message += load_reform_demo(users)
    message += load_warning_demo()  # last: it reads the room's items, complaints and field reports
    return f"{message} {load_rakor_demo(users)}"


def _demo_reveals(users: dict) -> str:  # type: ignore[type-arg]
    """Officers who opened the first demo applicant's data, with their reasons, so "Siapa yang
    melihat data saya" (/akun/data-saya/) is not empty for the newcomer (idempotent)."""
    from django.http import HttpRequest

    from satupintu.core.models import PersonalDataAccess
    from satupintu.core.privacy import record_reveal

    apps = list(Application.objects.filter(submission_key__in=["demo:0", "demo:4"]).order_by("submission_key"))
    plan = [(apps[0], users["fo.lutra"], "verify", ""),
            (apps[-1], users["pendma.lutra"], "contact", "Menanyakan scan ijazah yang kurang jelas")] if apps else []
    made = 0
    for app, officer, reason, note in plan:
        if PersonalDataAccess.objects.filter(subject_type="application", subject_ref=app.tracking_code,
                                             user=officer).exists():
            continue
        request = HttpRequest()  # the demo acts as the officer: no address to record
        request.user = officer
        record_reveal(request, subject_type="application", subject_ref=app.tracking_code,
                      what="identitas pemohon", reason=reason, reason_note=note)
        made += 1
    return f" {made} catatan akses data pribadi untuk 081234560001." if made else ""


def _demo_surveys() -> int:
    """Survey answers for three offices this year, with a realistic spread: most answers 3,
    waiting time and complaint handling weaker, fees always 4 (services are free)."""
    import random

    from satupintu.feedback.models import Channel, SurveyResponse

    rng = random.Random(2026)
    today = timezone.localdate()
    plan = [("73.22", 140, 0.2), ("73.71", 90, -0.2), ("73.17", 40, 0.45), ("73", 30, 0.3)]
    services = list(Service.objects.filter(slug__in=["legalisir-ijazah-madrasah", "duplikat-ijazah-madrasah",
                                                     "pengukuran-arah-kiblat", "sertifikat-muallaf"]))
    bias = {"u3": -0.5, "u8": -0.6, "u9": -0.25, "u4": 5, "u7": 0.3}
    rows = []
    for code, count, shift in plan:
        office = Office.objects.get(code=code)
        for i in range(count):
            answers = {}
            for n in range(1, 10):
                key = f"u{n}"
                value = 3 + bias.get(key, 0) + shift + rng.gauss(0, 0.6)
                answers[key] = max(1, min(4, round(value)))
            service = rng.choice(services)
            rows.append(SurveyResponse(
                office=office, service=service, unit=service.unit, channel=rng.choice(list(Channel.values)),
                answered_on=today - timedelta(days=rng.randint(0, max(1, today.timetuple().tm_yday - 1))),
                sex=rng.choice("LP"), age_group=rng.choice(["<20", "20-29", "30-39", "40-49", "50+"]),
                education=rng.choice(["SMA", "SMA", "S1", "S1", "D3", "SMP", "S2"]),
                occupation=rng.choice(["PNS", "SWASTA", "WIRAUSAHA", "GURU", "IRT", "PELAJAR"]),
                import_key=f"demo:{code}:{i}", **answers,
            ))
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def _demo_reports(users: dict) -> int:  # type: ignore[type-arg]
    """A few complaints, aspirations and questions in every stage, and NGOPAS dialogues."""
    from satupintu.feedback import dialogues, reports

    plan = [
        ("complaint", "service_quality", "Antrean legalisir lama",
         "Antrean legalisir ijazah di loket PTSP Masamba memakan waktu lebih dari tiga jam pada hari Senin.",
         False, False, "answer"),
        ("aspiration", "education", "Madrasah ibtidaiyah di Rampi",
         "Warga Kecamatan Rampi memohon pendirian madrasah ibtidaiyah negeri karena jarak sekolah terlalu jauh.",
         False, False, "answer"),
        ("question", "hajj", "Pelunasan biaya haji 2027",
         "Kapan jadwal pelunasan biaya perjalanan ibadah haji tahun 2027 untuk jamaah Luwu Utara?",
         False, False, "answer"),
        ("complaint", "illegal_levy", "Permintaan uang di KUA",
         "Oknum di KUA meminta uang tambahan di luar biaya resmi nikah di kantor pada hari kerja.",
         True, True, None),
        ("aspiration", "religious_harmony", "Dialog lintas iman pemuda",
         "Mohon Kemenag memfasilitasi dialog lintas iman untuk pemuda di Kecamatan Sabbang setiap tiga bulan.",
         False, False, "forward"),
    ]
    officer = users["pengaduan.lutra"]
    made = 0
    for kind, category, title, text, anonymous, confidential, until in plan:
        report = reports.report_submit(reports.ReportSubmission(
            kind=kind, category=category, office="73.22", title=title, text=text, anonymous=anonymous,
            confidential=confidential, name="" if anonymous else "Warga Luwu Utara", email="warga@contoh.local",
        ))
        made += 1
        if until is None or report.integrity:
            continue
        report = reports.report_act(report, "verify", user=officer)
        report = reports.report_act(report, "forward", user=officer, unit=Unit.objects.get(code="tu"),
                                    note="Mohon ditindaklanjuti.")
        if until == "answer":
            reports.report_act(report, "answer", user=officer, note="Terima kasih. Sudah kami tindak lanjuti: "
                               "jadwal dan petugas tambahan diatur mulai bulan depan.")
    lutra = Office.objects.get(code="73.22")
    dialogues.dialogue_schedule(user=officer, office=lutra, title="NGOPAS di Masjid Agung Masamba",
                                venue_type="mosque", place="Masjid Agung Masamba",
                                starts_at=timezone.now() + timedelta(days=5), publish=True)
    dialogues.dialogue_schedule(user=officer, office=lutra, title="NGOPAS daring bersama penyuluh agama",
                                venue_type="online", online_link="https://zoom.us/j/0000000000",
                                starts_at=timezone.now() + timedelta(days=12), publish=True)
    return made
