"""Plausibility of one nominee row: the same rules for the edit page's table and the .xlsx
import. Pure: plain values in, problems out; no ORM, no clock (the caller gives the year).

Each problem names its field and the reason in Vietnamese (style.md: a refusal says which
field and why), so the page puts it next to the field and the import prefixes the row and
the column ("Dòng 3, cột Năm sinh: …").
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Codes of dossiers.models.NomineeKind / Gender, repeated here so this module stays pure.
INDIVIDUAL, COLLECTIVE, HOUSEHOLD = "individual", "collective", "household"
KINDS = (COLLECTIVE, INDIVIDUAL, HOUSEHOLD)
GENDERS = ("male", "female")

# The oldest birth year accepted: a working person proposed today (or an honoured veteran)
# is not born before 1940; the youngest is of working age (Labour Code 2019 art. 143: 15,
# rounded up to 16 for a year-only check).
EARLIEST_BIRTH_YEAR = 1940
YOUNGEST_AGE = 16
# Căn cước công dân / số định danh cá nhân: 12 digits (Law 26/2023/QH15 on identification,
# art. 12; Decree 137/2015/NĐ-CP art. 13).
IDENTITY_DIGITS = 12
_IDENTITY = re.compile(rf"\d{{{IDENTITY_DIGITS}}}")

LABELS = {
    "kind": _("Đối tượng"),
    "full_name": _("Họ và tên / tên tập thể"),
    "birth_year": _("Năm sinh"),
    "gender": _("Giới tính"),
    "position": _("Chức vụ"),
    "organisation_name": _("Đơn vị công tác"),
    "identity_code": _("Số định danh"),
    "is_direct_worker": _("Lao động trực tiếp"),
    "women_share": _("Tỷ lệ nữ (%)"),
    "user": _("Tài khoản người dùng"),
    "achievement_summary": _("Tóm tắt thành tích"),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str  # the reason, without the field's name: the caller names the field

    def text(self) -> str:
        """'Năm sinh: phải từ 1940 đến 2010.' (style.md: the message names the field)."""
        return f"{LABELS[self.field]}: {self.message}"


def birth_year_range(current_year: int) -> tuple[int, int]:
    return EARLIEST_BIRTH_YEAR, current_year - YOUNGEST_AGE


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_nominee(values: dict, *, current_year: int) -> list[Problem]:
    """Every problem of one row, in the order of its columns (empty: the row is plausible).

    `values` holds cleaned values: `birth_year` an int or None, `women_share` a Decimal or
    None, strings stripped or empty. Required: the kind, the name and the achievement
    summary. An individual's birth year lies in 1940 .. current year − 16 and his identity
    number, when given, is 12 digits; a collective or a household has no birth year and no
    gender; only a collective has a share of women, from 0 to 100 %.
    """
    problems: list[Problem] = []
    kind = values.get("kind") or ""
    if _blank(kind):
        problems.append(Problem("kind", _("bắt buộc chọn (cá nhân, tập thể hoặc hộ gia đình).")))
    elif kind not in KINDS:
        problems.append(Problem("kind", _("chỉ là “Cá nhân”, “Tập thể” hoặc “Hộ gia đình”.")))
    if _blank(values.get("full_name")):
        problems.append(Problem("full_name", _("bắt buộc nhập.")))

    birth_year = values.get("birth_year")
    if kind == INDIVIDUAL and birth_year is not None:
        earliest, latest = birth_year_range(current_year)
        if not earliest <= birth_year <= latest:
            problems.append(
                Problem(
                    "birth_year",
                    _("%(year)s không hợp lý: phải từ %(earliest)s đến %(latest)s.")
                    % {"year": birth_year, "earliest": earliest, "latest": latest},
                )
            )
    elif kind in (COLLECTIVE, HOUSEHOLD) and birth_year is not None:
        problems.append(Problem("birth_year", _("để trống với tập thể, hộ gia đình.")))

    gender = values.get("gender") or ""
    if kind in (COLLECTIVE, HOUSEHOLD) and gender:
        problems.append(Problem("gender", _("để trống với tập thể, hộ gia đình.")))
    elif gender and gender not in GENDERS:
        problems.append(Problem("gender", _("chỉ là “Nam” hoặc “Nữ”.")))

    identity = (values.get("identity_code") or "").strip()
    if kind == INDIVIDUAL and identity and not _IDENTITY.fullmatch(identity):
        problems.append(
            Problem(
                "identity_code",
                _("số căn cước công dân phải gồm đúng %(n)s chữ số (đang có “%(value)s”).")
                % {"n": IDENTITY_DIGITS, "value": identity[:40]},
            )
        )

    share_problem = check_women_share(kind, values.get("women_share"))
    if share_problem:
        problems.append(share_problem)

    if _blank(values.get("achievement_summary")):
        problems.append(Problem("achievement_summary", _("bắt buộc nhập.")))
    return problems


def check_women_share(kind: str, share) -> Problem | None:
    """A collective's share of women, in percent (Decree 152/2025 art. 4 §6: collectives of
    at least 70 % women come first on a tie): 0 to 100, and only for a collective."""
    if share is None or share == "":
        return None
    if kind != COLLECTIVE:
        return Problem("women_share", _("chỉ ghi với tập thể."))
    try:
        share = Decimal(share)
    except (InvalidOperation, TypeError, ValueError):
        share = None
    if share is None or not share.is_finite() or not Decimal(0) <= share <= Decimal(100):
        return Problem("women_share", _("phải là số từ 0 đến 100."))
    return None
