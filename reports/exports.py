"""The statistics as .xlsx: the page's figures, and each report form in its own layout.

Both go through office.spreadsheets.table_xlsx, which writes text that looks like a formula
as text (a unit named "=HYPERLINK(…)" stays a name). Builds bytes, writes nothing.
"""

from office.spreadsheets import table_xlsx

from .figures import AwardFigures, Filters, StageFigures
from .layouts import fill, headers
from .models import ReportForm

AWARD_HEADER = (
    "STT",
    "Hình thức khen thưởng",
    "Cấp quyết định",
    "Tập thể",
    "Cá nhân",
    "Hộ gia đình",
    "Tổng số",
    "Cá nhân nữ",
    "Người lao động trực tiếp",
    "Đột xuất",
    "Chuyên đề",
    "Tiền thưởng (đồng)",
)


def period_text(filters: Filters) -> str:
    return f"từ {filters.date_from:%d/%m/%Y} đến {filters.date_to:%d/%m/%Y}"


def statistics_xlsx(filters: Filters, awards: AwardFigures, stages: StageFigures) -> bytes:
    """One sheet: awards per form and level, the totals and shares, then time per stage."""
    rows: list[tuple] = [
        (
            i,
            r.name,
            r.level_label,
            r.collective,
            r.individual,
            r.household,
            r.total,
            r.women,
            r.direct,
            r.ad_hoc,
            r.thematic,
            r.prize,
        )
        for i, r in enumerate(awards.rows, start=1)
    ]
    t = awards.total
    rows.append(
        (
            "",
            "Tổng cộng",
            "",
            t("collective"),
            t("individual"),
            t("household"),
            t("total"),
            t("women"),
            t("direct"),
            t("ad_hoc"),
            t("thematic"),
            t("prize"),
        )
    )
    rows.append(("", "Tỷ lệ nữ trong khen thưởng cá nhân", "", awards.women_share))
    rows.append(("", "Tỷ lệ người lao động trực tiếp", "", awards.direct_share))
    rows.append(())
    rows.append(("", "Bước xử lý", "Số lượt", "Trung vị (ngày làm việc)", "P90", "Quá hạn"))
    for s in stages.stages:
        rows.append(
            ("", s.label, s.clocks, s.median, s.p90, f"{s.late}/{s.total} ({s.overdue_rate})")
        )
    rows.append(())
    rows.append(("", "Bước xử lý", "Cơ quan", "Số lượt", "Quá hạn", "Tỷ lệ quá hạn"))
    for o in stages.overdue:
        rows.append(("", o.label, o.organisation, o.total, o.late, o.rate))
    title = f"Thống kê khen thưởng – {filters.organisation.name} – {period_text(filters)}"
    return table_xlsx(title, AWARD_HEADER, rows)


def report_form_xlsx(form: ReportForm, filters: Filters, figures: dict[str, int]) -> bytes:
    """The form `form` filled with `figures`, in its layout; its basis and status below."""
    rows: list[tuple] = [(row.number, row.label, *row.cells) for row in fill(form.layout, figures)]
    rows.append(())
    rows.append(("", f"Căn cứ: {form.legal_basis}"))
    if not form.layout_confirmed:
        rows.append(
            ("", f"Lưu ý: {form.note or 'bố cục mặc định, chờ đối chiếu với mẫu ban hành.'}")
        )
    title = f"Biểu {form.code}: {form.title} – {filters.organisation.name} – {period_text(filters)}"
    return table_xlsx(title, ("STT", "Chỉ tiêu", *headers(form.layout)), rows)
