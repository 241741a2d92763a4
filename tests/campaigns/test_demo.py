"""seed_demo's campaign and cluster: present on a fresh run, unchanged by a second one."""

import pytest

from campaigns.demo import CAMPAIGN_NAME, CLUSTER_CODE, seed_campaigns
from campaigns.models import Cluster, Score, TargetResult
from campaigns.services import cluster_standing
from councils.demo import seed_councils
from dossiers.models import Campaign, Dossier

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_campaign_with_results_and_a_cluster_with_its_covenant(demo):
    seed_councils()
    logins = seed_campaigns()

    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert campaign.targets.count() == 3
    reporting = set(
        TargetResult.objects.filter(target__campaign=campaign).values_list(
            "organisation__code", flat=True
        )
    )
    assert reporting == {"hop-thanh", "so-y-te"}
    cluster = Cluster.objects.get(body__code=CLUSTER_CODE)
    year = cluster.years.get(year=2026)
    assert year.members.count() == 7
    assert year.covenant.criteria.count() == 3
    standing = cluster_standing(year)
    assert standing.complete
    assert [r.place for r in standing.rows] == [1, 2, 3, 4, 5, 6, 7]
    assert year.proposal.award_type.code == "co-thi-dua-tinh"
    assert year.proposal.active_nominees().get().identity_code == "so-y-te"
    assert year.proposal.campaign == campaign
    assert logins[0][0] == f"{CLUSTER_CODE}.vanphong"

    counts = (Dossier.objects.count(), Score.objects.count(), TargetResult.objects.count())
    seed_campaigns()
    assert (Dossier.objects.count(), Score.objects.count(), TargetResult.objects.count()) == counts
