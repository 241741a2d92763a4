"""Prize money of a decision: the rows behind `decisions.prize` (which stays pure).

`prizes_for(decision, on=day)` reads the base salary in force on `day`, the award form's
multiples and what the registry already paid each awardee for the same achievement, and
returns one `Payment` per nominee; `issue_decision` calls it before numbering (a missing
base salary refuses the issue before anything is written) and `store_prizes` after the
registry entries exist. The annex of a draft shows the same figures for today.
"""

from datetime import date

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from office.dates import cited_date
from registry.identity import achievement_key, subject_key
from registry.models import RegistryEntry, RegistryStatus

from .models import BaseSalary
from .prize import Claim, Payment, format_vnd, highest_only, multiple_for, prize_amount


def base_salary_on(day: date) -> BaseSalary | None:
    """The base salary row in force on `day` (the latest that started on or before it)."""
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def _keys(nominee) -> tuple[str, str]:
    dossier = nominee.dossier
    return (
        subject_key(
            identity_code=nominee.identity_code,
            full_name=nominee.full_name,
            birth_year=nominee.birth_year,
            organisation_name=nominee.organisation_name,
        ),
        achievement_key(
            kind=dossier.kind,
            year=dossier.year,
            campaign_id=dossier.campaign_id,
            reference=dossier.reference,
        ),
    )


def prizes_for(decision, *, on: date) -> dict[int, Payment]:
    """nominee id -> Payment for the decision's lines, as if issued on `on`.

    Empty when the award form pays no prize. Refused (`no_base_salary`) when it does and
    no base salary is in force on `on`.
    """
    award = decision.award_type
    individual, collective = award.prize_multiple, award.prize_multiple_collective
    if individual is None and collective is None:
        return {}
    salary = base_salary_on(on)
    if salary is None:
        raise DomainError(
            "no_base_salary",
            _("Tiền thưởng: chưa có mức lương cơ sở áp dụng %(day)s (Quản trị: Mức lương cơ sở).")
            % {"day": cited_date(on)},
            field="issued_on",
        )
    nominees = [line.nominee for line in decision.lines.select_related("nominee__dossier")]
    claims, keys = [], {}
    for nominee in nominees:
        amount = prize_amount(
            base_salary=salary.amount,
            multiple=multiple_for(nominee.kind, individual=individual, collective=collective),
        )
        if amount is None:
            continue
        subject, period = keys[nominee.pk] = _keys(nominee)
        claims.append(Claim(key=nominee.pk, subject=subject, period=period, amount=amount))
    paid_rows = (
        RegistryEntry.objects.filter(
            status=RegistryStatus.VALID,
            prize_amount__isnull=False,
            subject_key__in={s for s, _p in keys.values()},
        )
        .exclude(decision=decision)
        .values("subject_key", "achievement_key")
        .annotate(paid=Sum("prize_amount"))
    )
    already = {(r["subject_key"], r["achievement_key"]): r["paid"] for r in paid_rows}
    return highest_only(claims, already_paid=already)


def store_prizes(decision, payments: dict[int, Payment]) -> None:
    """Write each payment on the decision's registry entry (in the issuing transaction)."""
    for entry in RegistryEntry.objects.filter(decision=decision, nominee_id__in=payments):
        payment = payments[entry.nominee_id]
        entry.prize_amount = payment.amount
        entry.prize_note = payment.note
        entry.save(update_fields=["prize_amount", "prize_note"])


def _cell(amount: int, note: str) -> str:
    text = format_vnd(amount)
    return f"{text} ({note})" if note else text


def prize_cells(decision) -> dict[int, str]:
    """nominee id -> the annex's prize cell ("710.000"; a 0 carries its note); empty when
    the award form pays none. An issued decision shows what its registry entries record; a
    draft, what issuing it today would pay (nothing when no base salary is in force)."""
    award = decision.award_type
    if award.prize_multiple is None and award.prize_multiple_collective is None:
        return {}
    if decision.issued_on:
        entries = RegistryEntry.objects.filter(decision=decision, prize_amount__isnull=False)
        return {
            e.nominee_id: _cell(e.prize_amount, e.prize_note)
            for e in entries.only("nominee_id", "prize_amount", "prize_note")
        }
    try:
        payments = prizes_for(decision, on=timezone.localdate())
    except DomainError:
        return {}
    return {key: _cell(p.amount, p.note) for key, p in payments.items()}
