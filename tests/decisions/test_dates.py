"""The signing date (issue 14): not in the future, not before the council's result or the
dossiers' receipt; the number comes from the signing date's year; refused with a message
naming the date and the rule, and no number consumed. Eligibility is checked again."""

from datetime import date

import pytest

from core.errors import DomainError
from decisions import services
from decisions.models import Decision, DecisionStatus, NumberSeries, RegisteredNumber
from registry.models import RegistryEntry
from registry.services import import_award
from tests.factories import user

from .helpers import decision_for, issue, signing_day, submit

pytestmark = pytest.mark.django_db

COUNCIL_DAY = date(2026, 11, 20)
TODAY = date(2026, 12, 1)


@pytest.fixture
def submitted(demo):
    """A draft over a dossier the provincial council passed on 20/11/2026, submitted."""
    with signing_day(COUNCIL_DAY):
        dossier, draft, _ = decision_for(demo["th-hop-thanh"], nominees=2)
        submit(draft)
    return dossier, Decision.objects.get(pk=draft.pk)


def register() -> tuple:
    return (
        list(RegisteredNumber.objects.values_list("pk", flat=True)),
        list(NumberSeries.objects.values_list("year", "last_number")),
        RegistryEntry.objects.count(),
    )


def refused_on(draft, day: date) -> DomainError:
    before = register()
    with signing_day(TODAY), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=user("lang-son.lanhdao"), issued_on=day)
    assert register() == before  # no number consumed, no series opened, nothing awarded
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.SUBMITTED
    assert refused.value.field == "issued_on"
    return refused.value


def test_a_future_signing_date_is_refused_naming_the_date_and_today(submitted):
    _, draft = submitted
    error = refused_on(draft, date(2027, 1, 15))
    assert error.code == "date_in_future"
    assert "15/01/2027" in str(error)
    assert "01/12/2026" in str(error)
    assert not NumberSeries.objects.filter(year=2027).exists()  # the 2027 register untouched


def test_a_signing_date_before_the_council_is_refused(submitted):
    _, draft = submitted
    error = refused_on(draft, date(2026, 11, 10))
    assert error.code == "date_before_council"
    assert "10/11/2026" in str(error)
    assert "20/11/2026" in str(error)
    assert "Hội đồng" in str(error)


def test_a_signing_date_before_the_receipt_of_the_dossier_is_refused(submitted):
    """A stage that decides after its standing body's appraisal alone (Bằng khen, TTLĐXS:
    no provincial council) receives the dossier after the last council met. Here the
    province's receipt is recorded as 27/11, a week after the councils of 20/11."""
    dossier, draft = submitted
    dossier.stages.filter(pk=dossier.current_stage_id).update(
        received_complete_on=date(2026, 11, 27)
    )
    error = refused_on(draft, date(2026, 11, 26))
    assert error.code == "date_before_receipt"
    assert "26/11/2026" in str(error)
    assert "27/11/2026" in str(error)
    assert dossier.reference in str(error)


def test_today_after_the_council_is_accepted_and_numbered_in_its_year(submitted, demo):
    _, draft = submitted
    services.record_external_number(
        demo["lang-son"].pk,
        by=user("lang-son.vanphong"),
        number=4187,
        issued_on=date(2026, 11, 30),
    )
    decision = issue(draft, by=user("lang-son.lanhdao"), on=TODAY)
    assert decision.label == "Số: 4188/QĐ-UBND"
    assert decision.number.series.year == 2026
    assert decision.issued_on == TODAY


def test_the_council_day_itself_is_accepted(submitted):
    _, draft = submitted
    with signing_day(TODAY):
        decision = services.issue_decision(
            draft.pk, by=user("lang-son.lanhdao"), issued_on=COUNCIL_DAY
        )
    assert decision.label == "Số: 01/QĐ-UBND"


def test_eligibility_is_checked_again_at_signing(submitted, demo):
    """An award recorded after the appraisal (here imported from paper) for the same
    achievement stops the signature: one achievement, one award (Law 06/2022)."""
    dossier, draft = submitted
    nominee = dossier.active_nominees().first()
    import_award(
        by=user("lang-son.vanphong"),
        issuer=demo["lang-son"],
        unit=demo["th-hop-thanh"],
        full_name=nominee.full_name,
        birth_year=nominee.birth_year,
        identity_code=nominee.identity_code,
        award_code="bang-khen-tinh",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        year=dossier.year,
        decision_label="99/QĐ-UBND",
        decision_date=date(2026, 11, 25),
    )
    before = register()
    with signing_day(TODAY), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=user("lang-son.lanhdao"), issued_on=TODAY)
    assert refused.value.code == "not_eligible"
    assert nominee.full_name in str(refused.value)
    assert register() == before
