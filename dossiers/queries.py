"""Read-only questions about dossiers. Lists and detail pages share these rules."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.errors import DomainError
from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm
from workflow.rulesets import plan_route
from workflow.states import DossierStatus, StageTier

from .models import Document, Dossier, DossierStage


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Dossiers `user` may see: their own units' (drafts included), and any non-draft
    dossier that has reached a stage of an organisation where they hold VIEW_DOSSIERS.
    Nobody above the unit sees its drafts.

    Two semi-joins, no join: `proposer IN (my organisations)` OR `EXISTS (an entered stage
    at one of them)`, so each dossier is one row (no DISTINCT, no `pk IN` over a join) and
    the list can read its page from the (updated_at, id) index (docs/performance.md).
    """
    orgs = organisations_where(user, Perm.VIEW_DOSSIERS)
    routed = DossierStage.objects.filter(
        dossier=OuterRef("pk"), organisation__in=orgs, entered_at__isnull=False
    )
    return Dossier.objects.filter(
        Q(proposer__in=orgs) | (Exists(routed) & ~Q(status=DossierStatus.DRAFT))
    )


def dossier_for(user, pk: int) -> Dossier:
    """The dossier if `user` may see it; otherwise Dossier.DoesNotExist (pages answer 404)."""
    return (
        dossiers_visible_to(user)
        .select_related("proposer", "award_type", "current_stage__organisation")
        .get(pk=pk)
    )


def latest_documents(dossier: Dossier) -> QuerySet[Document]:
    return dossier.documents.select_related("uploaded_by").order_by("category", "-round", "-pk")


def planned_route_organisations(dossier: Dossier) -> list[Organisation]:
    """Organisations above the unit on the route planned for the dossier today (none if the
    award form is not open to its unit): reviewers even before stages exist (a draft)."""
    try:
        planned = plan_route(dossier.award_type, dossier.proposer, on=timezone.localdate())
    except DomainError:
        return []
    return [p.organisation for p in planned if p.tier != StageTier.UNIT]
