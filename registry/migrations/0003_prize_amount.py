# posting-prize (issue 13): the prize money paid with an award, on its registry entry.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_holds_initiatives_awarding_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryentry",
            name="prize_amount",
            field=models.PositiveBigIntegerField(
                blank=True,
                help_text="Tính theo lương cơ sở ngày ký quyết định; trống: không có tiền thưởng.",
                null=True,
                verbose_name="tiền thưởng (đồng)",
            ),
        ),
        migrations.AddField(
            model_name="registryentry",
            name="prize_note",
            field=models.CharField(blank=True, max_length=255, verbose_name="ghi chú tiền thưởng"),
        ),
    ]
