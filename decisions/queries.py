"""Read-only questions: which decisions and numbers a user may see.

Two audiences. The issuing body's secretariat and signers see all its decisions, drafts
included. Everyone named sees an *issued* decision: the proposing unit of a dossier it
covers and every organisation on that dossier's route (whoever may see the dossier, by the
rule of dossiers.queries.dossiers_visible_to), so the unit opens and downloads the decision
of its own dossier. Nobody outside the issuer sees a draft.
"""

from django.db.models import Q, QuerySet

from dossiers.queries import dossiers_visible_to
from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm

from .models import Decision, DecisionStatus, RegisteredNumber


def issuers_for(user) -> QuerySet[Organisation]:
    """Organisations whose decisions `user` prepares (secretariat) or signs."""
    return organisations_where(user, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION)


def drafting_orgs(user) -> QuerySet[Organisation]:
    return organisations_where(user, Perm.RECEIVE_DOSSIER)


def decisions_visible_to(user) -> QuerySet[Decision]:
    issued_on_their_dossiers = Q(
        status=DecisionStatus.ISSUED, dossiers__in=dossiers_visible_to(user)
    )
    ids = Decision.objects.filter(Q(issuer__in=issuers_for(user)) | issued_on_their_dossiers)
    return (
        Decision.objects.filter(pk__in=ids.values("pk"))
        .select_related("issuer", "award_type")
        .order_by("-created_at", "-pk")
    )


def decision_for(user, pk: int) -> Decision:
    """The decision if `user` may see it; otherwise Decision.DoesNotExist (pages: 404)."""
    return decisions_visible_to(user).get(pk=pk)


def issued_decisions_of(dossier) -> QuerySet[Decision]:
    """The issued decisions covering `dossier` (its page lists them with their downloads;
    whoever sees the dossier may open them, see decisions_visible_to)."""
    return (
        Decision.objects.filter(dossiers=dossier, status=DecisionStatus.ISSUED)
        .select_related("issuer", "signed")
        .order_by("issued_on", "pk")
    )


def numbers_visible_to(user) -> QuerySet[RegisteredNumber]:
    return (
        RegisteredNumber.objects.filter(series__issuer__in=issuers_for(user))
        .select_related("series__issuer")
        .order_by("-series__year", "series__issuer__name", "-number")
    )
