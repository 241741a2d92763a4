"""The figures of form 0601.N (emulation movements, phong trào thi đua; domain §8): the
campaigns launched in the period by the chosen organisation and the units under it, counted
by the level of the launching body, by scope and by kind (yearly, multi-year, thematic).

The kind is also the method the form asks for: yearly and multi-year campaigns are regular
emulation (thi đua thường xuyên), thematic ones are by topic or by round (theo chuyên đề,
theo đợt); no other method is recorded on a campaign. A campaign is launched on its
launching document's date, else on its first day.

Keys, for a report form's layout (reports.layouts): `movement.<row>.<column>` with rows
`all`, `level.<level>` (organisations.Level) and `scope.whole` (no organisation named: the
launching body and everything under it) or `scope.named` (the organisations named), and
columns `total`, `yearly`, `multi_year`, `thematic` and `regular` (yearly + multi-year).
One query, a row per campaign (a province launches tens a year, not thousands).
"""

from collections import Counter

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from dossiers.models import Campaign, CampaignKind

from .figures import Filters

REGULAR_KINDS = (CampaignKind.YEARLY, CampaignKind.MULTI_YEAR)


def launched(filters: Filters):
    """The campaigns the form counts: launched in the period, by the organisation or a unit
    under it (one campaign when the page is filtered to one)."""
    campaigns = (
        Campaign.objects.annotate(launched_on=Coalesce("document_date", "starts_on"))
        .filter(
            organisation__path__startswith=filters.organisation.path,
            launched_on__gte=filters.date_from,
            launched_on__lte=filters.date_to,
        )
        .annotate(named=Count("scope", filter=~Q(scope=F("organisation")), distinct=True))
    )
    if filters.campaign_id:
        campaigns = campaigns.filter(pk=filters.campaign_id)
    return campaigns


def movement_figures(filters: Filters) -> dict[str, int]:
    """`movement.<row>.<column>` → number of campaigns (see the module)."""
    counts: Counter[str] = Counter()
    for level, kind, named in launched(filters).values_list("organisation__level", "kind", "named"):
        columns = ["total", kind, *(["regular"] if kind in REGULAR_KINDS else [])]
        rows = ["all", f"level.{level}", "scope.named" if named else "scope.whole"]
        for row in rows:
            for column in columns:
                counts[f"movement.{row}.{column}"] += 1
    return dict(counts)
