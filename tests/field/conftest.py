from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from satupintu.organization.models import Office, Role, StaffRole

API = "/lapangan/api/laporan"


@pytest.fixture(autouse=True)
def _fresh_duplicate_finder():
    """The room's duplicate finder lives per process; the test database does not."""
    from satupintu.situation.store import shared_analyzer

    shared_analyzer.reset()
    yield
    shared_analyzer.reset()


@dataclass
class FieldPeople:
    penyuluh_lutra: object
    penyuluh_makassar: object
    kakan_lutra: object
    admin_lutra: object
    kakan_makassar: object
    kakanwil_sulsel: object
    kakanwil_jateng: object
    fo_lutra: object


def _staff(username: str, office: str, role: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, f"{username}@test.local", "sandi-uji-123",
                                                first_name=username.split(".")[0].title(), last_name="Uji")
    StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role)
    return user


@pytest.fixture
def field_people(db) -> FieldPeople:  # type: ignore[no-untyped-def]
    return FieldPeople(
        penyuluh_lutra=_staff("penyuluh.lutra", "73.22", Role.FIELD_REPORTER),
        penyuluh_makassar=_staff("penyuluh.makassar", "73.71", Role.FIELD_REPORTER),
        kakan_lutra=_staff("kakan.lutra", "73.22", Role.HEAD_OF_OFFICE),
        admin_lutra=_staff("admin.lutra", "73.22", Role.ADMIN),
        kakan_makassar=_staff("kakan.makassar", "73.71", Role.HEAD_OF_OFFICE),
        kakanwil_sulsel=_staff("kakanwil.sulsel", "73", Role.HEAD_OF_OFFICE),
        kakanwil_jateng=_staff("kakanwil.jateng", "33", Role.HEAD_OF_OFFICE),
        fo_lutra=_staff("fo.lutra", "73.22", Role.FRONT_OFFICE),
    )


def report_data(**overrides) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "client_id": str(uuid.uuid4()), "category": "worship", "urgency": "high",
        "description": "Warga menolak renovasi musala di Desa Baebunta; mediasi oleh KUA besok pagi.",
        "regency_code": "73.22", "district_code": "", "latitude": "", "longitude": "", "people_involved": "40",
        "occurred_at": "2026-12-04T09:30:00+08:00", "submitted_at": "2026-12-04T10:00:00+08:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def reporter_client(client, field_people):  # type: ignore[no-untyped-def]
    client.force_login(field_people.penyuluh_lutra)
    return client
