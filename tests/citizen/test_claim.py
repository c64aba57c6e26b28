"""Claiming what a phone filed: a one-time code to that phone's channel, never by NIK alone."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.citizen import claims
from satupintu.citizen.models import ClaimCode, VerifiedPhone
from satupintu.core.errors import DomainError
from satupintu.notifications.models import OutboxMessage
from satupintu.services.models import Application
from satupintu.whatsapp.models import Message
from satupintu.whatsapp.outbound import record_opt_in
from tests.citizen.conftest import PHONE, claim, login, mailed_code

pytestmark = pytest.mark.django_db


def test_code_by_email_links_every_application_of_the_phone(citizen, submit):
    # older first: the duplicate check looks at applications after the given time
    other = submit(phone="081298765432", email="orang@contoh.id", now=timezone.now() - timedelta(days=90))
    second = submit(email="", now=timezone.now() - timedelta(days=60))
    first = submit()
    c = login(citizen)
    assert "Tautkan" in c.get("/akun/klaim/").content.decode()
    claim(c)
    assert set(Application.objects.filter(user=citizen)) == {first, second}
    assert Application.objects.get(pk=other.pk).user is None
    assert VerifiedPhone.objects.filter(user=citizen, phone=PHONE).exists()
    page = c.get("/akun/", follow=True).content.decode()
    assert first.tracking_code in page and second.tracking_code in page and other.tracking_code not in page


def test_code_goes_by_whatsapp_when_the_phone_opted_in(citizen, submit, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    submit()
    record_opt_in(PHONE.lstrip("+"), source="test")
    c = login(citizen)
    c.post("/akun/klaim/", {"phone": PHONE})
    assert ClaimCode.objects.get().channel == "whatsapp"
    assert not OutboxMessage.objects.filter(subject="Kode klaim Satu Pintu").exists()
    message = Message.objects.get(kind="template", wa_id=PHONE.lstrip("+"))
    assert message.payload["template"]["name"] == "satupintu_one_time_code"
    code = message.payload["template"]["components"][0]["parameters"][0]["text"]
    assert code not in message.text  # the inbox timeline does not show it
    assert json.loads(OutboxMessage.objects.get(channel="whatsapp").body) == {"message": message.pk}
    assert c.post("/akun/klaim/kode/", {"code": code})["Location"] == "/akun/"


def test_same_answer_for_a_phone_with_nothing_filed(citizen):
    c = login(citizen)
    assert c.post("/akun/klaim/", {"phone": "081298765432"})["Location"] == "/akun/klaim/kode/"
    assert ClaimCode.objects.get().channel == ""
    assert not OutboxMessage.objects.exists()


def test_wrong_expired_and_reused_codes(citizen, stranger, submit):
    app = submit()
    c = login(citizen)
    c.post("/akun/klaim/", {"phone": PHONE})
    code = mailed_code("andi@contoh.id")
    wrong = "000000" if code != "000000" else "111111"
    r = c.post("/akun/klaim/kode/", {"code": wrong})
    assert r.status_code == 400 and 'href="#id_code"' in r.content.decode() and "Kode salah" in r.content.decode()
    r = c.post("/akun/klaim/kode/", {"code": "12"})
    assert r.status_code == 400 and "6 angka" in r.content.decode()
    assert c.post("/akun/klaim/kode/", {"code": code})["Location"] == "/akun/"
    # used once: the same code again is refused
    with pytest.raises(DomainError) as used:
        claims.confirm_code(citizen, PHONE, code)
    assert used.value.code == "code_expired"
    # expired
    claims.request_code(stranger, PHONE)
    later = timezone.now() + claims.CODE_TTL + timedelta(seconds=1)
    with pytest.raises(DomainError) as expired:
        claims.confirm_code(stranger, PHONE, mailed_code("andi@contoh.id"), now=later)
    assert expired.value.code == "code_expired"
    assert Application.objects.get(pk=app.pk).user == citizen


def test_another_persons_phone_cannot_be_claimed_without_the_code(citizen, stranger, submit):
    app = submit()
    c = login(stranger)
    c.post("/akun/klaim/", {"phone": PHONE})
    # the code went to the owner's e-mail, not to the stranger
    assert OutboxMessage.objects.get(subject="Kode klaim Satu Pintu").recipient == "andi@contoh.id"
    for guess in ("000001", "000002", "000003", "000004", "000005"):
        c.post("/akun/klaim/kode/", {"code": guess})
    # five wrong tries kill the code, even the right one does nothing now
    with pytest.raises(DomainError) as dead:
        claims.confirm_code(stranger, PHONE, mailed_code("andi@contoh.id"))
    assert dead.value.code == "code_expired"
    # the owner's code, typed on another account, is not that account's code either
    claims.request_code(citizen, PHONE)
    owner_code = mailed_code("andi@contoh.id")
    with pytest.raises(DomainError):
        claims.confirm_code(stranger, PHONE, owner_code)
    assert Application.objects.get(pk=app.pk).user is None
    assert not VerifiedPhone.objects.filter(user=stranger).exists()
    assert "Andi Rahmawati" not in c.get("/akun/").content.decode()


def test_claim_never_takes_an_application_held_by_another_account(citizen, stranger, submit):
    app = submit()
    Application.objects.filter(pk=app.pk).update(user=stranger)
    claim(login(citizen))
    assert Application.objects.get(pk=app.pk).user == stranger


def test_sends_and_tries_are_limited(citizen, submit):
    submit()
    c = login(citizen)
    for _ in range(3):
        assert c.post("/akun/klaim/", {"phone": PHONE}).status_code == 302
    r = c.post("/akun/klaim/", {"phone": PHONE})
    assert r.status_code == 429 and "3 kali" in r.content.decode()
    assert ClaimCode.objects.count() == 3
    for n in range(10):
        claims.ClaimCode.objects.filter(user=citizen).update(wrong_tries=0)  # a fresh code's tries: the daily cap
        with pytest.raises(DomainError):
            claims.confirm_code(citizen, PHONE, "999999" if n % 2 else "888888")
    with pytest.raises(DomainError) as limited:
        claims.confirm_code(citizen, PHONE, mailed_code("andi@contoh.id"))
    assert limited.value.status == 429


def test_invalid_phone_is_a_field_error_and_staff_go_to_their_desk(citizen, people):
    c = login(citizen)
    r = c.post("/akun/klaim/", {"phone": "abc"})
    assert r.status_code == 400 and 'href="#id_phone"' in r.content.decode()
    assert Client_get_anonymous("/akun/klaim/").startswith("/masuk/?next=/akun/klaim/")
    staff = login(people.fo_lutra)
    assert staff.get("/akun/")["Location"] == "/petugas/"


def Client_get_anonymous(path: str) -> str:  # noqa: N802
    from django.test import Client

    return Client().get(path)["Location"]
