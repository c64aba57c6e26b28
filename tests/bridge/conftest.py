from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from satupintu.bridge.models import AuthKind, Connector, ExternalApp
from tests.bridge.standin import StandIn, serve

STATE_MAP = {"TERDAFTAR": "submitted", "VERIFIKASI": "verified", "DIPROSES": "in_process",
             "PERBAIKAN": "needs_completion", "SELESAI": "completed", "DITOLAK": "rejected"}
SECRET_ENV = "BRIDGE_TEST_SIMKAH_SECRET"
SECRET = "s3cret-for-tests"  # the poll token: sent to the app on every poll
PUSH_SECRET_ENV = "BRIDGE_TEST_SIMKAH_PUSH_KEY"
PUSH_SECRET = "push-key-for-tests"  # what the app signs its pushes with: never sent anywhere


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()  # the rate-limit counters and catalog fragments of one test stay in it
    yield
    cache.clear()


@pytest.fixture
def standin(settings, monkeypatch) -> Iterator[StandIn]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(SECRET_ENV, SECRET)
    monkeypatch.setenv(PUSH_SECRET_ENV, PUSH_SECRET)
    with serve(StandIn(cases={"NK-2026-0001": "DIPROSES", "NK-2026-0002": "SELESAI"}, token=SECRET)) as s:
        port = s.base_url.rsplit(":", 1)[1]
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{port}"
        yield s


@pytest.fixture
def simkah(db) -> ExternalApp:  # type: ignore[no-untyped-def]
    return ExternalApp.objects.get(code="simkah")


@pytest.fixture
def connector(simkah, standin) -> Connector:  # type: ignore[no-untyped-def]
    return Connector.objects.create(
        app=simkah, url_template=standin.base_url + "/api/status/{reference}", auth_kind=AuthKind.BEARER,
        secret_env=SECRET_ENV, push_secret_env=PUSH_SECRET_ENV, state_path="data.status", label_path="data.keterangan",
        updated_path="data.updated",
        state_map=STATE_MAP, poll_minutes=30, timeout_seconds=1.0)
