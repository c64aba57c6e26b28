"""check_pdf: sah only for an unchanged file we signed; a clear reason for everything else,
and never an exception, whatever is uploaded."""

from __future__ import annotations

import hashlib
import io
import os
import random

import pytest
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from satupintu.documents import pki
from satupintu.documents.checks import REASONS, check_pdf
from satupintu.documents.signers import LocalSigner

from .conftest import pdfa_document, render


@pytest.fixture
def signed(local_signer, request_budi) -> bytes:
    return local_signer.sign(pdfa_document(title="Surat Uji Ubah"), request_budi)


@pytest.fixture
def roots(local_signer) -> list:
    return [local_signer.ca.root_cert]


def test_one_byte_changed_inside_the_signed_range_breaks_the_signature(signed, roots):
    at = signed.find(b"Uji Ubah")  # the title, in the first (signed) revision
    assert 0 < at < signed.find(b"/ByteRange")
    tampered = bytearray(signed)
    tampered[at] = ord("X")
    result = check_pdf(bytes(tampered), roots=roots)
    assert not result.ok
    assert result.reasons == ["signature_broken"]
    assert not result.intact
    with translation.override("id"):
        assert result.messages() == ["Tanda tangan elektronik rusak: isi dokumen berbeda dari yang ditandatangani."]


def test_an_update_appended_after_signing_is_modified_after_signing(signed, roots):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.pdf_string("en-US")  # looks harmless; still a change after signing
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = check_pdf(out.getvalue(), roots=roots)
    assert not result.ok
    assert result.reasons == ["modified_after_signing"]
    assert result.intact and result.trusted and not result.covers_whole_file


def test_signed_with_another_key_is_untrusted(tmp_path, request_budi, roots):
    elsewhere = LocalSigner(tmp_path / "elsewhere")  # another CA with the same names on it
    result = check_pdf(elsewhere.sign(pdfa_document(), request_budi), roots=roots)
    assert not result.ok
    assert result.reasons == ["untrusted_signer"]
    assert result.intact and not result.trusted and result.covers_whole_file
    assert result.signer_name == "Budi Santoso, S.Ag."


def test_expected_hash_is_compared(signed, roots):
    assert check_pdf(signed, roots=roots, expected_sha256=hashlib.sha256(signed).hexdigest().upper()).ok
    result = check_pdf(signed, roots=roots, expected_sha256="0" * 64)
    assert result.reasons == ["hash_mismatch"] and not result.ok
    assert result.sha256 == hashlib.sha256(signed).hexdigest()


def _encrypted() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(render()))
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "make", "reason"), [
    ("empty", lambda s: b"", "empty"),
    ("random", lambda s: random.Random(14).randbytes(5000), "not_pdf"),
    ("html", lambda s: b"<!doctype html><html><body>%PDF-1.7 bukan</body></html>" * 50, "pdf_unreadable"),
    ("truncated", lambda s: s[: len(s) // 2], "pdf_unreadable"),
    ("header only", lambda s: b"%PDF-1.7\n%%EOF\n", "pdf_unreadable"),
    ("unsigned", lambda s: render(), "no_signature"),
    ("unsigned pdfa", lambda s: pdfa_document(), "no_signature"),
    ("encrypted", lambda s: _encrypted(), "pdf_encrypted"),
    ("garbled middle", lambda s: s[:2000] + os.urandom(64) + s[2064:], None),
])
def test_whatever_is_uploaded_gets_a_reason_and_never_an_exception(signed, roots, name, make, reason):
    result = check_pdf(make(signed), roots=roots)
    assert not result.ok
    assert result.reasons, name
    if reason is not None:
        assert result.reasons[0] == reason
    assert all(code in REASONS for code in result.reasons)
    assert len(result.messages()) == len(result.reasons)


def test_size_is_capped(settings, signed, roots):
    settings.DOCUMENT_VERIFY_MAX_BYTES = len(signed) - 1
    assert check_pdf(signed, roots=roots).reasons == ["too_large"]


def test_no_roots_means_nothing_is_trusted(signed):
    # an empty list is "trust nobody", never the operating system's store
    assert check_pdf(signed, roots=[]).reasons == ["untrusted_signer"]


def test_trust_roots_from_settings_are_the_default(settings, tmp_path, signed, local_signer):
    settings.DOCUMENT_SIGNING_BACKEND = "bsre"
    pem = tmp_path / "roots.pem"
    pem.write_bytes(local_signer.ca.root_pem + pki.ensure_local_ca(tmp_path / "x", root_name="Lain").root_pem)
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [str(pem)]
    assert check_pdf(signed).ok


def test_reasons_have_english(signed, roots):
    result = check_pdf(signed, roots=roots, expected_sha256="0" * 64)
    with translation.override("en"):
        assert result.messages() == ["The file is not the document we issued (its SHA-256 fingerprint differs)."]
    with translation.override("id"):
        assert result.messages()[0].startswith("Berkas tidak sama")


def test_works_inside_a_running_event_loop(signed, roots):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def in_a_loop():
        return check_pdf(signed, roots=roots)

    # A thread of its own: this one may already hold the browser tests' loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(lambda: asyncio.run(in_a_loop())).result().ok
