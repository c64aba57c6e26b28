"""The personal-data access log is append-only: not in the admin (superusers included), not
through the ORM, and on PostgreSQL not even in raw SQL (issue #11, point 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client

from satupintu.core.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

LIST = "/admin/core/personaldataaccess/"


@pytest.fixture
def row(people) -> PersonalDataAccess:  # type: ignore[no-untyped-def]
    return PersonalDataAccess.objects.create(user=people.fo_lutra, subject_type="application",
                                             subject_ref="ABCDE-FGHJK", what="identitas pemohon", ip="10.0.0.5")


@pytest.fixture
def superuser_client() -> Client:
    get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    client = Client()
    assert client.login(username="root", password="sandi-uji-123")
    return client


def test_the_admin_offers_no_delete_not_even_to_a_superuser(row, superuser_client: Client) -> None:  # type: ignore[no-untyped-def]
    page = superuser_client.get(LIST)
    assert page.status_code == 200 and "ABCDE-FGHJK" in page.content.decode()
    assert "delete_selected" not in page.content.decode() and 'name="action"' not in page.content.decode()
    # The bulk action posted by hand does nothing.
    superuser_client.post(LIST, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert superuser_client.get(f"{LIST}{row.pk}/delete/").status_code == 403
    assert superuser_client.post(f"{LIST}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    # Viewable, not changeable.
    change = superuser_client.post(f"{LIST}{row.pk}/change/", {"subject_ref": "XXXXX-XXXXX", "what": "x"})
    assert change.status_code == 403
    row.refresh_from_db()
    assert (row.subject_ref, row.what) == ("ABCDE-FGHJK", "identitas pemohon")
    assert PersonalDataAccess.objects.count() == 1


def test_the_orm_refuses_to_change_or_delete(row) -> None:  # type: ignore[no-untyped-def]
    row.what = "dihapus"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        PersonalDataAccess.objects.all().delete()
    with pytest.raises(PermissionDenied):
        PersonalDataAccess.objects.filter(pk=row.pk).update(what="dihapus")
    assert PersonalDataAccess.objects.get().what == "identitas pemohon"
    # New rows are still written (that is the log's whole job).
    PersonalDataAccess.objects.create(subject_type="report", subject_ref="K", what="identitas pelapor")
    assert PersonalDataAccess.objects.count() == 2


def test_deleting_a_person_does_not_rewrite_who_looked(row, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProtectedError):
        people.fo_lutra.delete()
    assert PersonalDataAccess.objects.get().user_id == people.fo_lutra.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_update_and_delete(row) -> None:  # type: ignore[no-untyped-def]
    for sql in ("DELETE FROM core_personaldataaccess", "UPDATE core_personaldataaccess SET what = 'x'"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert PersonalDataAccess.objects.get().what == "identitas pemohon"
