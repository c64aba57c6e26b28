"""What a `satupintu backup` archive holds and what it leaves out.

The manifest (``manifest.json``, the archive's last member) is read and checked here: its
checksum, then its shape, so that a damaged or foreign manifest is refused in one sentence
(its checksum catches damage, not tampering: anyone can recompute it).

Left out on purpose, like the keys of other systems' backups: the secret key (sessions, receipt
links, survey invitations are signed with it) and the local document-signing key and
certificate (letters issued here verify against it). Keeping them apart from the data means a
stolen archive cannot forge links or letters; losing them means, after a restore on a new
machine, old links and letters no longer verify. `kept_apart()` names them so the operator
keeps a copy somewhere safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from pathlib import Path

from django.conf import settings

FORMAT = "satupintu-backup"
VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that did not happen; the message is for the operator."""


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def manifest_checksum(manifest: dict) -> str:
    return hashlib.sha256(canonical({k: v for k, v in manifest.items() if k != "checksum"})).hexdigest()


def _shape_problem(manifest: dict) -> str:
    """What in the manifest is not what `create_backup` writes, or ""."""
    members, database = manifest.get("members"), manifest.get("database")
    if not isinstance(members, dict) or not all(
            isinstance(name, str) and isinstance(m, dict) and type(m.get("size")) is int
            and isinstance(m.get("sha256"), str) for name, m in members.items()):
        return "members"
    if not isinstance(database, dict) or not isinstance(database.get("vendor"), str) \
            or not isinstance(database.get("member"), str):
        return "database"
    migrations, tables = database.get("migrations"), database.get("tables")
    if not isinstance(migrations, dict) or not all(
            isinstance(app, str) and isinstance(names, list) and all(isinstance(n, str) for n in names)
            for app, names in migrations.items()):
        return "database.migrations"
    if not isinstance(tables, dict) or not all(isinstance(t, str) and type(n) is int for t, n in tables.items()):
        return "database.tables"
    return ""


def read_manifest(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo]) -> dict:
    info = members.get(MANIFEST)
    if info is None:
        raise BackupError("Arsip tidak berisi manifest.json: bukan cadangan Satu Pintu, atau arsipnya terpotong.")
    try:
        manifest = json.loads(tar.extractfile(info).read())  # type: ignore[union-attr]
    except (ValueError, tarfile.TarError, OSError, EOFError, RecursionError) as e:
        raise BackupError(f"manifest.json rusak: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Arsip ini bukan cadangan Satu Pintu (format manifest tidak dikenal).")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Versi format cadangan {manifest.get('version')!r} tidak dikenal oleh program ini "
                          f"(yang dikenal: {VERSION}).")
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise BackupError("Checksum manifest.json tidak cocok: arsip rusak atau diubah.")
    if problem := _shape_problem(manifest):
        raise BackupError(f"manifest.json tidak seperti yang ditulis `satupintu backup` (bagian {problem}): "
                          "arsip diubah atau bukan cadangan Satu Pintu. Tidak ada yang diubah.")
    return manifest


def kept_apart() -> list[tuple[str, Path | None]]:
    """(what, where it is) for each key this installation needs that no backup holds."""
    kept: list[tuple[str, Path | None]] = []
    if os.environ.get("SECRET_KEY_FILE"):
        kept.append(("SECRET_KEY", Path(os.environ["SECRET_KEY_FILE"])))
    elif os.environ.get("SECRET_KEY"):
        kept.append(("SECRET_KEY", None))  # in the environment the operator set
    elif (settings.DATA_DIR / "secret_key").is_file():
        kept.append(("SECRET_KEY", settings.DATA_DIR / "secret_key"))
    local = Path(settings.DOCUMENT_SIGNING_LOCAL_DIR)
    if settings.DOCUMENT_SIGNING_BACKEND == "local" and local.is_dir() and any(local.iterdir()):
        kept.append(("kunci dan sertifikat tanda tangan dokumen", local))
    return kept
