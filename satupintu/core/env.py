"""Strict little readers for settings that come from environment variables.

A typo in a boolean or a number fails loudly at start-up instead of silently falling back.
Secrets may also come from a file named by ``NAME_FILE`` (Docker/systemd credentials).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    pass


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
        if not value:
            # An empty secret file is a mistake (a credential not mounted yet), never "use the default":
            # for SECRET_KEY that silently gave each machine its own generated key.
            raise ConfigError(f"{name}_FILE={file_name!r} is empty")
        return value
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(f"{name} must be a finite number, got {raw!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def site_url_from_bind(bind: str) -> str:
    """The address links should carry when SITE_URL is not set: where the server listens.

    A wildcard host (0.0.0.0, ::) is not an address anyone can open, so it becomes
    127.0.0.1; a unix socket or anything unreadable keeps the documented default.
    """
    default = "http://127.0.0.1:8000"
    bind = (bind or "").strip()
    if not bind or bind.startswith(("unix:", "fd://")):
        return default
    host, sep, port = bind.rpartition(":")
    if not sep or not (port.isascii() and port.isdigit()):
        return default
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def webauthn_relying_party(site_url: str, rp_id: str = "", origins: list[str] | None = None) -> tuple[str, list[str]]:
    """The WebAuthn relying party ID and the origins passkeys may be used from, for SITE_URL.

    Over HTTPS they are the site's host and origin (``rp_id`` may name a parent domain, so one
    key works on its subdomains). Browsers offer WebAuthn only on a secure origin and never for
    an IP address, so a plain-HTTP or IP address (the embedded demo's http://127.0.0.1:8000)
    gets localhost, which browsers treat as secure: there keys work at http://localhost:<port>.
    A given origin outside the relying party's domain stops the start.
    """
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host and not _is_ip(host):
        default_id, scheme, default_port = host, "https", 443
    else:
        default_id, scheme, default_port = "localhost", "http", 80
    port = "" if parts.port in (None, default_port) else f":{parts.port}"
    rp_id = (rp_id or default_id).strip().strip(".").lower()
    origins = origins or [f"{scheme}://{default_id}{port}"]
    for origin in origins:
        origin_host = (urlsplit(origin).hostname or "").lower()
        if origin_host != rp_id and not origin_host.endswith("." + rp_id):
            raise ConfigError(f"WebAuthn origin {origin!r} is not on {rp_id!r} (WEBAUTHN_RP_ID) or one of its subdomains")
    return rp_id, origins


def secret_key_file(data_dir: Path) -> str:
    """The embedded default's secret key: random, kept in the data dir, so sessions and signed
    receipt links survive restarts without anyone having to invent a secret."""
    import secrets

    key_file = data_dir / "secret_key"
    if not key_file.exists():
        # Written whole, then linked into place (which fails if it is there): processes starting
        # together on a fresh data dir all read the one key, never an empty or half-written file.
        draft = data_dir / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    return key_file.read_text(encoding="utf-8").strip()
