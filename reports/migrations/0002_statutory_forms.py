"""The statutory report forms: the 2023 forms and their 2025 successors, as data.

Circular 02/2023/TT-BNV (the statistics forms of the 2023 regime, domain §8): 0602.N counts
state-level awards, 0603.N provincial awards, by collectives (of which enterprises),
households and individuals (of which direct workers), and the kind of awarding. 0601.N
(emulation movements) belongs to the campaigns room and is not laid out here.

Circulars 13/2025/TT-BNV (indicators) and 18/2025/TT-BNV (reporting regime) succeed them
(QĐ 1383/QĐ-BNV 2025). Their exact layouts and symbols were not at hand: the successors ship
as **configurable defaults** (`layout_confirmed=False`, said in `note` and on every export),
over the same figures, with prize money and a grassroots form since communes decide most
awards from 01/07/2025. An administrator corrects a layout in the admin; a new circular is a
new row with its own `valid_from`.

The layout data is written out here, not imported: a migration replays history as it was.
"""

from datetime import date

from django.db import migrations

BASIS_2023 = "Thông tư số 02/2023/TT-BNV của Bộ Nội vụ (biểu mẫu thống kê thi đua, khen thưởng)"
BASIS_2025 = (
    "Thông tư số 13/2025/TT-BNV (chỉ tiêu thống kê) và Thông tư số 18/2025/TT-BNV (chế độ "
    "báo cáo thống kê) của Bộ Nội vụ"
)
DEFAULT_NOTE = (
    "Bố cục mặc định, cấu hình được: chưa đối chiếu với mẫu biểu ban hành kèm Thông tư "
    "18/2025/TT-BNV; ký hiệu và ngày áp dụng chờ xác nhận."
)
NOTE_2023 = "Ngày áp dụng theo kỳ báo cáo năm 2023 đến hết 30/6/2025; chờ xác nhận."

COLUMNS_2023 = [
    {"key": "total", "label": "Tổng số"},
    {"key": "collective", "label": "Tập thể"},
    {"key": "enterprise", "label": "Trong đó: doanh nghiệp"},
    {"key": "household", "label": "Hộ gia đình"},
    {"key": "individual", "label": "Cá nhân"},
    {"key": "direct", "label": "Trong đó: công nhân, nông dân, người lao động trực tiếp"},
    {"key": "women", "label": "Trong đó: nữ"},
    {"key": "ad_hoc", "label": "Khen thưởng đột xuất"},
    {"key": "thematic", "label": "Khen thưởng chuyên đề, theo đợt"},
]
COLUMNS_2025 = [*COLUMNS_2023, {"key": "prize", "label": "Tiền thưởng (đồng)"}]

STATE_ROWS = [
    {
        "number": "1",
        "label": "Huân chương các loại",
        "keys": [
            "form.huan-chuong-sao-vang",
            "form.huan-chuong-ho-chi-minh",
            "form.huan-chuong-doc-lap",
            "form.huan-chuong-lao-dong",
            "form.huan-chuong-bao-ve-to-quoc",
            "form.huan-chuong-dung-cam",
        ],
    },
    {
        "number": "2",
        "label": "Danh hiệu vinh dự Nhà nước",
        "keys": ["form.anh-hung-lao-dong", "form.nha-giao-nhan-dan", "form.thay-thuoc-nhan-dan"],
    },
    {"number": "3", "label": "Chiến sĩ thi đua toàn quốc", "keys": ["form.cstd-toan-quoc"]},
    {"number": "4", "label": "Cờ thi đua của Chính phủ", "keys": ["form.co-thi-dua-chinh-phu"]},
    {
        "number": "5",
        "label": "Bằng khen của Thủ tướng Chính phủ",
        "keys": ["form.bang-khen-ttg", "form.bang-khen-thu-tuong"],
    },
]
PROVINCIAL_ROWS = [
    {"number": "1", "label": "Cờ thi đua của Ủy ban nhân dân tỉnh", "keys": ["form.co-thi-dua-tinh"]},
    {"number": "2", "label": "Danh hiệu Chiến sĩ thi đua cấp tỉnh", "keys": ["form.cstd-tinh"]},
    {"number": "3", "label": "Danh hiệu Tập thể lao động xuất sắc", "keys": ["form.ttldxs"]},
    {
        "number": "4",
        "label": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "keys": ["form.bang-khen-tinh"],
    },
    {"number": "5", "label": "Kỷ niệm chương", "keys": ["form.ky-niem-chuong"]},
]
GRASSROOTS_ROWS = [
    {"number": "1", "label": "Danh hiệu Lao động tiên tiến", "keys": ["form.ldtt"]},
    {"number": "2", "label": "Danh hiệu Chiến sĩ thi đua cơ sở", "keys": ["form.cstdcs"]},
    {"number": "3", "label": "Danh hiệu Tập thể lao động tiên tiến", "keys": ["form.ttldtt"]},
    {
        "number": "4",
        "label": "Giấy khen",
        "keys": ["form.giay-khen-xa", "form.giay-khen-huyen", "form.giay-khen"],
    },
    {"number": "5", "label": "Danh hiệu Gia đình văn hóa", "keys": ["form.gia-dinh-van-hoa"]},
    {"number": "6", "label": "Danh hiệu Thôn, tổ dân phố văn hóa", "keys": ["form.thon-van-hoa"]},
]
BY_LEVEL_ROWS = [
    {"number": "A", "label": "Theo cấp quyết định: cấp tỉnh", "keys": ["level.province"]},
    {"number": "B", "label": "Theo cấp quyết định: cấp xã", "keys": ["level.commune"]},
    {"number": "C", "label": "Theo cấp quyết định: sở, ban, ngành", "keys": ["level.department"]},
    {"number": "D", "label": "Theo cấp quyết định: đơn vị cơ sở", "keys": ["level.unit"]},
    {"number": "E", "label": "Theo cấp quyết định: cấp huyện (trước 01/7/2025)", "keys": ["level.district"]},
]


