"""State machine: explicit transitions, who may do them, the timeline as audit trail."""

import pytest

from satupintu.core.errors import DomainError
from satupintu.notifications.models import OutboxMessage
from satupintu.services.applications import application_complete_documents, application_upload_product
from satupintu.services.models import Status
from satupintu.services.workflow import TRANSITIONS, allowed_actions, application_assign, application_transition
from tests.conftest import upload


def test_full_path_records_every_step(submit, people):
    app = submit()
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("surat.pdf"))
    app = application_transition(app, "complete", user=people.pendma_lutra)
    assert app.status == Status.COMPLETED and app.closed_at is not None
    actions = list(app.events.values_list("action", "actor_label"))
    assert actions == [
        ("submit", "Pemohon"), ("verify", "fo.lutra"), ("process", "pendma.lutra"),
        ("upload_product", "pendma.lutra"), ("complete", "pendma.lutra"),
    ]
    subjects = list(OutboxMessage.objects.filter(recipient="andi@contoh.id").values_list("subject", flat=True))
    code = app.tracking_code
    assert subjects == [f"Permohonan {code} diterima", f"Permohonan {code} telah diverifikasi",
                        f"Permohonan {code} sedang diproses", f"Permohonan {code} selesai"]


@pytest.mark.parametrize("action, status", [("complete", Status.SUBMITTED), ("process", Status.SUBMITTED)])
def test_transitions_out_of_order_are_refused(submit, people, action, status):
    app = submit()
    with pytest.raises(DomainError) as info:
        application_transition(app, action, user=people.pendma_lutra)
    assert info.value.code == "invalid_transition" and info.value.status == 409
    app.refresh_from_db()
    assert app.status == status
    assert app.events.count() == 1


def test_final_states_allow_nothing(submit, people):
    app = submit()
    app = application_transition(app, "reject", user=people.pendma_lutra, note="Bukan wewenang kami")
    for action in TRANSITIONS:
        with pytest.raises(DomainError):
            application_transition(app, action, user=people.pendma_lutra, note="x")
    assert app.rejection_reason == "Bukan wewenang kami"


def test_reject_and_completion_request_need_a_reason(submit, people):
    app = submit()
    for action in ("reject", "request_completion"):
        with pytest.raises(DomainError) as info:
            application_transition(app, action, user=people.pendma_lutra, note="  ")
        assert info.value.code == "note_required"


def test_role_limits(submit, people):
    app = submit()
    # front office verifies but does not process or complete
    assert allowed_actions(app, people.fo_lutra) == ["verify", "request_completion", "assign", "forward"]
    # an officer of another unit in the same office cannot act on Pendidikan Madrasah work
    assert allowed_actions(app, people.bimas_lutra) == []
    with pytest.raises(DomainError) as info:
        application_transition(app, "verify", user=people.bimas_lutra)
    assert info.value.code == "forbidden"
    # the Kanwil head sees but does not act on a Kankemenag's application
    assert allowed_actions(app, people.kakanwil_sulsel) == []
    with pytest.raises(DomainError):
        application_transition(app, "reject", user=people.fo_makassar, note="x")


def test_completion_resumes_the_previous_status(submit, people):
    app = submit()
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    app = application_transition(app, "request_completion", user=people.pendma_lutra, note="Unggah KTP asli")
    assert app.status == Status.NEEDS_COMPLETION and app.resume_status == Status.IN_PROCESS
    app = application_complete_documents(app, files={"ktp": upload("ktp-baru.pdf")})
    assert app.status == Status.IN_PROCESS and app.resume_status == ""
    assert app.documents.filter(requirement_code="ktp", superseded=False).get().original_name == "ktp-baru.pdf"
    assert app.documents.filter(requirement_code="ktp", superseded=True).count() == 1


def test_completion_after_the_service_was_retired_nationally(submit, people):
    """The catalogue's service switched off while an application waited for a document: the upload was
    refused ("bukan persyaratan layanan ini") and the application waited, clock paused, for ever."""
    from django.test import Client

    from tests.conftest import VALID_PHONE

    app = submit()
    app = application_transition(app, "request_completion", user=people.fo_lutra, note="KTP buram")
    app.service.is_active = False
    app.service.save(update_fields=["is_active"])
    page = Client()
    page.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]})
    assert 'name="ktp"' in page.get(f"/lacak/{app.tracking_code}/").content.decode()  # the form asks for it
    app = application_complete_documents(app, files={"ktp": upload("ktp-baru.pdf")})
    assert app.status != Status.NEEDS_COMPLETION and app.sla_running_since is not None


