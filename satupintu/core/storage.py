"""Where uploads live: the local disk of the data dir (embedded default) or, for several
machines, an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, ...). Chosen from the
environment by settings.py.

The rule: ``UPLOAD_STORAGE`` decides (``local`` or ``s3``); when it is not set, setting
``S3_BUCKET`` alone means ``s3``. Anything else stops the start with a ConfigError.

For ``s3``:

- ``S3_BUCKET`` (required), ``S3_ENDPOINT_URL`` (empty: AWS itself), ``S3_REGION``
  (fallback ``AWS_DEFAULT_REGION``), ``S3_PREFIX`` (a folder inside the bucket, e.g. an
  instance name), ``S3_ACCESS_KEY_ID`` / ``S3_SECRET_ACCESS_KEY`` (fallback
  ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``; empty: boto3's own chain, e.g. an
  instance role; ``*_FILE`` works for both secrets), ``S3_ADDRESSING_STYLE`` (``path`` by
  default when an endpoint is set, because MinIO and Ceph rarely have wildcard DNS for
  ``bucket.host``), ``S3_ACL`` (``private``; empty sends no ACL header, for providers that
  reject ACLs).
- Objects are private and never overwritten (``file_overwrite=False``: a second file with the
  same name gets a new name, like on disk). There are no public URLs: uploads are only ever
  served by views that check who asks, which read the object through the storage API.
- Short timeouts and few retries, so that /health/ready and `satupintu check` answer in
  seconds when the bucket is unreachable instead of hanging a worker.
"""

from __future__ import annotations

from pathlib import Path

from satupintu.core.env import ConfigError, env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
_ADDRESSING = {"auto", "path", "virtual"}


def upload_storage(data_dir: Path) -> dict:
    """The STORAGES["default"] entry for uploads."""
    kind = env_str("UPLOAD_STORAGE", "").strip().lower()
    if not kind:
        kind = "s3" if env_str("S3_BUCKET", "").strip() else "local"
    if kind == "local":
        return {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"location": str(data_dir / "uploads")}}
    if kind == "s3":
        return {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options()}
    raise ConfigError(f"UPLOAD_STORAGE must be 'local' or 's3', got {kind!r}")


def _s3_options() -> dict:
    bucket = env_str("S3_BUCKET", "").strip()
    if not bucket:
        raise ConfigError("UPLOAD_STORAGE=s3 needs S3_BUCKET (the bucket name where uploads are kept)")
    endpoint = env_str("S3_ENDPOINT_URL", "").strip().rstrip("/")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ConfigError(f"S3_ENDPOINT_URL must start with http:// or https://, got {endpoint!r}")
    access_key = env_str("S3_ACCESS_KEY_ID", "") or env_str("AWS_ACCESS_KEY_ID", "")
    secret_key = env_str("S3_SECRET_ACCESS_KEY", "") or env_str("AWS_SECRET_ACCESS_KEY", "")
    if bool(access_key) != bool(secret_key):
        raise ConfigError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together")
    addressing = env_str("S3_ADDRESSING_STYLE", "").strip().lower() or ("path" if endpoint else "auto")
    if addressing not in _ADDRESSING:
        raise ConfigError(f"S3_ADDRESSING_STYLE must be auto, path or virtual, got {addressing!r}")
    acl = env_str("S3_ACL", "private").strip()

    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": (env_str("S3_REGION", "") or env_str("AWS_DEFAULT_REGION", "")).strip() or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "location": env_str("S3_PREFIX", "").strip().strip("/"),
        "default_acl": acl or None,
        "file_overwrite": False,
        # Signed, short-lived links if anything ever asks for .url(); never a public address.
        "querystring_auth": True,
        "querystring_expire": 300,
        "custom_domain": None,
        "signature_version": "s3v4",
        "addressing_style": addressing,
        # Reads larger than this spill to a temporary file instead of memory.
        "max_memory_size": 8 * 1024 * 1024,
        "client_config": Config(
            connect_timeout=env_int("S3_CONNECT_TIMEOUT", 3),
            read_timeout=env_int("S3_READ_TIMEOUT", 20),
            retries={"max_attempts": 3, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": addressing},
        ),
    }
