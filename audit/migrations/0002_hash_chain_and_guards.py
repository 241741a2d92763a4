"""The audit trail becomes a hash chain, and the database refuses to rewrite history.

1. `seq`, `prev_hash`, `hash` on every row; the rows already there are chained in the order
   they were written (`at`, then id), so `verify_audit` holds from the first row on.
2. Triggers (audit/database.py) refuse UPDATE/DELETE/TRUNCATE of audit rows, changes to
   issued decisions and to the number register, outside a maintenance session.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from audit import chain
from audit.database import install_guards, uninstall_guards


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    previous = chain.GENESIS
    fields = ("id", *chain.HASHED_FIELDS)
    rows = AuditEvent.objects.using(db).order_by("at", "id").values(*fields).iterator()
    for seq, row in enumerate(list(rows), start=1):
        digest = chain.link_hash(chain.payload(row), seq, previous)
        AuditEvent.objects.using(db).filter(pk=row["id"]).update(
            seq=seq, prev_hash=previous, hash=digest
        )
        previous = digest


def guards(apps, schema_editor):
    install_guards(schema_editor)


def no_guards(apps, schema_editor):
    uninstall_guards(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("decisions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, unique=True, verbose_name="số thứ tự trong chuỗi"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="thời điểm"
            ),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="số thứ tự trong chuỗi"
            ),
        ),
        migrations.CreateModel(
            name="UsedFormToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("purpose", models.CharField(max_length=64)),
                ("result", models.CharField(blank=True, max_length=64)),
                ("used_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "mã biểu mẫu đã dùng",
                "verbose_name_plural": "mã biểu mẫu đã dùng",
            },
        ),
        migrations.RunPython(guards, no_guards),
    ]
