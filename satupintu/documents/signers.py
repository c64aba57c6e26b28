"""Who signs an issued document: one interface, three ways to plug a key in.

``DocumentSigner.sign(pdf, request)`` returns the signed PDF: a PAdES baseline B-T signature
(SubFilter ETSI.CAdES.detached, SHA-256, the certificate chain embedded, a time stamp from
timestamps.py; B-B where no time-stamping authority is set), appended as an
incremental update so the bytes that were there before stay exactly as they were, in a new
invisible signature field named ``TTE-<n>``. Invisible because the QR code and the signer
block are already drawn on the page before signing; the widget still carries the Print flag
and no Hidden flag, as PDF/A-2 wants.

- ``LocalSigner``: the demo's own CA (pki.py), a key per signer, in-process.
- ``BsreSigner``: the national CA's signing service (BSrE, BSSN), see below.
- ``Pkcs11Signer``: a key in a hardware token or HSM through PKCS#11 (tested with SoftHSM2).

Errors: ``SigningUnavailable`` means "try again later" (service down, timeout, 5xx, an
answer that cannot be read): the approval waits and the caller retries. ``SigningRefused``
means retrying will not help (wrong passphrase, unknown NIK, a certificate problem, a PDF that
cannot be signed); it is a DomainError with a stable ``code`` and an Indonesian message for the
officer.

BSrE ("TTE BSrE", the esign-client-service that ministries run or call), as this client
assumes it (version 1 of the API, the one most ministry integrations call):

- ``POST {base}/api/sign/pdf``, HTTP basic auth with the application's account, multipart
  form: ``file`` (the PDF), ``nik`` (the signer's NIK, the key to their certificate),
  ``passphrase`` (the signer's own passphrase for their key), ``tampilan=invisible``.
- Success: 200 with the signed PDF as the body (``Content-Type: application/pdf``; an
  ``id_dokumen`` header names the document on BSrE's side, kept as ``last_document_id``).
- Refusal: 4xx with JSON ``{"error": "...", "status_code": 2031}``; 2031 is a wrong
  passphrase (the one code this client gives its own text; any other code is shown with
  BSrE's own ``error``/``message`` text and kept as ``bsre_<status_code>``). 401/403 mean the
  application's account was refused.
- Version 2 (``/api/v2/sign/pdf``, JSON with base64 files and ``signatureProperties``) exists
  too; switching is a matter of this class only.

The passphrase belongs to the person signing: production asks them for it at approval time
and passes it as ``sign(..., passphrase=...)``; it is never stored. ``DOCUMENT_SIGNING_BSRE_PASSPHRASE``
exists only for the demo and the stand-in (bsre_standin.py). Every signer accepts the
``passphrase`` keyword, so the caller need not know which backend is configured.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol

import httpx
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from satupintu.core.errors import DomainError
from satupintu.documents import pki

FIELD_PREFIX = "TTE-"


@dataclass(frozen=True)
class SignatureRequest:
    key_id: str  # whose key: a stable id of the signing officer (local CA file, HSM label)
    signer_name: str
    signer_title: str
    organization: str
    reason: str
    location: str
    nik: str = ""  # BSrE only: the signer's NIK names their certificate there


class SigningUnavailable(Exception):
    """The signing service cannot be reached or answered with a server error: retry later."""


class SigningRefused(DomainError):
    """Signing was refused for a reason retrying will not fix; ``code`` is stable."""

    status = 422


class DocumentSigner(Protocol):
    name: str

    def sign(self, pdf: bytes, request: SignatureRequest, *, passphrase: str | None = None) -> bytes: ...


# ----------------------------------------------------------------------- the pyHanko part

def _writer(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises many kinds on a broken file
        raise SigningRefused("pdf_unreadable", "Berkas PDF tidak dapat dibaca untuk ditandatangani.") from exc
    if writer.prev.encrypted:
        raise SigningRefused("pdf_encrypted", "Berkas PDF terkunci (terenkripsi) sehingga tidak dapat ditandatangani.")
    return writer


def next_field_name(writer: Any) -> str:
    """``TTE-1``, ``TTE-2``...: the first name no field in the document has."""
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(writer.prev, filled_status=None)}
    number = 1
    while f"{FIELD_PREFIX}{number}" in taken:
        number += 1
    return f"{FIELD_PREFIX}{number}"


def off_event_loop(call: Any) -> Any:
    """``call()``, in a thread of its own when this thread runs an event loop: pyHanko's sync API
    starts one with asyncio.run, which refuses to run inside another (an async view, a test
    driving a browser)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


