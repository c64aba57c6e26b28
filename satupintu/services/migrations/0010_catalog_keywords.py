"""Data: the shipped catalog's newer search words on databases made before them ("nikah" finds
the BP4 marriage advice too), added to each service's own, which an administrator may have edited."""

from django.db import migrations


def add_keywords(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.services.reference import catalog_data

    Service = apps.get_model("services", "Service")
    shipped = {s["slug"]: s.get("keywords", []) for s in catalog_data()["services"]}
    for service in Service.objects.filter(slug__in=list(shipped)):
        missing = [k for k in shipped[service.slug] if k not in service.keywords]
        if missing:
            service.keywords = [*service.keywords, *missing]
            service.save(update_fields=["keywords"])


class Migration(migrations.Migration):

    dependencies = [
        ("services", "0009_application_language"),
    ]

    operations = [migrations.RunPython(add_keywords, migrations.RunPython.noop)]
