"""INApas sign-in end to end against a real OpenID Provider on a local port (oidc_provider.py):
our login URL -> the provider's /authorize over HTTP -> our callback -> signed in; and every way
it can go wrong refused with a clear page and no one signed in."""

from __future__ import annotations

import copy
import os
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from satupintu.accounts.models import CitizenPhone
from tests.accounts.oidc_provider import CITIZEN, CLIENT_ID, CLIENT_SECRET, LocalOP, local_op

CALLBACK = "http://testserver/akun/oidc/inapas/login/callback/"


@pytest.fixture
def inapas(settings, db, monkeypatch) -> Iterator[Callable[..., AbstractContextManager[LocalOP]]]:
    """Start a local provider and point OIDC_ISSUER (as settings.py builds it) at it."""
    def start(issuer_in_settings: str | None = None, **kwargs: Any) -> AbstractContextManager[LocalOP]:
        cm = local_op(redirect_uri=CALLBACK, **kwargs)
        op = cm.__enter__()
        started.append(cm)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", op.ca_file)  # allauth's requests trust the test certificate
        providers = copy.deepcopy(django_settings.SOCIALACCOUNT_PROVIDERS)
        issuer = issuer_in_settings or op.url
        providers["openid_connect"]["APPS"] = [{
            "provider_id": "inapas", "name": "INApas", "client_id": CLIENT_ID, "secret": CLIENT_SECRET,
            "settings": {"server_url": issuer, "oauth_pkce_enabled": True,
                         "openid_configuration_overrides": {"issuer": issuer}}}]
        settings.SOCIALACCOUNT_PROVIDERS, settings.OIDC_ISSUER = providers, issuer
        return op  # type: ignore[return-value]

    started: list[Any] = []
    yield start  # type: ignore[misc]
    for cm in started:
        cm.__exit__(None, None, None)


def go_to_provider(client) -> str:  # type: ignore[no-untyped-def]
    """Press the INApas button; follow to the provider over HTTP; return the callback URL it sends back."""
    r = client.post("/akun/oidc/inapas/login/")
    assert r.status_code == 302, r.content[:500]
    trust = ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"])
    back = httpx.get(r["Location"], follow_redirects=False, timeout=10, verify=trust)
    assert back.status_code == 302, back.text
    location = back.headers["Location"]
    assert location.startswith(CALLBACK)
    return location


def come_back(client, location: str) -> Any:  # type: ignore[no-untyped-def]
    parts = urlsplit(location)
    return client.get(parts.path, parse_qs(parts.query))


def user_of(client) -> Any:  # type: ignore[no-untyped-def]
    return client.get("/akun/").wsgi_request.user


def test_citizen_signs_in_with_inapas_end_to_end(client, inapas):
    op = inapas()
    assert "/akun/oidc/inapas/login/" in client.get("/akun/login/").content.decode()  # the button
    location = go_to_provider(client)
    (auth_request,) = op.auth_requests
    assert auth_request["code_challenge_method"] == "S256" and auth_request["code_challenge"]  # PKCE
    assert auth_request["nonce"] and auth_request["state"]
    assert set(auth_request["scope"].split()) >= {"openid", "phone"}
    r = come_back(client, location)
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content[:800]
    (token_request,) = op.token_requests
    assert token_request["code_verifier"] and token_request["client_secret"] == CLIENT_SECRET
    user = user_of(client)
    assert user.is_authenticated and not user.is_staff
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "inapas" and account.uid == CITIZEN["sub"]
    phone = CitizenPhone.objects.get(user=user)
    assert phone.phone == CITIZEN["phone_number"] and phone.verified  # from the claims: no form asks
    assert EmailAddress.objects.filter(user=user, email=CITIZEN["email"]).exists()
    assert (user.first_name, user.last_name) == ("Siti", "Rahmawati")

    # Next time: the same account, no second one.
    client.post("/akun/logout/")
    r = come_back(client, go_to_provider(client))
    assert r["Location"] == "/akun/" and user_of(client) == user
    assert get_user_model().objects.filter(socialaccount__provider="inapas").count() == 1


