"""The demo's own certificate authority: a test root and the signing certificates it issues.

Production signs with the national CA (BSrE, see signers.py) or a hardware key; the demo and
the tests need something that behaves the same without either, so `ensure_local_ca()` creates,
once, a root "Satu Pintu Demo CA — bukan untuk produksi" in a folder outside the web root and
outside MEDIA_ROOT (settings.DOCUMENT_SIGNING_LOCAL_DIR), and issues each signer a certificate on first
use. Nobody outside trusts this root, which is the point: a PDF it signed says so in any reader.

Files: ``root.key.pem`` / ``root.cert.pem`` and ``signers/<slug>.key.pem`` / ``.cert.pem``.
Keys are written 0600 in a 0700 folder, through a temporary file and a rename, under an
exclusive lock (``.lock``), so two workers starting at once end with one root, not two.
RSA-2048 with SHA-256: what BSrE's certificates use and what every PDF reader checks.

Objects handed out are asn1crypto's (``x509.Certificate``, ``keys.PrivateKeyInfo``), which
is what pyHanko's signers and its ValidationContext take.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_ROOT_NAME = "Satu Pintu Demo CA — bukan untuk produksi"
ROOT_YEARS = 10
SIGNER_YEARS = 3
# Reissue a signer's certificate this long before it expires (a running demo never signs with
# an expired one; verification checks validity at the time of checking, see checks.py).
RENEW_BEFORE = dt.timedelta(days=30)
# Certificates start a little in the past: a signature made the second a certificate is issued
# must not look "not yet valid" to a reader whose clock is a little behind ours.
BACKDATE = dt.timedelta(minutes=10)
KEY_BITS = 2048


class SignerCredentials(NamedTuple):
    """What signing needs: unpacks as ``key, cert = ...``; ``chain`` is the issuer(s) to embed."""

    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _slug(key_id: str) -> str:
    """A file name for any key id: readable part plus a hash, so "a b" and "a-b" differ and
    nothing like "../" reaches the file system."""
    readable = re.sub(r"[^a-z0-9]+", "-", key_id.lower()).strip("-")[:40] or "key"
    return f"{readable}-{hashlib.sha256(key_id.encode()).hexdigest()[:12]}"


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)  # the umask may have taken bits away
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with open(directory / ".lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _to_asn1_key(key: rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def _name(common_name: str, organization: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "-"))
    return x509.Name(attrs)


def _new_root(common_name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name(common_name, "Satu Pintu (demo)")
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass
class LocalCA:
    """A root key and certificate in ``directory``; issues signing certificates."""

    directory: Path
    root_key: rsa.RSAPrivateKey
    root_cert_x509: x509.Certificate
    _cache: dict[str, tuple[float, SignerCredentials]] = field(default_factory=dict, repr=False)
    _root_asn1: asn1_x509.Certificate | None = field(default=None, repr=False)

    @property
    def root_cert(self) -> asn1_x509.Certificate:
        """The root as pyHanko wants it (ValidationContext trust root, embedded chain)."""
        if self._root_asn1 is None:
            self._root_asn1 = _to_asn1_cert(self.root_cert_x509)
        return self._root_asn1

    @property
    def root_pem(self) -> bytes:
        return self.root_cert_x509.public_bytes(serialization.Encoding.PEM)

    def signer_credentials(self, key_id: str, *, common_name: str, organization: str,
                           time_stamping: bool = False) -> SignerCredentials:
        """The key and certificate of the signer ``key_id``: issued on first use (and again when
        the name on it changed or it is about to expire), loaded from the files afterwards.
        ``time_stamping``: the CA's own time-stamping unit (documents/timestamps.py), kept apart
        from the signers, its certificate good for time stamps only."""
        folder = self.directory / ("tsa" if time_stamping else "signers")
        slug = _slug(key_id)
        key_path, cert_path = folder / f"{slug}.key.pem", folder / f"{slug}.cert.pem"
        wanted = _name(common_name, organization)
        cached = self._cache.get(folder.name + "/" + slug)
        if cached is not None and cert_path.exists() and cached[0] == cert_path.stat().st_mtime:
            creds = cached[1]
            if self._still_good(x509.load_der_x509_certificate(creds.cert.dump()), wanted):
                return creds
        folder.mkdir(mode=0o700, exist_ok=True)
        with _locked(self.directory):
            cert = key = None
            if key_path.exists() and cert_path.exists():
                cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
                loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
                key = loaded if isinstance(loaded, rsa.RSAPrivateKey) else None
                if key is None or not self._still_good(cert, wanted):
                    cert = None
            if key is None:
                key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
                _write_atomic(key_path, _key_pem(key), 0o600)
            if cert is None:
                cert = self._issue(key, wanted, time_stamping=time_stamping)
                _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        creds = SignerCredentials(_to_asn1_key(key), _to_asn1_cert(cert), (self.root_cert,))
        self._cache[folder.name + "/" + slug] = (cert_path.stat().st_mtime, creds)
        return creds

    @staticmethod
    def _still_good(cert: x509.Certificate, wanted: x509.Name) -> bool:
        return cert.subject == wanted and cert.not_valid_after_utc - RENEW_BEFORE > _now()

    def issue_certificate(self, public_key: rsa.RSAPublicKey, *, common_name: str,
                          organization: str) -> asn1_x509.Certificate:
        """A signing certificate for a key kept elsewhere (a token, an HSM): the demo's stand-in
        for the CA's enrolment of a hardware key."""
        return _to_asn1_cert(self._issue(public_key, _name(common_name, organization)))

    def _issue(self, key: rsa.RSAPrivateKey | rsa.RSAPublicKey, subject: x509.Name, *,
               time_stamping: bool = False) -> x509.Certificate:
        public_key = key if isinstance(key, rsa.RSAPublicKey) else key.public_key()
        now = _now()
        not_after = min(now + dt.timedelta(days=365 * SIGNER_YEARS), self.root_cert_x509.not_valid_after_utc)
        builder = x509.CertificateBuilder()
        if time_stamping:  # RFC 3161 2.3: a TSA's certificate names this one purpose, critical
            # and lives as long as the root: its stamps must outlast the signers' certificates.
            not_after = self.root_cert_x509.not_valid_after_utc
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                            critical=True)
        return (
            builder
            .subject_name(subject).issuer_name(self.root_cert_x509.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            # digitalSignature + nonRepudiation (content_commitment): a person's signature on a
            # document, which is what pyHanko's validator asks of a PDF signer by default.
            # A time-stamping certificate has no nonRepudiation: it can never pass as a letter's signer.
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not time_stamping,
                                         key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()),
                           critical=False)
            .sign(self.root_key, hashes.SHA256())
        )


