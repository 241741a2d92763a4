"""Read-only questions about dossiers. Lists and detail pages share these rules."""

from django.db.models import Q, QuerySet

from organisations.queries import organisations_where
from organisations.roles import Perm
from workflow.states import DossierStatus

from .models import Document, Dossier, RequiredDocument


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Dossiers `user` may see: their own units' (drafts included), and any non-draft
    dossier that has reached a stage of an organisation where they hold VIEW_DOSSIERS.
    Nobody above the unit sees its drafts.
    """
    orgs = organisations_where(user, Perm.VIEW_DOSSIERS)
    own = Q(proposer__in=orgs)
    routed = Q(stages__organisation__in=orgs, stages__entered_at__isnull=False) & ~Q(
        status=DossierStatus.DRAFT
    )
    ids = Dossier.objects.filter(own | routed).values("pk")
    return Dossier.objects.filter(pk__in=ids)


def dossier_for(user, pk: int) -> Dossier:
    """The dossier if `user` may see it; otherwise Dossier.DoesNotExist (pages answer 404)."""
    return (
        dossiers_visible_to(user)
        .select_related("proposer", "award_type", "current_stage__organisation")
        .get(pk=pk)
    )


def required_documents(dossier: Dossier) -> QuerySet[RequiredDocument]:
    """The documents the dossier's award form asks for, under its procedure."""
    return RequiredDocument.objects.filter(
        award_type=dossier.award_type, simplified=dossier.simplified
    )


def required_categories(dossier: Dossier) -> list[str]:
    return list(required_documents(dossier).values_list("category", flat=True))


def missing_documents(dossier: Dossier) -> list[str]:
    """Required document categories with no file uploaded (any round counts); one query."""
    uploaded = Document.objects.filter(dossier=dossier).values("category")
    return list(
        required_documents(dossier)
        .exclude(category__in=uploaded)
        .values_list("category", flat=True)
    )


def latest_documents(dossier: Dossier) -> QuerySet[Document]:
    return dossier.documents.select_related("uploaded_by").order_by("category", "-round", "-pk")
