"""Data: the real office tree (Pusat, 38 Kanwil, 514 Kankemenag) from the shipped region list."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.organization.reference import load_offices

    load_offices(apps.get_model("organization", "Office"))


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