def ensure_local_ca(directory: Path, *, root_name: str = DEMO_ROOT_NAME) -> LocalCA:
    """The CA kept in ``directory``: created the first time (root key 0600), loaded afterwards.
    ``root_name`` lets a stand-in (bsre_standin.py) have a root of its own."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_path, cert_path = directory / "root.key.pem", directory / "root.cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        with _locked(directory):
            if not (key_path.exists() and cert_path.exists()):  # another process may have won
                key, cert = _new_root(root_name)
                _write_atomic(key_path, _key_pem(key), 0o600)
                _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    # Loading an RSA key checks it (~30 ms): keep the CA per folder while its root is the same
    # file, so a verification or a signature does not pay for it every time.
    stamp = cert_path.stat()
    ident = (str(directory.resolve()), root_name)
    cached = _CAS.get(ident)
    if cached is not None and cached[0] == (stamp.st_mtime_ns, stamp.st_size, stamp.st_ino):
        return cached[1]
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{key_path} is not an RSA key")
    ca = LocalCA(directory, loaded, x509.load_pem_x509_certificate(cert_path.read_bytes()))
    _CAS[ident] = ((stamp.st_mtime_ns, stamp.st_size, stamp.st_ino), ca)
    return ca


_CAS: dict[tuple[str, str], tuple[tuple[int, int, int], LocalCA]] = {}


def load_pem_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM (or one DER) file, as asn1crypto objects."""
    if b"-----BEGIN" not in data:
        return [asn1_x509.Certificate.load(data)]
    return [_to_asn1_cert(cert) for cert in x509.load_pem_x509_certificates(data)]
