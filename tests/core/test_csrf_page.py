"""A form sent with a stale or missing CSRF token: a branded page in the reader's language that
says nothing was sent and leads back to the form (Django's own page is unstyled, ends with a note
for developers and has no way on); the API keeps its JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.feedback.models import Report

pytestmark = pytest.mark.django_db

COMPLAINT = {"kind": "complaint", "category": "service_quality", "office": "73.22", "title": "Antrean lama",
             "text": "Antrean legalisir di loket PTSP memakan waktu tiga jam pada hari Senin."}


def test_a_complaint_sent_with_an_expired_form_gets_a_page_that_leads_back():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/pengaduan/", COMPLAINT, headers={"Referer": "http://testserver/pengaduan/?kantor=73.22"})
    page = response.content.decode()
    assert response.status_code == 403 and Report.objects.count() == 0
    assert "Formulir sudah kedaluwarsa" in page and "Belum ada yang terkirim" in page
    assert 'href="/pengaduan/?kantor=73.22"' in page and "DEBUG" not in page
    assert "tidak mengirim cookie" in page  # this client never got the cookie
    # Another site's page is never the way back.
    other = browser.post("/pengaduan/", COMPLAINT, headers={"Referer": "https://penyerang.example/x"})
    assert 'href="/pengaduan/"' in other.content.decode() and "penyerang" not in other.content.decode()
    # A path of this site that browsers read as another host ("//x", "/\\x") is not the way back either.
    for sneaky in ("http://testserver//penyerang.example/x", "http://testserver/\\penyerang.example/x"):
        page = browser.post("/pengaduan/", COMPLAINT, headers={"Referer": sneaky}).content.decode()
        assert "penyerang" not in page and 'href="/"' in page, sneaky
    browser.cookies["django_language"] = "en"
    english = browser.post("/pengaduan/", COMPLAINT).content.decode()
    assert "The form has expired" in english and "Nothing was sent" in english


def test_the_api_keeps_its_json_on_a_missing_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/api/v1/meetings", "{}", content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
