"""Excel (.xlsx) exports of lists (openpyxl): builders return bytes and write nothing."""

from office.spreadsheets import table_xlsx

from .documents import decision_doc

DECISION_HEADER = (
    "STT",
    "Nhóm",
    "Họ và tên / Tên tập thể",
    "Chức vụ",
    "Đơn vị",
    "Hình thức",
    "Thành tích",
)
GROUP = {"collective": "Tập thể", "individual": "Cá nhân", "household": "Hộ gia đình"}


def decision_xlsx(decision) -> bytes:
    """The attached list of a decision (draft or issued), in the order of the Word list."""
    doc = decision_doc(decision)
    rows = [
        (
            i,
            GROUP.get(r.kind, r.kind),
            r.full_name,
            r.position,
            r.organisation,
            r.award,
            r.achievement,
        )
        for i, r in enumerate(doc.rows, start=1)
    ]
    title = f"Danh sách kèm theo {decision.label or 'dự thảo quyết định'} – {decision.title}"
    return table_xlsx(title, DECISION_HEADER, rows)
