"""Read-only questions: which decisions and numbers a user may see."""

from django.db.models import QuerySet

from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm

from .models import Decision, RegisteredNumber


def issuers_for(user) -> QuerySet[Organisation]:
    """Organisations whose decisions `user` prepares (secretariat) or signs."""
    return organisations_where(user, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)


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
