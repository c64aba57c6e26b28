"""A signed-in citizen and what they filed before having an account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.notifications.models import OutboxMessage

PASSWORD = "sandi-uji-123"
PHONE = "+6281234567890"  # tests/conftest.py VALID_PHONE in E.164


@pytest.fixture
def citizen(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("andi@contoh.id", "andi@contoh.id", PASSWORD, first_name="Andi")


@pytest.fixture
def stranger(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("lain@contoh.id", "lain@contoh.id", PASSWORD, first_name="Lain")


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def texted_code(phone: str = PHONE) -> str:
    """The claim code last texted to ``phone`` (the SMS outbox: the demo and tests have no gateway)."""
    sms = OutboxMessage.objects.filter(channel="sms", recipient=phone, subject="Kode klaim").order_by("-pk").first()
    assert sms is not None, "no code texted"
    return re.search(r"\b(\d{6})\b", sms.body).group(1)  # type: ignore[union-attr]


def claim(client: Client, phone: str = "0812 3456 7890", to: str = PHONE) -> None:
    """Ask for a code by the page and confirm it from the text sent to the phone."""
    assert client.post("/akun/klaim/", {"phone": phone})["Location"] == "/akun/klaim/kode/"
    r = client.post("/akun/klaim/kode/", {"code": texted_code(to)})
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content.decode()[:2000]
