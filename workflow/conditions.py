"""Conditions of the dossier's transitions: each one names itself for the refusal message.

A refused transition must say which condition failed, in Vietnamese and English; a
condition here is a plain predicate with a `message` (gettext, so the user's language).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.utils.translation import gettext_lazy as _

from registry.checks import blocking_problems

# Set on a dossier by workflow.services._check once every condition of the transition
# about to fire held, under the row lock; django-fsm then asks the same conditions again
# inside the transition call, and they answer from this set instead of querying twice.
VERIFIED = "_verified_conditions"
# Set by shared_facts() while one transition's conditions are evaluated: facts several
# conditions read (the active nominees) are fetched once.
MEMO = "_condition_memo"


@contextmanager
def shared_facts(dossier) -> Iterator[None]:
    """While conditions are evaluated on `dossier` (nothing written meanwhile), facts that
    several of them read are fetched once."""
    dossier.__dict__[MEMO] = {}
    try:
        yield
    finally:
        del dossier.__dict__[MEMO]


def _memo(dossier, key: str, compute: Callable):
    memo = dossier.__dict__.get(MEMO)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _active_kinds(dossier) -> list[str]:
    return _memo(
        dossier,
        "active_kinds",
        lambda: list(dossier.active_nominees().values_list("kind", flat=True)),
    )


def condition(message) -> Callable:
    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def check(dossier) -> bool:
            if check in getattr(dossier, VERIFIED, ()):
                return True
            return func(dossier)

        check.message = message
        return check

    return decorate


@condition(_("Hồ sơ phải có ít nhất một cá nhân hoặc tập thể được đề nghị."))
def has_nominees(dossier) -> bool:
    return bool(_active_kinds(dossier))


@condition(_("Hồ sơ còn thiếu tài liệu bắt buộc."))
def required_documents_present(dossier) -> bool:
    return not dossier.missing_documents()


@condition(_("Có người được đề nghị không thuộc đối tượng của hình thức khen thưởng này."))
def nominees_fit_award(dossier) -> bool:
    return all(dossier.award_type.accepts(kind) for kind in _active_kinds(dossier))


@condition(_("Có người được đề nghị chưa đủ điều kiện (xem kết quả kiểm tra điều kiện)."))
def nominees_eligible(dossier) -> bool:
    return not blocking_problems(dossier, competing=dossier.competing_nominees())


@condition(_("Hồ sơ chưa được ghi nhận tiếp nhận đầy đủ tại cấp này."))
def received_complete(dossier) -> bool:
    return bool(dossier.current_stage and dossier.current_stage.received_complete_on)


@condition(_("Hồ sơ đã được ghi nhận tiếp nhận đầy đủ tại cấp này."))
def not_yet_received_complete(dossier) -> bool:
    return bool(dossier.current_stage) and not dossier.current_stage.received_complete_on


@condition(_("Bước này không có Hội đồng TĐKT xét."))
def stage_has_council(dossier) -> bool:
    return bool(dossier.current_stage and dossier.current_stage.stage_rules.has_council)


@condition(_("Bước này phải được Hội đồng TĐKT xét trước khi chuyển tiếp."))
def stage_has_no_council(dossier) -> bool:
    return bool(dossier.current_stage) and not dossier.current_stage.stage_rules.has_council
