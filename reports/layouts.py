"""A report form's layout filled with figures. Pure: no ORM.

A layout is data (reports.models.ReportForm.layout):

    {"columns": [{"key": "total", "label": "Tổng số"}, {"key": "women", "label": "Nữ"}],
     "rows": [{"label": "Bằng khen của Chủ tịch UBND tỉnh", "keys": ["form.bang-khen-tinh"]},
              {"label": "Cấp tỉnh", "keys": ["level.province"], "bold": true}]}

A cell is the sum of the figures `<row key>.<column key>` over the row's keys (a missing
figure is 0): one row can gather several award codes (e.g. every Huân chương).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FilledRow:
    number: str
    label: str
    cells: tuple[int, ...]
    bold: bool = False


def layout_problems(layout: object) -> list[str]:
    """What is wrong with a layout, in words (empty when it is usable)."""
    if not isinstance(layout, dict):
        return [_("Bố cục phải là một đối tượng JSON có 'columns' và 'rows'.")]
    problems = []
    columns, rows = layout.get("columns"), layout.get("rows")
    if not isinstance(columns, list) or not columns:
        problems.append(_("Bố cục: cần ít nhất một cột ('columns')."))
    elif any(not isinstance(c, dict) or not c.get("key") or not c.get("label") for c in columns):
        problems.append(_("Bố cục: mỗi cột cần 'key' và 'label'."))
    if not isinstance(rows, list) or not rows:
        problems.append(_("Bố cục: cần ít nhất một dòng ('rows')."))
    elif any(
        not isinstance(r, dict) or not r.get("label") or not isinstance(r.get("keys", []), list)
        for r in rows
    ):
        problems.append(_("Bố cục: mỗi dòng cần 'label' và danh sách 'keys'."))
    return problems


def fill(layout: Mapping, figures: Mapping[str, int]) -> list[FilledRow]:
    """The layout's rows with each cell summed from `figures`."""
    columns = [c["key"] for c in layout["columns"]]
    filled = []
    for row in layout["rows"]:
        keys = row.get("keys", [])
        cells = tuple(sum(int(figures.get(f"{k}.{col}", 0)) for k in keys) for col in columns)
        filled.append(
            FilledRow(
                number=str(row.get("number", "")),
                label=row["label"],
                cells=cells,
                bold=bool(row.get("bold")),
            )
        )
    return filled


def headers(layout: Mapping) -> list[str]:
    return [c["label"] for c in layout["columns"]]
