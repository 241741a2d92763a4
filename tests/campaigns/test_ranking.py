"""campaigns.ranking: the pure rule, without a database."""

from decimal import Decimal as D
from fractions import Fraction

from campaigns.ranking import CriterionSpec, Entry, TieBreak, fold, rank, total

CRITERIA = [CriterionSpec(1, D(60), D(30)), CriterionSpec(2, D(40), D(30))]
RULE = TieBreak.default()


def test_totals_are_exact_fractions():
    # 10/30 × 60 + 20/30 × 40 = 20 + 80/3 = 140/3, never 46.67 against 46.666…
    assert total(Entry(1, "A", {1: D(10), 2: D(20)}), CRITERIA) == Fraction(140, 3)


def test_a_tie_goes_to_the_higher_score_in_the_heaviest_criterion():
    a = Entry(1, "Xã A", {1: D(20), 2: D(30)})  # 40 + 40 = 80
    b = Entry(2, "Xã B", {1: D(25), 2: D("22.5")})  # 50 + 30 = 80
    ranked = rank([a, b], CRITERIA, RULE)
    assert [r.name for r in ranked] == ["Xã B", "Xã A"]
    assert ranked[0].resolved_by == TieBreak.HEAVIEST_CRITERION
    assert ranked[0].equal_total == (1,)


def test_women_priority_at_70_percent_comes_before_a_higher_share_below_it():
    same = {1: D(20), 2: D(20)}
    ranked = rank(
        [
            Entry(1, "A", same, D(69)),
            Entry(2, "B", same, D(70)),
            Entry(3, "C", same, D(90)),
            Entry(4, "D", same, None),
        ],
        CRITERIA,
        (TieBreak.WOMEN_SHARE,),
    )
    assert [r.name for r in ranked] == ["C", "B", "A", "D"]
    assert all(r.resolved_by == TieBreak.WOMEN_SHARE for r in ranked)


def test_equal_on_every_step_of_the_rule_they_share_a_place():
    same = {1: D(20), 2: D(20)}
    ranked = rank(
        [Entry(1, "A", same, D(50)), Entry(2, "A", same, D(50)), Entry(3, "Z", {1: D(1)})],
        CRITERIA,
        RULE,
    )
    assert [r.place for r in ranked] == [1, 1, 3]
    assert ranked[0].tied_with == (2,)
    assert ranked[0].resolved_by is None


def test_names_sort_with_accents_folded():
    assert fold("Đồng Đăng") == "dong dang"
    ranked = rank(
        [Entry(1, "Xã Yên Bình", {}), Entry(2, "Xã Ái Quốc", {})], CRITERIA, (TieBreak.NAME,)
    )
    assert [r.name for r in ranked] == ["Xã Ái Quốc", "Xã Yên Bình"]


def test_a_score_above_its_maximum_counts_as_the_maximum():
    assert total(Entry(1, "A", {1: D(99), 2: D(0)}), CRITERIA) == 60