_FROM_SETTINGS: Any = object()


def pades_sign(pdf: bytes, request: SignatureRequest, signer: Any, *, timestamper: Any = _FROM_SETTINGS) -> bytes:
    """Sign ``pdf`` with a pyHanko ``Signer`` in an incremental update: PAdES B-T with the time
    stamp of ``timestamper`` (by default the one the settings name, timestamps.py), else B-B."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    from satupintu.documents import timestamps

    if timestamper is _FROM_SETTINGS:
        timestamper = timestamps.timestamper()

    writer = _writer(pdf)
    field_name = next_field_name(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=request.reason or None, location=request.location or None, name=request.signer_name or None,
    )
    spec = fields.SigFieldSpec(sig_field_name=field_name)  # no box: invisible, Print flag set
    try:
        out = off_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer, new_field_spec=spec,
                                                      timestamper=timestamper))
    except TimestampRequestError as exc:  # the TSA is down or answered something else: try again later
        raise SigningUnavailable(f"Layanan penanda waktu (TSA) tidak tersedia: {exc}") from exc
    except SigningError as exc:
        raise SigningRefused("signing_failed", "Penandatanganan gagal: %(detail)s", params={"detail": str(exc)}) from exc
    return bytes(out.getbuffer())


# Loaded private keys by the hash of their DER: pyHanko's SimpleSigner parses (and, for RSA,
# validates) the key on every signature, twice per document with the size estimate, which was
# half the cost of signing. Bounded: a key id per signing officer.
_LOADED_KEYS: dict[bytes, Any] = {}
_LOADED_KEYS_MAX = 512


def _loaded_key(key: asn1_keys.PrivateKeyInfo) -> Any:
    from cryptography.hazmat.primitives import serialization

    der = key.dump()
    ident = hashlib.sha256(der).digest()
    loaded = _LOADED_KEYS.get(ident)
    if loaded is None:
        if len(_LOADED_KEYS) >= _LOADED_KEYS_MAX:
            _LOADED_KEYS.clear()
        loaded = _LOADED_KEYS[ident] = serialization.load_der_private_key(der, password=None)
    return loaded


def simple_signer(key: asn1_keys.PrivateKeyInfo, cert: asn1_x509.Certificate,
                  chain: tuple[asn1_x509.Certificate, ...]) -> Any:
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            loaded = _loaded_key(self.signing_key)
            if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(loaded, RSAPrivateKey):
                return loaded.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return KeptKeySigner(signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs(list(chain)))


# ----------------------------------------------------------------------- the backends

class LocalSigner:
    """Signs with the demo CA's certificate for ``request.key_id`` (issued on first use)."""

    name = "local"

    def __init__(self, ca_directory: Path):
        self.ca_directory = Path(ca_directory)
        self._ca: pki.LocalCA | None = None

    @property
    def ca(self) -> pki.LocalCA:
        if self._ca is None:
            self._ca = pki.ensure_local_ca(self.ca_directory)
        return self._ca

    def sign(self, pdf: bytes, request: SignatureRequest, *, passphrase: str | None = None) -> bytes:
        # The demo's keys are files on the server: there is no passphrase to check.
        creds = self.ca.signer_credentials(request.key_id, common_name=request.signer_name,
                                           organization=request.organization)
        return pades_sign(pdf, request, simple_signer(*creds))


WRONG_PASSPHRASE = 2031


