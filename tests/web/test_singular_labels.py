"""English labels that name one thing say it in the singular: one application's "Service" and its
"Officer" (they read "Services" and "Officers", the words of the menu)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_one_application_reads_service_and_officer_in_the_singular(people, submit):  # type: ignore[no-untyped-def]
    app = submit()
    staff = Client()
    assert staff.login(username="fo.lutra", password="sandi-uji-123")
    staff.cookies["django_language"] = "en"
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
