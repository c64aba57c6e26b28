"""The PDF layer's tests: real pyHanko signing and validation, a demo CA in a temporary folder,
and BSrE's API through its local stand-in over real HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from satupintu.documents import pdfa
from satupintu.documents.bsre_standin import BsreStandIn
from satupintu.documents.signers import LocalSigner, SignatureRequest
from tests.documents.tsa_standin import TsaStandIn

NIK = "3201010101900001"
PASSPHRASE = "Benar#2025"


def render(text: str = "Surat Keterangan Nomor B-123/Kk.10.2/2025", *, embedded: bool = True,
           pagesize: tuple[float, float] | None = None, rotate: int = 0) -> bytes:
    """A one-page PDF as a template would draw it (embedded fonts), or as another office's
    software would (``embedded=False``: Helvetica, not embedded)."""
    fonts = pdfa.register_fonts()
    buffer = io.BytesIO()
    kwargs = {"initialFontName": fonts["regular"]} if embedded else {}
    canvas = Canvas(buffer, pagesize=pagesize or (595.2756, 841.8898), **kwargs)
    if rotate:
        canvas.setPageRotation(rotate)
    canvas.setFont(fonts["bold"] if embedded else "Helvetica-Bold", 14)
    canvas.drawString(72, 760, "KEMENTERIAN AGAMA REPUBLIK INDONESIA")
    canvas.setFont(fonts["regular"] if embedded else "Helvetica", 11)
    canvas.drawString(72, 730, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdfa_document(title: str = "Surat Keterangan") -> bytes:
    return pdfa.finish_pdfa(render(), title=title, author="Kantor Kemenag Kab. Bogor", subject="Surat keterangan",
                            keywords="kemenag, surat keterangan")


@pytest.fixture
def request_budi() -> SignatureRequest:
    return SignatureRequest(key_id="staff-17", signer_name="Budi Santoso, S.Ag.", signer_title="Kepala Kantor",
                            organization="Kantor Kementerian Agama Kabupaten Bogor", reason="Penerbitan dokumen",
                            location="Cibinong", nik=NIK)


@pytest.fixture
def local_signer(settings) -> LocalSigner:  # type: ignore[no-untyped-def]
    """The settings' CA (one for the run): the one that also stamps the time (documents/timestamps.py)."""
    return LocalSigner(Path(settings.DOCUMENT_SIGNING_LOCAL_DIR))


@pytest.fixture
def standin() -> Iterator[BsreStandIn]:
    server = BsreStandIn(username="esign", password="rahasia", hang_seconds=10)
    server.add_person(NIK, "Budi Santoso, S.Ag.", PASSPHRASE)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[TsaStandIn]:
    """A time-stamping authority over HTTP (RFC 3161), with a CA of its own."""
    server = TsaStandIn(tmp_path / "tsa").start()
    try:
        yield server
    finally:
        server.close()
