"""The awardee's public verification token (issue 14, decisions.verification).

Added nullable, filled row by row, then made unique (Django's recipe for a unique field
on a table with rows); `atomic = False` so the ALTER does not follow the UPDATEs in one
PostgreSQL transaction ("pending trigger events").
"""

import functools
import secrets

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    entry = apps.get_model("registry", "RegistryEntry")
    for row in entry.objects.filter(verification_token__isnull=True).only("pk"):
        row.verification_token = secrets.token_urlsafe(16)
        row.save(update_fields=["verification_token"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0003_prize_amount"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryentry",
            name="verification_token",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registryentry",
            name="verification_token",
            field=models.CharField(
                default=functools.partial(secrets.token_urlsafe, *(16,), **{}),
                editable=False,
                max_length=32,
                unique=True,
            ),
        ),
    ]
