"""Excel (.xlsx) export of registry entries: builds bytes and writes nothing."""

from collections.abc import Iterable

from office.spreadsheets import table_xlsx

from .models import RegistryEntry

REGISTRY_HEADER = (
    "STT",
    "Họ và tên / Tên tập thể",
    "Năm sinh",
    "Đơn vị",
    "Hình thức",
    "Năm",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Tình trạng",
)


def registry_xlsx(entries: Iterable[RegistryEntry], *, title: str = "Kết quả khen thưởng") -> bytes:
    rows = (
        (
            i,
            e.full_name,
            e.birth_year or "",
            e.organisation_name,
            e.award_name,
            e.year,
            e.decision_label,
            e.decision_date,
            e.issuer_name,
            e.get_status_display(),
        )
        for i, e in enumerate(entries, start=1)
    )
    return table_xlsx(title, REGISTRY_HEADER, rows)
