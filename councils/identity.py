"""Is this council member the nominee? Pure: plain facts in, a match out; no ORM.

A member may not vote on his own nomination (domain §5, recusal). The facts that tell,
strongest first:
- the same user account (the member's account is the nominee's `user`);
- the same identity code (số định danh cá nhân), when both are known;
- the same name and birth year (and unit): only a *possible* match, shown to the
  secretariat as a warning, never an automatic recusal, because two people may share a
  name. Different identity codes, or different birth years, rule a person out.
"""

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class MatchKind(StrEnum):
    ACCOUNT = "account"  # certain: recused automatically
    IDENTITY_CODE = "identity_code"  # certain: recused automatically
    NAME = "name"  # possible: a warning the secretariat confirms or dismisses


CERTAIN = frozenset({MatchKind.ACCOUNT, MatchKind.IDENTITY_CODE})


@dataclass(frozen=True)
class Person:
    """What is known of a member or a nominee."""

    name: str
    user_id: int | None = None
    identity_code: str = ""
    birth_year: int | None = None
    organisation: str = ""


@dataclass(frozen=True)
class Match:
    kind: MatchKind
    # For a name match: which further facts agree ("năm sinh", "đơn vị công tác").
    also: tuple[str, ...] = ()

    @property
    def certain(self) -> bool:
        return self.kind in CERTAIN


def fold(text: str) -> str:
    """Case, spacing and diacritics folded ("Nguyễn  Thị Đào" ~ "nguyen thi dao"): account
    names are often typed without accents. Only for the warning, never for a recusal."""
    text = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    bare = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(bare.casefold().split())


def _code(text: str) -> str:
    return "".join((text or "").split()).upper()


def match(member: Person, nominee: Person) -> Match | None:
    """How `member` is linked to `nominee`, or None when nothing links them."""
    if member.user_id is not None and member.user_id == nominee.user_id:
        return Match(MatchKind.ACCOUNT)
    member_code, nominee_code = _code(member.identity_code), _code(nominee.identity_code)
    if member_code and nominee_code:
        # Citizen numbers are unique: equal is the same person, different is not.
        return Match(MatchKind.IDENTITY_CODE) if member_code == nominee_code else None
    if not fold(member.name) or fold(member.name) != fold(nominee.name):
        return None
    if member.birth_year and nominee.birth_year and member.birth_year != nominee.birth_year:
        return None
    also = []
    if member.birth_year and member.birth_year == nominee.birth_year:
        also.append("năm sinh")
    if fold(member.organisation) and fold(member.organisation) == fold(nominee.organisation):
        also.append("đơn vị công tác")
    return Match(MatchKind.NAME, tuple(also))
