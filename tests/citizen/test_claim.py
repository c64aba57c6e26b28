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
from tests.citizen.conftest import PHONE, claim, login, texted_code

pytestmark = pytest.mark.django_db


def test_code_by_sms_links_every_application_of_the_phone(citizen, submit):
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
    assert not OutboxMessage.objects.filter(channel="sms").exists()
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
    code = texted_code()
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
        claims.confirm_code(stranger, PHONE, texted_code(), now=later)
    assert expired.value.code == "code_expired"
    assert Application.objects.get(pk=app.pk).user == citizen


def test_another_persons_phone_cannot_be_claimed_without_the_code(citizen, stranger, submit):
    app = submit()
    c = login(stranger)
    c.post("/akun/klaim/", {"phone": PHONE})
    # the code went to the owner's phone, not to the stranger
    assert OutboxMessage.objects.get(subject="Kode klaim").recipient == PHONE
    for guess in ("000001", "000002", "000003", "000004", "000005"):
        c.post("/akun/klaim/kode/", {"code": guess})
    # five wrong tries kill the code, even the right one does nothing now
    with pytest.raises(DomainError) as dead:
        claims.confirm_code(stranger, PHONE, texted_code())
    assert dead.value.code == "code_expired"
    # the owner's code, typed on another account, is not that account's code either
    claims.request_code(citizen, PHONE)
    owner_code = texted_code()
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
        claims.confirm_code(citizen, PHONE, texted_code())
    assert limited.value.status == 429


def test_another_account_asking_for_codes_does_not_lock_the_owner_out(citizen, stranger, submit):
    submit()
    other = login(stranger)
    for _ in range(4):  # three codes, then refused: for that account
        other.post("/akun/klaim/", {"phone": PHONE})
    # The owner still gets their code, and claims what their number filed.
    claim(login(citizen))
    assert VerifiedPhone.objects.filter(user=citizen).exists()


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


def test_an_address_typed_beside_someone_elses_number_never_gets_the_code(citizen, stranger, submit):
    """Anyone may file with another's number and their own e-mail. The code used to go to the
    e-mail on the number's latest application or report: the stranger's, who then held the
    number's applications and its reports, anonymous ones included."""
    from satupintu.feedback import reports

    own = submit(now=timezone.now() - timedelta(days=60))  # the owner's application
    reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean lama",
        text="Antrean lama: mohon ditindaklanjuti.", name="X", email="lain@contoh.id", phone="081234567890"))
    planted = submit(email="lain@contoh.id")  # the newest, with the stranger's address
    c = login(stranger)
    assert c.post("/akun/klaim/", {"phone": "0812 3456 7890"})["Location"] == "/akun/klaim/kode/"
    assert ClaimCode.objects.get().channel == "sms"
    texted = OutboxMessage.objects.get(channel="sms")
    assert texted.recipient == PHONE and "Jangan berikan kode ini" in texted.body
    code = texted_code()
    assert not OutboxMessage.objects.filter(body__contains=code).exclude(pk=texted.pk).exists()
    assert set(Application.objects.filter(user__isnull=True)) == {own, planted}
    # The owner, with the code from their phone, links both.
    claim(login(citizen))
    assert set(Application.objects.filter(user=citizen)) == {own, planted}


def test_a_number_that_filed_nothing_gets_no_text(citizen):
    login(citizen).post("/akun/klaim/", {"phone": "081298765432"})
    assert ClaimCode.objects.get().channel == ""
    assert not OutboxMessage.objects.filter(channel="sms").exists()
