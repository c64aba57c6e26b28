"""The national signing service (BSrE) as the signer, through its stand-in over real HTTP: when
it is down the approval waits and retries with nothing half issued; a refusal goes back to the
signer with the reason (issue #14)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.documents import issuing
from satupintu.documents.bsre_standin import BsreStandIn
from satupintu.documents.models import IssuedDocument, OfficeSigning, State
from satupintu.services.models import DocumentKind
from satupintu.services.workflow import application_transition
from tests.documents.pyhanko_check import validate_with_pyhanko

HEAD_NIK = "7322010101700001"


@pytest.fixture
def bsre(settings, tmp_path) -> Iterator[BsreStandIn]:  # type: ignore[no-untyped-def]
    server = BsreStandIn(username="satupintu", password="rahasia-esign", hang_seconds=3)
    server.add_person(HEAD_NIK, "Kepala Kankemenag Luwu Utara", "passphrase-benar")
    server.start()
    root = tmp_path / "bsre-root.pem"
    from asn1crypto import pem

    root.write_bytes(pem.armor("CERTIFICATE", server.root_cert.dump()))
    settings.DOCUMENT_SIGNING_BACKEND = "bsre"
    settings.DOCUMENT_SIGNING_BSRE_URL = server.base_url
    settings.DOCUMENT_SIGNING_BSRE_USERNAME = "satupintu"
    settings.DOCUMENT_SIGNING_BSRE_PASSWORD = "rahasia-esign"
    settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE = "passphrase-benar"
    settings.DOCUMENT_SIGNING_TIMEOUT_SECONDS = 2
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [str(root)]
    try:
        yield server
    finally:
        server.close()


def _awaiting(submit, people) -> IssuedDocument:  # type: ignore[no-untyped-def]
    """A letter of a processed application, submitted for the head's signature."""
    app = submit(service="duplikat-ijazah-madrasah")
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    OfficeSigning.objects.create(office=app.office, letter_code="", signer_nik=HEAD_NIK)
    doc = issuing.prepare_from_template(app, user=people.pendma_lutra)
    return issuing.submit_for_signature(doc, user=people.pendma_lutra)


def _approved(submit, people) -> IssuedDocument:  # type: ignore[no-untyped-def]
    return issuing.approve_and_sign(_awaiting(submit, people), user=people.kakan_lutra)


@pytest.mark.parametrize("outage", ["503", "refuse", "hang", "gzip"])
def test_a_signing_service_that_is_down_makes_the_approval_wait_and_retry(submit, people, bsre, outage):
    doc = _approved(submit, people)
    bsre.down(outage)
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.SIGNING and doc.attempts == 1
    assert doc.last_error and doc.next_attempt_at is not None and doc.next_attempt_at > timezone.now()
    # Nothing half issued: no product for the citizen, no file, no page for the token.
    assert not doc.application.documents.filter(kind=DocumentKind.PRODUCT).exists()
    assert not doc.file and doc.sha256 == ""
    assert Client().get(f"/verifikasi/{doc.token}").status_code == 404
    number = doc.letter_number
    assert issuing.sign_due() == 0  # not due yet: backoff
    later = timezone.now() + timedelta(minutes=2)
    assert issuing.sign_due(now=later) == 0  # still down: the wait doubles
    doc.refresh_from_db()
    assert doc.attempts == 2 and doc.next_attempt_at >= later + timedelta(minutes=2)

    bsre.up()
    assert issuing.sign_due(now=doc.next_attempt_at) == 1
    doc.refresh_from_db()
    assert doc.state == State.VALID and doc.letter_number == number  # the number taken once, kept
    assert validate_with_pyhanko(doc.file.read())
    assert doc.application.documents.filter(kind=DocumentKind.PRODUCT, superseded=False).count() == 1
    assert list(doc.events.values_list("action", flat=True)).count("signing_failed") == 2


def test_a_refusal_goes_back_to_the_signer_with_the_reason(submit, people, bsre, settings):
    settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE = "passphrase-salah"
    doc = _approved(submit, people)
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.AWAITING and doc.next_attempt_at is None
    assert "passphrase" in doc.last_error.lower() or "kata sandi" in doc.last_error.lower()
    head = Client()
    head.force_login(people.kakan_lutra)
    page = head.get(f"/petugas/dokumen/{doc.pk}/").content.decode()
    assert doc.last_error[:40] in page and "Setujui dan tandatangani" in page


def test_the_worker_signs_what_the_approval_queued(submit, people, bsre, django_capture_on_commit_callbacks):
    from satupintu.celery import app as celery_app

    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the worker, in this process
    try:
        doc = _awaiting(submit, people)
        with django_capture_on_commit_callbacks(execute=True):
            issuing.approve_and_sign(doc, user=people.kakan_lutra)
    finally:
        celery_app.conf.task_always_eager = was
    doc.refresh_from_db()
    assert doc.state == State.VALID and [c.status for c in bsre.calls] == [200]


