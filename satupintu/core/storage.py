"""Where uploads live: the local disk of the data dir (embedded default) or, for several
machines, an S3-compatible bucket. Chosen from the environment by settings.py."""

from __future__ import annotations

from pathlib import Path


def upload_storage(data_dir: Path) -> dict:
    """The STORAGES["default"] entry for uploads."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(data_dir / "uploads")},
    }
