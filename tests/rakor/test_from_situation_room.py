"""A meeting reported in the news, seen in the Situation Room, becomes a meeting record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.rakor.models import Meeting
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import Source, SourceKind
from satupintu.situation.store import save_raw_items, shared_analyzer

pytestmark = pytest.mark.django_db

ARTICLE = ("Palopo (Humas Kanwil) - Kantor Wilayah Kementerian Agama Provinsi Sulawesi Selatan menggelar Rapat "
           "Koordinasi di Hotel BM Residence Palopo pada Senin (8/1/2024). Rakor diikuti 120 peserta, para kepala "
           "Kantor Kementerian Agama kabupaten/kota se-Sulawesi Selatan. Kepala Kanwil, Khaeroni, meminta seluruh "
           "ASN menjaga netralitas dalam pemilu dan menjaga integritas kementerian. Rapat membahas program "
           "prioritas, evaluasi kinerja, dan perencanaan anggaran tahun berjalan.")


def test_catat_sebagai_rapat_prefills_and_links_the_item(client, people):
    shared_analyzer.reset()
    [item] = save_raw_items(Source.objects.create(name="Humas", kind=SourceKind.SOCIAL), [
        RawItem("rakor-1", ARTICLE, title="Kanwil Sulsel gelar Rakor di Palopo",
                published_at=timezone.now() - timedelta(days=1))])
    assert item.meeting and item.meeting["type"] == "rakor"
    client.force_login(people.kakanwil_sulsel)
    room = client.get("/situasi/?provinsi=73").content.decode()
    assert f"/rakor/baru/?butir={item.pk}" in room

    page = client.get(f"/rakor/baru/?butir={item.pk}").content.decode()
    assert 'name="source_item"' in page and "Hotel BM Residence Palopo" in page and "120" in page
    day = (timezone.now() + timedelta(days=2)).date().isoformat()
    response = client.post("/rakor/baru/", {
        "office": "73", "type": "rakor", "title": "Rakor Kanwil Sulsel", "mode": "in_person",
        "venue": "Hotel BM Residence Palopo", "date": day, "start": "09:00", "end": "12:00",
        "agenda": "Kebijakan keagamaan", "source_item": str(item.pk)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Meeting.objects.get(title="Rakor Kanwil Sulsel").source_item_id == item.pk
    assert client.get("/rakor/baru/?butir=999999").status_code == 302  # gone: a message, not an error

    # A front-office clerk reads the room but records no meetings: no link to a page that would refuse.
    client.force_login(people.fo_makassar)
    assert f"/rakor/baru/?butir={item.pk}" not in client.get("/situasi/?provinsi=73").content.decode()
    issue_page = client.get(f"/situasi/isu/{item.issue_id}/")
    assert issue_page.status_code == 200 and f"/rakor/baru/?butir={item.pk}" not in issue_page.content.decode()


def test_meeting_documents_upload_and_download(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from satupintu.rakor import meetings
    from tests.conftest import pdf_bytes

    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="Rakor", starts_at=start,
                                                      ends_at=start + timedelta(hours=2)), user=None)
    client.force_login(people.kakanwil_sulsel)
    ok = client.post(f"/rakor/{m.pk}/aksi/", {"action": "document", "title": "Surat undangan",
                                              "file": SimpleUploadedFile("undangan.pdf", pdf_bytes("Undangan"))})
    assert ok.status_code == 302 and m.documents.count() == 1
    bad = client.post(f"/rakor/{m.pk}/aksi/", {"action": "document", "title": "Bukan PDF",
                                               "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
                      follow=True)
    assert m.documents.count() == 1 and "messages" in bad.content.decode()
    doc = m.documents.get()
    assert "Surat undangan" in client.get(f"/rakor/{m.pk}/").content.decode()
    download = client.get(f"/rakor/{m.pk}/dokumen/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(people.fo_lutra)  # a Kankemenag below sees the Kanwil's meeting and its documents
    assert client.get(f"/rakor/{m.pk}/dokumen/{doc.pk}/").status_code == 200
    # Each download is on record (a meeting's papers may list people).
    from satupintu.core.models import PersonalDataAccess

    assert list(PersonalDataAccess.objects.filter(subject_type="rakor_meeting").order_by("pk").values_list(
        "user__username", "what")) == [(people.kakanwil_sulsel.username, f"dokumen {doc.pk}"),
                                       (people.fo_lutra.username, f"dokumen {doc.pk}")]
    client.force_login(people.kakanwil_jateng)  # another province does not
    assert client.get(f"/rakor/{m.pk}/dokumen/{doc.pk}/").status_code in (403, 404)
    client.force_login(people.fo_lutra)  # and only the organising office uploads
    assert client.post(f"/rakor/{m.pk}/aksi/", {"action": "document", "title": "x"}).status_code == 403


def test_the_pusat_board_reaches_down_to_the_regencies(client, people):
    from django.contrib.auth import get_user_model

    from satupintu.organization.models import Office, Role, StaffRole
    from satupintu.rakor import followups, meetings

    pusat_head = get_user_model().objects.create_user("kepala.pusat", "pusat@test.local", "x")
    StaffRole.objects.create(user=pusat_head, office=Office.objects.get(code="pusat"), role=Role.HEAD_OF_OFFICE)
    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="Rakor", starts_at=start,
                                                      ends_at=start + timedelta(hours=2)), user=None)
    d = followups.add_decision(m, "Arahan")
    makassar = Office.objects.get(code="73.71")
    late = followups.add_action(d, office=makassar, indicator="Laporan", due_date=followups.office_today(makassar))
    type(late).objects.filter(pk=late.pk).update(due_date=followups.office_today(makassar) - timedelta(days=2))
    client.force_login(pusat_head)
    page = client.get("/rakor/papan/?bawah=1").content.decode()
    assert "Kantor Kementerian Agama Kota Makassar" in page and "Laporan" in page
    assert "Kantor yang terlambat" in page


def test_an_action_can_name_the_responsible_unit(client, people):
    from satupintu.rakor import followups, meetings

    start = timezone.now() + timedelta(days=1)
    m = meetings.create_meeting(meetings.MeetingDraft(office="73", type="rakor", title="Rakor", starts_at=start,
                                                      ends_at=start + timedelta(hours=2)), user=None)
    d = followups.add_decision(m, "Percepat legalisir daring")
    client.force_login(people.kakanwil_sulsel)
    due = (timezone.now() + timedelta(days=10)).date().isoformat()
    client.post(f"/rakor/keputusan/{d.pk}/tindak-lanjut/", {"office": "73.22", "unit": "pendma",
                                                            "indicator": "Legalisir daring", "due_date": due})
    action = d.actions.get()
    assert action.unit.code == "pendma"
    assert "Pendidikan Madrasah" in client.get(f"/rakor/{m.pk}/").content.decode()
    client.post(f"/rakor/keputusan/{d.pk}/tindak-lanjut/", {"office": "73.22", "unit": "bukan-unit",
                                                            "indicator": "X", "due_date": due})
    assert d.actions.count() == 1