def test_without_a_phone_claim_the_citizen_is_asked_for_the_number(client, inapas):
    citizen = {k: v for k, v in CITIZEN.items() if not k.startswith("phone")}
    inapas(user=citizen)
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/3rdparty/signup/"
    page = client.get(r["Location"]).content.decode()
    assert 'name="phone"' in page
    r = client.post("/akun/3rdparty/signup/", {"phone": "0813 1111 2222", "email": CITIZEN["email"]})
    assert r.status_code == 302, r.content.decode()[:2000]
    user = get_user_model().objects.get(socialaccount__uid=CITIZEN["sub"])
    assert CitizenPhone.objects.get(user=user).phone == "+6281311112222"


def test_state_mismatch_is_refused_with_a_clear_message(client, inapas):
    inapas()
    location = go_to_provider(client)
    forged = location.replace("state=", "state=palsu")
    r = come_back(client, forged)
    assert r.status_code == 401
    page = r.content.decode()
    assert 'data-reason="state"' in page and "tidak cocok" in page and 'href="/akun/login/"' in page
    assert not user_of(client).is_authenticated and not SocialAccount.objects.exists()


def test_state_from_another_browser_is_refused(client, inapas):
    from django.test import Client

    inapas()
    location = go_to_provider(Client())  # someone else's sign-in, replayed here
    r = come_back(client, location)
    assert r.status_code == 401 and 'data-reason="state"' in r.content.decode()
    assert not user_of(client).is_authenticated


def test_id_token_with_another_nonce_is_refused(client, inapas):
    inapas()
    location = go_to_provider(client)
    session = client.session  # the nonce we sent, as kept with the state: make it another one
    states = session["socialaccount_states"]
    for state in states.values():
        state[0]["nonce"] = "nonce-lain"
    session["socialaccount_states"] = states
    session.save()
    r = come_back(client, location)
    assert r.status_code == 401 and 'data-reason="nonce"' in r.content.decode()
    assert not user_of(client).is_authenticated and not SocialAccount.objects.exists()


def test_id_token_from_another_issuer_is_refused(client, inapas):
    op = inapas(issuer="https://inapas-palsu.example")  # signs its tokens as someone else
    assert op.issuer != django_settings.OIDC_ISSUER
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 401 and 'data-reason="issuer"' in r.content.decode()
    assert "tidak berasal dari INApas" in r.content.decode()
    assert not user_of(client).is_authenticated and not SocialAccount.objects.exists()


def test_expired_id_token_is_refused(client, inapas):
    inapas(id_token_lifetime=-60)
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 401 and 'data-reason="expired"' in r.content.decode()
    assert "kedaluwarsa" in r.content.decode()
    assert not user_of(client).is_authenticated


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_token_endpoint_is_a_clear_message(client, inapas):
    inapas(token_url=f"https://127.0.0.1:{closed_port()}/token")
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 401 and 'data-reason="provider_down"' in r.content.decode()
    assert "tidak dapat dihubungi" in r.content.decode() and "nomor HP" in r.content.decode()
    assert not user_of(client).is_authenticated


def test_token_endpoint_unavailable_is_a_clear_message(client, inapas):
    op = inapas()
    location = go_to_provider(client)
    op.token_down = True
    r = come_back(client, location)
    assert r.status_code == 401 and 'data-reason="provider_refused"' in r.content.decode()
    assert not user_of(client).is_authenticated


def test_provider_down_on_the_way_back_is_a_clear_message_not_a_500(client, inapas, settings):
    inapas()
    location = go_to_provider(client)
    # INApas goes away (discovery too) between the citizen's approval and our callback.
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    apps[0]["settings"]["server_url"] = f"https://127.0.0.1:{closed_port()}"
    r = come_back(client, location)
    assert r.status_code == 401 and 'data-reason="provider_down"' in r.content.decode()
    assert not user_of(client).is_authenticated


def test_provider_down_when_starting_is_a_clear_message(client, inapas, settings):
    inapas(issuer_in_settings=f"https://127.0.0.1:{closed_port()}")
    r = client.post("/akun/oidc/inapas/login/")
    assert r.status_code == 401 and 'data-reason="provider_down"' in r.content.decode()


