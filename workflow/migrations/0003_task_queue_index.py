"""The task inbox's index on viewflow's task table (issue 18, docs/performance.md).

`task_queue_idx` on (owner_permission_obj_pk, owner_permission) of the unclaimed tasks
(status NEW): the inbox's "tasks I may claim" (workflow.flows.claimable_tasks) asks for the
open tasks of a codename on an organisation; without it PostgreSQL read every task (a
sequential scan of viewflow_task at 100 000 dossiers) to find the few hundred of one body.

Raw SQL, as dossiers 0011 does: the table is viewflow's (another app's model, whose state
we do not change), and the statement is the same on SQLite and PostgreSQL.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS task_queue_idx "
    "ON viewflow_task (owner_permission_obj_pk, owner_permission) WHERE status = 'NEW'"
)
DROP = "DROP INDEX IF EXISTS task_queue_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_reminder_rules_and_beat"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
