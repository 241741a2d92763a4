"""Prize money: base salary in force on the issue date × the form's multiple, rounded up to
the next 10 000 VND; one period pays only the highest; shown in the annex, kept on record."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from decisions import prize_money
from decisions.documents import build_decision, decision_doc
from decisions.models import BaseSalary, RegisteredNumber
from decisions.prize import Claim, highest_only, multiple_for, prize_amount, round_up
from dossiers.models import AwardType
from registry.identity import subject_key
from registry.models import RegistryEntry
from registry.services import import_award
from tests.factories import user

from .helpers import body_texts, decision_for, issue


def SIGNER():
    """The province's signing authority (the secretariat drafts and submits; it signs not)."""
    return user("lang-son.lanhdao")


BASE = 2_340_000  # Decree 73/2024, from 01/07/2024


# --- pure ---------------------------------------------------------------------------------


def test_the_worked_example_rounds_up_to_the_next_ten_thousand():
    assert prize_amount(base_salary=BASE, multiple=Decimal("0.3")) == 710_000  # 702 000 → 710 000
    assert prize_amount(base_salary=BASE, multiple=Decimal("1.0")) == 2_340_000  # exact stays
    assert prize_amount(base_salary=BASE, multiple=Decimal("4.5")) == 10_530_000
    assert prize_amount(base_salary=BASE, multiple=None) is None
    assert round_up(700_001) == 710_000


def test_a_household_gets_one_and_a_half_times_an_individual():
    individual, collective = Decimal("1.0"), Decimal("3")
    assert multiple_for("household", individual=individual, collective=collective) == Decimal("1.5")
    assert multiple_for("collective", individual=individual, collective=collective) == 3
    assert multiple_for("individual", individual=None, collective=collective) is None
    # LĐTT 0,3 for a household: 2 340 000 × 0,45 = 1 053 000 → 1 060 000 (rounded once)
    assert prize_amount(base_salary=BASE, multiple=Decimal("0.3") * Decimal("1.5")) == 1_060_000


def test_several_titles_for_one_period_pay_only_the_highest_different_periods_pay_each():
    claims = [
        Claim("ldtt-2025", "id:A", "year:2025", 710_000),
        Claim("cstdcs-2025", "id:A", "year:2025", 2_340_000),
        Claim("ldtt-2026", "id:A", "year:2026", 710_000),
        Claim("ldtt-2025-b", "id:B", "year:2025", 710_000),
    ]
    paid = highest_only(claims)
    assert paid["cstdcs-2025"].amount == 2_340_000
    assert paid["ldtt-2025"].amount == 0
    assert paid["ldtt-2025"].note  # says why
    assert paid["ldtt-2026"].amount == 710_000
    assert paid["ldtt-2025-b"].amount == 710_000


def test_what_an_earlier_decision_paid_for_the_period_counts():
    claim = Claim("bk", "id:A", "year:2025", 2_340_000)
    assert highest_only([claim], already_paid={("id:A", "year:2025"): 7_020_000})["bk"].amount == 0
    topped = highest_only([claim], already_paid={("id:A", "year:2025"): 710_000})["bk"]
    assert (topped.amount, topped.full_amount) == (1_630_000, 2_340_000)


# --- with the database ---------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def multiples(demo):
    AwardType.objects.filter(code="bang-khen-tinh").update(
        prize_multiple=Decimal("1.0"), prize_multiple_collective=Decimal("3")
    )


@pytestmark_db
def test_the_base_salary_table_is_dated_and_seeded():
    assert BaseSalary.objects.get(valid_from=date(2024, 7, 1)).amount == BASE
    assert prize_money.base_salary_on(date(2024, 7, 1)).amount == BASE
    assert prize_money.base_salary_on(date(2024, 6, 30)).amount == 1_800_000
    assert prize_money.base_salary_on(date(2020, 1, 1)) is None


@pytestmark_db
def test_issuing_records_the_prize_on_the_registry_entry_and_in_the_annex(demo, multiples):
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)

    decision = issue(draft, by=SIGNER(), on=date(2027, 1, 4))

    entry = RegistryEntry.objects.get(decision=decision)
    assert entry.prize_amount == 2_340_000
    texts = body_texts(build_decision(decision_doc(decision)))
    assert any("thưởng (đồng)" in text for text in texts)  # the column header
    assert "2.340.000" in texts


@pytestmark_db
def test_the_amount_follows_the_base_salary_on_the_issue_date(demo, multiples):
    BaseSalary.objects.create(valid_from=date(2027, 7, 1), amount=2_530_000, basis="thử")
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    [before] = prize_money.prizes_for(draft, on=date(2027, 6, 30)).values()
    [after] = prize_money.prizes_for(draft, on=date(2027, 7, 1)).values()
    assert (before.amount, after.amount) == (2_340_000, 2_530_000)


@pytestmark_db
def test_a_second_award_for_the_same_period_pays_nothing_with_a_note(demo, multiples):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    nominee = dossier.active_nominees().get()
    earlier = import_award(
        by=user("lang-son.vanphong"),
        issuer=demo["lang-son"],
        unit=demo["th-hop-thanh"],
        full_name=nominee.full_name,
        identity_code=nominee.identity_code,
        award_code="cstd-tinh",
        award_name="Chiến sĩ thi đua cấp tỉnh",
        year=dossier.year,
        decision_label="12/QĐ-UBND",
        decision_date=date(2026, 3, 1),
    )
    RegistryEntry.objects.filter(pk=earlier.pk).update(prize_amount=7_020_000)
    assert earlier.subject_key == subject_key(
        identity_code=nominee.identity_code, full_name=nominee.full_name
    )

    decision = issue(draft, by=SIGNER(), on=date(2027, 1, 4))

    entry = RegistryEntry.objects.get(decision=decision)
    assert entry.prize_amount == 0
    assert "cao" in entry.prize_note  # "…mức tiền thưởng bằng hoặc cao hơn…"


@pytestmark_db
def test_without_a_base_salary_in_force_the_issue_is_refused_before_numbering(demo, multiples):
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    BaseSalary.objects.all().delete()
    with pytest.raises(DomainError) as refused:
        issue(draft, by=SIGNER())
    assert refused.value.code == "no_base_salary"
    assert RegisteredNumber.objects.count() == 0
    assert not RegistryEntry.objects.filter(decision=draft).exists()


@pytestmark_db
def test_a_form_without_multiples_shows_no_prize_column(demo):
    _dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    decision = issue(draft, by=SIGNER())
    assert RegistryEntry.objects.get(decision=decision).prize_amount is None
    texts = body_texts(build_decision(decision_doc(decision)))
    assert not any("thưởng (đồng)" in text for text in texts)
