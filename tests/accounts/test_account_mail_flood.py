"""The reset and sign-in-code pages e-mail whatever address is typed (a reset link, or "no account
with this address"). allauth limits them per minute only: one inbox got 50 mails in 10 minutes, and
"+tags" got past its per-address key. At most 10 a day now reach one inbox."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.core import ratelimit
from satupintu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_one_inbox_gets_at_most_ten_account_mails_a_day_whatever_its_spelling():
    limit = ratelimit.ACCOUNT_MAILS_PER_ADDRESS_DAY.limit
    for i in range(limit + 3):
        address = f"korban+{i}@contoh.id" if i % 2 else f"Korban+{i}@Contoh.id"
        assert Client().post("/akun/password/reset/", {"email": address}).status_code == 302  # reads the same
    assert OutboxMessage.objects.filter(channel="email", recipient__istartswith="korban").count() == limit
    Client().post("/akun/password/reset/", {"email": "tetangga@contoh.id"})  # another inbox is not affected
    assert OutboxMessage.objects.filter(recipient="tetangga@contoh.id").exists()
