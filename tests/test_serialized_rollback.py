"""The tests' own reload of the migrated data (tests/conftest._bulk_deserialize_db_from_string)
gives back exactly the rows Django serialized: same models, same counts, same values."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bulk_reload_gives_back_the_serialized_rows_unchanged() -> None:
    data = connection._test_serialized_contents  # type: ignore[attr-defined]
    before = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
    assert not apps.get_model("organization", "Office")._base_manager.exists()
    connection.creation.deserialize_db_from_string(data)
    assert {m._meta.label: m._base_manager.count() for m in apps.get_models()} == before
    # Every value, auto_now stamps included, as stored when the rows were serialized.
    assert json.loads(connection.creation.serialize_db_to_string()) == json.loads(data)
    # A second reload over the rows already there (the first such test finds them) changes nothing.
    connection.creation.deserialize_db_from_string(data)
    assert json.loads(connection.creation.serialize_db_to_string()) == json.loads(data)
