"""Invariants across the apps: facts that hold whatever path wrote the rows.

Each check reads the database and returns the rows that break it; `manage.py
check_invariants` prints them and exits 1. They catch what a service would never do and a
direct write could (the probe of issue 15 set a state by hand, relabelled numbers, deleted
a ballot receipt), and what a race would leave behind (a double acceptance).

This room sits on top of every app (it reads dossiers, councils, decisions and the audit
trail), like `demo`; no app imports it.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast

from audit.models import AuditEvent
from audit.services import verify_chain
from councils.models import BallotReceipt, MeetingStatus, OpenVote, SealedBallot, SecretChoice
from decisions.models import Decision, DecisionStatus, NumberSeries, NumberUse, RegisteredNumber
from decisions.numbering import decision_label
from dossiers.models import Dossier
from registry.tallies import KEY as AWARD_KEY
from registry.tallies import award_tally_differences
from workflow.deadlines import configured_calendar
from workflow.tallies import KEY as CLOCK_KEY
from workflow.tallies import clock_tally_differences


@dataclass(frozen=True)
class Violation:
    check: str
    subject: str
    problem: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.problem}"


def dossier_states_match_audit() -> list[Violation]:
    """Every dossier's state is the `to_state` of its last state-recording audit row: a
    state set outside the services (no audit row) or a lost audit row shows here."""
    last = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Dossier),
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        .exclude(to_state="")
        .order_by("-seq")
        .values("to_state")[:1]
    )
    rows = Dossier.objects.annotate(audited=Subquery(last)).values_list(
        "pk", "reference", "status", "audited"
    )
    return [
        Violation(
            "dossier_state",
            f"{reference} (id {pk})",
            f"state {status!r}, last audit entry says {audited!r}"
            if audited
            else f"state {status!r} and no audit entry",
        )
        for pk, reference, status, audited in rows.iterator()
        if status != audited
    ]


def receipts_only_in_voting() -> list[Violation]:
    """A ballot receipt exists only in a meeting that was opened for voting (open or closed),
    never in a draft meeting."""
    rows = BallotReceipt.objects.filter(meeting__status=MeetingStatus.DRAFT).values_list(
        "pk", "meeting_id"
    )
    return [
        Violation("receipt_in_draft_meeting", f"receipt {pk}", f"meeting {meeting} is a draft")
        for pk, meeting in rows
    ]


def receipts_match_choices() -> list[Violation]:
    """Per meeting and nominee, as many receipts (that someone voted) as choices counted
    (secret or open): a deleted receipt or a choice slipped in shows as a difference."""
    receipts = Counter(
        {
            (r["meeting_id"], r["nominee_id"]): r["n"]
            for r in BallotReceipt.objects.values("meeting_id", "nominee_id").annotate(
                n=Count("pk")
            )
        }
    )
    choices: Counter = Counter()
    for model in (SecretChoice, SealedBallot, OpenVote):  # sealed while open, opened at close
        for r in model.objects.values("meeting_id", "nominee_id").annotate(n=Count("pk")):
            choices[(r["meeting_id"], r["nominee_id"])] += r["n"]
    return [
        Violation(
            "receipts_vs_choices",
            f"meeting {meeting}, nominee {nominee}",
            f"{receipts[(meeting, nominee)]} receipts, {choices[(meeting, nominee)]} choices",
        )
        for meeting, nominee in sorted(set(receipts) | set(choices))
        if receipts[(meeting, nominee)] != choices[(meeting, nominee)]
    ]


def number_register_complete() -> list[Violation]:
    """The register of each series (decisions/numbering.py) runs 1..last_number: numbers are
    allocated one after the other, and a hole is only the jump to a paper number recorded as
    external (the numbers below it were given outside khenthuong). Each issued decision
    carries its own registered number and the label made from it."""
    found: list[Violation] = []
    for series in NumberSeries.objects.all():
        rows = list(
            RegisteredNumber.objects.filter(series=series)
            .order_by("number")
            .values_list("number", "use")
        )
        name = f"series {series.symbol} {series.year} (id {series.pk})"
        numbers = [n for n, _ in rows]
        for n, times in Counter(numbers).items():
            if times > 1:
                found.append(Violation("number_register", name, f"number {n} registered {times}×"))
        top = max(numbers, default=0)
        if top != series.last_number:
            found.append(
                Violation(
                    "number_register",
                    name,
                    f"last number {series.last_number}, register ends at {top}",
                )
            )
        expected = 1
        for n, use in rows:
            if n > expected and use != NumberUse.EXTERNAL:
                found.append(
                    Violation(
                        "number_register",
                        name,
                        f"numbers {expected}–{n - 1} missing before {n} ({use})",
                    )
                )
            expected = max(expected, n + 1)
    issued = Decision.objects.filter(status=DecisionStatus.ISSUED).select_related("number__series")
    holders = Counter(issued.values_list("number_id", flat=True))
    for decision in issued:
        entry = decision.number
        subject = f"decision {decision.pk}"
        if entry is None:
            found.append(Violation("decision_number", subject, "issued without a number"))
            continue
        if holders[entry.pk] > 1:
            found.append(Violation("decision_number", subject, f"number {entry} shared"))
        if entry.use != NumberUse.ISSUED:
            found.append(Violation("decision_number", subject, f"number {entry} is {entry.use}"))
        symbol = (decision.frozen or {}).get("symbol") or entry.series.symbol
        if decision.label != decision_label(entry.number, symbol):
            found.append(
                Violation(
                    "decision_number",
                    subject,
                    f"label {decision.label!r} does not match number {entry.number}",
                )
            )
    return found


def tallies_match_rows() -> list[Violation]:
    """The statistics' tallies equal a recount of the awards and the closed clocks: a row
    written around the services (or a tally lost) shows here; `manage.py rebuild_tallies`
    repairs it."""
    found = []
    for key, expected, tallied in award_tally_differences():
        subject = "award tally " + ", ".join(
            f"{k}={v}" for k, v in zip(AWARD_KEY, key, strict=True)
        )
        problem = ", ".join(
            f"{name} {tallied[name]} (recount {expected[name]})"
            for name in expected
            if expected[name] != tallied[name]
        )
        found.append(Violation("tallies", subject, problem))
    for key, expected, tallied in clock_tally_differences(calendar_of=configured_calendar):
        subject = "clock tally " + ", ".join(
            f"{k}={v}" for k, v in zip(CLOCK_KEY, key, strict=True)
        )
        found.append(Violation("tallies", subject, f"count {tallied} (recount {expected})"))
    return found


def audit_chain_intact() -> list[Violation]:
    report = verify_chain()
    if report.ok:
        return []
    return [Violation("audit_chain", f"audit row {report.broken_at}", report.problem)]


CHECKS = (
    dossier_states_match_audit,
    receipts_only_in_voting,
    receipts_match_choices,
    number_register_complete,
    tallies_match_rows,
    audit_chain_intact,
)


def violations() -> list[Violation]:
    return [v for check in CHECKS for v in check()]
