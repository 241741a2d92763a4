"""`flush` empties every table, the audit trail included: a maintenance act by definition.

The guards of audit/database.py refuse DELETE/TRUNCATE of audit rows and of the number
register, so Django's flush (and with it the test suite's reset between transactional
tests) runs inside `maintenance()`, as the owner when DATABASE_OWNER_URL is set.
"""

from django.core.management.commands.flush import Command as DjangoFlush

from audit.database import as_owner, maintenance


class Command(DjangoFlush):
    def handle(self, **options):
        using = options.get("database", "default")
        with as_owner(using), maintenance(using):
            return super().handle(**options)
