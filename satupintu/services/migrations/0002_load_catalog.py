"""Data: the national PTSP catalog (units and services) shipped in catalog_data/catalog.json."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.services.reference import load_catalog

    load_catalog(models={
        "Unit": apps.get_model("organization", "Unit"),
        "Service": apps.get_model("services", "Service"),
        "Requirement": apps.get_model("services", "Requirement"),
        "FormField": apps.get_model("services", "FormField"),
    })


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial"), ("organization", "0002_load_offices")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
