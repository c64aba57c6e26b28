"""Time stamps on signatures (PAdES B-T, documents/timestamps.py): from the demo CA's own
time-stamping unit, or from a TSA over RFC 3161 (its stand-in speaks the real protocol over HTTP);
a letter outlives its signer's certificate; a TSA that is down makes the signature wait."""

from __future__ import annotations

import datetime as dt
import io
import socket

import pytest
from asn1crypto import cms
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader

from satupintu.documents import issuing
from satupintu.documents.checks import check_pdf
from satupintu.documents.models import State
from satupintu.documents.signers import LocalSigner, SigningUnavailable, off_event_loop, pades_sign, simple_signer
from tests.documents.conftest import pdfa_document
from tests.documents.test_issuing import _in_process, approved_while_the_tsa_is_down


def _stamp_issuer(pdf: bytes) -> str:
    """The common name of the CA that issued the time stamp's certificate in the last signature."""
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    token = sig.signer_info["unsigned_attrs"][0]["values"][0]
    signed = token["content"]
    assert isinstance(signed, cms.SignedData)
    tsa_cert, = (c.chosen for c in signed["certificates"] if c.chosen.subject != c.chosen.issuer)
    return str(tsa_cert.issuer.native["common_name"])


def test_the_demo_ca_stamps_its_own_letters(settings, local_signer, request_budi):
    signed = local_signer.sign(pdfa_document(), request_budi)
    check = check_pdf(signed)
    assert check.ok, check.reasons
    assert check.timestamped_at is not None
    assert abs(check.timestamped_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=2)
    assert _stamp_issuer(signed) == local_signer.ca.root_cert.subject.native["common_name"]


def test_a_stamped_letter_outlives_its_signer_s_certificate_and_an_unstamped_one_does_not(local_signer,
                                                                                        request_budi):
    stamped = local_signer.sign(pdfa_document(), request_budi)
    creds = local_signer.ca.signer_credentials(request_budi.key_id, common_name=request_budi.signer_name,
                                               organization=request_budi.organization)
    unstamped = pades_sign(pdfa_document(), request_budi, simple_signer(*creds), timestamper=None)
    assert check_pdf(unstamped).ok and check_pdf(unstamped).timestamped_at is None
    expired = creds.cert["tbs_certificate"]["validity"]["not_after"].native + dt.timedelta(days=30)
    later_stamped, later_unstamped = check_pdf(stamped, at=expired), check_pdf(unstamped, at=expired)
    assert later_stamped.ok and later_stamped.trusted, later_stamped.reasons
    assert not later_unstamped.ok and "untrusted_signer" in later_unstamped.reasons


def test_the_configured_tsa_stamps_the_letter_and_only_its_own_roots_make_the_stamp_count(
        settings, local_signer, request_budi, tsa):
    settings.DOCUMENT_SIGNING_TSA_URL = tsa.url
    signed = local_signer.sign(pdfa_document(), request_budi)
    assert tsa.requests, "the TSA was not asked"
    assert _stamp_issuer(signed) == "TSA stand-in root (uji)"
    # The TSA's root is not among DOCUMENT_SIGNING_TSA_ROOTS: the letter is valid, its time unattested.
    unknown_root = check_pdf(signed)
    assert unknown_root.ok and unknown_root.timestamped_at is None
    settings.DOCUMENT_SIGNING_TSA_ROOTS = [str(tsa.root_pem())]
    assert check_pdf(signed).timestamped_at is not None
    # A TSA's root vouches for time stamps, never for signers: a letter signed under it is untrusted.
    outsider = pades_sign(pdfa_document(), request_budi, simple_signer(
        *tsa.ca.signer_credentials("x", common_name="Orang Lain", organization="Bukan Kemenag")), timestamper=None)
    assert "untrusted_signer" in check_pdf(outsider).reasons


