"""The official identity of every page's header: whose service this is.

A civil servant must see at a glance for which body they are acting, the way a Decree 30/2020
document opens with its issuing body: `ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN` above `Sở Nội vụ tỉnh
Lạng Sơn`. The header reads it from the signed-in user's organisation; before log-in it names
the province the installation serves (its one root), or nothing when there are several.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Membership, Organisation


@dataclass(frozen=True)
class Identity:
    agency: str  # the People's Committee above: "Ủy ban nhân dân tỉnh Lạng Sơn"
    unit: str  # the user's own body: "Sở Nội vụ tỉnh Lạng Sơn"; empty for the province itself


def committee_of(name: str) -> str:
    """`Tỉnh Lạng Sơn` -> `Ủy ban nhân dân tỉnh Lạng Sơn` (the level word in lower case, as
    Vietnamese writes it inside a name; the header shows it in capitals, by CSS). A proper
    name, so not translated: the English page shows the body's official name too."""
    return f"Ủy ban nhân dân {name[:1].lower()}{name[1:]}"


def _identity_of(name: str, province_name: str, *, is_province: bool) -> Identity:
    return Identity(agency=committee_of(province_name), unit="" if is_province else name)


def identity_for(org: Organisation) -> Identity:
    province = org.province()
    return _identity_of(org.name, province.name, is_province=org.pk == province.pk)


def _identity(request: HttpRequest) -> Identity | None:
    """One query for a signed-in user: the most senior membership (nearest the root, the
    first granted on a tie) with its root's name alongside (a materialised path begins with
    its root's path), since every page pays for it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        root_name = Organisation.objects.filter(
            path=Substr(OuterRef("organisation__path"), 1, Organisation.steplen)
        ).values("name")[:1]
        row = (
            Membership.objects.filter(user=user)
            .order_by("organisation__depth", "pk")
            .values("organisation__name", "organisation__depth")
            .annotate(province_name=Subquery(root_name))
            .first()
        )
        if row is not None and row["province_name"]:
            return _identity_of(
                row["organisation__name"],
                row["province_name"],
                is_province=row["organisation__depth"] == 1,
            )
    roots = list(Organisation.objects.get_root_nodes()[:2])
    return identity_for(roots[0]) if len(roots) == 1 else None


def identity(request: HttpRequest) -> dict:
    """`identity` (an Identity or None) for base.html; read only when a page renders it."""
    return {"identity": SimpleLazyObject(lambda: _identity(request))}
