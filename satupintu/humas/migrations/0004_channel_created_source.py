"""Channel.created_source (a channel removes only the room source it created itself), and every
stored url_key recomputed with the address normalisation of channels.url_key (query string,
default port and feed suffixes no longer make another spelling of the same feed)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from satupintu.humas.channels import url_key

    Channel = apps.get_model("humas", "Channel")
    for channel in Channel.objects.select_related("source").iterator():
        fields = []
        if channel.url:
            key = url_key(channel.url)
            if key != channel.url_key:
                channel.url_key, fields = key, ["url_key"]
        # A source created for the channel was made in the same transaction, after the channel row;
        # one that existed before was the room's (taken over before this fix) and is not the channel's.
        if channel.source is not None and channel.source.created_at >= channel.created_at:
            channel.created_source = True
            fields.append("created_source")
        if fields:
            channel.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ('humas', '0003_whatsapp_unanswered'),
    ]

    operations = [
        migrations.AddField(
            model_name='channel',
            name='created_source',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
