"""The demo's bridge simulator: the stand-in of SIMKAH served by our own server, the demo
connector and case, the poll over real HTTP through the outbound guard, and the guard staying
shut to loopback outside the demo."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from satupintu.bridge import cases, simulator
from satupintu.bridge.models import Connector, ExternalCase
from satupintu.core import netguard

DEMO_PHONE = "+6281234560001"


@pytest.fixture
def on(settings):  # type: ignore[no-untyped-def]
    settings.BRIDGE_SIMULATOR = True
    return settings


def test_the_stand_in_answers_states_that_move_with_time(on, client):
    r = client.get("/bridge-simulator/simkah/api/status/NK-2026-0002")
    assert r.status_code == 200 and r.json()["data"]["status"] == "TERDAFTAR"
    started = time.time()
    cache.set("bridge-simulator:NK-2026-0002", started - 20 * 60, timeout=None)  # asked first 20 minutes ago
    assert client.get("/bridge-simulator/simkah/api/status/NK-2026-0002").json()["data"]["status"] == "PERBAIKAN"
    assert simulator.document("NK-2026-0002", started + 3 * 3600)["data"]["status"] == "SELESAI"  # type: ignore[index]
    assert client.get("/bridge-simulator/simkah/api/status/ABC").status_code == 404


def test_the_stand_in_is_off_without_the_setting(settings, client):
    settings.BRIDGE_SIMULATOR = False
    assert client.get("/bridge-simulator/simkah/api/status/NK-2026-0002").status_code == 404


@pytest.mark.django_db
def test_the_demo_loader_creates_the_connector_and_the_case_once(on):
    assert "NK-7322-0001" in simulator.load_bridge_demo()
    simulator.load_bridge_demo()
    connector = Connector.objects.get(app__code="simkah")
    assert connector.url_template == on.SITE_URL + "/bridge-simulator/simkah/api/status/{reference}"
    case = ExternalCase.objects.get(app__code="simkah", reference="NK-7322-0001")
    assert case.phone == DEMO_PHONE and case.last_status == "submitted" and case.next_check_at is not None
    assert ExternalCase.objects.count() == 1


@pytest.mark.django_db
def test_the_demo_leaves_a_real_connector_alone(on):
    from tests.bridge.conftest import STATE_MAP

    Connector.objects.create(app_id=simulator.ExternalApp.objects.get(code="simkah").pk,
                             url_template="https://simkah.example/api/{reference}", state_map=STATE_MAP)
    assert simulator.load_bridge_demo() == ""
    assert not ExternalCase.objects.exists()


# A live server needs a committed database; serialized_rollback puts the migrated data back for
# the tests after it (without it the flush re-creates content types, and every later
# serialized_rollback test fails on their duplicates).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_poll_reads_the_stand_in_over_http_through_the_guard(on, live_server):
    on.SITE_URL = live_server.url
    on.OUTBOUND_ALLOWED_NETWORKS = ""
    simulator.load_bridge_demo()
    cache.set("bridge-simulator:NK-7322-0001", time.time() - 16 * 60, timeout=None)
    ExternalCase.objects.update(next_check_at=timezone.now() - timedelta(minutes=1))
    assert cases.poll_due() == 1
    case = ExternalCase.objects.get()
    assert case.error == "" and case.last_status == "needs_completion"
    assert case.last_label == "Pas foto 4x6 berlatar biru belum diunggah"
    # Off, the same request is refused by the guard (the loopback port is not allowed any more).
    on.BRIDGE_SIMULATOR = False
    ExternalCase.objects.update(next_check_at=timezone.now() - timedelta(minutes=1))
    cases.poll_due()
    case.refresh_from_db()
    assert case.failures == 1 and "tidak dapat dihubungi" in case.error


def test_only_the_own_loopback_port_and_only_with_the_simulator(settings):
    settings.SITE_URL, settings.OUTBOUND_ALLOWED_NETWORKS = "http://127.0.0.1:8000", ""
    loopback = ipaddress.ip_address("127.0.0.1")
    settings.BRIDGE_SIMULATOR = True
    assert netguard.address_allowed(loopback, 8000)
    assert not netguard.address_allowed(loopback, 8001)
    assert not netguard.address_allowed(ipaddress.ip_address("10.0.0.1"), 8000)
    settings.SITE_URL = "https://layanan.kemenag.go.id"  # a real name opens nothing
    assert not netguard.address_allowed(loopback, 443)
    settings.SITE_URL, settings.BRIDGE_SIMULATOR = "http://127.0.0.1:8000", False
    assert not netguard.address_allowed(loopback, 8000)


def test_production_settings_never_allow_the_loopback(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://satupintu@db.example:5432/satupintu",
           "SATUPINTU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "satupintu.settings"}
    env.pop("BRIDGE_SIMULATOR", None)
    env.pop("OUTBOUND_ALLOWED_NETWORKS", None)
    code = ("import django, ipaddress, json; django.setup(); from django.conf import settings; "
            "from satupintu.core import netguard as g; "
            "print(json.dumps([settings.BRIDGE_SIMULATOR, g.address_allowed(ipaddress.ip_address('127.0.0.1'), 8000), "
            "settings.SITE_URL]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, False, "http://127.0.0.1:8000"]
