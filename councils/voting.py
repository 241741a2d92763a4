"""Quorum and vote thresholds: exact integer arithmetic, no ORM, no clock.

Percentages are for display only. A 2/3 quorum stored as 66.67 % would turn away 6 of 9
members, whom the law counts as quorate; cross-multiplying never does.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from workflow.stage_rules import StageRules


class Base(StrEnum):
    ALL_MEMBERS = "all_members"
    PRESENT = "present"
    VALID_BALLOTS = "valid_ballots"


# Decree 98/2023 art. 30 §7 (carried into RS-2025): the pass marks on *all* members. Named
# beside a rule on all members whose stage snapshot gives no basis of its own.
ALL_MEMBERS_BASIS = "Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP"
# Decree 152/2025 art. 4 §6: where several qualify, women first, and collectives with at
# least 70 % women.
PRIORITY_BASIS = "Điều 4 khoản 6 Nghị định 152/2025"
PRIORITY_NOTE = f"ưu tiên ({PRIORITY_BASIS})"
WOMEN_SHARE_FOR_PRIORITY = Decimal(70)


class Verdict(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INQUORATE = "inquorate"


@dataclass(frozen=True)
class Ratio:
    """num/den with a comparator: strict is "more than", otherwise "at least"."""

    num: int
    den: int
    strict: bool = False

    def __post_init__(self) -> None:
        if self.den <= 0 or self.num < 0:
            raise ValueError(f"not a ratio: {self.num}/{self.den}")

    def met_by(self, count: int, base: int) -> bool:
        left, right = count * self.den, self.num * base
        return left > right if self.strict else left >= right

    def needed(self, base: int) -> int:
        """The least count that meets the ratio: 70 % of 9 needs 7; 90 % of 19 needs 18."""
        product = self.num * base
        if self.strict:
            return product // self.den + 1
        return -(-product // self.den)

    def __str__(self) -> str:
        return f"{'>' if self.strict else '≥'} {self.num}/{self.den}"


@dataclass(frozen=True)
class VoteRule:
    """The vote rule of one stage, read from the rules it pinned (workflow.stage_rules)."""

    threshold: Ratio
    base: Base
    quorum: Ratio
    count_written_votes: bool = False
    secret: bool = True
    basis: str = ""
    quorum_basis: str = ""

    @classmethod
    def from_rules(cls, rules: StageRules) -> "VoteRule":
        base = Base(rules.threshold_base)
        return cls(
            threshold=Ratio(*rules.threshold),
            base=base,
            quorum=Ratio(*rules.quorum),
            count_written_votes=rules.count_written_votes,
            secret=rules.secret_ballot,
            basis=rules.basis or (ALL_MEMBERS_BASIS if base == Base.ALL_MEMBERS else ""),
        )

    def sitting_with(self, quorum: tuple[int, int, bool] | None, basis: str = "") -> "VoteRule":
        """The rule with the meeting's own quorum (the council's, pinned at opening)."""
        if quorum is None:
            return self
        return replace(self, quorum=Ratio(*quorum), quorum_basis=basis)


@dataclass(frozen=True)
class Count:
    """What was counted for one nominee.

    `members` and `present` are voting members (the secretary only if configured); written
    votes come from absent members and never count toward `present` or the quorum.
    `recused` members are left out of the base; `recused_present` of them were present.
    """

    members: int
    present: int
    agree: int
    disagree: int = 0
    recused: int = 0
    recused_present: int = 0


@dataclass(frozen=True)
class Tally:
    verdict: Verdict
    agree: int
    base: int
    needed: int

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASSED


def quorate(rule: VoteRule, *, present: int, members: int) -> bool:
    return members > 0 and rule.quorum.met_by(present, members)


def base_for(rule: VoteRule, count: Count) -> int:
    """The denominator the rule names, shrunk by the members recused for this nominee."""
    if rule.base == Base.ALL_MEMBERS:
        return count.members - count.recused
    if rule.base == Base.PRESENT:
        return count.present - count.recused_present
    return count.agree + count.disagree  # recused members cast no ballot


def tally(rule: VoteRule, count: Count) -> Tally:
    """Outcome for one nominee.

    Council of 20, ≥ 9/10 of all members: 18 agree passes (180 ≥ 180), 17 fails.
    Council of 9, 6 present, 5 agree: ≥ 2/3 of present passes (15 ≥ 12), of all fails (15 < 18).
    """
    base = base_for(rule, count)
    needed = rule.threshold.needed(base)
    if not quorate(rule, present=count.present, members=count.members):
        return Tally(Verdict.INQUORATE, count.agree, base, needed)
    # An empty base (everyone recused, or no valid ballot) cannot carry a nominee.
    passed = base > 0 and rule.threshold.met_by(count.agree, base)
    return Tally(Verdict.PASSED if passed else Verdict.FAILED, count.agree, base, needed)


@dataclass(frozen=True)
class Standing:
    """One nominee's place in a ranking: its agree count and whether priority applies."""

    key: int
    agree: int
    priority: bool


@dataclass(frozen=True)
class Ranked:
    key: int
    agree: int
    priority: bool
    # True where priority decided the order: an equal count with a nominee without it.
    tie_broken: bool


def has_priority(*, kind: str, gender: str = "", women_share: Decimal | None = None) -> bool:
    """Decree 152/2025 art. 4 §6: a woman, or a collective with ≥ 70 % women (exact)."""
    if kind == "individual":
        return gender == "female"
    if kind == "collective":
        return women_share is not None and Decimal(women_share) >= WOMEN_SHARE_FOR_PRIORITY
    return False


def rank(standings: list[Standing]) -> list[Ranked]:
    """Most agree votes first; on equal counts priority first, then the order given.

    Three nominees at 9, 9, 8 agree, the second a woman: woman (9, tie broken), man (9), 8.
    """
    order = sorted(
        enumerate(standings), key=lambda pair: (-pair[1].agree, not pair[1].priority, pair[0])
    )
    plain_counts = {s.agree for s in standings if not s.priority}
    return [
        Ranked(s.key, s.agree, s.priority, s.priority and s.agree in plain_counts) for _, s in order
    ]
