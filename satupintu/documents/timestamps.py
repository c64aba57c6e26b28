"""Signature time stamps (RFC 3161): letters signed as PAdES B-T instead of B-B.

A time stamp is a Time-Stamping Authority's signed statement that our signature existed at that
moment. Verification then checks the signer's certificate as of that moment, so a letter stays
"sah" after the signer's certificate has expired (a marriage or diploma letter is read for years,
a signing certificate lasts two), and the signing time no longer rests on our server's clock.

Where the time stamp comes from (``timestamper()``):
- ``DOCUMENT_SIGNING_TSA_URL``: a TSA speaking RFC 3161 over HTTP (POST
  ``application/timestamp-query``), with ``DOCUMENT_SIGNING_TSA_USERNAME``/``_PASSWORD`` where it
  asks for basic auth. Its roots go in ``DOCUMENT_SIGNING_TSA_ROOTS`` (PEM files): trusted for
  time stamps only, never for signers, so a public TSA's CA cannot vouch for someone's letter.
- unset, with the local backend (the demo): the demo CA stamps the time itself, with a
  certificate for that purpose alone (``pki.LocalCA.signer_credentials(time_stamping=True)``).
- unset otherwise: no time stamp (B-B). BSrE time-stamps the signatures it makes itself.

A TSA that does not answer, or answers with something else than a time stamp, is treated as a
signing service that is down (``signers.SigningUnavailable``): the approval waits and is retried.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings

from satupintu.documents import pki

LOCAL_TSA_NAME = "Satu Pintu Demo Time Stamping"


def timestamper() -> Any:
    """The pyHanko ``TimeStamper`` the settings name, or None (no time stamp)."""
    url = getattr(settings, "DOCUMENT_SIGNING_TSA_URL", "")
    if url:
        return _http_timestamper(url, getattr(settings, "DOCUMENT_SIGNING_TSA_USERNAME", ""),
                                 getattr(settings, "DOCUMENT_SIGNING_TSA_PASSWORD", ""),
                                 int(getattr(settings, "DOCUMENT_SIGNING_TSA_TIMEOUT_SECONDS", 10)))
    if getattr(settings, "DOCUMENT_SIGNING_BACKEND", "local") == "local":
        return local_timestamper(pki.ensure_local_ca(Path(settings.DOCUMENT_SIGNING_LOCAL_DIR)))
    return None


# One client per TSA and credentials: pyHanko sizes the signature with a first stamp it keeps per
# client, so a new client per letter would ask the TSA twice for every letter.
@functools.lru_cache(maxsize=8)
def _http_timestamper(url: str, user: str, password: str, timeout: int) -> Any:
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=timeout, auth=(user, password) if user else None)


def local_timestamper(ca: pki.LocalCA) -> Any:
    """The CA's own time-stamping unit, in-process (pyHanko's RFC 3161 responder)."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    creds = ca.signer_credentials("tsa", common_name=LOCAL_TSA_NAME, organization="Satu Pintu (demo)",
                                  time_stamping=True)
    return DummyTimeStamper(tsa_cert=creds.cert, tsa_key=creds.key,
                            certs_to_embed=SimpleCertificateStore.from_certs([ca.root_cert]))


def tsa_roots() -> list[asn1_x509.Certificate]:
    """The roots a time stamp may chain to: the demo CA's (local backend) and DOCUMENT_SIGNING_TSA_ROOTS."""
    from satupintu.documents.signers import trust_roots

    return trust_roots("DOCUMENT_SIGNING_TSA_ROOTS")