def test_staff_account_matched_by_email_is_refused(client, inapas, people):
    staff = people.fo_lutra  # a front-office officer
    staff.email = CITIZEN["email"]
    staff.save()
    inapas()
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/masuk/"
    assert "Akun petugas masuk lewat" in client.get("/masuk/").content.decode()
    assert not user_of(client).is_authenticated
    assert not SocialAccount.objects.exists() and not CitizenPhone.objects.exists()


def test_error_page_in_english(client, inapas):
    inapas()
    location = go_to_provider(client)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    r = come_back(client, location.replace("state=", "state=palsu"))
    assert "INApas sign-in failed" in r.content.decode() and "Back to sign-in" in r.content.decode()


def test_no_inapas_button_without_issuer(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
                                                           "APPS": []}}
    assert "/akun/oidc/inapas/login/" not in client.get("/akun/login/").content.decode()


def test_citizens_have_one_door(client, inapas):
    inapas()
    assert client.get("/akun/masuk/")["Location"] == "/akun/login/"
    assert 'href="/akun/login/"' in client.get("/masuk/").content.decode()  # from the staff page
    page = client.get("/akun/login/").content.decode()
    assert "/akun/login/code/" in page
    assert "/akun/oidc/inapas/login/" in page


def test_a_phone_number_another_account_has_is_not_taken_and_signing_up_works(client, inapas):
    someone = get_user_model().objects.create_user("warga.lain", "lain@contoh.id", "sandi-uji-123")
    CitizenPhone.objects.create(user=someone, phone=CITIZEN["phone_number"], verified=True)
    inapas()
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/3rdparty/signup/"  # the number is taken: the form
    r = client.post("/akun/3rdparty/signup/", {"phone": "0813 3333 4444", "email": CITIZEN["email"]})
    assert r.status_code == 302, r.content.decode()[:2000]
    user = get_user_model().objects.get(socialaccount__uid=CITIZEN["sub"])
    assert CitizenPhone.objects.get(user=user).phone == "+6281333334444"  # the number they typed
    assert CitizenPhone.objects.get(user=someone).phone == CITIZEN["phone_number"]  # untouched


def test_the_phone_claim_is_kept_in_e164(client, inapas):
    inapas(user={**CITIZEN, "phone_number": "0813-1111-2222"})
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/", r.content[:800]
    assert CitizenPhone.objects.get(user=user_of(client)).phone == "+6281311112222"


def test_an_invalid_phone_claim_is_dropped_and_the_form_asks(client, inapas):
    inapas(user={**CITIZEN, "phone_number": "12345"})
    r = come_back(client, go_to_provider(client))
    assert r.status_code == 302 and r["Location"] == "/akun/3rdparty/signup/"
    assert not CitizenPhone.objects.exists()


def test_connecting_inapas_whose_number_another_account_has_keeps_the_own_number(client, inapas):
    someone = get_user_model().objects.create_user("warga.lain", "lain@contoh.id", "sandi-uji-123")
    CitizenPhone.objects.create(user=someone, phone=CITIZEN["phone_number"], verified=True)
    citizen = get_user_model().objects.create_user("warga.siti", "siti.lain@contoh.id", "sandi-uji-123")
    CitizenPhone.objects.create(user=citizen, phone="+6281333334444", verified=True)
    inapas()
    client.force_login(citizen)
    r = client.post("/akun/oidc/inapas/login/", {"process": "connect"})
    assert r.status_code == 302, r.content[:500]
    trust = ssl.create_default_context(cafile=os.environ["REQUESTS_CA_BUNDLE"])
    r = come_back(client, httpx.get(r["Location"], follow_redirects=False, timeout=10, verify=trust).headers["Location"])
    assert r.status_code == 302, r.content[:800]
    assert SocialAccount.objects.get(uid=CITIZEN["sub"]).user == citizen
    assert CitizenPhone.objects.get(user=citizen).phone == "+6281333334444"
    assert CitizenPhone.objects.get(user=someone).phone == CITIZEN["phone_number"]
