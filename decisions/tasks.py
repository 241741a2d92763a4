"""Thin tasks: they hand an id to decisions.signing, which makes reruns harmless."""

from celery import shared_task
from django.conf import settings

from core.commit import after_commit

from .signing import sign_issued_decision


@shared_task(
    name="decisions.sign_decision",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def sign_decision(decision_id: int) -> None:
    """Convert, sign and store an issued decision (idempotent: signed once)."""
    sign_issued_decision(decision_id)


def sign_after_commit(decision_id: int) -> None:
    """issue_decision's last step: sign the decision once the issue has committed.

    Not inside the issue's transaction: LibreOffice and the signature take seconds, and the
    issue holds the number series' row lock to its commit (every other issue of the issuer
    would queue behind it). After the commit, a failed signature (LibreOffice missing, the
    certificate expired) leaves the decision issued and numbered, without its signed PDF;
    the decision page says so and `manage.py sign_decisions` retries (docs/signing.md).
    `robust`: a failure is logged, never raised into the request that issued.
    """
    if settings.KHENTHUONG_SIGN_ON_ISSUE:
        after_commit(_sign_later, decision_id)


def _sign_later(decision_id: int) -> None:
    sign_decision.delay(decision_id)
