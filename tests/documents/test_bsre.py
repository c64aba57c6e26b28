"""BsreSigner against the BSrE stand-in over real HTTP: success, refusals, and the service
being down (which the approval waits out and retries)."""

from __future__ import annotations

import pytest

from satupintu.documents.bsre_standin import STANDIN_ROOT_NAME
from satupintu.documents.checks import check_pdf
from satupintu.documents.signers import BsreSigner, SigningRefused, SigningUnavailable

from .conftest import PASSPHRASE, pdfa_document


def _signer(standin, **kwargs) -> BsreSigner:
    options = {"passphrase": PASSPHRASE, "timeout": 5.0, "connect_timeout": 2.0} | kwargs
    username = options.pop("username", "esign")
    return BsreSigner(standin.base_url, username, "rahasia", **options)


def test_signed_by_bsre_validates_against_its_root(standin, request_budi, local_signer):
    signer = _signer(standin)
    original = pdfa_document()
    signed = signer.sign(original, request_budi)

    assert signed.startswith(original)
    result = check_pdf(signed, roots=[standin.root_cert])
    assert result.ok, result.reasons
    assert result.signer_name == "Budi Santoso, S.Ag."
    assert signer.last_document_id
    assert [(c.nik, c.status) for c in standin.calls] == [(request_budi.nik, 200)]
    # our own demo root does not vouch for the stand-in's signature
    assert check_pdf(signed, roots=[local_signer.ca.root_cert]).reasons == ["untrusted_signer"]
    assert standin.root_cert.subject.native["common_name"] == STANDIN_ROOT_NAME


def test_the_passphrase_given_at_signing_wins_over_the_configured_one(standin, request_budi):
    signer = _signer(standin, passphrase="")
    with pytest.raises(SigningRefused) as refused:
        signer.sign(pdfa_document(), request_budi)
    assert refused.value.code == "passphrase_missing"
    assert standin.calls == []  # nothing was sent
    assert signer.sign(pdfa_document(), request_budi, passphrase=PASSPHRASE)


def test_wrong_passphrase_is_refused(standin, request_budi):
    with pytest.raises(SigningRefused) as refused:
        _signer(standin).sign(pdfa_document(), request_budi, passphrase="salah")
    assert refused.value.code == "wrong_passphrase"
    assert refused.value.message in ("Passphrase tanda tangan elektronik salah.",
                                     "The electronic signature passphrase is wrong.")
    assert [c.status for c in standin.calls] == [400]


def test_unknown_nik_missing_nik_and_bad_account_are_refused(standin, request_budi):
    from dataclasses import replace

    with pytest.raises(SigningRefused) as refused:
        _signer(standin).sign(pdfa_document(), replace(request_budi, nik="3201010101900999"))
    assert refused.value.code == "bsre_1110" and "tidak terdaftar" in str(refused.value)

    with pytest.raises(SigningRefused) as refused:
        _signer(standin).sign(pdfa_document(), replace(request_budi, nik=""))
    assert refused.value.code == "nik_missing"

    with pytest.raises(SigningRefused) as refused:
        _signer(standin, username="salah").sign(pdfa_document(), request_budi)
    assert refused.value.code == "bsre_auth"


def test_service_answering_503_is_unavailable_then_retry_works(standin, request_budi):
    signer = _signer(standin)
    standin.down("503")
    with pytest.raises(SigningUnavailable):
        signer.sign(pdfa_document(), request_budi)
    standin.up()
    assert check_pdf(signer.sign(pdfa_document(), request_budi), roots=[standin.root_cert]).ok
    assert [c.status for c in standin.calls] == [503, 200]


def test_refused_connection_is_unavailable_then_retry_works(standin, request_budi):
    signer = _signer(standin)
    standin.down("refuse")
    with pytest.raises(SigningUnavailable):
        signer.sign(pdfa_document(), request_budi)
    standin.up()
    assert signer.sign(pdfa_document(), request_budi)
    assert [c.status for c in standin.calls] == [200]  # the refused one never reached it


def test_timeout_is_unavailable(standin, request_budi):
    standin.down("hang")  # holds the request until released (or 10 s)
    with pytest.raises(SigningUnavailable):
        _signer(standin, timeout=0.3).sign(pdfa_document(), request_budi)
    standin.up()


def test_an_answer_that_cannot_be_decoded_is_unavailable_then_retry_works(standin, request_budi):
    # 200 marked gzip with a body that is not: httpx raises DecodingError, no TransportError.
    signer = _signer(standin)
    standin.down("gzip")
    with pytest.raises(SigningUnavailable):
        signer.sign(pdfa_document(), request_budi)
    standin.up()
    assert check_pdf(signer.sign(pdfa_document(), request_budi), roots=[standin.root_cert]).ok
