"""The newcomer's path of issue #13: sign up with the phone used on earlier applications, read the
code (the demo's outbox), and find those applications on Beranda saya without another claim."""

from __future__ import annotations

import pytest

from tests.accounts.test_phone_sign_in import last_code

pytestmark = pytest.mark.django_db


def test_a_phone_proved_at_sign_up_brings_its_applications_to_beranda_saya(client, submit,
                                                                            django_capture_on_commit_callbacks):
    app = submit()  # filed earlier, without an account, with 081234567890
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/akun/signup/", {"phone": "0812 3456 7890"})
    assert client.get("/akun/").status_code in (200, 302)
    before = client.get("/akun/").content.decode()
    assert app.tracking_code not in before  # not signed in yet, or not proved yet
    client.post("/akun/phone/verify/", {"code": last_code()})
    home = client.get("/akun/")
    assert home.status_code == 200 and app.tracking_code in home.content.decode()


def test_an_unverified_phone_brings_nothing(client, submit):
    from django.contrib.auth import get_user_model

    from satupintu.accounts.models import CitizenPhone

    app = submit()
    user = get_user_model().objects.create_user("belum-terbukti", "", None)
    CitizenPhone.objects.create(user=user, phone="+6281234567890", verified=False)
    client.force_login(user)
    assert app.tracking_code not in client.get("/akun/").content.decode()
