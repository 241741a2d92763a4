# The award registry moves to its own app (issue 11). State only: the tables stay where they
# are, under their names, and registry 0001 takes them over; not a row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0003_registry_flagged'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='EligibilityOverride'),
                migrations.DeleteModel(name='RegistryEntry'),
            ],
            database_operations=[],
        ),
    ]
