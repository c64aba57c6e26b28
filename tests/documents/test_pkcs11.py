"""Pkcs11Signer with a key that never leaves a token: SoftHSM2 stands in for the HSM.
Skipped where SoftHSM2 is not installed (apt-get install -y softhsm2)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from satupintu.documents import pki
from satupintu.documents.checks import check_pdf
from satupintu.documents.signers import Pkcs11Signer, SigningRefused

from .conftest import pdfa_document

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
pkcs11 = pytest.importorskip("pkcs11")
pytestmark = pytest.mark.skipif(shutil.which("softhsm2-util") is None or not Path(MODULE).exists(),
                                reason="SoftHSM2 not installed (apt-get install -y softhsm2)")


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A token "satupintu" (user PIN 1234) with an RSA key "kepala" and its certificate from a
    demo CA. SoftHSM2 reads its configuration once per process, so one token serves the module."""
    import os

    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.rsa import encode_rsa_public_key

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "satupintu", "--pin", "1234",
                    "--so-pin", "98765432"], check=True, capture_output=True)
    ca = pki.ensure_local_ca(folder / "ca")
    lib = pkcs11.lib(MODULE)
    with lib.get_token(token_label="satupintu").open(rw=True, user_pin="1234") as session:
        public, _private = session.generate_keypair(KeyType.RSA, 2048, store=True, label="kepala")
        public_key = serialization.load_der_public_key(encode_rsa_public_key(public))
        cert = ca.issue_certificate(public_key, common_name="Hj. Siti Aminah", organization="Kanwil Kemenag Jabar")
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                               Attribute.TOKEN: True, Attribute.LABEL: "kepala", Attribute.VALUE: cert.dump(),
                               Attribute.SUBJECT: cert.subject.dump()})
    yield ca
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


def test_signs_with_the_token_key(token, request_budi):
    signer = Pkcs11Signer(MODULE, "satupintu", "kepala", pin="1234", ca_chain=[token.root_cert])
    result = check_pdf(signer.sign(pdfa_document(), request_budi), roots=[token.root_cert])
    assert result.ok, result.reasons
    assert result.signer_name == "Hj. Siti Aminah"


def test_wrong_pin_is_refused(token, request_budi):
    signer = Pkcs11Signer(MODULE, "satupintu", "kepala", pin="1234", ca_chain=[token.root_cert])
    with pytest.raises(SigningRefused) as refused:
        signer.sign(pdfa_document(), request_budi, passphrase="0000")
    assert refused.value.code == "wrong_passphrase"
