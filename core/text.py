"""Folding text for search: one function, so a list, the registry and a backfill agree.

Vietnamese names reach us typed three ways: with their marks in NFC ("Hoàng Thị Mai"), in NFD
(some keyboards and copied PDFs), or without any marks ("hoang thi mai"), in any case and with
stray spaces. Comparing folded forms makes all of them one name. Databases cannot be asked to
do this alike (SQLite's LIKE folds ASCII case only; PostgreSQL's unaccent is an extension that
knows no "đ"), so the folded text is stored beside the original and queries compare folded
with folded. Pure: no Django, no database.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# "đ" is a letter of its own, not "d" with a mark: NFD leaves it whole, so it is mapped.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case, mark-free, single-spaced: "  HOÀNG  Thị Mai " and "hoang thi mai" meet.

    NFC first (so a decomposed input folds like a composed one), then đ/Đ → d, then NFD and
    every combining mark dropped (the tones and the hook, breve, circumflex, horn), then
    casefold, then runs of white space collapsed to one space and the ends trimmed.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(_LETTERS)
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def fold_terms(text: str | None) -> list[str]:
    """The folded words of a search box, each to be found (in any order)."""
    return [term for term in fold(text).split(" ") if term]
