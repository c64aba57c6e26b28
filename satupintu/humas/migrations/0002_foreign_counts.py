# The note on a feed that is another office's was a sentence in Indonesian (shown untranslated on
# English pages); it becomes the counts behind the verdict, worded where it is read.

import re

from django.db import migrations, models

# channels.channel_check_owner wrote: "{other} dari {placed} berita terakhir menyebut wilayah {region},
# {own} menyebut wilayah kantor ini"
_NOTE = re.compile(r"^(\d+) dari (\d+) berita terakhir menyebut wilayah .*, (\d+) menyebut wilayah kantor ini$")


def notes_to_counts(apps, schema_editor):  # type: ignore[no-untyped-def]
    Channel = apps.get_model("humas", "Channel")
    for channel in Channel.objects.exclude(foreign_note="").only("pk", "foreign_note"):
        m = _NOTE.match(channel.foreign_note)
        if m:  # anything else is rewritten by the next refresh (figures.refresh_month checks every feed)
            Channel.objects.filter(pk=channel.pk).update(foreign_other=int(m.group(1)), foreign_placed=int(m.group(2)),
                                                         foreign_own=int(m.group(3)))


class Migration(migrations.Migration):

    dependencies = [
        ("humas", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="channel",
            name="foreign_other",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="channel",
            name="foreign_own",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="channel",
            name="foreign_placed",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(notes_to_counts, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="channel",
            name="foreign_note",
        ),
    ]
