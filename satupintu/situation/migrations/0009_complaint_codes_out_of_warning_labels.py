"""Take complaints' tracking codes out of the early-warning signal labels already stored (index
and history). A tracking code opens the complaint's public page and lets its holder act as the
complainant; the labels are shown to every staff reader and mailed with zone alerts. They now
read "Pengaduan: <title>", and the page links the complaint only for readers who may open it
(warning._links, warning.complaint_links)."""

from django.db import migrations

DESK = "/petugas/pengaduan/"


def drop_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("RegionWarning", "RegionWarningHistory"):
        model = apps.get_model("situation", name)
        for row in model.objects.only("pk", "signals").iterator():
            changed = False
            for signal in row.signals or []:
                if signal.get("kind") != "complaint":
                    continue
                for link in signal.get("links") or []:
                    if str(link.get("url", "")).startswith(DESK):
                        title = str(link.get("label", "")).partition(": ")[2]
                        link["label"], link["url"], changed = f"Pengaduan: {title}", "", True
            if changed:
                model.objects.filter(pk=row.pk).update(signals=row.signals)


class Migration(migrations.Migration):
    dependencies = [("situation", "0008_response_note_details")]

    operations = [migrations.RunPython(drop_codes, migrations.RunPython.noop)]
