"""Median and 90th percentile of stage times from a histogram. Pure: no ORM, no clock.

The database hands back how many clocks took each number of working days (a histogram), so
the percentile is read from at most a few hundred (days, count) pairs, whatever the number
of dossiers. The rank rule is the nearest rank: the p-th percentile is the smallest time
such that at least p % of the stages took no longer (ISO "nearest rank"; an even count has
the lower middle as its median). It is a time some stage really took, never an average of
two, so "median 12 working days" can be checked against a list.
"""

import math
from collections.abc import Mapping


def nearest_rank(histogram: Mapping[int, int], share: float) -> int | None:
    """The smallest value v with count(values <= v) >= ⌈share · n⌉; None when empty."""
    total = sum(histogram.values())
    if total <= 0:
        return None
    # Round the product first: 0.9 × 10 is 9.000000000000002 in binary, and its ceiling 10.
    rank = max(1, math.ceil(round(share * total, 9)))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # not reached: the ranks add up to `total`


def median(histogram: Mapping[int, int]) -> int | None:
    return nearest_rank(histogram, 0.5)


def p90(histogram: Mapping[int, int]) -> int | None:
    return nearest_rank(histogram, 0.9)


def percent(part: int, whole: int) -> str:
    """'71,43 %' (two decimals, Vietnamese comma) or '–' without a base; display only."""
    if not whole:
        return "–"
    value = round(part * 100 / whole, 2)
    return f"{value:.2f}".replace(".", ",") + " %"
