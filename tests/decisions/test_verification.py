"""The public verification page: anonymous, by unguessable token, says whether the award
stands; unknown tokens 404; rate limited per IP."""

import secrets
from datetime import date

import pytest
from django.core.cache import cache

from decisions.verification import verification_url
from registry.models import RegistryEntry
from registry.services import revoke_award
from tests.factories import user

from .helpers import decision_for, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counter():
    cache.clear()
    yield
    cache.clear()


def issued(demo, nominees: int = 2):
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=nominees)
    return issue(draft, by=user("lang-son.lanhdao"), on=date(2027, 1, 4))


def test_an_awardee_link_shows_the_decision_and_that_the_award_stands(demo, client):
    decision = issued(demo)
    entry = RegistryEntry.objects.filter(decision=decision).order_by("pk").first()
    response = client.get(f"/xac-minh/{entry.verification_token}/")  # nobody logged in
    page = response.content.decode()
    assert response.status_code == 200
    assert "01/QĐ-UBND" in page
    assert "04/01/2027" in page
    assert "Tỉnh Lạng Sơn" in page or "tỉnh Lạng Sơn" in page.lower()
    assert entry.full_name in page
    assert "Khen thưởng này đang có hiệu lực." in page
    # Nothing else personal: not the birth year, the identity code, the other awardee.
    assert str(entry.birth_year) not in page
    assert "0010850" not in page
    other = RegistryEntry.objects.filter(decision=decision).exclude(pk=entry.pk).get()
    assert other.full_name not in page


def test_after_revocation_the_same_link_says_revoked(demo, client):
    decision = issued(demo, nominees=1)
    entry = RegistryEntry.objects.get(decision=decision)
    revoke_award(entry.pk, by=user("lang-son.lanhdao"), reason="Hồ sơ khai không trung thực.")
    page = client.get(f"/xac-minh/{entry.verification_token}/").content.decode()
    assert "Khen thưởng này đã bị thu hồi" in page
    assert "đang có hiệu lực" not in page
    assert "không trung thực" not in page  # the reason is not published


def test_the_decision_link_lists_every_awardee(demo, client):
    decision = issued(demo, nominees=2)
    page = client.get(f"/xac-minh/{decision.verification_token}/").content.decode()
    for entry in RegistryEntry.objects.filter(decision=decision):
        assert entry.full_name in page
    assert verification_url(decision.verification_token) in page


def test_random_tokens_and_drafts_answer_404(demo, client):
    assert client.get(f"/xac-minh/{secrets.token_urlsafe(16)}/").status_code == 404
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    assert client.get(f"/xac-minh/{draft.verification_token}/").status_code == 404


def test_tokens_are_unguessable_and_distinct(demo):
    decision = issued(demo, nominees=2)
    tokens = [
        decision.verification_token,
        *RegistryEntry.objects.values_list("verification_token", flat=True),
    ]
    assert len(set(tokens)) == len(tokens)
    assert all(len(t) >= 22 for t in tokens)  # 16 random bytes, URL-safe base64
    assert str(decision.pk) != decision.verification_token


def test_over_the_rate_limit_the_page_answers_429(demo, client, settings):
    settings.KHENTHUONG_VERIFY_RATE = 3
    decision = issued(demo, nominees=1)
    url = f"/xac-minh/{decision.verification_token}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    # Guesses count too: a scraper cannot probe random tokens past the limit.
    assert client.get(f"/xac-minh/{secrets.token_urlsafe(16)}/").status_code == 429
    # Another address is not held back.
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200
