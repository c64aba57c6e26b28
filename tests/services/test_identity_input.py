"""NIK and e-mail as people (or scripts) really type them: a NIK must be sixteen ASCII digits
(not "²" nor fullwidth digits, which Python also calls digits), and an e-mail address must fit
the 254-character columns it is stored in. Both are refused with their usual code, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.feedback.models import Report
from satupintu.services import identity
from satupintu.services.models import Application
from tests.api.test_api import _form  # the application the API tests post
from tests.conftest import VALID_NIK
from tests.feedback.test_reports_public import _form as _report  # the report they post

pytestmark = pytest.mark.django_db

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Accepted by Django's validate_email (at most 320 characters, labels up to 63), but longer
# than the 254 the EmailField columns hold: 260 characters.
LONG_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com"


@pytest.mark.parametrize("nik", [
    VALID_NIK[:11] + "²" + VALID_NIK[12:],  # a superscript two: isdigit() is True, int() fails
    VALID_NIK.translate(FULLWIDTH),  # fullwidth digits: would be stored as typed
    VALID_NIK[:4] + "٠" + VALID_NIK[5:],  # an Arabic-Indic zero
])
def test_a_nik_with_digits_that_are_not_ascii_is_refused_clearly(nik):
    response = Client().post("/api/v1/applications", _form(nik=nik))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_nik" and body["field"] == "nik"
    assert body["message"] == "NIK harus terdiri dari 16 angka."
    assert Application.objects.count() == 0


def test_the_same_nik_in_ascii_digits_is_accepted():
    assert identity.clean_nik(VALID_NIK) == VALID_NIK
    with pytest.raises(DomainError) as info:
        identity.clean_nik(VALID_NIK.translate(FULLWIDTH))
    assert info.value.code == "invalid_nik"


def test_an_email_longer_than_its_column_is_refused_by_the_application_api():
    assert len(LONG_EMAIL) == 260
    response = Client().post("/api/v1/applications", _form(email=LONG_EMAIL))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_email" and body["field"] == "email"
    assert body["message"] == "Alamat email terlalu panjang (maksimal 254 karakter)."
    assert Application.objects.count() == 0
    # 254 characters still fit (the longest address the column takes)
    fits = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"
    assert len(fits) == 254
    assert identity.clean_email(fits) == fits


def test_an_email_longer_than_its_column_is_refused_by_the_report_api():
    response = Client().post("/api/v1/reports", _report(email=LONG_EMAIL))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_email" and body["field"] == "email"
    assert body["message"] == "Alamat email terlalu panjang (maksimal 254 karakter)."
    assert Report.objects.count() == 0


def test_an_email_longer_than_its_column_is_refused_on_the_web_form():
    data = _form(email=LONG_EMAIL, submission_key="form-1")
    data.pop("service")
    response = Client().post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", data)
    assert response.status_code == 400
    assert "Alamat email terlalu panjang (maksimal 254 karakter)." in response.content.decode()
    assert Application.objects.count() == 0


@pytest.mark.parametrize("number", ["+44 909 879 0000", "+1 900 555 0100", "+7 809 123 4567"])
def test_a_premium_rate_number_is_refused_it_would_bill_every_code_texted_to_it(number):
    """Sign-up texts a code to any number typed: a premium-rate number made the ministry pay for each
    (SMS pumping). The refusal says what to use instead."""
    with pytest.raises(DomainError) as e:
        identity.clean_phone(number)
    assert e.value.code == "invalid_phone" and "bukan nomor HP" in e.value.message


@pytest.mark.parametrize("number, e164", [("0812 3456 7890", "+6281234567890"), ("+60 12-345 6789", "+60123456789"),
                                          ("+966 50 123 4567", "+966501234567"), ("+1 415 555 0132", "+14155550132")])
def test_mobiles_at_home_and_abroad_are_welcome(number, e164):
    assert identity.clean_phone(number) == e164
