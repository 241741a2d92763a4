"""Read-only questions: which decisions, numbers and awards a user may see."""

from django.db.models import Q, QuerySet

from organisations.models import Organisation
from organisations.queries import organisations_where
from organisations.roles import Perm

from .models import Decision, RegisteredNumber, RegistryEntry


def issuers_for(user) -> QuerySet[Organisation]:
    """Organisations whose decisions `user` prepares (secretariat) or signs."""
    ids = set(organisations_where(user, Perm.RECEIVE_DOSSIER).values_list("pk", flat=True))
    ids |= set(organisations_where(user, Perm.SIGN_DECISION).values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=ids)


def drafting_orgs(user) -> QuerySet[Organisation]:
    return organisations_where(user, Perm.RECEIVE_DOSSIER)


def decisions_visible_to(user) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(issuer__in=issuers_for(user))
        .select_related("issuer", "award_type")
        .order_by("-created_at", "-pk")
    )


def decision_for(user, pk: int) -> Decision:
    """The decision if `user` may see it; otherwise Decision.DoesNotExist (pages: 404)."""
    return decisions_visible_to(user).get(pk=pk)


def numbers_visible_to(user) -> QuerySet[RegisteredNumber]:
    return (
        RegisteredNumber.objects.filter(series__issuer__in=issuers_for(user))
        .select_related("series__issuer")
        .order_by("-series__year", "series__issuer__name", "-number")
    )


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


def search_registry(user, *, name: str = "", organisation: str = "", year=None, award: str = ""):
    entries = registry_visible_to(user)
    if name:
        entries = entries.filter(full_name__icontains=name.strip())
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
