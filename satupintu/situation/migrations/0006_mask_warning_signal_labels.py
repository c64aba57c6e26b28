"""Mask NIKs and phone numbers in the early-warning signal labels already stored (index and
history): before this, a field report's opening words and a complaint's title went in as
written (warning._links masks them now)."""

from django.db import migrations


def mask_stored_labels(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.core.privacy import mask_free_text

    for name in ("RegionWarning", "RegionWarningHistory"):
        model = apps.get_model("situation", name)
        for row in model.objects.only("pk", "signals").iterator():
            changed = False
            for signal in row.signals or []:
                for link in signal.get("links") or []:
                    masked = mask_free_text(link.get("label", ""))
                    if masked != link.get("label", ""):
                        link["label"], changed = masked, True
            if changed:
                model.objects.filter(pk=row.pk).update(signals=row.signals)


class Migration(migrations.Migration):
    dependencies = [("situation", "0005_response_cases")]

    operations = [migrations.RunPython(mask_stored_labels, migrations.RunPython.noop)]
