"""Signing up again never switches a disabled account back on: only a sign-up nobody has
confirmed yet is replaced. A staff account an administrator turned off (is_active=False), or a
citizen account closed after use, gets the "account exists" note and stays off."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from satupintu.notifications.models import OutboxMessage
from satupintu.organization.models import Office, Role, StaffRole

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "sandi-lama-petugas-1"
NEW_PASSWORD = "kata-sandi-baru-penyerobot-9"


def _signup(email: str, address: str) -> None:
    response = Client(REMOTE_ADDR=address).post("/daftar/", {
        "first_name": "Siapa Saja", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 200 and "Periksa email Anda" in response.content.decode()


def _activation_links(email: str) -> list[str]:
    return [m.group(1) for body in OutboxMessage.objects.filter(recipient=email).values_list("body", flat=True)
            if (m := re.search(r"(/daftar/aktifkan/\S+/)", body))]


def _disabled_account(email: str, *, staff: bool, signed_in_before: bool):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(email, email, OLD_PASSWORD)
    if staff:
        StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.FRONT_OFFICE)
    if signed_in_before:
        user.last_login = timezone.now()
    user.is_active = False  # an administrator turned it off
    user.save()
    return user


@pytest.mark.parametrize("staff, signed_in_before", [(True, True), (True, False), (False, True)])
def test_signing_up_again_does_not_reactivate_a_disabled_account(staff, signed_in_before):
    email = "petugas.keluar@kemenag.go.id"
    user = _disabled_account(email, staff=staff, signed_in_before=signed_in_before)
    _signup(email, "203.0.113.10")
    links = _activation_links(email)
    for link in links:  # whatever was mailed, opened as the attacker would
        Client().get(link)
    user.refresh_from_db()
    assert not user.is_active and user.check_password(OLD_PASSWORD) and user.first_name == ""
    # the mailbox is told an account exists; no activation link is sent
    assert links == []
    assert "sudah memiliki akun" in OutboxMessage.objects.get(recipient=email).body
    assert Client().post("/masuk/", {"username": email, "password": NEW_PASSWORD}).status_code != 302


def test_a_link_from_a_pending_signup_opens_nothing_once_the_account_is_staff():
    email = "calon.petugas@kemenag.go.id"
    _signup(email, "203.0.113.11")  # a genuine pending sign-up: it gets a link
    [link] = _activation_links(email)
    user = get_user_model().objects.get(username=email)
    assert not user.is_active
    # before it is opened, an administrator makes the address a staff account (still off)
    StaffRole.objects.create(user=user, office=Office.objects.get(code="73.22"), role=Role.FRONT_OFFICE)
    response = Client().get(link)
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_a_pending_signup_is_still_replaced_and_opened_by_its_link():
    email = "warga.baru@contoh.id"
    _signup(email, "203.0.113.12")
    _signup(email, "203.0.113.13")  # typed again (the first link lost): a fresh link, the last password
    links = _activation_links(email)
    assert len(links) == 2 and get_user_model().objects.filter(username=email).count() == 1
    c = Client()
    assert c.get(links[-1])["Location"] == "/akun/"
    user = get_user_model().objects.get(username=email)
    assert user.is_active and user.check_password(NEW_PASSWORD)
