# posting-prize (issue 13): the dated base salary table (Decree 73/2024: 2 340 000 VND from
# 01/07/2024) and the prize multiples of the shipped award forms where none is set
# (Decree 152/2025 art. 49–54; decisions.prize.DEFAULT_MULTIPLES, copied here so that a later
# edit of that table never changes what this migration did).

import datetime
from decimal import Decimal

from django.db import migrations, models

BASE_SALARIES = [
    (datetime.date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP ngày 14 tháng 5 năm 2023"),
    (datetime.date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP ngày 30 tháng 6 năm 2024"),
]
MULTIPLES = {
    "cstd-toan-quoc": (Decimal("4.5"), None),
    "cstd-tinh": (Decimal("3.0"), None),
    "cstdcs": (Decimal("1.0"), None),
    "ldtt": (Decimal("0.3"), None),
    "ttldxs": (None, Decimal("1.5")),
    "ttldtt": (None, Decimal("0.8")),
    "co-thi-dua-chinh-phu": (None, Decimal("12")),
    "co-thi-dua-tinh": (None, Decimal("8")),
    "bang-khen-ttg": (Decimal("3.5"), Decimal("7")),
    "bang-khen-tinh": (Decimal("1.0"), Decimal("3")),
    "giay-khen-xa": (Decimal("0.3"), Decimal("0.6")),
    "giay-khen-huyen": (Decimal("0.3"), Decimal("0.6")),
}


def forwards(apps, schema_editor):
    base_salary = apps.get_model("decisions", "BaseSalary")
    for valid_from, amount, basis in BASE_SALARIES:
        base_salary.objects.get_or_create(
            valid_from=valid_from, defaults={"amount": amount, "basis": basis}
        )
    award_type = apps.get_model("dossiers", "AwardType")
    for code, (individual, collective) in MULTIPLES.items():
        if individual is not None:
            award_type.objects.filter(code=code, prize_multiple__isnull=True).update(
                prize_multiple=individual
            )
        if collective is not None:
            award_type.objects.filter(code=code, prize_multiple_collective__isnull=True).update(
                prize_multiple_collective=collective
            )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0004_registry_moves_out"),
        ("dossiers", "0007_posting_party_opinion_prize"),
    ]

    operations = [
        migrations.CreateModel(
            name="BaseSalary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(unique=True, verbose_name="áp dụng từ ngày")),
                (
                    "amount",
                    models.PositiveBigIntegerField(verbose_name="mức lương cơ sở (đồng/tháng)"),
                ),
                ("basis", models.CharField(max_length=255, verbose_name="căn cứ")),
            ],
            options={
                "verbose_name": "mức lương cơ sở",
                "verbose_name_plural": "mức lương cơ sở",
                "ordering": ["-valid_from"],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
