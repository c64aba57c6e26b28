"""Complaints already in the room: mask what every staff reader could see of the people in them.
Items came in with NIKs and phone numbers masked only; e-mail addresses, the reporter's own name
and street addresses were shown to staff everywhere (internal.sync_reports now masks them).

Each item is masked as a new sync would mask it, and what was made from it follows: the people
found in it are dropped, and the issues it is in get their title (unless an officer wrote it)
and keywords again from their masked items. The complaints' labels in the early-warning signals
lose e-mail addresses and street addresses (the reporter is not known there)."""

from django.db import migrations


def mask_people(apps, schema_editor):  # type: ignore[no-untyped-def]
    from satupintu.core.privacy import mask_known_people
    from satupintu.organization.reference import place_words
    from satupintu.situation.issues import keywords

    Item = apps.get_model("situation", "Item")
    Issue = apps.get_model("situation", "Issue")
    Report = apps.get_model("feedback", "Report")
    keep = place_words()
    touched: dict[int, list[str]] = {}  # issue -> the reporters' names of its changed items
    items = Item.objects.filter(source__kind="internal").only("pk", "external_id", "title", "text", "entities",
                                                                "issue_id")
    for item in items.iterator(chunk_size=500):
        report = Report.objects.filter(tracking_code=item.external_id).only("reporter_name").first()
        names = [report.reporter_name] if report and report.reporter_name else []
        title, text = mask_known_people(item.title, names, keep), mask_known_people(item.text, names, keep)
        if (title, text) == (item.title, item.text):
            continue
        entities = dict(item.entities or {})
        entities["people"] = []
        Item.objects.filter(pk=item.pk).update(title=title[:500], text=text, entities=entities)
        if item.issue_id:
            touched.setdefault(item.issue_id, []).extend(names)
    for issue in Issue.objects.filter(pk__in=list(touched)):
        words: list[str] = []
        for item in Item.objects.filter(issue=issue).order_by("published_at", "pk").only("title", "text"):
            words += [w for w in keywords(item.text, item.title) if w not in words]
        issue.keywords = words[:len(issue.keywords) or len(words)]
        if not issue.title_locked:
            issue.title = mask_known_people(issue.title, touched[issue.pk], keep)[:300]
        issue.save(update_fields=["keywords", "title"])
    for name in ("RegionWarning", "RegionWarningHistory"):
        model = apps.get_model("situation", name)
        for row in model.objects.only("pk", "signals").iterator():
            changed = False
            for signal in row.signals or []:
                if signal.get("kind") != "complaint":
                    continue
                for link in signal.get("links") or []:
                    label = str(link.get("label", ""))
                    masked = mask_known_people(label, [], keep)
                    if masked != label:
                        link["label"], changed = masked, True
            if changed:
                model.objects.filter(pk=row.pk).update(signals=row.signals)


class Migration(migrations.Migration):
    dependencies = [("situation", "0009_complaint_codes_out_of_warning_labels"), ("feedback", "0006_report_event_data")]

    operations = [migrations.RunPython(mask_people, migrations.RunPython.noop)]