def test_completion_with_bad_file_changes_nothing(submit, people):
    app = submit()
    app = application_transition(app, "request_completion", user=people.fo_lutra, note="KTP")
    with pytest.raises(DomainError):
        application_complete_documents(app, files={"ktp": upload("ktp.pdf", b"not a pdf at all")})
    with pytest.raises(DomainError):
        application_complete_documents(app, files={})
    app.refresh_from_db()
    assert app.status == Status.NEEDS_COMPLETION
    assert app.documents.count() == 3


def test_citizen_can_withdraw_until_final(submit, people):
    app = submit()
    app = application_transition(app, "withdraw", note="Salah pilih layanan")
    assert app.status == Status.WITHDRAWN
    with pytest.raises(DomainError):
        application_transition(app, "withdraw")


def test_assign_only_to_staff_of_the_office(submit, people):
    app = submit()
    app = application_assign(app, user=people.kasi_pendma_lutra, assignee=people.pendma_lutra)
    assert app.assigned_to == people.pendma_lutra
    with pytest.raises(DomainError) as info:
        application_assign(app, user=people.kasi_pendma_lutra, assignee=people.fo_makassar)
    assert info.value.code == "invalid_assignee"
    with pytest.raises(DomainError):
        application_assign(app, user=people.pendma_lutra, assignee=people.pendma_lutra)  # unit officer may not assign


def test_an_office_that_switched_the_service_off_still_takes_the_file_it_asked_for(submit, people):
    from satupintu.services.applications import application_complete_documents
    from satupintu.services.models import OfficeService, Status
    from tests.conftest import pdf_bytes, upload

    app = submit()
    app = application_transition(app, "request_completion", user=people.fo_lutra, note="Scan ijazah buram")
    OfficeService.objects.create(office=app.office, service=app.service, enabled=False)  # switched off since
    app = application_complete_documents(app, files={"ijazah_asli": upload("ijazah.pdf", pdf_bytes("ijazah"))})
    assert app.status != Status.NEEDS_COMPLETION  # it stayed there for good, its clock stopped


def test_a_disposition_goes_only_to_an_office_that_offers_the_service(submit, people):
    from satupintu.core.errors import DomainError
    from satupintu.organization.models import Office
    from satupintu.services.workflow import application_forward

    app = submit(service="pendaftaran-haji-reguler")  # a Kankemenag's service
    with pytest.raises(DomainError) as refused:
        application_forward(app, user=people.fo_lutra, office=Office.objects.get(code="73"), unit=app.unit,
                            note="ke Kanwil")
    assert refused.value.code == "service_not_offered" and refused.value.field == "office"


def test_time_used_before_a_disposition_is_counted_in_the_office_where_it_was_used(submit, people):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from satupintu.organization.models import Office
    from satupintu.services.workflow import application_forward

    lutra, kanwil = Office.objects.get(code="73.22"), Office.objects.get(code="73")
    kanwil.opens_at, kanwil.closes_at = time(8), time(12)
    kanwil.save()
    wita = ZoneInfo(lutra.timezone)
    app = submit(now=datetime(2025, 6, 2, 8, 0, tzinfo=wita))  # Monday, Luwu Utara open 08-16
    app = application_forward(app, user=people.fo_lutra, office=kanwil, unit=app.unit, note="ke Kanwil",
                              now=datetime(2025, 6, 2, 15, 0, tzinfo=wita))
    # Seven of Luwu Utara's eight hours: seven eighths of a day used, 3.5 of the Kanwil's four-hour day
    # (was 4 of 4: Luwu Utara's time counted in the Kanwil's calendar; then 7 of 8 Kanwil hours: two days).
    assert (app.sla_used_seconds, app.sla_budget_seconds) == (int(3.5 * 3600), 4 * 3600)


