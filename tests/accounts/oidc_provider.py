"""A real OpenID Provider for the tests: pyop (the OP library SATOSA uses) behind a small WSGI app,
served by wsgiref in a thread on https://127.0.0.1:<free port> (real HTTP over TLS, a certificate
made for this run: pyop, like INApas, insists on an https issuer; `ca_file` is what clients trust).

It publishes discovery (/.well-known/openid-configuration), its JWKS (an RSA key made for this
run), /authorize (approves the one test citizen at once, as INApas would after the citizen signs
in there), /token (client secret and PKCE checked by pyop) and /userinfo. `issuer` may differ
from the URL it is served at (a provider that signs tokens as someone else), `id_token_lifetime`
may be negative (every ID token already expired), and `token_down` makes /token answer 503
while discovery stays up, and `token_url` points discovery at another (e.g. closed) token endpoint.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import (
    BearerTokenError,
    InvalidAuthenticationRequest,
    InvalidClientAuthentication,
    OAuthError,
)
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo
from pyop.util import should_fragment_encode

CLIENT_ID, CLIENT_SECRET = "satu-pintu-uji", "rahasia-klien-uji"
CITIZEN = {
    "sub": "inapas-3173010101900001",
    "name": "Siti Rahmawati",
    "given_name": "Siti",
    "family_name": "Rahmawati",
    "email": "siti.rahmawati@contoh.go.id",
    "email_verified": True,
    "phone_number": "+6281311112222",
    "phone_number_verified": True,
}


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def _certificate(directory: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1; returns (cert file, key file)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "inapas-uji")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = f"{directory}/cert.pem", f"{directory}/key.pem"
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class LocalOP:
    url: str
    ca_file: str
    issuer: str
    op: Provider
    user: dict[str, Any]
    token_down: bool = False
    auth_requests: list[dict[str, Any]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}

        def reply(status: str, payload: Any, extra: list[tuple[str, str]] | None = None) -> list[bytes]:
            start_response(status, [("Content-Type", "application/json"), *(extra or [])])
            return [payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()]

        if path == "/.well-known/openid-configuration":
            return reply("200 OK", self.op.provider_configuration.to_json())
        if path == "/jwks":
            return reply("200 OK", self.op.jwks)
        if path == "/authorize":
            try:
                request = self.op.parse_authentication_request(environ.get("QUERY_STRING", ""))
            except InvalidAuthenticationRequest as exc:
                return reply("400 Bad Request", {"error": "invalid_request", "error_description": str(exc)})
            self.auth_requests.append(request.to_dict())
            response = self.op.authorize(request, self.user["sub"])  # the citizen approves at once
            location = response.request(request["redirect_uri"], should_fragment_encode(request))
            start_response("302 Found", [("Location", location)])
            return [b""]
        if path == "/token" and method == "POST":
            self.token_requests.append(dict(parse_qsl(body)))
            if self.token_down:
                return reply("503 Service Unavailable", {"error": "temporarily_unavailable"})
            try:
                return reply("200 OK", self.op.handle_token_request(body, headers).to_json())
            except InvalidClientAuthentication as exc:
                return reply("401 Unauthorized", exc.to_json())
            except OAuthError as exc:
                return reply("400 Bad Request", exc.to_json())
        if path == "/userinfo":
            try:
                return reply("200 OK", self.op.handle_userinfo_request(body, headers).to_json())
            except BearerTokenError:
                return reply("401 Unauthorized", {"error": "invalid_token"})
        return reply("404 Not Found", {"error": "not_found"})


@contextmanager
def local_op(*, redirect_uri: str, issuer: str | None = None, id_token_lifetime: int = 600,
             user: dict[str, Any] | None = None, token_url: str | None = None) -> Iterator[LocalOP]:
    """Serve a fresh provider; `redirect_uri` is the one client's registered callback."""
    directory = tempfile.TemporaryDirectory()
    cert_file, key_file = _certificate(directory.name)
    server: WSGIServer = make_server("127.0.0.1", 0, lambda e, s: handler.app(e, s), handler_class=_Quiet)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    url = f"https://127.0.0.1:{server.server_port}"
    signing_key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="uji-1")
    config = {
        "issuer": issuer or url,
        "authorization_endpoint": f"{url}/authorize",
        "token_endpoint": token_url or f"{url}/token",
        "userinfo_endpoint": f"{url}/userinfo",
        "jwks_uri": f"{url}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": sorted(CITIZEN),
    }
    clients = {CLIENT_ID: {"client_secret": CLIENT_SECRET, "redirect_uris": [redirect_uri],
                           "response_types": ["code"], "token_endpoint_auth_method": "client_secret_post"}}
    citizen = dict(user or CITIZEN)
    op = Provider(signing_key, config, AuthorizationState(HashBasedSubjectIdentifierFactory("garam-uji")),
                  clients, Userinfo({citizen["sub"]: citizen}), id_token_lifetime=id_token_lifetime)
    handler = LocalOP(url=url, ca_file=cert_file, issuer=config["issuer"], op=op, user=citizen)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        directory.cleanup()
