"""Numbers as Decree 30/2020 and Vietnamese usage write them: `Số: 05/QĐ-UBND`, `89,47 %`."""

from decimal import ROUND_HALF_UP, Decimal

BLANK_NUMBER = " " * 6
"""Where an unnumbered draft leaves room for the number: `Số:      /QĐ-UBND`."""


def pad(number: int) -> str:
    """Numbers below 10 take a leading zero: 01 … 09, then 10, 4187 (Decree 30/2020)."""
    return f"{number:02d}"


def document_label(number: int | None, symbol: str) -> str:
    """`Số: 05/QĐ-UBND`; without a number yet (a draft), `Số:      /QĐ-UBND`."""
    if number is None:
        return f"Số:{BLANK_NUMBER}/{symbol}"
    return f"Số: {pad(number)}/{symbol}"


def percent(count: int, base: int, places: int = 2) -> str:
    """`count` of `base` as a percentage for display, with the Vietnamese decimal comma and a
    no-break space before the sign: 17 of 19 → `89,47 %` (U+00A0, never split from it).

    Always `places` decimals (18 of 20 → `90,00 %`), so that a column of rates reads alike;
    `places=0` gives `90 %`. Rounded half up on the exact value (no binary float), so a
    printed rate never disagrees with the count it came from. An empty base has no rate:
    the caller decides what to print instead.
    """
    if base <= 0:
        raise ValueError(f"no percentage of a base of {base}")
    step = Decimal(1).scaleb(-places)
    value = (Decimal(count) * 100 / Decimal(base)).quantize(step, rounding=ROUND_HALF_UP)
    # A no-break space: in a narrow table cell `100,00 %` broke before its sign.
    return f"{value:f}".replace(".", ",") + "\u00a0%"
