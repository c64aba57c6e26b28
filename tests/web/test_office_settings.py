"""An office changes its own hours, switches services off, sets its own time and requirements."""

import pytest
from django.test import Client

from satupintu.core.errors import DomainError
from satupintu.organization.models import Office
from satupintu.services.applications import application_submit
from satupintu.services.catalog import offer_for, service_get
from tests.conftest import valid_submission

pytestmark = pytest.mark.django_db
SLUG = "legalisir-ijazah-madrasah"


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.login(username=user.username, password="sandi-uji-123")
    return c


def _form(office, **changes):  # type: ignore[no-untyped-def]
    from satupintu.services.models import Service

    services = [s for s in Service.objects.filter(is_active=True) if office.level in s.levels]
    data = {"office": office.code, "opens_at": "08:00", "closes_at": "16:00", "weekday": list("12345"),
            "enabled": [str(s.pk) for s in services]}
    data.update(changes)
    return data


def test_only_heads_and_admins_manage_the_office(people):
    assert _login(people.fo_lutra).get("/petugas/kantor/").status_code == 403
    page = _login(people.kakan_lutra).get("/petugas/kantor/")
    assert page.status_code == 200 and "Kabupaten Luwu Utara" in page.content.decode()


def test_switch_off_and_change_time_and_hours(people):
    office = Office.objects.get(code="73.22")
    service = service_get(SLUG)
    c = _login(people.kakan_lutra)
    form = _form(office, opens_at="07:30", closes_at="15:30")
    form[f"days-{service.pk}"] = "3"
    c.post("/petugas/kantor/", form)
    office.refresh_from_db()
    assert office.opens_at.hour == 7 and office.opens_at.minute == 30
    assert offer_for(service, office).working_days == 3
    form["enabled"] = [pk for pk in form["enabled"] if pk != str(service.pk)]
    c.post("/petugas/kantor/", form)
    with pytest.raises(DomainError) as info:
        application_submit(valid_submission())
    assert info.value.code == "service_not_offered"
    # another office is not affected
    assert offer_for(service, Office.objects.get(code="73.71")).working_days == 1


def test_bad_hours_are_refused(people):
    office = Office.objects.get(code="73.22")
    response = _login(people.kakan_lutra).post("/petugas/kantor/", _form(office, opens_at="17:00", closes_at="08:00"),
                                               follow=True)
    assert "jam tutup harus setelah jam buka" in response.content.decode()
    office.refresh_from_db()
    assert office.opens_at.hour == 8


def test_requirement_overrides(people):
    office = Office.objects.get(code="73.22")
    c = _login(people.kakan_lutra)
    c.post(f"/petugas/kantor/layanan/{SLUG}/", {"office": "73.22", "req-ijazah_asli": "hidden",
                                                "req-ktp": "optional", "extra_name": "Surat pengantar madrasah",
                                                "extra_mandatory": "1"})
    reqs = {r.code: r for r in offer_for(service_get(SLUG), office).requirements}
    assert "ijazah_asli" not in reqs and reqs["ktp"].mandatory is False
    assert reqs["tambahan_1"].name == "Surat pengantar madrasah" and reqs["tambahan_1"].mandatory