def test_the_signers_own_passphrase_signs_and_is_kept_only_for_the_retries(submit, people, bsre, settings):
    from django.core.cache import cache

    from satupintu.documents.models import DocumentEvent

    settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE = ""  # production: the signer types it
    doc = _awaiting(submit, people)
    head = Client()
    head.force_login(people.kakan_lutra)
    assert 'name="passphrase"' in head.get(f"/petugas/dokumen/{doc.pk}/").content.decode()
    missing = head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on"})
    assert missing.status_code == 400 and "passphrase" in missing.content.decode()
    bsre.down("503")
    head.post(f"/petugas/dokumen/{doc.pk}/", {"action": "sign", "confirm": "on", "passphrase": "passphrase-benar"})
    doc = issuing.sign_now(doc.pk)
    assert doc is not None and doc.state == State.SIGNING
    bsre.up()
    assert issuing.sign_due(now=doc.next_attempt_at) == 1  # the held passphrase signed it
    doc.refresh_from_db()
    assert doc.state == State.VALID
    assert not any("passphrase-benar" in (e.note or "") for e in DocumentEvent.objects.all())
    assert not any("passphrase-benar" in str(v) for v in cache._cache.values())  # type: ignore[attr-defined]

    # An approval whose passphrase expired before the service came back goes back to the signer.
    second = issuing.prepare_from_template(doc.application, user=people.pendma_lutra)
    issuing.submit_for_signature(second, user=people.pendma_lutra)
    bsre.down("503")
    issuing.approve_and_sign(second, user=people.kakan_lutra, passphrase="passphrase-benar")
    issuing.sign_now(second.pk)
    cache.clear()
    bsre.up()
    second.refresh_from_db()
    issuing.sign_due(now=second.next_attempt_at)
    second.refresh_from_db()
    assert second.state == State.AWAITING and "passphrase" in second.last_error


def test_one_document_that_fails_unexpectedly_does_not_stop_the_sweep(submit, people, settings, tmp_path):
    from satupintu.documents import pki

    settings.DOCUMENT_SIGNING_LOCAL_DIR = tmp_path / "ca"  # this test damages a key file
    first = application_transition(application_transition(submit(service="duplikat-ijazah-madrasah"), "verify",
                                                          user=people.fo_lutra), "process", user=people.pendma_lutra)
    second = application_transition(application_transition(
        submit(service="duplikat-ijazah-madrasah", nik="7322015708900002"), "verify", user=people.fo_lutra),
        "process", user=people.pendma_lutra)
    broken = issuing.prepare_from_template(first, user=people.pendma_lutra)
    issuing.submit_for_signature(broken, user=people.pendma_lutra)
    issuing.approve_and_sign(broken, user=people.kakan_lutra)
    # The head then names a deputy, who approves the other letter.
    OfficeSigning.objects.create(office=first.office, letter_code="", signer=people.kasi_pendma_lutra)
    fine = issuing.prepare_from_template(second, user=people.pendma_lutra)
    issuing.submit_for_signature(fine, user=people.pendma_lutra)
    issuing.approve_and_sign(fine, user=people.kasi_pendma_lutra)
    # The head's key file is damaged on disk: signing their letter raises what no one foresaw.
    folder = tmp_path / "ca" / "signers"
    folder.mkdir(parents=True)
    slug = pki._slug(f"user-{people.kakan_lutra.pk}")
    (folder / f"{slug}.key.pem").write_bytes(b"rusak")
    (folder / f"{slug}.cert.pem").write_bytes(b"rusak")

    now = timezone.now() + timedelta(seconds=1)
    assert issuing.sign_due(now=now) == 1  # the other letter is signed all the same
    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.state == State.VALID
    assert broken.state == State.SIGNING and broken.attempts == 1 and broken.last_error
    assert broken.next_attempt_at is not None and broken.next_attempt_at > now  # backoff, not every minute
    assert broken.letter_number == "" and not broken.file
    assert broken.events.filter(action="signing_failed").count() == 1
    assert issuing.sign_due(now=now) == 0  # not due again yet


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_signers_passphrase_is_held_before_the_signing_task_runs(submit, people, bsre, settings):
    # No test transaction around it: the approval commits, and the task (eager, as a worker
    # that picks it up at once) runs as the approval's block ends.
    settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE = ""  # production: the signer types it
    doc = _awaiting(submit, people)
    issuing.approve_and_sign(doc, user=people.kakan_lutra, passphrase="passphrase-benar")
    doc.refresh_from_db()
    assert doc.state == State.VALID, doc.last_error
    assert [c.status for c in bsre.calls] == [200]
