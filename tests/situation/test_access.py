"""Who may act in the Situation Room (situation/access.py), persona by persona, action by action.

Reading is national: every officer opens every issue and alert. Acting follows region and role:
the planted spike is in Kabupaten Bogor (Jawa Barat), so Pusat, Kanwil Jawa Barat and
Kankemenag Kabupaten Bogor follow it up; a unit officer in Sulawesi Selatan, the Kanwil Jawa
Tengah, Bogor's front office or its complaint officer may read it but not change it. Sources
belong to heads and administrators of Pusat and of the Kanwil that owns them.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.organization.models import Office
from satupintu.situation import trends
from satupintu.situation.models import (
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    ImportJob,
    Issue,
    IssueStatus,
    Item,
    Source,
    SourceKind,
)
from tests.situation.test_room_views import flashes, plant, summary

pytestmark = pytest.mark.django_db

# Who may follow up the Bogor spike (issue and alert) ...
FOLLOWERS = ["room.pusat_head", "room.pusat_admin", "room.kakanwil_jabar", "room.admin_kanwil_jabar",
             "room.kakan_bogor", "room.pendma_bogor"]
# ... and who may only read it.
READERS = ["people.pendma_lutra", "people.kakanwil_sulsel", "people.kakanwil_jateng", "people.kakan_lutra",
           "room.fo_bogor", "room.complaints_bogor", "room.admin_lutra"]


def persona(people, room_people, name: str):  # type: ignore[no-untyped-def]
    group, attr = name.split(".", 1)
    return getattr(people if group == "people" else room_people, attr)


@pytest.fixture
def social(db) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL)


@pytest.fixture
def spike(social) -> Issue:  # type: ignore[no-untyped-def]
    issue = plant(social)
    trends.detect()
    return issue


def _issue_action(client, issue: Issue, action: str):  # type: ignore[no-untyped-def]
    data = {"action": action, "title": "Judul baru"}
    if action == "merge":
        data["into"] = str(Item.objects.get(external_id="latar-1-0").issue_id)  # Kota Bandung, Jawa Barat
    if action == "split":
        data["items"] = [str(pk) for pk in issue.items.order_by("pk").values_list("pk", flat=True)[:1]]
    return client.post(f"/situasi/isu/{issue.pk}/aksi/", data)


def _issue_state(issue: Issue) -> tuple:
    issue.refresh_from_db()
    return issue.title, issue.status, issue.item_count, Issue.objects.count()


@pytest.mark.parametrize("who", READERS)
def test_an_officer_outside_the_region_or_role_cannot_change_an_issue(  # type: ignore[no-untyped-def]
        client, people, room_people, spike, who):
    client.force_login(persona(people, room_people, who))
    before = _issue_state(spike)
    page = client.get(f"/situasi/isu/{spike.pk}/")
    assert page.status_code == 200  # reading stays national
    assert "Kelola isu" not in page.content.decode() and 'data-testid="read-only"' in page.content.decode()

    for action in ("rename", "close", "merge", "split"):
        response = _issue_action(client, spike, action)
        assert response.status_code == 403, action
        assert "wilayah kantor Anda" in response.content.decode()
        assert _issue_state(spike) == before


@pytest.mark.parametrize("who", FOLLOWERS)
def test_the_region_s_officers_change_an_issue(client, people, room_people, spike, who):  # type: ignore[no-untyped-def]
    client.force_login(persona(people, room_people, who))
    assert "Kelola isu" in client.get(f"/situasi/isu/{spike.pk}/").content.decode()
    for action in ("rename", "split", "close"):
        before = _issue_state(spike)
        response = _issue_action(client, spike, action)
        assert response.status_code == 302, action
        assert _issue_state(spike) != before, action
    # Merging into the Kota Bandung issue changes that one too: Pusat and the Kanwil may, a
    # Kankemenag (Kabupaten Bogor) may not touch Kota Bandung's issue.
    response = _issue_action(client, spike, "merge")
    spike.refresh_from_db()
    if who in ("room.kakan_bogor", "room.pendma_bogor"):
        assert response.status_code == 403 and spike.status == IssueStatus.CLOSED
    else:
        assert response.status_code == 302 and spike.status == IssueStatus.MERGED


def test_merging_needs_both_issues_in_one_s_region(client, people, room_people, spike):  # type: ignore[no-untyped-def]
    makassar = Item.objects.get(external_id="latar-0-0").issue  # FKUB Kota Makassar, Sulawesi Selatan
    client.force_login(room_people.kakanwil_jabar)
    response = client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "merge", "into": str(makassar.pk)})
    assert response.status_code == 403
    page = client.get(f"/situasi/isu/{spike.pk}/").content.decode()
    assert f'<option value="{makassar.pk}">' not in page  # not offered as a target either
    spike.refresh_from_db()
    makassar.refresh_from_db()
    assert spike.status == makassar.status == IssueStatus.OPEN


ALERT_ACTIONS = {"acknowledge": {}, "note": {"note": "Dipantau."}, "assign": {"assignee": "self"},
                 "resolve": {"note": "Sudah dimediasi."}}


def _alert_action(client, alert: Alert, action: str, user):  # type: ignore[no-untyped-def]
    data = {"action": action, **ALERT_ACTIONS[action]}
    if data.get("assignee") == "self":
        data["assignee"] = str(user.pk)
    return client.post(f"/situasi/peringatan/{alert.pk}/", data)


@pytest.mark.parametrize("who", READERS)
def test_an_officer_outside_the_region_or_role_cannot_follow_up_an_alert(  # type: ignore[no-untyped-def]
        client, people, room_people, spike, who):
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    user = persona(people, room_people, who)
    client.force_login(user)
    page = client.get(f"/situasi/peringatan/{alert.pk}/")
    assert page.status_code == 200 and "Terima peringatan" not in page.content.decode()

    for action in ALERT_ACTIONS:
        assert _alert_action(client, alert, action, user).status_code == 403, action
    alert.refresh_from_db()
    assert (alert.status, alert.assigned_to, alert.events.count()) == (AlertStatus.NEW, None, 0)


@pytest.mark.parametrize("who", FOLLOWERS)
def test_the_region_s_officers_follow_up_an_alert(client, people, room_people, spike, who):  # type: ignore[no-untyped-def]
    alert = Alert.objects.get(kind=AlertKind.ISSUE, issue=spike)
    user = persona(people, room_people, who)
    client.force_login(user)
    assert "Terima peringatan" in client.get(f"/situasi/peringatan/{alert.pk}/").content.decode()

    for action in ALERT_ACTIONS:  # acknowledge, note, assign (to oneself), resolve
        assert _alert_action(client, alert, action, user).status_code == 302, action
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.events.count() == 4


def test_a_province_wide_alert_is_the_kanwil_s_not_a_kankemenag_s(client, room_people, spike):  # type: ignore[no-untyped-def]
    topic_alert = Alert.objects.filter(province_code="32", regency_code="").exclude(kind=AlertKind.ISSUE).first()
    assert topic_alert is not None
    client.force_login(room_people.kakan_bogor)
    assert client.post(f"/situasi/peringatan/{topic_alert.pk}/", {"action": "acknowledge"}).status_code == 403
    client.force_login(room_people.kakanwil_jabar)
    assert client.post(f"/situasi/peringatan/{topic_alert.pk}/", {"action": "acknowledge"}).status_code == 302
    topic_alert.refresh_from_db()
    assert topic_alert.status == AlertStatus.ACKNOWLEDGED


def test_issue_page_never_offers_acknowledging_another_region_s_alert(client, people, spike):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    page = client.get(f"/situasi/isu/{spike.pk}/").content.decode()
    assert "Peringatan isu ini" in page and "Terima peringatan" not in page


# --- Sources -----------------------------------------------------------------------------------

SOURCE_MANAGERS_OF_NATIONAL = ["room.pusat_head", "room.pusat_admin"]
NOT_SOURCE_MANAGERS = ["room.admin_lutra", "people.kakan_lutra", "room.kakan_bogor", "people.pendma_lutra",
                       "people.fo_lutra", "room.complaints_bogor"]


def _source_action(client, source: Source, action: str):  # type: ignore[no-untyped-def]
    data: dict = {"action": action, "source": str(source.pk)}
    if action == "upload":
        data["file"] = SimpleUploadedFile("ekspor.jsonl", b'{"id": "1", "text": "Kabar dari Bogor."}\n')
    return client.post("/situasi/sumber/", data)


@pytest.fixture
def national_feed(db) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name="Umpan nasional", kind=SourceKind.FEED, url="https://kemenag.go.id/feed")


@pytest.mark.parametrize("action", ["toggle", "now", "upload"])
@pytest.mark.parametrize("who", NOT_SOURCE_MANAGERS + ["people.kakanwil_sulsel", "room.kakanwil_jabar"])
def test_national_sources_are_managed_by_pusat_only(  # type: ignore[no-untyped-def]
        client, people, room_people, national_feed, social, who, action):
    client.force_login(persona(people, room_people, who))
    target = social if action == "upload" else national_feed
    response = _source_action(client, target, action)
    assert response.status_code == 403
    assert "Kemenag Pusat dan Kanwil" in response.content.decode()
    national_feed.refresh_from_db()
    assert national_feed.active and national_feed.consecutive_failures == 0 and not ImportJob.objects.exists()


@pytest.mark.parametrize("action", ["toggle", "now", "upload"])
@pytest.mark.parametrize("who", SOURCE_MANAGERS_OF_NATIONAL)
def test_pusat_manages_national_sources(client, people, room_people, national_feed, social, who, action):  # type: ignore[no-untyped-def]
    client.force_login(persona(people, room_people, who))
    target = social if action == "upload" else national_feed
    assert _source_action(client, target, action).status_code == 302


@pytest.mark.parametrize("who", NOT_SOURCE_MANAGERS)
def test_kankemenag_and_other_roles_cannot_add_sources(client, people, room_people, who):  # type: ignore[no-untyped-def]
    client.force_login(persona(people, room_people, who))
    page = client.get("/situasi/sumber/")
    assert page.status_code == 200 and "Tambah sumber" not in page.content.decode()
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "social", "name": "Impor liar"})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_a_kanwil_manages_its_own_and_its_kankemenags_sources_only(client, people, room_people):  # type: ignore[no-untyped-def]
    jabar = Source.objects.create(name="Humas Jabar", kind=SourceKind.SOCIAL, office=Office.objects.get(code="32"))
    bogor = Source.objects.create(name="Humas Bogor", kind=SourceKind.SOCIAL, office=Office.objects.get(code="32.01"))
    sulsel = Source.objects.create(name="Humas Sulsel", kind=SourceKind.SOCIAL, office=Office.objects.get(code="73"))
    client.force_login(room_people.admin_kanwil_jabar)
    assert _source_action(client, jabar, "toggle").status_code == 302
    assert _source_action(client, bogor, "toggle").status_code == 302
    assert _source_action(client, sulsel, "toggle").status_code == 403
    assert [s.active for s in Source.objects.order_by("pk")] == [False, False, True]

    response = client.post("/situasi/sumber/", {"action": "add", "kind": "social", "name": "Impor Jabar"}, follow=True)
    assert flashes(response)[-1] == "Sumber ditambahkan."
    assert Source.objects.get(name="Impor Jabar").office.code == "32"  # owned by the Kanwil that added it


def test_nobody_deletes_another_person_s_subscription(client, people):  # type: ignore[no-untyped-def]
    theirs = AlertRule.objects.create(user=people.kakanwil_jateng, province_code="33", name="Jawa Tengah")
    client.force_login(people.pendma_lutra)
    response = client.post("/situasi/langganan/", {"delete": str(theirs.pk)})
    assert response.status_code == 404 and summary(response) == [("", "Langganan tidak ditemukan.")]
    assert AlertRule.objects.filter(pk=theirs.pk).exists()


def test_a_superuser_may_act_everywhere(client, spike):  # type: ignore[no-untyped-def]
    root = get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    client.force_login(root)
    assert client.post(f"/situasi/isu/{spike.pk}/aksi/", {"action": "close"}).status_code == 302
    spike.refresh_from_db()
    assert spike.status == IssueStatus.CLOSED
