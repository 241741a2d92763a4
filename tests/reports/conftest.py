"""A seeded year: the demo province, its catalogue, and decided awards made by
reports.demo.build_year (bulk rows, with stage clocks on the working-day calendar)."""

from datetime import date

import pytest
from django.core.cache import caches

from reports.cache import CACHE_ALIAS
from reports.demo import build_year
from tests.factories import user

YEAR = 2026


@pytest.fixture
def province(demo):
    return demo["lang-son"]


@pytest.fixture
def secretariat_client(client, demo):
    """The test client signed in as the province's secretariat (who sees every figure)."""
    client.force_login(user("lang-son.vanphong"))
    return client


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


@pytest.fixture(autouse=True)
def _empty_figures_cache():
    """Each test starts with no kept figures: a test database rolled back can repeat the
    ids and counts of another test's (reports.cache keys on them)."""
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()
