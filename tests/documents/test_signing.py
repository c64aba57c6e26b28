"""LocalSigner and the demo CA: what pyHanko itself says about the signed file, and that the
signature survives as an incremental update."""

from __future__ import annotations

import io
import os
import stat

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from satupintu.documents import pki
from satupintu.documents.checks import check_pdf
from satupintu.documents.signers import LocalSigner, SigningRefused, off_event_loop, signer_from_settings, trust_roots

from .conftest import pdfa_document, render


def test_local_signature_is_pades_intact_trusted_and_covers_the_whole_file(local_signer, request_budi):
    original = pdfa_document()
    signed = local_signer.sign(original, request_budi)

    assert signed.startswith(original)  # an incremental update: the earlier revision is untouched
    reader = PdfFileReader(io.BytesIO(signed))
    [sig] = reader.embedded_signatures
    assert sig.field_name == "TTE-1"
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert sig.sig_object["/Reason"] == "Penerbitan dokumen" and sig.sig_object["/Location"] == "Cibinong"
    embedded = [c.chosen.subject.native["common_name"] for c in sig.signed_data["certificates"]]
    assert "Budi Santoso, S.Ag." in embedded and pki.DEMO_ROOT_NAME in embedded  # the chain travels with it

    context = ValidationContext(trust_roots=[local_signer.ca.root_cert], allow_fetching=False)
    status = off_event_loop(lambda: validate_pdf_signature(sig, context))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert status.md_algorithm == "sha256"

    result = check_pdf(signed, roots=[local_signer.ca.root_cert])
    assert result.ok and result.reasons == [] and result.messages() == []
    assert result.signer_name == "Budi Santoso, S.Ag."
    assert result.signed_at is not None
    assert result.intact and result.trusted and result.covers_whole_file


def test_second_signature_gets_its_own_field_and_both_stay_valid(local_signer, request_budi):
    once = local_signer.sign(pdfa_document(), request_budi)
    twice = local_signer.sign(once, request_budi)
    result = check_pdf(twice, roots=[local_signer.ca.root_cert])
    assert result.ok
    assert [s["field"] for s in result.signatures] == ["TTE-1", "TTE-2"]
    assert [s["coverage"] for s in result.signatures] == ["ENTIRE_REVISION", "ENTIRE_FILE"]


def test_local_ca_is_created_once_with_private_key_files(tmp_path, request_budi):
    folder = tmp_path / "ca"
    first = pki.ensure_local_ca(folder)
    again = pki.ensure_local_ca(folder)
    assert first.root_cert.dump() == again.root_cert.dump()
    assert first.root_cert.subject.native["common_name"] == "Satu Pintu Demo CA — bukan untuk produksi"
    assert first.root_cert.ca
    assert stat.S_IMODE(os.stat(folder / "root.key.pem").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700

    key, cert = first.signer_credentials("../../etc/passwd", common_name="Siti", organization="Kemenag")[:2]
    files = sorted(p.name for p in (folder / "signers").iterdir())
    assert all(name.startswith("etc-passwd-") for name in files) and len(files) == 2  # a safe slug, in the folder
    assert stat.S_IMODE(os.stat(folder / "signers" / files[1]).st_mode) == 0o600  # the key
    assert set(cert.key_usage_value.native) == {"digital_signature", "non_repudiation"}
    assert cert.issuer == first.root_cert.subject

    # loaded afterwards, by another process as well
    other = pki.ensure_local_ca(folder).signer_credentials("../../etc/passwd", common_name="Siti", organization="Kemenag")
    assert other.cert.dump() == cert.dump() and other.key.dump() == key.dump()
    # a new name on the certificate: reissued for the same key
    renamed = pki.ensure_local_ca(folder).signer_credentials("../../etc/passwd", common_name="Siti Aminah",
                                                             organization="Kemenag")
    assert renamed.cert.subject.native["common_name"] == "Siti Aminah" and renamed.key.dump() == key.dump()


def test_unreadable_or_encrypted_pdf_is_refused_for_signing(local_signer, request_budi):
    import pypdf

    with pytest.raises(SigningRefused) as refused:
        local_signer.sign(b"<html>not a pdf</html>", request_budi)
    assert refused.value.code == "pdf_unreadable"

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(render()))
    writer.encrypt(user_password="kunci", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(SigningRefused) as refused:
        local_signer.sign(locked.getvalue(), request_budi)
    assert refused.value.code == "pdf_encrypted"


def test_settings_choose_the_signer_and_the_trust_roots(settings, tmp_path):
    settings.DOCUMENT_SIGNING_BACKEND = "local"
    settings.DOCUMENT_SIGNING_LOCAL_DIR = tmp_path / "signing"
    other = pki.ensure_local_ca(tmp_path / "other", root_name="Penerbit lain")
    (tmp_path / "extra.pem").write_bytes(other.root_pem)
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [str(tmp_path / "extra.pem")]

    signer = signer_from_settings()
    assert isinstance(signer, LocalSigner) and signer.ca_directory == tmp_path / "signing"
    names = [root.subject.native["common_name"] for root in trust_roots()]
    assert names == [pki.DEMO_ROOT_NAME, "Penerbit lain"]

    settings.DOCUMENT_SIGNING_BACKEND = "bsre"
    settings.DOCUMENT_SIGNING_BSRE_URL = "https://esign.example.go.id"
    assert signer_from_settings().name == "bsre"
    assert [root.subject.native["common_name"] for root in trust_roots()] == ["Penerbit lain"]
