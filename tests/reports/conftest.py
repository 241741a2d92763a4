"""A seeded year: the demo province, its catalogue, and decided awards made by
reports.demo.build_year (bulk rows, with stage clocks on the working-day calendar)."""

from datetime import date

import pytest

from reports.demo import build_year
from tests.factories import user

YEAR = 2026


@pytest.fixture
def province(demo):
    return demo["lang-son"]


@pytest.fixture
def seeded_year(demo, province):
    """60 decided dossiers of 2026 in the demo province."""
    build_year(
        province=province,
        year=YEAR,
        dossiers=60,
        created_by=user("lang-son.vanphong"),
        until=date(YEAR, 12, 31),
    )
    return province
