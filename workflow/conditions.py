"""Conditions of the dossier's transitions: each one names itself for the refusal message.

A refused transition must say which condition failed, in Vietnamese and English; a
condition here is a plain predicate with a `message` (gettext, so the user's language).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.utils.translation import gettext_lazy as _

from registry.checks import HoldRefusal, blocking_problems, held_nominees

from .stage_rules import PARTY_OPINION_CATEGORY

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


def _active(dossier) -> list:
    """The active nominees, read once for every condition of the transition."""
    return _memo(dossier, "active_nominees", lambda: list(dossier.active_nominees()))


def _active_kinds(dossier) -> list[str]:
    return [nominee.kind for nominee in _active(dossier)]


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
    return not blocking_problems(
        dossier, competing=dossier.competing_nominees(), nominees=_active(dossier)
    )


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


@condition(
    _(
        "Thiếu Ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy: bước này cần đính kèm văn bản "
        "đó trước khi chuyển hồ sơ đi."
    )
)
def party_opinion_present(dossier) -> bool:
    """Bắc Ninh QĐ 86/2025 art. 5 §1a, where the route stage asks for it (off by default).

    Asked of the dossier's own documents (any round), not of `dossiers`: the kernel imports
    no dossier module (issue 11). One query, and only on a stage that requires it.
    """
    stage = dossier.current_stage
    if stage is None or not stage.stage_rules.party_opinion_required:
        return True
    return dossier.documents.filter(category=PARTY_OPINION_CATEGORY).exists()


@condition(
    _(
        "Còn ý kiến phản ánh về danh sách công khai chưa được trả lời: người bị phản ánh tạm "
        "dừng xét cho đến khi cơ quan thường trực trả lời (xem trang Công khai)."
    )
)
def no_open_objections(dossier) -> bool:
    """An unanswered objection to a posted nominee holds the dossier at appraisal
    (Decree 152/2025 art. 4 §4: no proposal while a complaint is being verified).

    Asked through the dossier's own posting (dossiers.posting), not by importing it.
    """
    posting = getattr(dossier, "posting", None)  # reverse one-to-one: None when never posted
    if posting is None:
        return True
    return not posting.objections.filter(answered_on__isnull=True).exists()


class _NoNomineeHeld:
    """No active nominee is under a hold (Decree 152/2025 art. 4 §4: no award and no
    proposal while a competent body considers discipline, investigates, inspects, audits,
    or verifies a complaint, denunciation or press report).

    Unlike the fixed messages above, the refusal names who is held, why, by whom and the
    basis, so `message` is built from the holds this condition just found: services._check
    reads it right after the call that failed. The holds are kept per context (thread or
    task), and the message object keeps its own copy, so a later check cannot change it.
    """

    __name__ = __qualname__ = "no_nominee_held"

    def __init__(self) -> None:
        self._found: ContextVar[tuple] = ContextVar("held_nominees", default=())

    def __call__(self, dossier) -> bool:
        if self in getattr(dossier, VERIFIED, ()):
            return True
        held = _memo(
            dossier, "held_nominees", lambda: held_nominees(dossier, nominees=_active(dossier))
        )
        self._found.set(tuple(held))
        return not held

    @property
    def message(self) -> HoldRefusal:
        return HoldRefusal(list(self._found.get()))


no_nominee_held = _NoNomineeHeld()
