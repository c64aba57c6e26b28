"""News preferences on the account page decide the channel of every linked application's news."""

from __future__ import annotations

import pytest

from satupintu.citizen.models import NotificationPreferences
from satupintu.notifications.models import OutboxMessage
from satupintu.services.workflow import application_transition
from satupintu.whatsapp.models import Message, OptIn
from tests.citizen.conftest import PHONE, claim, login

pytestmark = pytest.mark.django_db


def _news(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return (OutboxMessage.objects.filter(application_id=app.pk, channel="email").count(),
            Message.objects.filter(application=app, kind="template").count())


def _phone_account(username: str, phone: str):  # type: ignore[no-untyped-def]
    """An account made by phone sign-in (no e-mail address), signed in: (user, client)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from satupintu.accounts.models import CitizenPhone

    user = get_user_model().objects.create_user(username, "", None)
    CitizenPhone.objects.create(user=user, phone=phone, verified=True)
    client = Client()
    client.force_login(user)
    return user, client



def test_choosing_whatsapp_moves_news_from_email(citizen, submit, people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    app = submit()  # asked for e-mail news only on the form
    c = login(citizen)
    claim(c)
    before = _news(app)
    r = c.post("/akun/notifikasi/", {"whatsapp": "on"})
    assert r["Location"] == "/akun/"
    assert NotificationPreferences.objects.get(user=citizen).email is False
    assert OptIn.objects.get(wa_id=PHONE.lstrip("+")).source == "account"  # the choice is the consent
    application_transition(app, "request_completion", user=people.fo_lutra, note="Scan KTP buram")
    assert _news(app) == (before[0], before[1] + 1)


def test_email_only_stops_whatsapp_news(citizen, submit, people, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    app = submit(whatsapp_updates=True, user=citizen)  # filed while signed in
    c = login(citizen)
    assert c.post("/akun/notifikasi/", {"email": "on"})["Location"] == "/akun/"
    before = _news(app)
    application_transition(app, "request_completion", user=people.fo_lutra, note="Scan KTP buram")
    assert _news(app) == (before[0] + 1, before[1])


def test_no_channel_at_all_is_refused_on_the_field(citizen):
    r = login(citizen).post("/akun/notifikasi/", {})
    assert r.status_code == 400 and 'href="#id_email"' in r.content.decode()
    assert "no-store" in r["Cache-Control"]  # it is Beranda saya itself: never kept by a cache
    assert not NotificationPreferences.objects.exists()


def test_an_account_without_an_e_mail_address_is_not_left_without_news(submit, people, settings):
    """Signed in by phone, no address: the form showed e-mail ticked, and saving it as shown
    silenced the WhatsApp news the applications asked for."""
    import re

    settings.WHATSAPP_PHONE_NUMBER_ID = "100000000000001"
    user, c = _phone_account("warga-hp", "+6281234567890")
    submit(email="", whatsapp_updates=True, user=user)
    page = c.get("/akun/").content.decode()
    assert re.search(r'<input[^>]*name="whatsapp"[^>]*checked', page)  # shown as the applications go
    assert not re.search(r'<input[^>]*name="email"[^>]*checked', page)
    refused = c.post("/akun/notifikasi/", {"email": "on"})
    assert refused.status_code == 400 and "belum punya alamat email" in refused.content.decode()
    assert not NotificationPreferences.objects.exists()


def test_an_account_signed_in_by_phone_with_e_mail_on_its_applications_is_shown_its_e_mail_news(submit, people):
    """Signed in by phone (no address on the account), applied with an e-mail and WhatsApp unticked:
    the news go by e-mail to that address, yet the form showed WhatsApp ticked and e-mail not, and
    saving it as shown switched the channel; e-mail alone was refused too."""
    import re

    user, c = _phone_account("warga-hp2", "+6281234567891")
    submit(email="budi@contoh.id", whatsapp_updates=False, user=user)
    page = c.get("/akun/").content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="whatsapp"[^>]*checked', page)
    saved = c.post("/akun/notifikasi/", {"email": "on"})
    assert saved.status_code == 302
    prefs = NotificationPreferences.objects.get(user=user)
    assert (prefs.whatsapp, prefs.email) == (False, True)
