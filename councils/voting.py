"""Quorum and vote thresholds: exact integer arithmetic, no ORM, no clock.

Percentages are for display only. A 2/3 quorum stored as 66.67 % would turn away 6 of 9
members, whom the law counts as quorate; cross-multiplying never does.
"""

from dataclasses import dataclass
from enum import StrEnum

from workflow.stage_rules import StageRules


class Base(StrEnum):
    ALL_MEMBERS = "all_members"
    PRESENT = "present"
    VALID_BALLOTS = "valid_ballots"


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

    @classmethod
    def from_rules(cls, rules: StageRules) -> "VoteRule":
        return cls(
            threshold=Ratio(*rules.threshold),
            base=Base(rules.threshold_base),
            quorum=Ratio(*rules.quorum),
            count_written_votes=rules.count_written_votes,
            secret=rules.secret_ballot,
        )


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
