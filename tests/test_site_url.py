"""Links in receipts, e-mails and briefs follow `satupintu run --bind` unless SITE_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from satupintu.core.env import site_url_from_bind

PRINT_SITE_URL = (
    "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'satupintu.settings');"
    "from satupintu import cli; cli._export_bind(sys.argv[1]) if sys.argv[1] else None;"
    "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
)


def _site_url(tmp_path, bind: str, **env: str) -> str:  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "BIND", "DJANGO_SETTINGS_MODULE")}
    clean.update(SATUPINTU_DATA_DIR=str(tmp_path), **env)
    out = subprocess.run([sys.executable, "-c", PRINT_SITE_URL, bind], env=clean, capture_output=True, text=True,
                         check=True, timeout=60)
    return out.stdout.strip().splitlines()[-1]


def test_the_bind_of_run_sets_the_site_address(tmp_path):  # type: ignore[no-untyped-def]
    assert _site_url(tmp_path, "127.0.0.1:18280") == "http://127.0.0.1:18280"
    assert _site_url(tmp_path, "") == "http://127.0.0.1:8000"  # nothing said: the documented default


def test_site_url_wins_over_the_bind(tmp_path):  # type: ignore[no-untyped-def]
    assert _site_url(tmp_path, "0.0.0.0:9000", SITE_URL="https://layanan.kemenag.go.id/") == \
        "https://layanan.kemenag.go.id"


@pytest.mark.parametrize(("bind", "url"), [
    ("0.0.0.0:9000", "http://127.0.0.1:9000"),
    ("[::]:9000", "http://127.0.0.1:9000"),
    ("[::1]:8443", "http://[::1]:8443"),
    ("localhost:8080", "http://localhost:8080"),
    ("unix:/run/satupintu.sock", "http://127.0.0.1:8000"),
    ("nonsense", "http://127.0.0.1:8000"),
])
def test_bind_spellings(bind, url):  # type: ignore[no-untyped-def]
    assert site_url_from_bind(bind) == url
