"""Data: the national entries for the ministry's other apps (bridge/data/external_apps.json)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.bridge.catalog import load_external_apps

    load_external_apps(models={"ExternalApp": apps.get_model("bridge", "ExternalApp"),
                               "Unit": apps.get_model("organization", "Unit")})


class Migration(migrations.Migration):
    dependencies = [("bridge", "0001_initial"), ("services", "0002_load_catalog")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
