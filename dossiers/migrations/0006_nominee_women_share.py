# The share of women in a collective nominee (issue 13, votes: Decree 152/2025 art. 4 §6).
# Written by hand so that it holds this one field only, not other engineers' edits in flight.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_rule_basis"),
    ]

    operations = [
        migrations.AddField(
            model_name="nominee",
            name="women_share",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Tập thể có từ 70 % nữ được ưu tiên (Điều 4 khoản 6 Nghị định 152/2025).",
                max_digits=5,
                null=True,
                verbose_name="tỷ lệ nữ trong tập thể (%)",
            ),
        ),
    ]
