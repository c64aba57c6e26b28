"""The other apps are catalog entries: found by the same search as our services, marked, with a
link-out that carries only what the app accepts."""

from __future__ import annotations

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


def test_link_out_carries_only_allowed_fields_and_never_in_the_address():
    app = ExternalApp(code="x", short_name="X", name="X", link_url="https://x.example/daftar?src=satupintu",
                      prefill={"name": "nama", "phone": "hp"})
    link = bridge_catalog.link_out(app, {"name": "Siti Aisyah & Co", "phone": "+6281234567890",
                                         "nik": "7371010101900001"})
    assert link.url == "https://x.example/daftar?src=satupintu"  # the address as configured, nothing added
    assert dict(link.fields) == {"nama": "Siti Aisyah & Co", "hp": "+6281234567890"}
    assert link.carries == ("name", "phone")
    assert "7371010101900001" not in repr(link)  # the NIK is not accepted by this app: never sent
    assert link.origin == "https://x.example"


def test_link_out_without_prefill_is_the_plain_address():
    app = ExternalApp.objects.get(code="simkah")
    link = bridge_catalog.link_out(app, {"name": "Siti", "nik": "7371010101900001"})
    assert link == bridge_catalog.LinkOut("https://simkah4.kemenag.go.id/")


@pytest.fixture
def signed_in(client, submit):  # type: ignore[no-untyped-def]
    """A citizen whose latest application gave a name, NIK and phone (what a link-out may carry)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("siti@contoh.id", "siti@contoh.id", "kata-sandi-uji-1", first_name="Siti")
    application = submit(user=user)
    client.force_login(user)
    return application


def test_app_page_posts_what_it_carries_and_the_policy_lets_it(client, signed_in):
    """ASVS 8.3.1: the NIK and the phone number go in the body of a POST to the app, never in a
    link (the app's access log, the browser's history, the Referer of what its page loads)."""
    ExternalApp.objects.filter(code="simkah").update(link_url="https://simkah.example/daftar?src=sp",
                                                     prefill={"nik": "nik", "phone": "hp"})
    response = client.get("/layanan/aplikasi/simkah/")
    html = response.content.decode()
    form = html[html.index('<form class="inline link-out"'):]
    form = form[:form.index("</form>")]
    assert 'method="post" action="https://simkah.example/daftar?src=sp"' in form
    assert f'<input type="hidden" name="nik" value="{signed_in.nik}">' in form
    assert f'<input type="hidden" name="hp" value="{signed_in.phone}">' in form
    assert 'id="link-out"' in form and "csrfmiddlewaretoken" not in form  # our token never leaves
    assert "tombol ini mengirim ke SIMKAH: NIK, nomor HP." in html  # the citizen is told what goes
    assert "nik=" not in html and signed_in.nik not in html.replace(form, "")
    policy = response.headers["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert "https://simkah.example" in form_action and "'self'" in form_action


def test_app_page_without_anything_to_carry_keeps_the_policy_to_self(client, signed_in):
    # simkah takes no prefill: a plain link, and the policy's form-action stays ours
    response = client.get("/layanan/aplikasi/simkah/")
    html = response.content.decode()
    assert '<a class="btn" id="link-out" href="https://simkah4.kemenag.go.id/"' in html and "<form class=\"inline link-out" not in html
    form_action = next(d for d in response.headers["Content-Security-Policy"].split(";")
                       if d.strip().startswith("form-action"))
    assert "simkah" not in form_action


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
