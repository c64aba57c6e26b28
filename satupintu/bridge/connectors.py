"""The generic REST connector: read one case's status from another app and say it in our
status vocabulary (services.models.Status).

Configured as data (models.Connector): a URL template with ``{reference}``, the
authentication (none, a bearer token, or a named header) whose secret is read from the
environment variable the connector names, the JSON paths of the state, its label and the
last update, and the mapping of their states onto ours. Every request goes through
core.netguard's guarded client: administrators type these URLs, so the guard applies
(OUTBOUND_ALLOWED_NETWORKS lets an intranet app or a local stand-in through). A secret is sent
over https only, or over plain http to a network OUTBOUND_ALLOWED_NETWORKS lets through.

Pushes from the app (cases.case_push) are verified with another secret, the connector's
``push_secret_env`` (push_secret_of), never with the one sent to the app."""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from satupintu.bridge.models import SECRET_ENV_NAME, AuthKind, Connector, secret_may_travel
from satupintu.core import netguard
from satupintu.core.errors import DomainError
from satupintu.services.models import Status

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


class ConnectorError(DomainError):
    """The app could not tell us the status. ``code``: timeout, unavailable, bad_response,
    unknown_reference, unknown_state, not_configured, https_required (the secret would travel
    in clear text)."""

    status = 502


class UnknownReference(ConnectorError):
    status = 404


@dataclass(frozen=True)
class CaseStatus:
    status: str  # a services.models.Status value
    label: str  # their words for it
    updated_at: datetime | None


def _from_env(name: str) -> str:
    # Checked again here: a row written around the form (a migration, the shell) gets no secret.
    if not name or not SECRET_ENV_NAME.fullmatch(name):
        return ""
    return os.environ.get(name, "")


def secret_of(connector: Connector) -> str:
    """The secret sent to the app on every poll (bearer token or header key)."""
    return _from_env(connector.secret_env)


def push_secret_of(connector: Connector) -> str:
    """The key the app signs its pushes with, or "" (pushes refused). Never the poll secret: that
    one travels to the app on every poll, and whoever sees it there (the app's logs, a proxy) must
    not be able to sign a status. A row written around the form that names the same variable, or a
    variable holding the same value, gets no push key."""
    if not connector.push_secret_env or connector.push_secret_env == connector.secret_env:
        return ""
    key = _from_env(connector.push_secret_env)
    if key and hmac.compare_digest(key.encode(), secret_of(connector).encode()):
        log.warning("bridge: %s: the push key %s holds the poll secret; pushes refused",
                    connector.app.short_name, connector.push_secret_env)
        return ""
    return key


def _headers(connector: Connector, url: str) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "SatuPintu-Bridge/1"}
    if connector.auth_kind == AuthKind.NONE:
        return headers
    # Checked at every request, not only by the form: a row written around it must not send the
    # secret in clear text across the internet.
    if not secret_may_travel(url):
        raise ConnectorError("https_required", "Konektor %(app)s hanya mengirim rahasia lewat https.",
                             params={"app": connector.app.short_name})
    secret = secret_of(connector)
    if not secret:
        raise ConnectorError("not_configured", "Konektor %(app)s belum dikonfigurasi (rahasia tidak tersedia).",
                             params={"app": connector.app.short_name})
    if connector.auth_kind == AuthKind.BEARER:
        headers["Authorization"] = f"Bearer {secret}"
    else:
        headers[connector.auth_header] = secret
    return headers


def json_path(document: Any, path: str) -> Any:
    """``data.items.0.status`` -> the value, or None when any step is missing."""
    node = document
    for step in [s for s in (path or "").split(".") if s]:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and step.isascii() and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


def status_from_document(connector: Connector, document: Any) -> CaseStatus:
    """Their JSON document -> our status (used for a fetched answer and a pushed one alike)."""
    state = json_path(document, connector.state_path)
    if state is None or isinstance(state, dict | list):
        raise ConnectorError("bad_response", "Jawaban %(app)s tidak dapat dibaca.",
                             params={"app": connector.app.short_name})
    state_text = str(state)
    mapped = (connector.state_map or {}).get(state_text)
    if mapped not in Status.values:
        raise ConnectorError("unknown_state", "Status '%(state)s' dari %(app)s belum dikenali.",
                             params={"state": state_text[:60], "app": connector.app.short_name})
    label = json_path(document, connector.label_path) if connector.label_path else None
    updated = json_path(document, connector.updated_path) if connector.updated_path else None
    return CaseStatus(status=mapped, label=str(label if label is not None else state_text)[:200],
                      updated_at=_moment(updated))


def _moment(value: Any) -> datetime | None:
    """Their last-update time, aware (a time without an offset is taken as ours), or None when
    missing or impossible: "2026-02-30T10:00" is well formed, so parse_datetime raises, and year
    9999 with a negative offset is past datetime's range in UTC, where it is stored and compared."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value.strip()[:64])
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


def case_url(connector: Connector, reference: str) -> str:
    # The reference is one path segment whatever it contains: "/" or "?" cannot steer the request.
    return connector.url_template.replace("{reference}", quote(reference, safe=""))


def _read_capped(response: httpx.Response) -> bytes:
    """The body, or b"" when it is larger than any status answer should be."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            return b""
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_status(connector: Connector, reference: str) -> CaseStatus:
    """Ask the app for one case. Raises ConnectorError with a clear, neutral message."""
    app = connector.app.short_name
    params: dict[str, object] = {"app": app}
    try:
        url = case_url(connector, reference)
        options: dict[str, Any] = {"timeout": connector.timeout_seconds, "headers": _headers(connector, url),
                                   "follow_redirects": False}
        client = (netguard.guarded_client(**options) if connector.auth_kind == AuthKind.NONE
                  else netguard.secret_client(url, **options))  # a secret goes in clear text only to our networks
        with client:
            with client.stream("GET", url) as response:
                code, body = response.status_code, _read_capped(response)
    except httpx.TimeoutException:
        raise ConnectorError("timeout", "%(app)s tidak menjawab tepat waktu.", params=params) from None
    except (httpx.HTTPError, netguard.OutboundRefused) as exc:
        log.info("bridge: %s unreachable: %s", app, exc)
        raise ConnectorError("unavailable", "%(app)s tidak dapat dihubungi.", params=params) from None
    if code == 404:
        raise UnknownReference("unknown_reference", "Nomor '%(reference)s' tidak ditemukan di %(app)s.",
                               field="reference", params={"reference": reference, "app": app})
    if code >= 500 or code in (408, 429):
        raise ConnectorError("unavailable", "%(app)s sedang bermasalah (HTTP %(code)s).",
                             params={"app": app, "code": code})
    if code != 200 or not body:
        raise ConnectorError("bad_response", "Jawaban %(app)s tidak dapat dibaca.", params=params)
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise ConnectorError("bad_response", "Jawaban %(app)s tidak dapat dibaca.", params=params) from None
    return status_from_document(connector, document)
