"""English labels that name one thing say it in the singular: one application's "Service" and its
"Officer" (they read "Services" and "Officers", the words of the menu)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _front_office_in_english() -> Client:
    staff = Client()
    assert staff.login(username="fo.lutra", password="sandi-uji-123")
    staff.cookies["django_language"] = "en"
    return staff


def test_one_application_reads_service_and_officer_in_the_singular(people, submit):  # type: ignore[no-untyped-def]
    app = submit()
    staff = _front_office_in_english()
    detail = staff.get(f"/petugas/permohonan/{app.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Officer</dt>" in detail and "<dt>Officers</dt>" not in detail
    queue = staff.get("/petugas/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<th>Service</th>" in queue and "<th>Officer</th>" in queue and "<th>Services</th>" not in queue
    assert '<a href="/layanan/">Services</a>' in queue  # the menu names the catalogue: plural

    citizen = Client()
    citizen.cookies["django_language"] = "en"
    citizen.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    track = citizen.get(f"/lacak/{app.tracking_code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Service</dt>" in track and "<dt>Services</dt>" not in track
    assert "<dt>Office</dt>" in track and "<dt>Offices</dt>" not in track  # the menu's "Offices" stays plural
    assert '<a href="/kantor/">Offices</a>' in track


def test_the_officer_reads_each_file_by_its_requirement_not_its_code(people, submit):  # type: ignore[no-untyped-def]
    app = submit()
    staff = Client()
    assert staff.login(username="fo.lutra", password="sandi-uji-123")
    page = staff.get(f"/petugas/permohonan/{app.tracking_code}/").content.decode()
    doc = app.documents.first()
    requirement = app.service.requirements.get(code=doc.requirement_code, office__isnull=True)
    assert f"· {requirement.name}</span>" in page and f"· {doc.requirement_code}</span>" not in page


def test_the_complaint_error_names_the_box_as_it_reads():
    c = Client()
    c.cookies["django_language"] = "en"
    page = c.post("/pengaduan/", {"kind": "complaint", "category": "service_quality", "office": "73.22",
                                  "title": "Antrean lama", "text": "Antrean di loket PTSP lebih dari tiga jam lamanya."},
                  HTTP_ACCEPT_LANGUAGE="en").content.decode()
    import html
    import re

    named = re.search(r"tick &#x27;(.+?)&#x27;", page) or re.search(r"tick '(.+?)'", html.unescape(page))
    assert named is not None, page  # it said "choose 'keep my identity secret'", a box that is not there
    assert f"{named.group(1)} (" in html.unescape(page)  # the box's own label starts with those words


def test_units_read_in_english_on_the_officers_page_and_forward_form(people, submit):  # type: ignore[no-untyped-def]
    app = submit()
    page = _front_office_in_english().get(f"/petugas/permohonan/{app.tracking_code}/",
                                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<dt>Unit</dt><dd>{app.unit.name_en}</dd>" in page  # it read "Seksi Pendidikan Madrasah"
    assert f'value="{app.unit.code}" selected>{app.unit.name_en}</option>' in page \
        or f'value="{app.unit.code}">{app.unit.name_en}</option>' in page
