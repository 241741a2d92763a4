"""core.text.fold: the one folding the dossier list, the registry and the backfills share."""

import unicodedata

import pytest

from core.text import fold, fold_terms


@pytest.mark.parametrize(
    "typed",
    [
        "Hoàng Thị Mai",
        "hoang thi mai",
        "HOÀNG THỊ MAI",
        "  Hoàng   Thị\tMai ",
        unicodedata.normalize("NFD", "Hoàng Thị Mai"),  # decomposed, as some keyboards send
    ],
)
def test_every_way_of_typing_a_name_folds_alike(typed):
    assert fold(typed) == "hoang thi mai"


def test_d_with_stroke_is_d_in_both_cases():
    assert fold("Đặng Đình Đức") == "dang dinh duc"
    assert fold("ĐẶNG ĐÌNH ĐỨC") == fold("đặng đình đức")


def test_every_vowel_mark_is_dropped():
    assert fold("ă â ê ô ơ ư á à ả ã ạ ắ ằ ẳ ẵ ặ ố ờ ữ ỵ") == (
        "a a e o o u a a a a a a a a a a o o u y"
    )


def test_empty_and_none_fold_to_nothing():
    assert fold(None) == ""
    assert fold("   ") == ""
    assert fold_terms("  ") == []


def test_a_search_box_splits_into_folded_words():
    assert fold_terms("  MAI   hoàng ") == ["mai", "hoang"]
