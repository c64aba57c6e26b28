"""The tests' own reload of the migrated data (tests/conftest._bulk_deserialize_db_from_string)
gives back exactly the rows Django's own reload gives: same models, same counts, same values."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.conftest import DJANGO_DESERIALIZE_DB_FROM_STRING


def _flush() -> None:
    call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bulk_reload_gives_back_what_django_s_own_reload_gives() -> None:
    data = connection._test_serialized_contents  # type: ignore[attr-defined]
    before = _counts()
    # Against Django's reload, not the serialized text: JSON keeps timestamps to the millisecond, so a
    # stamp of 12:00:00.000456 comes back as 12:00:00 either way.
    _flush()
    DJANGO_DESERIALIZE_DB_FROM_STRING(connection.creation, data)
    by_django = json.loads(connection.creation.serialize_db_to_string())
    _flush()
    assert not apps.get_model("organization", "Office")._base_manager.exists()
    connection.creation.deserialize_db_from_string(data)
    assert _counts() == before
    # Every value, auto_now stamps included, as Django's row-by-row save stores them.
    assert json.loads(connection.creation.serialize_db_to_string()) == by_django
    # A second reload over the rows already there (the first such test finds them) changes nothing.
    connection.creation.deserialize_db_from_string(data)
    assert json.loads(connection.creation.serialize_db_to_string()) == by_django
