from django.db import migrations, models

# Adding columns with a constant default rewrites no row on PostgreSQL 11+ (no UPDATE runs), so
# the append-only trigger of 0002 stays in place and is not tripped.


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_personal_data_access_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='personaldataaccess',
            name='reason',
            field=models.CharField(blank=True, max_length=20, default=''),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='personaldataaccess',
            name='reason_note',
            field=models.CharField(blank=True, max_length=200, default=''),
            preserve_default=False,
        ),
    ]
