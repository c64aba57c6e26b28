"""Issue #11, point 1: an Idempotency-Key is bound to its client (API or web form) and to the
body it first came with; nobody takes over an application by re-using or guessing a key."""

import re

import pytest
from django.test import Client

from satupintu.services.models import Application, Status
from tests.api.test_api import _form

pytestmark = pytest.mark.django_db


def test_same_key_and_same_body_get_the_same_answer():
    c = Client()
    first = c.post("/api/v1/applications", _form(), headers={"Idempotency-Key": "k-1"})
    again = c.post("/api/v1/applications", _form(), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()  # the same receipt link: no new secret is minted
    assert Application.objects.count() == 1


@pytest.mark.parametrize("change", [{"name": "Penyerang"}, {"nik": "1"}, {"service": "tidak-ada"}, {"ktp": None}])
def test_same_key_with_another_body_is_refused(change):
    c = Client()
    first = c.post("/api/v1/applications", _form(), headers={"Idempotency-Key": "k-2"}).json()
    other = Client().post("/api/v1/applications", _form(**change), headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 409, other.content
    body = other.json()
    assert body["code"] == "idempotency_key_reused" and body["message"]
    assert first["tracking_code"] not in other.content.decode() and "receipt_url" not in body
    assert Application.objects.count() == 1


def test_a_long_key_fits_and_stays_bound():
    key = "x" * 80
    first = Client().post("/api/v1/applications", _form(), headers={"Idempotency-Key": key})
    assert first.status_code == 201
    assert Client().post("/api/v1/applications", _form(), headers={"Idempotency-Key": key}).status_code == 200


def _form_key(c: Client) -> str:
    page = c.get("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22").content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def _web_form(**overrides):  # type: ignore[no-untyped-def]
    data = {k: v for k, v in _form(**overrides).items() if k not in ("service",)}
    return data


@pytest.mark.parametrize("posted", ["api:{key}", "{key}", "api:{hashed}"])
def test_an_api_key_does_not_unlock_anything_in_the_web_form(posted):
    import hashlib

    victim = Client().post("/api/v1/applications", _form(), headers={"Idempotency-Key": "rahasia"}).json()
    code = victim["tracking_code"]
    attacker = Client()
    _form_key(attacker)  # an ordinary visitor with a session
    key = posted.format(key="rahasia", hashed=hashlib.sha256(b"rahasia").hexdigest())
    response = attacker.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22",
                             {"office": "73.22", "submission_key": key})
    assert response.status_code == 400  # an empty form is just an empty form
    page = attacker.get(f"/lacak/{code}/").content.decode()
    assert "Andi Rahmawati" not in page
    attacker.post(f"/lacak/{code}/batalkan/", {"confirm": "ya"})
    assert Application.objects.get(tracking_code=code).status == Status.SUBMITTED


def test_the_web_form_key_is_the_sessions_own():
    c = Client()
    key = _form_key(c)
    first = c.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", {**_web_form(), "submission_key": key})
    assert first.status_code == 302
    app = Application.objects.get()
    assert app.submission_key == f"web:{key}"
    # The browser re-sends the same form: the same application, not a duplicate error.
    again = c.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", {**_web_form(), "submission_key": key})
    assert again["Location"] == first["Location"]
    # Another browser that copied the key gets nothing from it (its form is simply a new one).
    stranger = Client()
    _form_key(stranger)
    copied = stranger.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", {"submission_key": key})
    assert copied.status_code == 400
    assert "Andi Rahmawati" not in stranger.get(f"/lacak/{app.tracking_code}/").content.decode()
    # The same key with another body in the same session: refused, nothing unlocked anew.
    changed = c.post("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22",
                     {**_web_form(name="Budi Santoso"), "submission_key": key})
    assert changed.status_code == 409 and "sudah dipakai" in changed.content.decode()
    assert Application.objects.count() == 1
