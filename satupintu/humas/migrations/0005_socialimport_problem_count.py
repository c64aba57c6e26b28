"""Imports keep only their first problems; the count of all of them is kept beside."""

from django.db import migrations, models


def count_problems(apps, schema_editor):  # type: ignore[no-untyped-def]
    SocialImport = apps.get_model("humas", "SocialImport")
    for record in SocialImport.objects.exclude(problems=[]).only("pk", "problems").iterator():
        SocialImport.objects.filter(pk=record.pk).update(problem_count=len(record.problems),
                                                          problems=record.problems[:100])


class Migration(migrations.Migration):
    dependencies = [("humas", "0004_channel_created_source")]

    operations = [
        migrations.AddField(model_name="socialimport", name="problem_count",
                            field=models.PositiveIntegerField(default=0)),
        migrations.RunPython(count_problems, migrations.RunPython.noop),
    ]