class BsreSigner:
    """A client for BSrE's signing API (module docstring: what it assumes)."""

    name = "bsre"

    def __init__(self, base_url: str, username: str, password: str, *, passphrase: str = "",
                 timeout: float = 60.0, connect_timeout: float = 5.0, max_response_bytes: int = 64 * 1024 * 1024):
        if not base_url:
            raise ImproperlyConfigured("DOCUMENT_SIGNING_BSRE_URL is required when DOCUMENT_SIGNING_BACKEND is 'bsre'")
        self.base_url = base_url.rstrip("/")
        self.auth = (username, password)
        self.default_passphrase = passphrase  # demo / stand-in only; production passes the signer's
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.max_response_bytes = max_response_bytes
        self.last_document_id = ""

    def sign(self, pdf: bytes, request: SignatureRequest, *, passphrase: str | None = None) -> bytes:
        secret = passphrase if passphrase is not None else self.default_passphrase
        if not request.nik:
            raise SigningRefused("nik_missing", "NIK penanda tangan belum diisi untuk tanda tangan elektronik BSrE.")
        if not secret:
            raise SigningRefused("passphrase_missing", "Passphrase tanda tangan elektronik belum diisi.")
        form = {"nik": request.nik, "passphrase": secret, "tampilan": "invisible"}
        if request.reason:
            form["reason"] = request.reason
        if request.location:
            form["location"] = request.location
        try:
            with httpx.Client(timeout=self.timeout, auth=self.auth, follow_redirects=False) as client:
                with client.stream("POST", f"{self.base_url}/api/sign/pdf", data=form,
                                   files={"file": ("dokumen.pdf", pdf, "application/pdf")}) as response:
                    body = self._read(response)
        except httpx.TimeoutException as exc:
            raise SigningUnavailable(f"BSrE timed out: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise SigningUnavailable(f"BSrE unreachable: {exc!r}") from exc
        except httpx.HTTPError as exc:
            # Any other broken answer (a 200 marked gzip whose body is not, a bad chunk): the
            # service or a proxy misbehaved, which retrying may outlast; never an exception that
            # escapes the caller's error handling.
            raise SigningUnavailable(f"BSrE answered unreadably: {exc!r}") from exc
        return self._answer(response, body)

    def _read(self, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_response_bytes:
                raise SigningUnavailable("BSrE answered with more data than any signed PDF should have")
            chunks.append(chunk)
        return b"".join(chunks)

    def _answer(self, response: httpx.Response, body: bytes) -> bytes:
        status = response.status_code
        if status in (408, 425, 429) or status >= 500:
            raise SigningUnavailable(f"BSrE answered {status}: {body[:200]!r}")
        if status in (401, 403):
            raise SigningRefused("bsre_auth", "Akun aplikasi ditolak oleh layanan TTE BSrE; hubungi admin sistem.")
        error = _json_error(body)
        if status >= 400 or error is not None:
            code, detail = error if error is not None else (None, body[:200].decode("utf-8", "replace"))
            if code == WRONG_PASSPHRASE:
                raise SigningRefused("wrong_passphrase", "Passphrase tanda tangan elektronik salah.")
            raise SigningRefused(f"bsre_{code or status}", "Layanan TTE BSrE menolak penandatanganan: %(detail)s",
                                 params={"detail": detail or str(status)})
        if not body.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in body[:1024]:
            # a proxy's error page with 200, a half-answer: not a refusal by BSrE
            raise SigningUnavailable(f"BSrE answered 200 without a PDF: {body[:120]!r}")
        self.last_document_id = response.headers.get("id_dokumen", "")
        return body


def _json_error(body: bytes) -> tuple[int | None, str] | None:
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("status_code")
    detail = data.get("error") or data.get("message") or ""
    return (int(code) if isinstance(code, int | str) and str(code).isdigit() else None), str(detail)[:300]


class Pkcs11Signer:
    """A key in a PKCS#11 token (an HSM, a smart card, SoftHSM2 for the tests).

    The token holds the private key and the signer's certificate under ``key_label``; the PIN
    is the passphrase given to ``sign`` or, for an unattended seal, ``DOCUMENT_SIGNING_PKCS11_PIN``.
    ``ca_chain`` are the issuer certificates to embed (PEM paths)."""

    name = "pkcs11"

    def __init__(self, module: str, token_label: str, key_label: str, *, pin: str = "",
                 ca_chain: list[asn1_x509.Certificate] | None = None):
        if not module or not token_label or not key_label:
            raise ImproperlyConfigured("DOCUMENT_SIGNING_PKCS11_MODULE, DOCUMENT_SIGNING_PKCS11_TOKEN and DOCUMENT_SIGNING_PKCS11_KEY are required "
                                       "when DOCUMENT_SIGNING_BACKEND is 'pkcs11'")
        self.module, self.token_label, self.key_label = module, token_label, key_label
        self.pin = pin
        self.ca_chain = list(ca_chain or [])

    def sign(self, pdf: bytes, request: SignatureRequest, *, passphrase: str | None = None) -> bytes:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        pin = passphrase if passphrase is not None else self.pin
        try:
            session = pkcs11.open_pkcs11_session(self.module, token_criteria=TokenCriteria(label=self.token_label),
                                                 user_pin=pin or None)
        except Exception as exc:  # python-pkcs11 raises its own hierarchy
            if type(exc).__name__ in ("PinIncorrect", "PinLenRange", "PinInvalid"):
                raise SigningRefused("wrong_passphrase", "Passphrase tanda tangan elektronik salah.") from exc
            raise SigningUnavailable(f"PKCS#11 token unavailable: {exc!r}") from exc
        try:
            signer = pkcs11.PKCS11Signer(session, key_label=self.key_label, cert_label=self.key_label,
                                         ca_chain=self.ca_chain)
            return pades_sign(pdf, request, signer)
        finally:
            session.close()


# ----------------------------------------------------------------------- configuration

def signer_from_settings() -> DocumentSigner:
    """The signer settings.DOCUMENT_SIGNING_BACKEND names ("local", "bsre" or "pkcs11")."""
    backend = getattr(settings, "DOCUMENT_SIGNING_BACKEND", "local")
    if backend == "local":
        return LocalSigner(Path(settings.DOCUMENT_SIGNING_LOCAL_DIR))
    if backend == "bsre":
        return BsreSigner(settings.DOCUMENT_SIGNING_BSRE_URL, settings.DOCUMENT_SIGNING_BSRE_USERNAME, settings.DOCUMENT_SIGNING_BSRE_PASSWORD,
                          passphrase=settings.DOCUMENT_SIGNING_BSRE_PASSPHRASE,
                          timeout=float(getattr(settings, "DOCUMENT_SIGNING_TIMEOUT_SECONDS", 60)))
    if backend == "pkcs11":
        chain = [cert for path in getattr(settings, "DOCUMENT_SIGNING_PKCS11_CHAIN", [])
                 for cert in pki.load_pem_certificates(Path(path).read_bytes())]
        return Pkcs11Signer(settings.DOCUMENT_SIGNING_PKCS11_MODULE, settings.DOCUMENT_SIGNING_PKCS11_TOKEN, settings.DOCUMENT_SIGNING_PKCS11_KEY,
                            pin=settings.DOCUMENT_SIGNING_PKCS11_PIN, ca_chain=chain)
    raise ImproperlyConfigured(f"DOCUMENT_SIGNING_BACKEND must be 'local', 'bsre' or 'pkcs11', got {backend!r}")


def trust_roots(setting: str = "DOCUMENT_SIGNING_TRUST_ROOTS") -> list[asn1_x509.Certificate]:
    """The roots verification trusts: the demo CA's (backend "local") and every certificate in
    the PEM files of DOCUMENT_SIGNING_TRUST_ROOTS (BSrE's root and the national root in production),
    or of the ``setting`` named (timestamps.tsa_roots: the time-stamping authorities')."""
    roots: list[asn1_x509.Certificate] = []
    if getattr(settings, "DOCUMENT_SIGNING_BACKEND", "local") == "local":
        roots.append(pki.ensure_local_ca(Path(settings.DOCUMENT_SIGNING_LOCAL_DIR)).root_cert)
    for path in getattr(settings, setting, []):
        roots.extend(pki.load_pem_certificates(Path(path).read_bytes()))
    return roots
