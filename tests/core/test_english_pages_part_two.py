"""The second English walkthrough's findings: what a page composes in Python reads in the page's
language (units, survey elements, grades, months, unit names) and the token error helps."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from satupintu.humas.selectors import Period
from satupintu.organization.models import Office, Unit
from satupintu.rakor.forms import ActionForm
from satupintu.reform.integrity_figures import format_number

pytestmark = pytest.mark.django_db


def test_zona_integritas_units_read_in_the_pages_language():
    with translation.override("en"):
        assert (format_number(0.0, "jam kerja"), format_number(12, "menit")) == ("0.0 working hours", "12 minutes")
    with translation.override("id"):  # the pack's PDF
        assert (format_number(0.0, "jam kerja"), format_number(12, "menit")) == ("0,0 jam kerja", "12 menit")


def test_a_humas_month_reads_as_a_month_not_a_code():
    with translation.override("en"):
        assert Period(2026, 11).shown == "November 2026" and Period(2026, 11).label == "2026-11"
    with translation.override("id"):
        assert Period(2026, 8).shown == "Agustus 2026"


def test_a_rakor_follow_up_names_units_in_the_pages_language():
    units = list(Unit.objects.filter(code="pendma"))
    decision = SimpleNamespace(pk=1)
    with translation.override("en"):
        form = ActionForm(decision=decision, offices=[Office.objects.get(code="73.22")], units=units,
                          today=date(2026, 12, 1))
        assert (units[0].code, units[0].name_en) in form.fields["unit"].widget.choices  # "Seksi Pendidikan Madrasah"


def test_a_mistyped_token_says_which_letters_are_not_used_and_an_empty_one_asks_for_it():
    c = Client()
    c.cookies["django_language"] = "en"
    page = c.get("/verifikasi/", {"token": "ABCD1234XYZ9"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "without 0, O, 1, I or L" in page
    empty = c.get("/verifikasi/", {"token": ""}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "without 0, O, 1, I or L" not in empty and "Type the document&#x27;s token from below the QR code." in empty