@pytest.mark.parametrize("mode", ["down", "garbage", "rejection"])
def test_a_tsa_that_does_not_stamp_makes_the_signature_wait(settings, local_signer, request_budi, tsa, mode):
    if mode == "down":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            settings.DOCUMENT_SIGNING_TSA_URL = f"http://127.0.0.1:{s.getsockname()[1]}/tsa"
    else:
        tsa.mode = mode
        settings.DOCUMENT_SIGNING_TSA_URL = tsa.url
    with pytest.raises(SigningUnavailable) as unavailable:
        local_signer.sign(pdfa_document(), request_budi)
    assert "penanda waktu" in str(unavailable.value)


def test_the_letter_waits_for_the_tsa_then_verifies_with_its_stamped_time(settings, submit, people, tsa):
    settings.DOCUMENT_SIGNING_TSA_ROOTS = [str(tsa.root_pem())]
    doc = approved_while_the_tsa_is_down(_in_process(submit, people), people, tsa, settings)
    assert doc.next_attempt_at is not None and "penanda waktu" in doc.last_error and not doc.file
    tsa.mode = "up"
    assert issuing.sign_due(now=doc.next_attempt_at) == 1
    doc.refresh_from_db()
    assert doc.state == State.VALID
    page = Client().post(f"/verifikasi/{doc.token}", {"pdf": io.BytesIO(doc.file.read())}).content.decode()
    assert "SAH" in page and "TIDAK SAH" not in page
    assert "Waktu tanda tangan menurut penanda waktu tepercaya" in page and 'id="timestamped-at"' in page


def test_a_local_signer_in_a_new_folder_gets_a_time_stamping_certificate_apart_from_the_signers(tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    signer = LocalSigner(tmp_path / "ca")
    creds = signer.ca.signer_credentials("tsa", common_name="TSA", organization="x", time_stamping=True)
    person = signer.ca.signer_credentials("tsa", common_name="TSA", organization="x")
    tsa_cert = x509.load_der_x509_certificate(creds.cert.dump())
    usage = tsa_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert creds.cert.dump() != person.cert.dump()  # a signer named "tsa" does not get the TSA's key
    assert tsa_cert.not_valid_after_utc == signer.ca.root_cert_x509.not_valid_after_utc


def test_a_document_time_stamp_appended_after_an_outsider_s_signature_vouches_for_no_signer(
        settings, request_budi, tsa):
    """A public TSA's document time stamp appended to a file signed by someone we do not trust: the
    verdict was read off the time stamp (trusted, signer = the TSA) instead of the signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import PdfTimeStamper

    from satupintu.documents.timestamps import local_timestamper

    settings.DOCUMENT_SIGNING_TSA_ROOTS = [str(tsa.root_pem())]
    outsider = pades_sign(pdfa_document(), request_budi, simple_signer(
        *tsa.ca.signer_credentials("x", common_name="Orang Lain", organization="Bukan Kemenag")), timestamper=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(outsider), strict=False)
    # pyHanko runs its own event loop: off the one Playwright's sync API leaves running in this thread.
    stamped = off_event_loop(lambda: PdfTimeStamper(local_timestamper(tsa.ca)).timestamp_pdf(writer, "sha256")
                             ).getvalue()
    check = check_pdf(stamped)
    assert not check.ok and not check.trusted and "untrusted_signer" in check.reasons
    assert check.signer_name == "Orang Lain" and "modified_after_signing" in check.reasons


def test_the_time_stamping_certificate_cannot_sign_a_letter(local_signer, request_budi):
    from satupintu.documents.timestamps import LOCAL_TSA_NAME

    stamp_key = local_signer.ca.signer_credentials("tsa", common_name=LOCAL_TSA_NAME, organization="Satu Pintu (demo)",
                                                   time_stamping=True)
    signed = pades_sign(pdfa_document(), request_budi, simple_signer(*stamp_key), timestamper=None)
    check = check_pdf(signed)
    assert not check.ok and "untrusted_signer" in check.reasons
