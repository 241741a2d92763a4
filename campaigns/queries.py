"""Reads for the campaign and cluster pages (no writes)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from dossiers.models import Campaign, Dossier
from organisations.models import Organisation
from organisations.permissions import holds, organisations_where
from registry.models import RegistryEntry, RegistryStatus
from workflow.states import DossierStatus

from .models import Cluster, ClusterYear, Target, TargetResult
from .services import MANAGE, TAKE_PART, in_scope, scope_organisations


def campaigns_listed() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("organisation").order_by("-starts_on", "name")


@dataclass(frozen=True)
class StateCount:
    status: str
    label: str
    count: int


def dossiers_by_state(campaign: Campaign) -> list[StateCount]:
    """How many of the campaign's dossiers stand in each state (counts only: the dossiers
    themselves are on the dossier list, filtered by campaign, for those who may see them)."""
    rows = dict(
        Dossier.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        StateCount(status, label, rows[status])
        for status, label in DossierStatus.choices
        if rows.get(status)
    ]


def awards_of(campaign: Campaign) -> QuerySet[RegistryEntry]:
    """The awards on record (valid) for the campaign's dossiers."""
    return (
        RegistryEntry.objects.filter(
            nominee__dossier__campaign=campaign, status=RegistryStatus.VALID
        )
        .select_related("nominee__dossier")
        .order_by("award_name", "full_name")
    )


@dataclass(frozen=True)
class TargetRow:
    target: Target
    results: list[TargetResult]
    reached: int


def target_rows(campaign: Campaign) -> list[TargetRow]:
    rows = []
    for target in campaign.targets.prefetch_related("results__organisation"):
        results = list(target.results.all())
        rows.append(TargetRow(target, results, sum(r.reached for r in results)))
    return rows


def participating_organisations(user, campaign: Campaign) -> list[Organisation]:
    """The organisations in the campaign's scope for which `user` registers and reports."""
    return [o for o in organisations_where(user, *TAKE_PART) if in_scope(campaign, o)]


def role_model_organisations(user, campaign: Campaign) -> list[Organisation]:
    """Whose role models `user` may flag: his own units in scope, or, for the campaign's
    secretariat, every organisation in scope."""
    if holds(user, campaign.organisation_id, *MANAGE):
        return list(scope_organisations(campaign).order_by("path"))
    return participating_organisations(user, campaign)


def clusters_listed() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("organiser", "body").order_by("name")


def year_of(cluster: Cluster, year: int | None) -> ClusterYear | None:
    years = cluster.years.select_related("leader", "deputy", "vote_meeting", "proposal")
    if year is not None:
        return years.filter(year=year).first()
    return years.order_by("-year").first()
