"""The shipped national letter templates (documents/data/templates.json), for services the
catalogue has; an existing national template is left as the ministry edited it."""

import json
from pathlib import Path

from django.db import migrations


def load(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "templates.json").read_text(encoding="utf-8"))
    for row in data["templates"]:
        service = Service.objects.filter(slug=row["service"]).first()
        if service is None or DocumentTemplate.objects.filter(service=service, office__isnull=True).exists():
            continue
        DocumentTemplate.objects.create(service=service, title=row["title"], classification=row["classification"],
                                        body=row["body"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("services", "0002_load_catalog")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