def test_a_disposition_to_another_office_tells_the_applicant_where_not_the_note(submit, people):
    from django.test import Client

    from satupintu.organization.models import Office
    from satupintu.services.workflow import application_forward

    app = submit()  # legalisir: offered by the Kanwil too
    before = OutboxMessage.objects.filter(channel="email").count()
    application_forward(app, user=people.fo_lutra, office=Office.objects.get(code="73"), unit=app.unit,
                        note="Antar rekan: berkas ini perlu diteliti ulang")
    citizen = Client()
    session = citizen.session
    session["unlocked_applications"] = [app.tracking_code]
    session.save()
    page = citizen.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Antar rekan" not in page  # the colleagues' note was on the citizen's page
    assert "Kantor Wilayah Kementerian Agama Provinsi Sulawesi Selatan" in page
    mail = OutboxMessage.objects.filter(channel="email").order_by("-id").first()
    assert OutboxMessage.objects.filter(channel="email").count() == before + 1  # nothing was sent
    assert "dialihkan" in mail.subject and "Antar rekan" not in mail.body
    assert app.events.filter(action="note", public=False, note__contains="Antar rekan").exists()


def test_assign_only_to_staff_who_work_on_the_application_and_nobody_is_preselected(submit, people):
    """The list preselected the office's administrator and offered Humas and field reporters."""
    import re

    from django.test import Client

    from satupintu.organization.models import Role
    from tests.conftest import _staff

    app = submit()
    humas = _staff("humas.lutra", "73.22", Role.HUMAS)
    admin = _staff("admin.lutra", "73.22", Role.ADMIN)
    for outsider in (humas, admin, people.bimas_lutra):  # Bimas Islam's officer: another unit
        with pytest.raises(DomainError) as info:
            application_assign(app, user=people.kasi_pendma_lutra, assignee=outsider)
        assert info.value.code == "invalid_assignee"
    head = Client()
    head.force_login(people.kasi_pendma_lutra)
    page = head.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    select = re.search(r'<select[^>]*id="assignee".*?</select>', page, re.S).group(0)  # type: ignore[union-attr]
    assert f'value="{people.pendma_lutra.pk}">' in select and f'value="{humas.pk}">' not in select
    assert f'value="{admin.pk}">' not in select, select
    assert '<option value="" selected>' in select  # nobody preselected
    assert 'value="assign">Tugaskan</button>' in page  # what the button does, not "Ditugaskan ke petugas"
    refused = head.post(f"/petugas/permohonan/{app.tracking_code}/aksi/", {"action": "assign", "assignee": ""})
    assert refused.status_code == 400 and "Pilih petugas yang ditugaskan." in refused.content.decode()


def test_a_disposition_to_a_unit_names_the_unit_in_the_readers_language(submit, people):
    from django.utils import translation

    from satupintu.organization.models import Unit
    from satupintu.services.workflow import application_forward

    app = submit()
    unit = Unit.objects.exclude(pk=app.unit_id).exclude(name_en="").first()
    application_forward(app, user=people.fo_lutra, office=app.office, unit=unit, note="Mohon diproses")
    step = app.events.get(action="forward")
    assert step.note == f"Ke {unit.name}. Mohon diproses"  # stored whole in Indonesian (API, audit)
    with translation.override("en"):
        assert step.note_shown == f"To {unit.name_en}. Mohon diproses"
    with translation.override("id"):
        assert step.note_shown == f"Ke {unit.name}. Mohon diproses"


def test_an_officer_with_a_long_full_name_acts_and_is_named_within_the_column(submit, people):
    """First and last name hold 150 characters each, Event.actor_label 150: PostgreSQL refused the
    step (a 500), SQLite kept all of it."""
    from satupintu.services.models import Event

    officer = people.fo_lutra
    officer.first_name, officer.last_name = "Andi " + "A" * 140, "B" * 150
    officer.save()
    app = application_transition(submit(), "verify", user=officer)
    label = app.events.get(action="verify").actor_label
    assert len(label) <= Event._meta.get_field("actor_label").max_length
    assert label == "Andi " + "A" * 140 + "…"  # cut between the names, said to be cut
    short = application_transition(app, "process", user=people.pendma_lutra)
    assert short.events.get(action="process").actor_label == "pendma.lutra"  # a name that fits is kept as it is
