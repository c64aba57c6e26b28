"""The other apps are catalog entries: found by the same search as our services, marked, with a
link-out that carries only what the app accepts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from satupintu.bridge import catalog as bridge_catalog
from satupintu.bridge.models import ExternalApp
from satupintu.services.models import Service

pytestmark = pytest.mark.django_db


def test_national_entries_are_loaded_by_the_migration():
    codes = set(ExternalApp.objects.filter(office__isnull=True).values_list("code", flat=True))
    assert {"simkah", "sihalal", "siskohat", "emis", "simpatika", "pusaka", "simdumas"} <= codes
    simkah = ExternalApp.objects.get(code="simkah")
    assert simkah.link_url == "https://simkah4.kemenag.go.id/"
    assert simkah.requirements and simkah.prefill == {}  # no prefill claimed for the real sites
    assert ExternalApp.objects.get(code="sihalal").link_url == "https://ptsp.halal.go.id/"
    assert ExternalApp.objects.get(code="siskohat").link_url == "https://haji.kemenag.go.id/"


def test_search_nikah_finds_simkah_and_our_own_services():
    results = bridge_catalog.catalog_search(q="nikah")
    apps = [r for r in results if isinstance(r, ExternalApp)]
    ours = [r for r in results if isinstance(r, Service)]
    assert [a.code for a in apps][:1] == ["simkah"]
    assert ours, "our own marriage-related services are still found"


def test_search_forgives_typos_for_apps_too():
    assert "sihalal" in [getattr(r, "code", "") for r in bridge_catalog.catalog_search(q="sertifikat halla")]


def test_catalog_page_marks_the_app_with_a_link_out(client):
    response = client.get("/layanan/", {"q": "nikah"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="app-simkah"' in html
    assert "layanan di aplikasi lain: SIMKAH" in html
    assert 'href="https://simkah4.kemenag.go.id/"' in html
    assert 'href="/layanan/aplikasi/simkah/"' in html


def test_catalog_page_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/layanan/", {"q": "halal"}).content.decode()
    assert "service in another app: SIHALAL" in html
    assert "Halal certification (SIHALAL)" in html


def test_life_event_lists_our_services_only(client):
    from satupintu.services import life_events

    event = life_events.LIFE_EVENTS[0]
    html = client.get("/layanan/", {"peristiwa": event.slug}).content.decode()
    assert "external-app" not in html


def test_app_page_shows_what_it_does_and_the_requirements(client):
    html = client.get("/layanan/aplikasi/simkah/").content.decode()
    assert "Surat pengantar nikah" in html and 'id="link-out"' in html
    assert client.get("/layanan/aplikasi/tidak-ada/").status_code == 404


def test_app_page_in_english_says_who_it_is_for_and_what_it_asks(client):
    simkah = ExternalApp.objects.get(code="simkah")
    assert len(simkah.requirements_en) == len(simkah.requirements)  # the migration gave the English
    client.cookies["django_language"] = "en"
    html = client.get("/layanan/aplikasi/simkah/").content.decode().replace("&#x27;", "'")
    assert simkah.who_for_en in html and simkah.operator_en in html
    assert "Parents' permission letter for anyone under 21" in html and "Surat pengantar nikah" not in html
    # an administrator adds a requirement without its English: the list shows as written
    simkah.requirements = [*simkah.requirements, "Syarat baru"]
    simkah.save()
    html = client.get("/layanan/aplikasi/simkah/").content.decode()
    assert "Syarat baru" in html and "Surat pengantar nikah" in html
    api = client.get("/api/v1/external-apps/simkah").json()
    assert api["requirements_en"] == simkah.requirements_en and api["who_for_en"] == simkah.who_for_en


def test_staff_only_apps_are_not_listed_to_the_public(client):
    ExternalApp.objects.create(code="simpeg", short_name="SIMPEG", name="Kepegawaian pegawai", audience="staff",
                               link_url="https://simpeg.example/", keywords=["kepegawaian"])
    assert "simpeg" not in [getattr(r, "code", "") for r in bridge_catalog.catalog_search(q="kepegawaian")]
    assert client.get("/layanan/aplikasi/simpeg/").status_code == 404


def test_an_office_own_app_is_listed_with_its_office(client):
    from satupintu.organization.models import Office

    office = Office.objects.exclude(code="pusat").first()
    ExternalApp.objects.create(code="silaku", short_name="SILAKU", name="Layanan wakaf daerah", office=office,
                               link_url="https://silaku.example/", keywords=["wakaf"])
    html = client.get("/layanan/", {"q": "silaku"}).content.decode()
    assert 'id="app-silaku"' in html and office.name in html


def test_link_out_carries_only_allowed_fields_url_encoded():
    app = ExternalApp(code="x", short_name="X", name="X", link_url="https://x.example/daftar?src=satupintu",
                      prefill={"name": "nama", "phone": "hp"})
    url = bridge_catalog.link_out(app, {"name": "Siti Aisyah & Co", "phone": "+6281234567890",
                                        "nik": "7371010101900001"})
    parts = urlsplit(url)
    assert parts.netloc == "x.example" and parts.path == "/daftar"
    assert parse_qs(parts.query) == {"src": ["satupintu"], "nama": ["Siti Aisyah & Co"], "hp": ["+6281234567890"]}
    assert "7371010101900001" not in url  # the NIK is not accepted by this app: never sent
    assert "Siti+Aisyah+%26+Co" in url and "%2B62812" in url


def test_link_out_without_prefill_is_the_plain_address():
    app = ExternalApp.objects.get(code="simkah")
    assert bridge_catalog.link_out(app, {"name": "Siti", "nik": "7371010101900001"}) == "https://simkah4.kemenag.go.id/"


def test_prefill_outside_the_known_fields_is_refused():
    from django.core.exceptions import ValidationError

    app = ExternalApp(code="x", short_name="X", name="X", link_url="https://x.example/", prefill={"email": "e"})
    with pytest.raises(ValidationError):
        app.full_clean()


def test_api_lists_apps_as_marked_entries(client):
    body = client.get("/api/v1/services", {"q": "nikah"}).json()
    simkah = next(e for e in body if e["kind"] == "external_app")
    assert simkah["slug"] == "simkah"
    assert simkah["external_app"]["link_url"] == "https://simkah4.kemenag.go.id/"
    assert any(e["kind"] == "service" for e in body)
    detail = client.get("/api/v1/external-apps/simkah").json()
    assert detail["followable"] is False and detail["requirements"]
    assert client.get("/api/v1/external-apps/nope").status_code == 404
