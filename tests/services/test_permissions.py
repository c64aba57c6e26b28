"""Who sees which applications: own office, own unit, Kanwil over its Kankemenags, Pusat over all."""

import pytest
from django.contrib.auth import get_user_model

from satupintu.organization import access
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.services.models import Application


@pytest.fixture
def apps(submit):  # type: ignore[no-untyped-def]
    return {
        "lutra_pendma": submit(),
        "lutra_bimas": submit(service="pengukuran-arah-kiblat"),
        "makassar": submit(office="73.71", nik="7371016504920005"),
        "kanwil_sulsel": submit(office="73", nik="7371020707800006"),
        "semarang": submit(office="33.74", nik="3374015708900001"),
    }


def _seen(user) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.tracking_code for a in access.visible(user, Application.objects.all())}


def _codes(apps, *names) -> set[str]:  # type: ignore[no-untyped-def]
    return {apps[n].tracking_code for n in names}


def test_front_office_sees_its_own_office_only(people, apps):
    assert _seen(people.fo_lutra) == _codes(apps, "lutra_pendma", "lutra_bimas")
    assert _seen(people.fo_makassar) == _codes(apps, "makassar")


def test_unit_officer_sees_own_unit_only(people, apps):
    assert _seen(people.pendma_lutra) == _codes(apps, "lutra_pendma")
    assert _seen(people.bimas_lutra) == _codes(apps, "lutra_bimas")


def test_kanwil_head_sees_own_and_kankemenags_below(people, apps):
    assert _seen(people.kakanwil_sulsel) == _codes(apps, "lutra_pendma", "lutra_bimas", "makassar", "kanwil_sulsel")
    assert _seen(people.kakanwil_jateng) == _codes(apps, "semarang")


def test_pusat_head_and_superuser_see_everything(people, apps):
    head = get_user_model().objects.create_user("sekjen", "s@test.local", "x")
    StaffRole.objects.create(user=head, office=Office.objects.get(code="pusat"), role=Role.HEAD_OF_OFFICE)
    assert _seen(head) == set(a.tracking_code for a in apps.values())
    root = get_user_model().objects.create_superuser("root", "r@test.local", "x")
    assert _seen(root) == set(a.tracking_code for a in apps.values())


def test_citizens_and_anonymous_see_nothing(people, apps):
    from django.contrib.auth.models import AnonymousUser

    assert _seen(people.outsider) == set()
    assert _seen(AnonymousUser()) == set()
    assert not access.can_view(people.outsider, apps["lutra_pendma"])
