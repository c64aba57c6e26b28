"""Complaints already in the room: mask what every staff reader could see of the people in them.
Items came in with NIKs and phone numbers masked only; e-mail addresses, the reporter's own name
and street addresses were shown to staff everywhere (internal.sync_reports now masks them).
The complaint itself is read again, so the item gets exactly what a new sync would give."""

from django.db import migrations


def mask_people(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.core.privacy import mask_known_people

    Item = apps.get_model("situation", "Item")
    Report = apps.get_model("feedback", "Report")
    items = Item.objects.filter(source__kind="internal").only("pk", "external_id", "title", "text")
    for item in items.iterator(chunk_size=500):
        report = Report.objects.filter(tracking_code=item.external_id).only("title", "text", "reporter_name").first()
        names = [report.reporter_name] if report else []
        title = mask_known_people(item.title, names)
        text = mask_known_people(item.text, names)
        if (title, text) != (item.title, item.text):
            Item.objects.filter(pk=item.pk).update(title=title[:500], text=text)


class Migration(migrations.Migration):
    dependencies = [("situation", "0009_complaint_codes_out_of_warning_labels"), ("feedback", "0006_report_event_data")]

    operations = [migrations.RunPython(mask_people, migrations.RunPython.noop)]
