"""StageRules: the typed snapshot a stage is judged by. Pure: no ORM, no clock.

A dossier pins its stage's rules when the route is resolved (`DossierStage.rules`) and an
agenda item pins them again when it joins a meeting (`AgendaItem.rules`), so later edits to
the route never change a dossier under way. Both columns stay JSON; every reader goes
through `StageRules.from_snapshot()` and reads attributes, never string keys.
"""

from dataclasses import dataclass
from typing import Any, NamedTuple, Self

DEFAULT_LIMIT_DAYS = 20
# The document category that carries the provincial Party committee's standing board's
# written opinion (dossiers.DocumentCategory.PARTY_OPINION is this value).
PARTY_OPINION_CATEGORY = "party_opinion"


class Proportion(NamedTuple):
    """num/den as stored: strict is "more than", otherwise "at least" (councils.voting.Ratio)."""

    num: int
    den: int
    strict: bool

    @classmethod
    def parse(cls, value: Any, default: "Proportion") -> "Proportion":
        if not value:
            return default
        num, den, strict = value
        return cls(int(num), int(den), bool(strict))


# The defaults VoteRule read before this module existed: > 1/2 to pass, ≥ 2/3 to sit.
MORE_THAN_HALF = Proportion(1, 2, True)
TWO_THIRDS = Proportion(2, 3, False)


@dataclass(frozen=True)
class StageRules:
    """What one stage of a dossier's route is judged by; defaults are those that applied to
    snapshots written before a key existed."""

    position: int = 0
    tier: str = ""
    levels: tuple[str, ...] = ()
    has_council: bool = False
    limit_days: int = DEFAULT_LIMIT_DAYS
    limit_days_with_consultation: int | None = None
    limit_days_simplified: int | None = None
    threshold: Proportion = MORE_THAN_HALF
    threshold_base: str = "present"  # councils.voting.Base
    count_written_votes: bool = False
    quorum: Proportion = TWO_THIRDS
    secret_ballot: bool = True
    # Hiệp y: other agencies are consulted, and the stage has its longer limit.
    consultation: bool = False
    # Members from the proposing unit do not vote on its nominees, whatever the council says.
    recuse_proposing_unit: bool = False
    # The legal basis (căn cứ) of this stage's limits and vote rule, shown beside them in
    # refusals and warnings; `note` says when a value is provincial or still to confirm.
    basis: str = ""
    note: str = ""
    # Bắc Ninh QĐ 86/2025 art. 5 §1a: the stage sends the dossier on only with the written
    # opinion of the provincial Party committee's standing board attached.
    party_opinion_required: bool = False

    @classmethod
    def from_snapshot(cls, data: dict | None) -> Self:
        """Read a stored snapshot; missing keys (older snapshots) take the defaults above."""
        data = data or {}
        base = cls()
        return cls(
            position=int(data.get("position") or 0),
            tier=str(data.get("tier") or ""),
            levels=tuple(data.get("levels") or ()),
            has_council=bool(data.get("has_council", base.has_council)),
            # A zero or empty limit was read as the default before this module existed.
            limit_days=int(data.get("limit_days") or base.limit_days),
            limit_days_with_consultation=_optional_int(data.get("limit_days_with_consultation")),
            limit_days_simplified=_optional_int(data.get("limit_days_simplified")),
            threshold=Proportion.parse(data.get("threshold"), base.threshold),
            threshold_base=str(data.get("threshold_base") or base.threshold_base),
            count_written_votes=bool(data.get("count_written_votes", base.count_written_votes)),
            quorum=Proportion.parse(data.get("quorum"), base.quorum),
            secret_ballot=bool(data.get("secret_ballot", base.secret_ballot)),
            consultation=bool(data.get("consultation", base.consultation)),
            recuse_proposing_unit=bool(
                data.get("recuse_proposing_unit", base.recuse_proposing_unit)
            ),
            basis=str(data.get("basis") or ""),
            note=str(data.get("note") or ""),
            party_opinion_required=bool(
                data.get("party_opinion_required", base.party_opinion_required)
            ),
        )

    def to_snapshot(self) -> dict:
        """JSON-safe: lists for tuples; `from_snapshot(r.to_snapshot()) == r`."""
        return {
            "position": self.position,
            "tier": self.tier,
            "levels": list(self.levels),
            "has_council": self.has_council,
            "limit_days": self.limit_days,
            "limit_days_with_consultation": self.limit_days_with_consultation,
            "limit_days_simplified": self.limit_days_simplified,
            "threshold": list(self.threshold),
            "threshold_base": self.threshold_base,
            "count_written_votes": self.count_written_votes,
            "quorum": list(self.quorum),
            "secret_ballot": self.secret_ballot,
            "consultation": self.consultation,
            "recuse_proposing_unit": self.recuse_proposing_unit,
            "basis": self.basis,
            "note": self.note,
            "party_opinion_required": self.party_opinion_required,
        }

    def limit_days_for(self, *, simplified: bool) -> int:
        """The stage's limit in working days.

        An ad-hoc (đột xuất) dossier under the simplified procedure has its own shorter
        limit; a stage with consultation (hiệp y) has the longer one; else the plain limit.
        A special limit left empty falls back to the plain one.
        """
        if simplified and self.limit_days_simplified:
            return self.limit_days_simplified
        if self.consultation and self.limit_days_with_consultation:
            return self.limit_days_with_consultation
        return self.limit_days


def _optional_int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)
