"""Bar charts as inline SVG, drawn on the server. Pure: no ORM, no JavaScript.

Accessible by construction: the <svg> is role="img" with a <title> (its name) and a <desc>
(the figures in words), each bar carries its number in text beside it, and the page shows the
same numbers in a table next to the chart, so nothing is only a colour or a length. Only
presentation attributes are used (no style attribute): the Content-Security-Policy refuses
inline styles.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# A narrow drawing, so that on a 390 px phone the labels stay about 12 px high.
WIDTH = 400
ROW = 40  # label line + bar
BAR = 16
LABEL_SIZE = 14
COLOUR = "#1d70b8"  # GOV.UK blue, 5.2:1 on white
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str = ""  # the number as printed beside the bar (default: the value)


def bar_chart(*, chart_id: str, title: str, bars: Sequence[Bar], unit: str = "") -> SafeString:
    """A horizontal bar chart: each bar's label above it, its number at its end."""
    if not bars:
        return SafeString("")
    top = max((b.value for b in bars), default=0) or 1
    room = WIDTH - 70  # the number's space at the end of the longest bar
    height = ROW * len(bars) + 8
    rows = []
    for i, bar in enumerate(bars):
        y = i * ROW + 4
        length = max(2, round(room * bar.value / top)) if bar.value else 0
        shown = bar.shown or f"{bar.value}"
        rows.append(
            (
                y + LABEL_SIZE - 2,
                bar.label,
                y + LABEL_SIZE + 4,
                length,
                length + 6,
                y + LABEL_SIZE + 4 + BAR - 4,
                f"{shown}{(' ' + unit) if unit else ''}",
            )
        )
    body = format_html_join(
        "",
        '<g><text x="0" y="{}" font-size="' + str(LABEL_SIZE) + '" fill="' + TEXT + '">{}</text>'
        '<rect x="0" y="{}" width="{}" height="' + str(BAR) + '" fill="' + COLOUR + '"></rect>'
        '<text x="{}" y="{}" font-size="' + str(LABEL_SIZE) + '" fill="' + TEXT + '">{}</text></g>',
        rows,
    )
    words = "; ".join(f"{b.label}: {b.shown or b.value}" for b in bars)
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{words}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        words=words,
        body=body,
    )
