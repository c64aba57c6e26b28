"""The national catalog in English: what a service is, gives, asks for and how it goes, and the
apply form's labels and choices; the answers kept stay the Indonesian ones the officers read."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from satupintu.services.models import Application, FormField, Requirement, Service
from satupintu.services.reference import add_english, catalog_data
from tests.conftest import VALID_NIK, upload

pytestmark = pytest.mark.django_db
SLUG = "permohonan-data-dan-informasi"
APPLY = f"/layanan/{SLUG}/ajukan/?office=73.22"


def _english_client() -> Client:
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the language switch in the header
    return c


def _form(**overrides: object) -> dict:
    data = {"office": "73.22", "submission_key": "en-1", "name": "Jane Doe", "nik": VALID_NIK,
            "phone": "081234567890", "email": "jane@example.org", "jenis_pemohon": "Perorangan",
            "rincian_data": "Number of madrasahs per district", "tujuan_penggunaan": "Research",
            "cara_memperoleh": "Salinan elektronik", "ktp": upload("ktp.pdf"), "surat_permohonan": upload("letter.pdf")}
    data.update(overrides)
    return data


def test_every_national_service_has_its_english_texts():
    missing = []
    for s in catalog_data()["services"]:
        for key in ("name_en", "summary_en", "product_en"):
            if not (s.get(key) or "").strip():
                missing.append(f"{s['slug']}: {key}")
        if len(s.get("steps_en", [])) != len(s["steps"]) or not all(x.strip() for x in s.get("steps_en", [])):
            missing.append(f"{s['slug']}: steps_en")
        missing += [f"{s['slug']}: requirement {r['code']}" for r in s["requirements"] if not r.get("name_en")]
        for f in s["fields"]:
            if not f.get("label_en"):
                missing.append(f"{s['slug']}: field {f['name']}")
            if len(f.get("choices_en", [])) != len(f.get("choices", [])):
                missing.append(f"{s['slug']}: choices of {f['name']}")
    assert missing == []


def test_the_service_page_reads_in_english_and_stays_indonesian_by_default():
    service = Service.objects.get(slug=SLUG)
    requirement = Requirement.objects.get(service=service, code="ktp", office__isnull=True)
    english = _english_client().get(f"/layanan/{SLUG}/?office=73.22").content.decode()
    for text in (service.summary_en, service.product_en, *service.steps_en, requirement.name_en):
        assert text and text in english.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    assert service.summary not in english and service.steps[0] not in english and requirement.name not in english

    indonesian = Client().get(f"/layanan/{SLUG}/?office=73.22").content.decode()
    assert service.summary in indonesian and service.steps[0] in indonesian
    assert service.summary_en not in indonesian and requirement.name_en not in indonesian


def test_the_english_form_shows_english_choices_and_keeps_the_indonesian_answer(django_capture_on_commit_callbacks):
    field = FormField.objects.get(service__slug=SLUG, name="jenis_pemohon")
    shown = dict(zip(field.choices, field.choices_en, strict=True))
    c = _english_client()
    page = c.get(APPLY).content.decode()
    assert f'<option value="Perorangan">{shown["Perorangan"]}</option>' in page
    assert f">{field.label_en}" in page and f">{field.label}<" not in page

    # The English text of a choice is not an answer: the form says which ones are, in English.
    refused = c.post(APPLY, _form(jenis_pemohon=shown["Perorangan"]))
    assert refused.status_code == 400
    message = refused.content.decode().replace("&#x27;", "'")
    assert re.search(f"'{re.escape(field.label_en)}'.*{re.escape(shown['Media massa'])}", message)
    assert Application.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = c.post(APPLY, _form(submission_key="en-2"))
    assert sent.status_code == 302, sent.content.decode()
    assert Application.objects.get().form_data["jenis_pemohon"] == "Perorangan"  # what the officer reads


def test_an_older_database_gains_the_english_texts_and_keeps_its_own_edits():
    service = Service.objects.get(slug=SLUG)
    Service.objects.filter(pk=service.pk).update(summary="Diubah oleh admin.", summary_en="", product_en="",
                                                 steps_en=[])
    Requirement.objects.filter(service=service).update(name_en="")
    FormField.objects.filter(service=service).update(label_en="", choices_en=[])
    # An administrator changed one field's choices: the catalog's English for them would mislead.
    FormField.objects.filter(service=service, name="cara_memperoleh").update(choices=["Surel"])

    assert add_english() == 1
    service.refresh_from_db()
    shipped = next(s for s in catalog_data()["services"] if s["slug"] == SLUG)
    assert service.summary == "Diubah oleh admin." and service.summary_en == shipped["summary_en"]
    assert service.steps_en == shipped["steps_en"]
    assert Requirement.objects.get(service=service, code="ktp").name_en == shipped["requirements"][0]["name_en"]
    assert FormField.objects.get(service=service, name="jenis_pemohon").choices_en == shipped["fields"][0]["choices_en"]
    assert FormField.objects.get(service=service, name="cara_memperoleh").choices_en == []
    assert add_english() == 0  # once is enough


def test_english_steps_of_an_older_list_are_not_shown():
    service = Service.objects.get(slug=SLUG)
    service.steps = [*service.steps, "Langkah baru dari kantor"]  # an administrator added a step
    service.save()
    page = _english_client().get(f"/layanan/{SLUG}/?office=73.22").content.decode()
    assert "Langkah baru dari kantor" in page and service.steps_en[0] not in page


def test_the_api_gives_the_english_texts_beside_the_values_to_send(client):
    body = client.get(f"/api/v1/services/{SLUG}?office=73.22").json()
    service = Service.objects.get(slug=SLUG)
    assert body["summary_en"] == service.summary_en and body["steps_en"] == service.steps_en
    assert body["requirements"][0]["label_en"] == Requirement.objects.get(service=service, code="ktp").name_en
    field = next(f for f in body["fields"] if f["name"] == "jenis_pemohon")
    assert field["choices"][0] == "Perorangan" and field["choices_en"][0] != "Perorangan"


def test_the_catalog_is_in_the_order_of_the_names_the_reader_sees():
    import html
    import re

    for language in ("en", "id"):
        c = Client()
        c.cookies["django_language"] = language
        page = c.get("/layanan/").content.decode()
        names = [html.unescape(n) for n in re.findall(r'<li><a href="/layanan/[a-z0-9-]+/">([^<]+)</a>', page)]
        assert len(names) > 10
        assert names == sorted(names, key=str.casefold), (language, names[:6])


def test_officer_pages_name_services_requirements_and_units_in_english(people):
    """The English names exist; these pages used the Indonesian ones (a screen reader heard
    "Working days Alih Aksara Dokumen Arab-Melayu")."""
    from django.utils.html import escape

    from satupintu.organization.models import Unit

    service = Service.objects.get(slug=SLUG)
    requirement = Requirement.objects.filter(service=service).exclude(name_en="").first()
    unit = Unit.objects.exclude(name_en="").first()
    assert service.name_en and requirement is not None and unit is not None
    head = _english_client()
    head.force_login(people.kakan_lutra)
    page = head.get(f"/petugas/kantor/layanan/{SLUG}/?office=73.22").content.decode()
    assert f"Requirements: {escape(service.name_en)}" in page and escape(requirement.name_en) in page
    settings = head.get("/petugas/kantor/?office=73.22").content.decode()
    assert f"Working days {escape(service.name_en)}" in settings
    assert f"Working days {escape(service.name)}" not in settings
    desk = _english_client()
    desk.force_login(people.fo_lutra)
    assert f">{escape(unit.name_en)}</option>" in desk.get("/petugas/").content.decode()
