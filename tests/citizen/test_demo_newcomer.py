"""Issue #13's newcomer on the demo: the phone 081234560001, once proven, brings its demo
applications, the case in SIMKAH from the bridge simulator, and who looked at its data."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from satupintu.citizen.models import VerifiedPhone
from tests.citizen.conftest import login

pytestmark = pytest.mark.django_db


def test_the_demo_phone_sees_its_applications_the_external_case_and_who_looked(settings, citizen):
    from satupintu.demo import load_demo

    settings.BRIDGE_SIMULATOR = True
    cache.delete("bridge-simulator:NK-7322-0001")
    load_demo()
    load_demo()  # twice: nothing doubles
    VerifiedPhone.objects.create(user=citizen, phone="+6281234560001")
    client = login(citizen)
    page = client.get("/akun/").content.decode()
    assert "Legalisir" in page or "legalisir" in page
    assert "SIMKAH" in page and "NK-7322-0001" in page and "Pendaftaran nikah diterima KUA Masamba" in page
    data = client.get("/akun/data-saya/").content.decode()
    assert data.count("identitas pemohon") == 2
    assert "Memeriksa berkas atau identitas" in data and "Menanyakan scan ijazah yang kurang jelas" in data
    assert "Luwu Utara ·" in data and "Administrator sistem" not in data  # the officers' office and role
