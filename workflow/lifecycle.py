"""The dossier's state machine: django-fsm-2 transitions that only set fields.

Every transition is called by one function of workflow.services, which locks the row,
checks conditions and permission, and writes the audit row and notices around it.
Who may fire each one is read from workflow.actors (the actor of the dossier's state; a
withdrawal is the proposing unit's own act).
`status` is protected: a stray `dossier.status = ...` raises instead of silently
skipping a legal step.
"""

from django.db import models
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from . import conditions as c
from .actors import may_act, may_withdraw
from .states import (
    APPRAISAL_STATES,
    COUNCIL_STATES,
    RETURNABLE_STATES,
)
from .states import (
    DossierStatus as S,
)

ENTERABLE = RETURN_VALUE(S.INTERMEDIATE_APPRAISAL, S.PROVINCIAL_APPRAISAL, S.AWAITING_DECISION)


class DossierLifecycle(FSMModelMixin, models.Model):
    status = FSMField(
        default=S.DRAFT, choices=S.choices, protected=True, db_index=True, verbose_name="status"
    )

    class Meta:
        abstract = True

    @transition(
        field=status,
        source=S.DRAFT,
        target=S.UNIT_REVIEW,
        conditions=[
            c.has_nominees,
            c.nominees_fit_award,
            c.required_documents_present,
            c.nominees_eligible,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    def submit(self) -> None:
        self.returned_reason = ""

    @transition(
        field=status,
        source=S.UNIT_REVIEW,
        target=ENTERABLE,
        conditions=[
            c.has_nominees,
            c.required_documents_present,
            c.party_opinion_present,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    def approve_at_unit(self, *, to: str) -> str:
        return to

    @transition(
        field=status,
        source=list(RETURNABLE_STATES),
        target=S.RETURNED,
        permission=may_act,
    )
    def return_for_supplement(self, *, reason: str) -> None:
        # Files uploaded from now on belong to the next submission round.
        self.round += 1
        self.returned_reason = reason

    @transition(
        field=status,
        source=S.RETURNED,
        target=RETURN_VALUE(*RETURNABLE_STATES),
        conditions=[c.has_nominees, c.nominees_fit_award, c.required_documents_present],
        permission=may_act,
    )
    def resubmit(self, *, to: str) -> str:
        self.returned_reason = ""
        return to

    @transition(
        field=status,
        source=list(APPRAISAL_STATES),
        target=None,  # the stage moves from "registered" to "complete, clock running"
        conditions=[c.not_yet_received_complete, c.has_nominees, c.required_documents_present],
        permission=may_act,
    )
    def accept_complete(self) -> None:
        pass

    @transition(
        field=status,
        source=S.INTERMEDIATE_APPRAISAL,
        target=S.INTERMEDIATE_COUNCIL,
        conditions=[
            c.received_complete,
            c.stage_has_council,
            c.has_nominees,
            c.nominees_eligible,
            c.party_opinion_present,
            c.no_open_objections,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    def send_to_intermediate_council(self) -> None:
        pass

    @transition(
        field=status,
        source=S.PROVINCIAL_APPRAISAL,
        target=S.PROVINCIAL_COUNCIL,
        conditions=[
            c.received_complete,
            c.stage_has_council,
            c.has_nominees,
            c.nominees_eligible,
            c.party_opinion_present,
            c.no_open_objections,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    def send_to_provincial_council(self) -> None:
        pass

    @transition(
        field=status,
        source=S.INTERMEDIATE_APPRAISAL,
        target=RETURN_VALUE(S.PROVINCIAL_APPRAISAL, S.AWAITING_DECISION),
        conditions=[
            c.received_complete,
            c.stage_has_no_council,
            c.has_nominees,
            c.party_opinion_present,
            c.no_open_objections,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    @transition(
        field=status,
        source=S.PROVINCIAL_APPRAISAL,
        target=RETURN_VALUE(S.AWAITING_DECISION),
        conditions=[
            c.received_complete,
            c.stage_has_no_council,
            c.has_nominees,
            c.party_opinion_present,
            c.no_open_objections,
            c.no_nominee_held,
        ],
        permission=may_act,
    )
    def forward(self, *, to: str) -> str:
        return to

    @transition(
        field=status,
        source=S.INTERMEDIATE_COUNCIL,
        target=RETURN_VALUE(S.PROVINCIAL_APPRAISAL, S.AWAITING_DECISION, S.NOT_APPROVED),
        permission=may_act,
    )
    @transition(
        field=status,
        source=S.PROVINCIAL_COUNCIL,
        target=RETURN_VALUE(S.AWAITING_DECISION, S.NOT_APPROVED),
        permission=may_act,
    )
    # No hold condition here: a held nominee the council did not pass stops anyway; one it
    # passed is refused by services.record_council_result, which knows the outcomes.
    def conclude_council(self, *, to: str) -> str:
        return to

    @transition(
        field=status,
        source=[*APPRAISAL_STATES, *COUNCIL_STATES],
        target=S.NOT_APPROVED,
        permission=may_act,
    )
    def reject(self, *, reason: str) -> None:
        self.returned_reason = reason

    @transition(
        field=status,
        source=S.AWAITING_DECISION,
        target=S.DECIDED,
        conditions=[c.no_nominee_held],
        permission=may_act,
    )
    def decide(self) -> None:
        pass

    @transition(
        field=status,
        source=[S.DRAFT, S.UNIT_REVIEW, S.RETURNED, *APPRAISAL_STATES],
        target=S.WITHDRAWN,
        permission=may_withdraw,
    )
    def withdraw(self, *, reason: str) -> None:
        self.returned_reason = reason
