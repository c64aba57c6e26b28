"""Shared test set-up: named people in real offices, valid files, a submit helper.

Offices and the national catalog come from the data migrations, so every test database
has the real office tree (553 offices) and the real services.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.celery import app as celery_app
from satupintu.organization.models import Office, Role, StaffRole, Unit
from satupintu.services.applications import Submission, application_submit, number_bounds
from satupintu.services.catalog import offer_for
from satupintu.services.models import Service

celery_app.conf.task_always_eager = True


def _file_test_database() -> None:
    """On SQLite the test database is a file (in memory when the machine has /dev/shm), not
    Django's shared in-memory one: a live server's threads then each have their own connection,
    as in production. With the shared in-memory connection, two browser requests at once (the
    WhatsApp simulator polls while a webhook is handled) broke each other's savepoints."""
    import os
    import tempfile

    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        return
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(folder, f"satupintu-test-{os.getpid()}.sqlite3")


_file_test_database()


# What makes a test touch a database: pytest-django's fixtures and marker, and ``database_url`` (a
# process of its own on the run's database, tests/test_embedded_run.py).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                               "live_server", "django_db_setup", "database_url"})


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """With SATUPINTU_TEST_DATABASE_ONLY=1 (CI's PostgreSQL pass, after the same CI's SQLite pass has
    run everything), only the tests that touch a database run: the others (parsers, the outbound
    guard, maps, settings checks: a quarter of the suite) run the same code whatever DATABASE_URL
    says, so a second run proved nothing and cost the pass about 70 s of its two CPUs."""
    import os

    if os.environ.get("SATUPINTU_TEST_DATABASE_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        touches = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or \
            item.get_closest_marker("django_db") is not None
        (kept if touches else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _bulk_deserialize_db_from_string(self, data: str) -> None:  # type: ignore[no-untyped-def]
    """Django's reload of the migrated data after each ``serialized_rollback`` test (offices, the
    catalog, permissions: about 2,000 rows), with one upsert per model and batch instead of an
    UPDATE-then-INSERT per row: 1.5-1.8 s per browser test on PostgreSQL, 0.6 s on SQLite, before.
    Same rows, same transaction, same constraint check at the end."""
    from django.core import serializers
    from django.db.transaction import atomic

    alias = self.connection.alias
    with atomic(using=alias):
        with self.connection.constraint_checks_disabled():
            by_model: dict[type, list] = {}
            for obj in serializers.deserialize("json", io.StringIO(data), using=alias):
                by_model.setdefault(type(obj.object), []).append(obj)
            for model, objs in by_model.items():
                if model._meta.parents:  # multi-table inheritance: bulk_create cannot, row by row
                    for obj in objs:
                        obj.save()
                    continue
                # An upsert, as save() does: the first such test finds the migrated rows still there.
                pk = model._meta.pk
                fields = [f.name for f in model._meta.concrete_fields if f is not pk]
                # The stored values, as a raw save keeps them: no auto_now stamp of this moment.
                stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
                           or getattr(f, "auto_now_add", False)]
                flags = [(f.auto_now, f.auto_now_add) for f in stamped]
                for f in stamped:
                    f.auto_now = f.auto_now_add = False
                try:
                    model._base_manager.using(alias).bulk_create(
                        [o.object for o in objs], batch_size=500, update_conflicts=bool(fields),
                        ignore_conflicts=not fields, unique_fields=[pk.name] if fields else None,
                        update_fields=fields or None)
                finally:
                    for f, (now, now_add) in zip(stamped, flags, strict=True):
                        f.auto_now, f.auto_now_add = now, now_add
                for obj in objs:
                    for name, values in (obj.m2m_data or {}).items():
                        getattr(obj.object, name).set(values)
        self.connection.check_constraints(table_names=[m._meta.db_table for m in by_model])


def _reload_in_bulk():  # type: ignore[no-untyped-def]
    """Put the bulk reload in place; returns Django's own (tests/test_serialized_rollback.py compares)."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    django_reload = BaseDatabaseCreation.deserialize_db_from_string
    BaseDatabaseCreation.deserialize_db_from_string = _bulk_deserialize_db_from_string  # type: ignore[method-assign]
    return django_reload


DJANGO_DESERIALIZE_DB_FROM_STRING = _reload_in_bulk()

VALID_NIK = "7322015708900001"  # Luwu Utara, born 17-08-1990 (female: day + 40)
VALID_PHONE = "081234567890"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The embedded default's database file, migrated once per run by `satupintu manage migrate` in a
    process of its own (about 20 s): tests that run the CLI on a fresh data dir copy it in with
    ``embedded_data_dir`` instead of migrating again."""
    import os
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["SATUPINTU_DATA_DIR"] = str(folder)
    subprocess.run([sys.executable, "-m", "satupintu.cli", "manage", "migrate", "--verbosity", "0"], env=env,
                   check=True, timeout=300)
    return folder / "satupintu.sqlite3"


def embedded_data_dir(folder, migrated_sqlite):  # type: ignore[no-untyped-def]
    """A data dir for `satupintu` on its embedded default whose database is already migrated."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_sqlite, folder / "satupintu.sqlite3")
    return folder


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One local test CA for the whole run (made on first use): keys take a moment to generate."""
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in English leaves English active in the
    test's thread, and the next test's Indonesian messages then read in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path, signing_dir):  # type: ignore[no-untyped-def]
    settings.DOCUMENT_SIGNING_LOCAL_DIR = signing_dir
    settings.DOCUMENT_SIGNING_BACKEND = "local"
    settings.DOCUMENT_SIGNING_SECOND_FACTOR = False  # follows STAFF_2FA_REQUIRED (on with DATABASE_URL)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "uploads")}},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The production hasher costs ~0.3 s per account; personas would spend most of a test on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}}
    # Staff sign in with the password alone, on SQLite and PostgreSQL alike (the default follows
    # DATABASE_URL); tests/security/test_sign_in.py turns the second factor on where it is tested.
    settings.STAFF_2FA_REQUIRED = False


