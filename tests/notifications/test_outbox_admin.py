"""The outbox in /admin/ cannot link an anonymous reporter to their e-mail (issue #11, point 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.feedback import reports
from satupintu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

LIST = "/admin/notifications/outboxmessage/"
SECRET = "rahasia.pelapor@contoh.id"


@pytest.fixture
def superuser_client() -> Client:
    get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    client = Client()
    assert client.login(username="root", password="sandi-uji-123")
    return client


def test_messages_to_an_anonymous_reporter_show_neither_address_nor_report(superuser_client: Client) -> None:
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean legalisir lama sekali",
        text="Sudah tiga minggu legalisir ijazah belum selesai juga.", email=SECRET, anonymous=True))
    message = OutboxMessage.objects.get(recipient=SECRET)
    assert report.tracking_code in message.subject + message.body  # the message itself is as before
    for url in (LIST, f"{LIST}{message.pk}/change/"):
        page = superuser_client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert SECRET not in text and "r***@contoh.id" not in text
        assert report.tracking_code not in text and "/pengaduan/" not in text
    # Searching by the address finds nothing (the recipient is not searchable).
    found = superuser_client.get(LIST, {"q": SECRET}).content.decode()
    assert f"{LIST}{message.pk}/change/" not in found


def test_other_recipients_are_masked(submit, superuser_client: Client) -> None:  # type: ignore[no-untyped-def]
    app = submit(email="andi.rahmawati@contoh.id")
    message = OutboxMessage.objects.filter(application=app).first()
    assert message is not None and message.recipient == "andi.rahmawati@contoh.id"
    for url in (LIST, f"{LIST}{message.pk}/change/"):
        text = superuser_client.get(url).content.decode()
        assert "andi.rahmawati@contoh.id" not in text and "a***@contoh.id" in text


def test_codes_and_reset_links_are_not_readable_in_the_admin(superuser_client: Client, db) -> None:  # type: ignore[no-untyped-def]
    """Whoever could read the outbox could sign in as any citizen, or claim a number's records."""
    from satupintu.accounts.delivery import send_sign_in_code
    from satupintu.notifications.outbox import outbox_enqueue

    send_sign_in_code("+6281234567890", "366014")
    outbox_enqueue(channel="email", recipient="andi@contoh.id", subject="Atur ulang kata sandi",
                   body="Buka /akun/password/reset/key/1-c3x9a2-kuncirahasia/", dedupe_key="allauth:1")
    for message in OutboxMessage.objects.all():
        page = superuser_client.get(f"{LIST}{message.pk}/change/").content.decode()
        assert "366014" not in page and "kuncirahasia" not in page
        assert "berisi kode atau tautan masuk" in page
