"""Who leads which cluster, for the registry's eligibility checks (issue 16).

Where a province gives its Cờ thi đua only to a cluster's leader (`ClusterFlagRule`, off by
default), every dossier proposing that award — the cluster's own, or a unit filing for
itself — is checked by registry.eligibility.check_flag_to_leader. The registry imports no
campaigns code (campaigns imports the registry): `leader_rule` is handed to it at start-up
(campaigns.apps) and answers with plain data.
"""

import unicodedata

from django.utils.translation import gettext_lazy as _

from dossiers.models import NomineeKind
from organisations.models import Organisation
from registry.eligibility import ClusterPlace, LeaderRule

from .models import ClusterFlagRule, ClusterMember


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def places_of(nominees: list, *, province: Organisation, year: int) -> dict[int, tuple]:
    """nominee id → its places in the province's clusters and blocks that year, matched on
    the collective's code (identity code = organisation code), else on its name."""
    members = ClusterMember.objects.filter(
        cluster_year__year=year, cluster_year__cluster__organiser__path__startswith=province.path
    ).select_related("organisation", "cluster_year__cluster", "cluster_year__leader")
    by_code: dict[str, list[ClusterPlace]] = {}
    by_name: dict[str, list[ClusterPlace]] = {}
    for m in members:
        row = m.cluster_year
        place = ClusterPlace(
            cluster=row.cluster.name,
            leader=row.leader.name if row.leader_id else "",
            leads=m.organisation_id == row.leader_id,
        )
        by_code.setdefault(m.organisation.code.casefold(), []).append(place)
        by_name.setdefault(_fold(m.organisation.name), []).append(place)
    out = {}
    for n in nominees:
        code = (n.identity_code or "").strip().casefold()
        found = by_code.get(code) if code else None
        if found is None:
            found = by_name.get(_fold(n.full_name), [])
        out[n.pk] = tuple(found)
    return out


def leader_rule(dossier, nominees: list) -> LeaderRule | None:
    """The registry's reader (registry.checks.register_leader_rule): the rule of the
    dossier's province when it is on for the dossier's award, with the places of its
    collective nominees that year; None otherwise. No query for a dossier without a
    collective nominee; one small one (the rules switched on) for any other award."""
    collectives = [n for n in nominees if n.kind == NomineeKind.COLLECTIVE]
    if not collectives:
        return None
    code = dossier.award_type.code
    switched_on = ClusterFlagRule.objects.filter(flag_only_to_leader=True)
    rules = [r for r in switched_on if r.applies_to(code)]
    if not rules:
        return None
    province = dossier.proposer.province()
    rule = next((r for r in rules if r.province_id == province.pk), None)
    if rule is None:
        return None
    return LeaderRule(
        award_name=dossier.award_type.name,
        year=dossier.year,
        basis=rule.basis or str(_("quy định của tỉnh")),
        places=places_of(collectives, province=province, year=dossier.year),
    )
