# The legal basis (căn cứ) of each rule, stored beside it (issue 13, rule sets).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_dossier_act"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardtype",
            name="basis",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Điều 59 Nghị định 129/2025/NĐ-CP; khoản 1 Điều 80 Luật TĐKT.",
                max_length=255,
                verbose_name="căn cứ (thẩm quyền, tiêu chuẩn)",
            ),
        ),
        migrations.AddField(
            model_name="awardtype",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Ghi rõ giá trị do tỉnh quy định hoặc còn chờ xác nhận.",
                max_length=255,
                verbose_name="ghi chú (tỉnh quy định, chờ xác nhận)",
            ),
        ),
        migrations.AddField(
            model_name="requireddocument",
            name="basis",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV.",
                max_length=255,
                verbose_name="căn cứ",
            ),
        ),
        migrations.AddField(
            model_name="routestage",
            name="basis",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP; QĐ 638/QĐ-BNV 2025.",
                max_length=255,
                verbose_name="căn cứ (thời hạn, biểu quyết)",
            ),
        ),
        migrations.AddField(
            model_name="routestage",
            name="note",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="ghi chú (tỉnh quy định, chờ xác nhận)"
            ),
        ),
    ]
