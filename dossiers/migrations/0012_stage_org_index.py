"""The home pages' index on the route stages (issue 18, docs/performance.md).

`dossierstage_org_received_idx` on (organisation_id, received_complete_on, id): each section
of a home page asks whether a dossier's current stage is at one of the user's bodies, and for
the secretariat whether it was received complete (workflow.dashboards.waiting_for). PostgreSQL
answers those semi-joins by hashing the ids of the stages at the body; with this index that
is an index-only scan of the body's entries, not a read of every such stage row (29 000 at
the province at 100 000 dossiers, 30–70 ms each, five times per home page).

Raw SQL as in 0011 (no model state; the same statement on SQLite and PostgreSQL).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS dossierstage_org_received_idx "
    "ON dossiers_dossierstage (organisation_id, received_complete_on, id)"
)
DROP = "DROP INDEX IF EXISTS dossierstage_org_received_idx"


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0011_list_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
