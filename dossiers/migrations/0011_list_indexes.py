"""The indexes the dossier list's queries need at a province's volume (docs/performance.md).

- `dossier_updated_idx` on (updated_at DESC, id DESC): the list's default order; a page is
  read from the index, not by sorting every visible row;
- `dossierstage_routed_idx` on (organisation_id, dossier_id) of the stages entered: the
  visibility semi-join ("has reached a stage of one of my organisations") reads it alone;
- on PostgreSQL only, `dossier_search_trgm`: a trigram GIN index (pg_trgm) on the folded
  search column, so `search_text LIKE '%term%'` is an index scan, not a scan of the table.

Raw SQL run through the schema editor: the indexes live in the database only (no model
state changes), so `makemigrations --check` stays clean without editing dossiers/models.py;
the trigram index needs PostgreSQL, and the migration also runs on SQLite.
"""

from django.db import migrations

COMMON = (
    (
        "dossier_updated_idx",
        "CREATE INDEX IF NOT EXISTS dossier_updated_idx "
        "ON dossiers_dossier (updated_at DESC, id DESC)",
    ),
    (
        "dossierstage_routed_idx",
        "CREATE INDEX IF NOT EXISTS dossierstage_routed_idx "
        "ON dossiers_dossierstage (organisation_id, dossier_id) WHERE entered_at IS NOT NULL",
    ),
)
POSTGRESQL = (
    ("pg_trgm", "CREATE EXTENSION IF NOT EXISTS pg_trgm"),
    (
        "dossier_search_trgm",
        "CREATE INDEX IF NOT EXISTS dossier_search_trgm "
        "ON dossiers_dossier USING gin (search_text gin_trgm_ops)",
    ),
)


def create(apps, schema_editor):
    statements = list(COMMON)
    if schema_editor.connection.vendor == "postgresql":
        statements += POSTGRESQL
    for _name, sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    # The extension stays: other databases objects may use it.
    names = [name for name, _sql in COMMON]
    if schema_editor.connection.vendor == "postgresql":
        names.append("dossier_search_trgm")
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_campaign_launch_scope")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