def pdf_bytes(text: str = "Berkas uji", password: str | None = None) -> bytes:
    """A one-page PDF; with ``password`` encrypted (an empty one: it opens, but only with the
    owner's password may it be printed or copied)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    encrypt = None if password is None else StandardEncryption(password, ownerPassword="pemilik", canPrint=0)
    pdf = canvas.Canvas(buf, invariant=1, encrypt=encrypt)  # same text, same bytes (like a real re-upload)
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


def bomb_png(width: int = 40_000, height: int = 40_000) -> bytes:
    """A few hundred bytes of PNG that claims ``width`` x ``height`` pixels (a decompression bomb:
    gigabytes once decoded). Sound chunks, checksums right: only the size is the problem."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
            + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "JPEG")
    return buf.getvalue()


def upload(name: str = "berkas.pdf", data: bytes | None = None, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type=content_type)


@dataclass
class People:
    fo_lutra: object
    pendma_lutra: object
    kasi_pendma_lutra: object
    bimas_lutra: object
    kakan_lutra: object
    kakanwil_sulsel: object
    fo_makassar: object
    kakanwil_jateng: object
    outsider: object


def _staff(username: str, office: str, role: str, unit: str | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", "sandi-uji-123", first_name=username)
    StaffRole.objects.create(
        user=user, office=Office.objects.get(code=office), role=role,
        unit=Unit.objects.get(code=unit) if unit else None,
    )
    return user


@pytest.fixture
def people(db) -> People:  # type: ignore[no-untyped-def]
    return People(
        fo_lutra=_staff("fo.lutra", "73.22", Role.FRONT_OFFICE),
        pendma_lutra=_staff("pendma.lutra", "73.22", Role.UNIT_OFFICER, "pendma"),
        kasi_pendma_lutra=_staff("kasi.pendma.lutra", "73.22", Role.HEAD_OF_UNIT, "pendma"),
        bimas_lutra=_staff("bimas.lutra", "73.22", Role.UNIT_OFFICER, "bimas-islam"),
        kakan_lutra=_staff("kakan.lutra", "73.22", Role.HEAD_OF_OFFICE),
        kakanwil_sulsel=_staff("kakanwil.sulsel", "73", Role.HEAD_OF_OFFICE),
        fo_makassar=_staff("fo.makassar", "73.71", Role.FRONT_OFFICE),
        kakanwil_jateng=_staff("kakanwil.jateng", "33", Role.HEAD_OF_OFFICE),
        outsider=get_user_model().objects.create_user("warga", "warga@test.local", "sandi-uji-123"),
    )


SERVICE = "legalisir-ijazah-madrasah"


def valid_submission(service: str = SERVICE, office: str = "73.22", **overrides) -> Submission:  # type: ignore[no-untyped-def]
    svc = Service.objects.get(slug=service)
    off = Office.objects.get(code=office)
    offer = offer_for(svc, off)
    fields = {}
    for f in offer.fields:
        number = number_bounds(f)  # 2015 where the field's range allows it (a year), else its nearest bound
        fields[f.name] = {"number": str(min(max(2015, number.low), number.high)), "date": "2015-06-01",
                          "choice": (f.choices or [""])[0]}.get(f.type, "Isian uji")
    files = {r.code: upload(f"{r.code}.pdf") for r in offer.requirements if r.mandatory}
    data = dict(service=service, office=office, name="Andi Rahmawati", nik=VALID_NIK, phone=VALID_PHONE,
                email="andi@contoh.id", fields=fields, files=files)
    data.update(overrides)
    return Submission(**data)


@pytest.fixture
def submit(db):  # type: ignore[no-untyped-def]
    def _submit(now=None, **overrides):  # type: ignore[no-untyped-def]
        app, _ = application_submit(valid_submission(**overrides), now=now)
        return app

    return _submit
