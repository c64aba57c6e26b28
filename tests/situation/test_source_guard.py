"""Sources cannot make the server read the intranet (issue #11, point 2).

Saving refuses a loopback, private or metadata address in any spelling, in the room's form and
in the admin, with one neutral message. A source stored before the guard existed is refused at
fetch time: nothing is asked from the intranet site and nothing is stored or shown.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from satupintu.situation.ingest.fetch import fetch_source
from satupintu.situation.ingest.http import PoliteFetcher
from satupintu.situation.models import FetchLog, Item, Source, SourceKind
from satupintu.situation.sources import REFUSED_URL
from tests.situation.fakeserver import FakeSite
from tests.situation.test_room_views import flashes, summary

pytestmark = pytest.mark.django_db

INTRANET = ["http://127.0.0.1/feed", "http://localhost/feed", "http://0x7f000001/", "http://2130706433/",
            "http://0177.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://[::1]/", "http://10.20.30.40/intranet",
            "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.1.1/",
            "https://93.184.216.34:8443/feed", "http://127.0.0.1:6379/", "http://intranet.contoh.test/"]


@pytest.mark.parametrize("url", INTRANET)
def test_saving_an_intranet_source_is_refused_with_one_neutral_message(client, people, url, stand_in_dns):  # type: ignore[no-untyped-def]
    stand_in_dns({"intranet.contoh.test": "10.1.2.3"})
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "page", "name": "Halaman intranet",
                                                "url": url})
    assert response.status_code == 400
    assert summary(response) == [("s-url", REFUSED_URL)]  # on the address field, the address kept
    assert f'value="{url}"' in response.content.decode()
    assert not Source.objects.exists()


def test_a_public_source_is_saved(client, people, stand_in_dns):  # type: ignore[no-untyped-def]
    stand_in_dns({"berita.contoh.test": "103.7.12.40"})
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "feed", "name": "Berita",
                                                "url": "https://berita.contoh.test/feed"}, follow=True)
    assert flashes(response) == ["Sumber ditambahkan."]


def test_the_admin_refuses_an_intranet_source_too(client):  # type: ignore[no-untyped-def]
    root = get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    client.force_login(root)
    response = client.post("/admin/situation/source/add/", {
        "name": "Metadata", "kind": "feed", "url": "http://169.254.169.254/latest/", "active": "on",
        "interval_minutes": "30", "next_fetch_at_0": "2026-01-01", "next_fetch_at_1": "00:00:00"})
    assert response.status_code == 200  # the form again, with the error
    assert REFUSED_URL in response.content.decode()
    assert not Source.objects.exists()


def test_a_stored_intranet_source_is_refused_at_fetch_and_nothing_is_kept(settings):  # type: ignore[no-untyped-def]
    with FakeSite() as intranet:
        settings.OUTBOUND_ALLOWED_NETWORKS = ""  # this fake site plays the intranet: not let through
        source = Source.objects.create(name="Lama", kind=SourceKind.PAGE, url=intranet.url("/private/laporan.html"))
        with PoliteFetcher(connect_timeout=2.0, read_timeout=2.0, host_interval=0.0) as fetcher:
            outcome = fetch_source(source, fetcher)
        assert intranet.requests == []
    source.refresh_from_db()
    assert outcome.items == [] and not Item.objects.exists()
    assert source.last_error == FetchLog.objects.get().error == "Gagal mengambil: alamat tujuan tidak dapat dihubungi"
