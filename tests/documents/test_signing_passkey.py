"""A head whose second factor is a passkey signs with it (DOCUMENT_SIGNING_SECOND_FACTOR): the
sign form offers the key instead of an authenticator code, the confirmation holds for a few
minutes on that document's page only, and one confirmation signs once. The ceremonies run with
the software authenticator of the passkey tests."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core import passkeys
from satupintu.documents import issuing
from satupintu.documents.models import IssuedDocument, State
from tests.documents.test_issuing import _in_process
from tests.security.soft_authenticator import SoftAuthenticator
from tests.security.test_passkeys import KEYS, ORIGIN, _json_post, _register, _sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_with_keys(settings):  # type: ignore[no-untyped-def]
    settings.STAFF_2FA_REQUIRED = True
    settings.DOCUMENT_SIGNING_SECOND_FACTOR = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
    return settings


def _awaiting(submit, people, **overrides) -> IssuedDocument:  # type: ignore[no-untyped-def]
    doc = issuing.prepare_from_template(_in_process(submit, people, **overrides), user=people.pendma_lutra)
    issuing.submit_for_signature(doc, user=people.pendma_lutra)
    return doc


def _head_with_key() -> tuple[Client, SoftAuthenticator]:
    """kakan.lutra signed in with a passkey as the only second factor (the first device verifies the session)."""
    key = SoftAuthenticator(ORIGIN)
    head = _sign_in("kakan.lutra")
    assert _register(head, key).status_code == 200
    return head, key


def _confirm(c: Client, key: SoftAuthenticator, page: str):  # type: ignore[no-untyped-def]
    begin = _json_post(c, KEYS + "tanda-tangan/mulai/")
    assert begin.status_code == 200, begin.content
    return _json_post(c, f"{KEYS}tanda-tangan/selesai/?next={page}", key.get(begin.json()))


def test_a_head_with_only_a_passkey_signs_with_it(submit, people, signing_with_keys):
    head, key = _head_with_key()
    other = _awaiting(submit, people, now=timezone.now() - timedelta(hours=2))  # sent earlier: not a duplicate
    doc = _awaiting(submit, people)
    page = f"/petugas/dokumen/{doc.pk}/"

    form = head.get(page).content.decode()
    assert 'id="passkey-verification-button"' in form and "tanda-tangan/selesai/" in form
    assert 'name="code"' not in form  # no authenticator app to ask a code of
    refused = head.post(page, {"action": "sign", "confirm": "on"})
    assert refused.status_code == 400 and "Konfirmasi dulu dengan kunci keamanan" in refused.content.decode()

    # A confirmation made on another document's page does not sign this one.
    assert _confirm(head, key, f"/petugas/dokumen/{other.pk}/").status_code == 200
    assert head.post(page, {"action": "sign", "confirm": "on"}).status_code == 400

    done = _confirm(head, key, page)
    assert done.status_code == 200 and done.json()["redirect_url"] == page
    confirmed = head.get(page).content.decode()
    assert "Kunci keamanan terkonfirmasi" in confirmed and 'id="passkey-verification-button"' not in confirmed
    assert head.post(page, {"action": "sign", "confirm": "on"}).status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.SIGNING
    assert doc.events.filter(action="approved", actor=people.kakan_lutra, note__contains="kunci keamanan").exists()
    assert passkeys.SIGNING_KEY not in head.session  # one confirmation, one signature
    # Nothing left to confirm: the page loads no passkey script (it throws without its placeholder).
    assert "otp_webauthn_config" not in head.get(page).content.decode()


def test_a_confirmation_goes_stale_and_belongs_to_its_signer(submit, people, signing_with_keys):
    head, key = _head_with_key()
    doc = _awaiting(submit, people)
    page = f"/petugas/dokumen/{doc.pk}/"
    assert _confirm(head, key, page).status_code == 200
    session = head.session
    session[passkeys.SIGNING_KEY] = {**session[passkeys.SIGNING_KEY],
                                     "at": time.time() - passkeys.SIGNING_FRESH_SECONDS - 1}
    session.save()
    assert head.post(page, {"action": "sign", "confirm": "on"}).status_code == 400
    assert IssuedDocument.objects.get(pk=doc.pk).state == State.AWAITING

    # Nobody confirms without being signed in, and another account's session refuses this key.
    anonymous = _json_post(Client(), f"{KEYS}tanda-tangan/selesai/?next={page}", {})
    assert anonymous.status_code == 403
    colleague = _sign_in("pendma.lutra")
    assert _register(colleague, SoftAuthenticator(ORIGIN)).status_code == 200
    begin = _json_post(colleague, KEYS + "tanda-tangan/mulai/").json()
    stolen = _json_post(colleague, f"{KEYS}tanda-tangan/selesai/?next={page}", key.get(begin))
    assert stolen.status_code == 403 and passkeys.SIGNING_KEY not in colleague.session


def test_a_head_with_both_factors_may_use_either(submit, people, signing_with_keys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    head, key = _head_with_key()
    TOTPDevice.objects.create(user=people.kakan_lutra, name="hp", confirmed=True)
    doc = _awaiting(submit, people)
    form = head.get(f"/petugas/dokumen/{doc.pk}/").content.decode()
    assert 'name="code"' in form and 'id="passkey-verification-button"' in form
    missing = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on"})
    assert missing.status_code == 400 and "Masukkan kode" in missing.content.decode()


def test_a_touch_is_not_enough_and_a_sign_in_challenge_does_not_sign(submit, people, signing_with_keys):
    """The signature asks the key for its PIN or fingerprint; a key left in the computer that only
    senses a touch does not sign, and a challenge begun for the sign-in is not answered here."""
    head, key = _head_with_key()
    doc = _awaiting(submit, people)
    page = f"/petugas/dokumen/{doc.pk}/"
    options = _json_post(head, KEYS + "tanda-tangan/mulai/").json()
    assert options["userVerification"] == "required"
    key.user_verified = False
    touched = _json_post(head, f"{KEYS}tanda-tangan/selesai/?next={page}", key.get(options))
    assert touched.status_code >= 400 and passkeys.SIGNING_KEY not in head.session
    key.user_verified = True
    sign_in = _json_post(head, KEYS + "masuk/mulai/").json()  # the sign-in's challenge (a touch is enough there)
    crossed = _json_post(head, f"{KEYS}tanda-tangan/selesai/?next={page}", key.get(sign_in))
    assert crossed.status_code >= 400 and passkeys.SIGNING_KEY not in head.session
    assert head.post(page, {"action": "sign", "confirm": "on"}).status_code == 400


def test_a_draft_sent_back_needs_a_new_confirmation(submit, people, signing_with_keys):
    head, key = _head_with_key()
    doc = _awaiting(submit, people)
    page = f"/petugas/dokumen/{doc.pk}/"
    assert _confirm(head, key, page).status_code == 200
    assert head.post(page, {"action": "send_back", "note": "Perbaiki nomor ijazah"}).status_code == 302
    issuing.submit_for_signature(IssuedDocument.objects.get(pk=doc.pk), user=people.pendma_lutra)  # changed, sent again
    assert head.post(page, {"action": "sign", "confirm": "on"}).status_code == 400
    assert IssuedDocument.objects.get(pk=doc.pk).state == State.AWAITING
