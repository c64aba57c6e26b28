"""Uploads on an S3-compatible bucket: configuration from the environment, and the real code
paths (submit, officer download, complaint attachment, readiness) against a local fake S3
that speaks the S3 HTTP protocol (moto's server on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client

from satupintu.core import health
from satupintu.core.env import ConfigError
from satupintu.core.storage import LOCAL_BACKEND, S3_BACKEND, upload_storage
from satupintu.feedback import reports
from satupintu.organization.models import Office, Role, StaffRole
from tests.conftest import pdf_bytes, png_bytes, upload

S3_VARIABLES = ("UPLOAD_STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX", "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY", "S3_ADDRESSING_STYLE", "S3_ACL", "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


def _start_moto():  # type: ignore[no-untyped-def]
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="session")
def s3_server():  # type: ignore[no-untyped-def]
    server, endpoint = _start_moto()
    yield endpoint
    server.stop()


@dataclass
class Bucket:
    endpoint: str
    name: str
    prefix: str
    client: object

    def objects(self) -> dict[str, bytes]:
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])  # type: ignore[attr-defined]
        return {o["Key"]: self.client.get_object(Bucket=self.name, Key=o["Key"])["Body"].read()  # type: ignore[attr-defined]
                for o in listed}


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="uji",
                        aws_secret_access_key="rahasia-uji")


def _use_bucket(monkeypatch, settings, tmp_path: Path, endpoint: str, prefix: str = "instansi-a") -> Bucket:  # type: ignore[no-untyped-def]
    """A fresh bucket, and the app's upload storage pointed at it the way production does it:
    environment variables read by upload_storage()."""
    name = f"satupintu-{uuid.uuid4().hex[:12]}"
    client = _client(endpoint)
    client.create_bucket(Bucket=name)
    for var in S3_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    for var, value in {"UPLOAD_STORAGE": "s3", "S3_BUCKET": name, "S3_ENDPOINT_URL": endpoint,
                       "S3_REGION": "us-east-1", "S3_PREFIX": prefix, "S3_ACCESS_KEY_ID": "uji",
                       "S3_SECRET_ACCESS_KEY": "rahasia-uji"}.items():
        monkeypatch.setenv(var, value)
    settings.STORAGES = {**settings.STORAGES, "default": upload_storage(tmp_path)}
    return Bucket(endpoint, name, prefix, client)


@pytest.fixture
def bucket(monkeypatch, settings, tmp_path, s3_server) -> Bucket:  # type: ignore[no-untyped-def]
    return _use_bucket(monkeypatch, settings, tmp_path, s3_server)


# --- configuration ---------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch):  # type: ignore[no-untyped-def]
    for var in S3_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_local_disk_is_the_default(clean_env, tmp_path):
    assert upload_storage(tmp_path) == {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"location": str(tmp_path / "uploads")}}
    clean_env.setenv("UPLOAD_STORAGE", "local")
    clean_env.setenv("S3_BUCKET", "ada-tapi-tidak-dipakai")  # explicit local wins over a stray bucket name
    assert upload_storage(tmp_path)["BACKEND"] == LOCAL_BACKEND


def test_bad_s3_configuration_stops_the_start(clean_env, tmp_path):
    clean_env.setenv("UPLOAD_STORAGE", "s3")
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        upload_storage(tmp_path)
    clean_env.setenv("S3_BUCKET", "unggahan")
    clean_env.setenv("S3_ENDPOINT_URL", "minio.local:9000")
    with pytest.raises(ConfigError, match="S3_ENDPOINT_URL"):
        upload_storage(tmp_path)
    clean_env.delenv("S3_ENDPOINT_URL")
    clean_env.setenv("S3_ACCESS_KEY_ID", "hanya-kunci")
    with pytest.raises(ConfigError, match="together"):
        upload_storage(tmp_path)
    clean_env.setenv("UPLOAD_STORAGE", "ftp")
    with pytest.raises(ConfigError, match="'local' or 's3'"):
        upload_storage(tmp_path)


def test_s3_options_come_from_the_environment(clean_env, tmp_path):
    clean_env.setenv("S3_BUCKET", "unggahan")  # a bucket alone means s3
    clean_env.setenv("S3_ENDPOINT_URL", "https://minio.kemenag.local:9000/")
    clean_env.setenv("S3_PREFIX", "/sulsel/")
    clean_env.setenv("S3_REGION", "ap-southeast-3")
    clean_env.setenv("AWS_ACCESS_KEY_ID", "AKIAUJI")  # the standard names are the fallback
    clean_env.setenv("AWS_SECRET_ACCESS_KEY", "rahasia")
    entry = upload_storage(tmp_path)
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == S3_BACKEND
    assert (options["bucket_name"], options["endpoint_url"], options["location"], options["region_name"]) == (
        "unggahan", "https://minio.kemenag.local:9000", "sulsel", "ap-southeast-3")
    assert (options["access_key"], options["secret_key"]) == ("AKIAUJI", "rahasia")
    assert options["file_overwrite"] is False and options["default_acl"] == "private"
    assert options["custom_domain"] is None and options["querystring_auth"] is True
    assert options["addressing_style"] == "path"  # MinIO/Ceph behind a plain host name
    clean_env.setenv("S3_ACCESS_KEY_ID", "kunci-s3")
    clean_env.setenv("S3_SECRET_ACCESS_KEY", "rahasia-s3")
    assert upload_storage(tmp_path)["OPTIONS"]["access_key"] == "kunci-s3"


def test_objects_are_private_under_the_prefix_and_never_overwritten(bucket):
    storage = storages["default"]
    first = storage.save("uji/sama.txt", ContentFile(b"satu"))
    second = storage.save("uji/sama.txt", ContentFile(b"dua"))
    assert first == "uji/sama.txt" and second != first  # a second file never replaces the first
    assert bucket.objects() == {f"{bucket.prefix}/{first}": b"satu", f"{bucket.prefix}/{second}": b"dua"}
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=f"{bucket.prefix}/{first}")["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"].get("Type") == "Group"] == []  # no AllUsers


# --- the real code paths on S3 -----------------------------------------------------------------


@pytest.mark.django_db
def test_submitted_documents_land_in_the_bucket_and_officers_download_the_same_bytes(bucket, submit, people):
    app = submit()
    docs = list(app.documents.all())
    assert docs
    objects = bucket.objects()
    assert {f"{bucket.prefix}/{d.file.name}" for d in docs} == set(objects)
    for d in docs:
        assert hashlib.sha256(objects[f"{bucket.prefix}/{d.file.name}"]).hexdigest() == d.sha256
    assert objects[f"{bucket.prefix}/{docs[0].file.name}"] == pdf_bytes()

    client = Client()
    client.force_login(people.fo_lutra)
    response = client.get(f"/petugas/permohonan/{app.tracking_code}/berkas/{docs[0].pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.django_db
def test_complaint_attachment_on_s3_reaches_the_complaint_officer(bucket):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_user("pengaduan.s3", "p@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="73.22"), role=Role.COMPLAINT_OFFICER)
    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean loket lama sekali",
        text="Antrean legalisir di loket PTSP memakan waktu tiga jam pada hari Senin pagi.", name="Budi Santoso",
        email="budi@contoh.id", files=[upload("bukti.png", png_bytes(), "image/png")]))
    attachment = report.attachments.get()
    assert bucket.objects()[f"{bucket.prefix}/{attachment.file.name}"] == png_bytes()
    client = Client()
    client.force_login(officer)
    response = client.get(f"/petugas/pengaduan/{report.tracking_code}/lampiran/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes()


@pytest.mark.django_db
def test_readiness_follows_the_bucket(monkeypatch, settings, tmp_path, client):
    settings.HEALTH_STORAGE_CHECK_SECONDS = 0  # every probe writes (by default a success is kept 30 s)
    server, endpoint = _start_moto()  # our own server: this test stops it
    try:
        bucket = _use_bucket(monkeypatch, settings, tmp_path, endpoint)
        assert health.storage() == (True, "dapat ditulis")
        assert bucket.objects() == {}  # the probe cleans up after itself
        assert client.get("/health/ready").status_code == 200
    finally:
        server.stop()
    started = time.monotonic()
    ok, detail = health.storage()
    assert not ok and ("Connect" in detail or "connect" in detail), detail
    assert time.monotonic() - started < 15  # short timeouts: a probe must not hang a worker
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False


@pytest.mark.once
def test_check_command_reads_the_s3_variables(s3_server, tmp_path, clean_env):
    """The wiring from environment to settings.py to the readiness check, in a fresh process."""
    name = f"satupintu-{uuid.uuid4().hex[:12]}"
    _client(s3_server).create_bucket(Bucket=name)
    env = {**os.environ, "SATUPINTU_DATA_DIR": str(tmp_path / "data"), "S3_BUCKET": name,
           "S3_ENDPOINT_URL": s3_server, "S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "uji",
           "AWS_SECRET_ACCESS_KEY": "rahasia-uji"}
    env.pop("DATABASE_URL", None)
    ok = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True, text=True,
                        timeout=120)
    assert "ok   storage" in ok.stdout, ok.stdout + ok.stderr
    env["S3_BUCKET"] = "ember-yang-tidak-ada"
    missing = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True,
                             text=True, timeout=120)
    assert "GAGAL storage" in missing.stdout and "NoSuchBucket" in missing.stdout, missing.stdout
    env["UPLOAD_STORAGE"] = "s3"
    env["S3_BUCKET"] = ""
    broken = subprocess.run([sys.executable, "-m", "satupintu.cli", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert broken.returncode != 0 and "S3_BUCKET" in broken.stderr, broken.stderr
