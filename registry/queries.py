"""Read-only questions about the registry: which awards a user may see, and finding them."""

from django.apps import apps
from django.db.models import Q, QuerySet

from core.text import fold_terms

from .models import RegistryEntry


def registry_visible_to(user) -> QuerySet[RegistryEntry]:
    """Awards are public (Law 06/2022 art. 5), but only to staff of the same province:
    the awards of units in any province where the user holds a role."""
    if not user.is_authenticated:
        return RegistryEntry.objects.none()
    provinces = {m.organisation.province() for m in user.memberships.select_related("organisation")}
    scope = Q(pk__in=[])
    for province in provinces:
        scope |= Q(organisation__path__startswith=province.path)
        scope |= Q(issuer__path__startswith=province.path)
    return (
        RegistryEntry.objects.filter(scope)
        .select_related("decision")
        .order_by("-year", "full_name", "pk")
    )


def search_registry(
    user, *, name: str = "", organisation: str = "", year: int | None = None, award: str = ""
) -> QuerySet[RegistryEntry]:
    entries = registry_visible_to(user)
    # Folded as the dossier list folds (core.text): case, marks, "đ" and spacing do not
    # matter, and every word must appear ("mai hoang" finds "Hoàng Thị Mai").
    for term in fold_terms(name):
        entries = entries.filter(search_name__contains=term)
    if organisation:
        entries = entries.filter(
            Q(organisation_name__icontains=organisation.strip())
            | Q(organisation__name__icontains=organisation.strip())
        )
    if year:
        entries = entries.filter(year=year)
    if award:
        entries = entries.filter(award_code=award)
    return entries


def award_forms() -> list[tuple[str, str]]:
    """(code, name) of the catalogue's award forms, one per code, by name: the search filter.

    The catalogue is named by label, as registry.models names dossiers' models (issue 11).
    """
    award_types = apps.get_model("dossiers", "AwardType")
    seen: dict[str, str] = {}
    for code, name in award_types.objects.order_by("name").values_list("code", "name"):
        seen.setdefault(code, name)
    return sorted(seen.items(), key=lambda item: item[1])
