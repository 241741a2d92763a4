"""Form 0601.N (emulation movements, phong trào thi đua) of Circular 02/2023/TT-BNV, and its
2025 successor, as data over the campaigns' figures (reports/movements.py).

Domain §8: 0601.N counts the movements by level, scope, duration and method. The exact
columns of the printed form were not at hand: both versions ship as **configurable
defaults** (`layout_confirmed=False`, said in `note` and on every export). Duration and
method are read from the campaign's kind: yearly and multi-year campaigns are regular
emulation (thường xuyên), thematic ones by topic or round (chuyên đề, theo đợt).

The layout data is written out here, not imported: a migration replays history as it was.
"""

from datetime import date

from django.db import migrations

BASIS_2023 = "Thông tư số 02/2023/TT-BNV của Bộ Nội vụ (biểu mẫu thống kê thi đua, khen thưởng)"
BASIS_2025 = (
    "Thông tư số 13/2025/TT-BNV (chỉ tiêu thống kê) và Thông tư số 18/2025/TT-BNV (chế độ "
    "báo cáo thống kê) của Bộ Nội vụ"
)
NOTE_2023 = (
    "Bố cục mặc định, cấu hình được: các cột của biểu 0601.N chưa đối chiếu với mẫu ban hành; "
    "ngày áp dụng theo kỳ báo cáo năm 2023 đến hết 30/6/2025, chờ xác nhận."
)
NOTE_2025 = (
    "Bố cục mặc định, cấu hình được: chưa đối chiếu với mẫu biểu ban hành kèm Thông tư "
    "18/2025/TT-BNV; ký hiệu và ngày áp dụng chờ xác nhận."
)

COLUMNS = [
    {"key": "total", "label": "Tổng số phong trào thi đua được phát động"},
    {"key": "regular", "label": "Hình thức: thi đua thường xuyên"},
    {"key": "thematic", "label": "Hình thức: thi đua theo chuyên đề, theo đợt"},
    {"key": "yearly", "label": "Thời gian: hằng năm"},
    {"key": "multi_year", "label": "Thời gian: nhiều năm (giai đoạn)"},
]
ROWS = [
    {"number": "1", "label": "Theo cấp phát động: cấp tỉnh", "keys": ["movement.level.province"]},
    {
        "number": "2",
        "label": "Theo cấp phát động: sở, ban, ngành, đoàn thể tỉnh",
        "keys": ["movement.level.department"],
    },
    {"number": "3", "label": "Theo cấp phát động: cấp xã", "keys": ["movement.level.commune"]},
    {
        "number": "4",
        "label": "Theo cấp phát động: cơ quan, đơn vị cơ sở",
        "keys": ["movement.level.unit"],
    },
    {
        "number": "5",
        "label": "Theo cấp phát động: cấp huyện (trước 01/7/2025)",
        "keys": ["movement.level.district"],
    },
    {
        "number": "6",
        "label": "Theo phạm vi: toàn bộ cơ quan, đơn vị thuộc quyền",
        "keys": ["movement.scope.whole"],
    },
    {
        "number": "7",
        "label": "Theo phạm vi: một số cơ quan, đơn vị được xác định",
        "keys": ["movement.scope.named"],
    },
    {"number": "", "label": "Tổng cộng", "keys": ["movement.all"], "bold": True},
]
LAYOUT = {"columns": COLUMNS, "rows": ROWS}
CODE_2023, CODE_2025 = "0601.N/BNV-TĐKT", "TT18/2025-PTTĐ"


def seed(apps, schema_editor):
    ReportForm = apps.get_model("reports", "ReportForm")
    first, _ = ReportForm.objects.get_or_create(
        code=CODE_2023,
        valid_from=date(2023, 1, 1),
        defaults={
            "title": "Phong trào thi đua (theo cấp phát động, phạm vi, thời gian và hình thức)",
            "legal_basis": BASIS_2023,
            "valid_to": date(2025, 6, 30),
            "layout": LAYOUT,
            "layout_confirmed": False,
            "note": NOTE_2023,
        },
    )
    ReportForm.objects.get_or_create(
        code=CODE_2025,
        valid_from=date(2025, 7, 1),
        defaults={
            "title": "Phong trào thi đua (mẫu mặc định theo Thông tư 18/2025/TT-BNV)",
            "legal_basis": BASIS_2025,
            "layout": LAYOUT,
            "layout_confirmed": False,
            "note": NOTE_2025,
            "supersedes": first,
        },
    )


def unseed(apps, schema_editor):
    ReportForm = apps.get_model("reports", "ReportForm")
    ReportForm.objects.filter(code=CODE_2025).delete()
    ReportForm.objects.filter(code=CODE_2023).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_statutory_forms")]

    operations = [migrations.RunPython(seed, unseed)]