def _with_total(rows: list[dict]) -> list[dict]:
    keys = [k for row in rows for k in row["keys"]]
    return [*rows, {"number": "", "label": "Tổng cộng", "keys": keys, "bold": True}]


FORMS_2023 = [
    {
        "code": "0602.N/BNV-TĐKT",
        "title": "Số lượng khen thưởng cấp Nhà nước",
        "layout": {"columns": COLUMNS_2023, "rows": _with_total(STATE_ROWS)},
    },
    {
        "code": "0603.N/BNV-TĐKT",
        "title": "Số lượng khen thưởng cấp tỉnh (Bằng khen, Chiến sĩ thi đua, Cờ thi đua, "
        "Kỷ niệm chương)",
        "layout": {"columns": COLUMNS_2023, "rows": _with_total(PROVINCIAL_ROWS)},
    },
]
FORMS_2025 = [
    {
        "code": "TT18/2025-KT-NN",
        "title": "Khen thưởng cấp Nhà nước (mẫu mặc định theo Thông tư 18/2025/TT-BNV)",
        "layout": {"columns": COLUMNS_2025, "rows": _with_total(STATE_ROWS)},
        "supersedes": "0602.N/BNV-TĐKT",
    },
    {
        "code": "TT18/2025-KT-TINH",
        "title": "Khen thưởng cấp tỉnh (mẫu mặc định theo Thông tư 18/2025/TT-BNV)",
        "layout": {"columns": COLUMNS_2025, "rows": _with_total(PROVINCIAL_ROWS)},
        "supersedes": "0603.N/BNV-TĐKT",
    },
    {
        "code": "TT18/2025-KT-CS",
        "title": "Khen thưởng cấp xã, cơ sở và theo cấp quyết định (mẫu mặc định theo Thông "
        "tư 18/2025/TT-BNV)",
        "layout": {"columns": COLUMNS_2025, "rows": [*_with_total(GRASSROOTS_ROWS), *BY_LEVEL_ROWS]},
    },
]


def seed(apps, schema_editor):
    ReportForm = apps.get_model("reports", "ReportForm")
    made = {}
    for spec in FORMS_2023:
        made[spec["code"]], _ = ReportForm.objects.get_or_create(
            code=spec["code"],
            valid_from=date(2023, 1, 1),
            defaults={
                "title": spec["title"],
                "legal_basis": BASIS_2023,
                "valid_to": date(2025, 6, 30),
                "layout": spec["layout"],
                "layout_confirmed": False,
                "note": NOTE_2023,
            },
        )
    for spec in FORMS_2025:
        ReportForm.objects.get_or_create(
            code=spec["code"],
            valid_from=date(2025, 7, 1),
            defaults={
                "title": spec["title"],
                "legal_basis": BASIS_2025,
                "layout": spec["layout"],
                "layout_confirmed": False,
                "note": DEFAULT_NOTE,
                "supersedes": made.get(spec.get("supersedes", "")),
            },
        )


def unseed(apps, schema_editor):
    ReportForm = apps.get_model("reports", "ReportForm")
    codes = [f["code"] for f in FORMS_2023 + FORMS_2025]
    ReportForm.objects.filter(code__in=codes).exclude(supersedes=None).delete()
    ReportForm.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
