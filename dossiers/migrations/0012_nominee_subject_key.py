"""Nominees carry their identity key (registry.identity), indexed: eligibility matches other
dossiers' nominees on it instead of `full_name IN (…)` filtered in Python (issue 18)."""

from django.db import migrations, models

from registry.identity import subject_key


def fill_keys(apps, schema_editor):
    # One UPDATE … FROM a VALUES list per 2 000 rows (bulk_update's CASE over 5 000 rows
    # took 4 minutes for 200 000 nominees); the key is made in Python, as save() makes it.
    table = apps.get_model("dossiers", "Nominee")._meta.db_table
    rows = (
        apps.get_model("dossiers", "Nominee")
        .objects.order_by("pk")
        .values_list("pk", "identity_code", "full_name", "birth_year", "organisation_name")
    )
    with schema_editor.connection.cursor() as cursor:

        def write(batch):
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"WITH v(id, k) AS (VALUES {values}) "  # noqa: S608 - our table; values are params
                f"UPDATE {table} SET subject_key = v.k FROM v WHERE {table}.id = v.id",
                [x for pair in batch for x in pair],
            )

        batch = []
        for pk, code, name, year, unit in rows.iterator(chunk_size=5000):
            key = subject_key(
                identity_code=code, full_name=name, birth_year=year, organisation_name=unit
            )
            batch.append((pk, key))
            if len(batch) == 2000:
                write(batch)
                batch = []
        if batch:
            write(batch)
        if schema_editor.connection.vendor == "postgresql":
            # The planner's figures for the new column, before the index is used: without
            # them it takes a key for as common as 1 % of the table (a scan of the open
            # dossiers instead of the index) until autovacuum comes by.
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0011_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="nominee",
            name="subject_key",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=300, verbose_name="mã đối tượng"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="nominee",
            index=models.Index(fields=["subject_key"], name="nominee_subject_key"),
        ),
    ]
