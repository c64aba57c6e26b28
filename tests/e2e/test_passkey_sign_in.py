"""A passkey as the staff second factor in real Chromium (issue #11, sign-in): Chromium's own
virtual authenticator (DevTools protocol, WebAuthn domain) stands in for a phone's fingerprint
sensor. A staff member registers a passkey on the enrolment page, signs out, and signs in again
with the password and the passkey, under the site's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_csp import _violations, _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _password(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def _scripts_ready(page, seconds: float = 15) -> None:  # type: ignore[no-untyped-def]
    """The package's button handler needs its translations (gettext). Polled with evaluate: the
    page's CSP forbids the eval that wait_for_function uses."""
    import time

    deadline = time.monotonic() + seconds
    while page.evaluate("typeof window.gettext") != "function":
        assert time.monotonic() < deadline, "the passkey scripts did not load"
        time.sleep(0.1)


def test_staff_registers_a_passkey_then_signs_in_with_password_and_passkey(people, new_context, live_server,
                                                                           settings):  # type: ignore[no-untyped-def]
    settings.STAFF_2FA_REQUIRED = True
    # The live server answers at http://localhost:<port>: localhost is a secure origin for WebAuthn.
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]

    context = new_context("desktop")
    page = context.new_page()
    seen = _watch(page)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]

    # the password alone leads to the enrolment page, which offers a passkey beside the app
    _password(page, people.fo_lutra.username)
    expect(page).to_have_url(re.compile(r"/akun/keamanan/\?next="))
    _scripts_ready(page)
    page.get_by_role("button", name="Daftarkan kunci keamanan").click()
    # The ceremony is three round trips and the authenticator's work: a busy machine (CI runs two
    # suites side by side) needs more than the default 5 s, which failed once in the PostgreSQL pass.
    expect(page).to_have_url(re.compile(r"/petugas/$"), timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    assert WebAuthnCredential.objects.filter(user=people.fo_lutra, confirmed=True).count() == 1
    assert not _violations(page, seen), _violations(page, seen)

    # a new sign-in: the password, then the passkey (no code box: no authenticator app enrolled)
    page.get_by_role("button", name="Keluar", exact=True).click()
    _password(page, people.fo_lutra.username)
    expect(page).to_have_url(re.compile(r"/masuk/kode/\?next="))
    expect(page.locator("input[name=token]")).to_have_count(0)
    _scripts_ready(page)
    page.get_by_role("button", name="Gunakan kunci keamanan").click()
    expect(page).to_have_url(re.compile(r"/petugas/$"), timeout=30_000)
    page.goto("/petugas/")  # the session is verified: the staff pages answer
    expect(page).to_have_url(re.compile(r"/petugas/$"))
    assert not _violations(page, seen), _violations(page, seen)
    sign_count = WebAuthnCredential.objects.get(user=people.fo_lutra).sign_count
    assert sign_count >= 1  # the authenticator signed once more


def test_a_head_signs_a_letter_with_the_passkey(people, submit, new_context, live_server,
                                                settings):  # type: ignore[no-untyped-def]
    """DOCUMENT_SIGNING_SECOND_FACTOR with a passkey-only head, at phone size: the sign form offers
    the key, the browser's ceremony confirms it on that page, and the letter is approved."""
    from satupintu.documents import issuing
    from satupintu.documents.models import IssuedDocument, State
    from tests.documents.test_issuing import _in_process

    settings.STAFF_2FA_REQUIRED = True
    settings.DOCUMENT_SIGNING_SECOND_FACTOR = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    doc = issuing.prepare_from_template(_in_process(submit, people), user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)

    context = new_context("phone")
    page = context.new_page()
    seen = _watch(page)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    _password(page, people.kakan_lutra.username)
    _scripts_ready(page)
    page.get_by_role("button", name="Daftarkan kunci keamanan").click()
    expect(page).to_have_url(re.compile(r"/petugas/$"), timeout=30_000)

    page.goto(f"/petugas/dokumen/{doc.pk}/")
    expect(page.get_by_label("Kode autentikator")).to_have_count(0)
    _scripts_ready(page)
    page.get_by_role("button", name="Konfirmasi dengan kunci keamanan").click()
    expect(page.get_by_text("Kunci keamanan terkonfirmasi")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(rf"/petugas/dokumen/{doc.pk}/$"))
    page.get_by_label("Saya telah membaca dokumen ini").check()
    page.get_by_role("button", name="Setujui dan tandatangani").click()
    expect(page.get_by_text("Disetujui.")).to_be_visible()
    expect(page.locator("#otp_webauthn_config")).to_have_count(0)  # no script left waiting for a placeholder
    assert IssuedDocument.objects.get(pk=doc.pk).state in (State.SIGNING, State.VALID)
    assert not _violations(page, seen), _violations(page, seen)
