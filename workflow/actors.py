"""Who acts on a dossier in each state, and who is told when it gets there: one table.

Every question of the kind "who may move this dossier now?" reads `ACTORS`:
- the transitions' `permission=` (workflow.lifecycle: `may_act`, `may_withdraw`);
- the viewflow task of the state (workflow.flows: its permission and organisation);
- the inbox (workflow.flows.claimable_tasks) and the "who acts now" line of the dossier page;
- the notices sent when the dossier enters a state (workflow.services).

An actor is a set of codenames held on one organisation: the proposing unit, or the
organisation of the dossier's current route stage. Permissions come from the one gate,
`organisations.permissions`, so pages, transitions and notices cannot disagree.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from organisations.permissions import holds, users_who_can
from organisations.roles import Perm, Role

from .states import APPRAISAL_STATES, COUNCIL_STATES
from .states import DossierStatus as S


class Where(StrEnum):
    PROPOSER = "proposer"  # the unit that files the dossier
    STAGE = "stage"  # the organisation of the current route stage


@dataclass(frozen=True)
class Actor:
    """Whoever holds any of `codenames` on the organisation `where` names."""

    where: Where
    codenames: tuple[str, ...]
    roles: tuple[Role, ...]  # whose roles grant them, for "who acts next"

    @property
    def label(self) -> str:
        """The roles' names in the active language (read when shown, never at import)."""
        return " / ".join(str(role.label) for role in self.roles)

    def organisation(self, dossier):
        if self.where == Where.PROPOSER:
            return dossier.proposer
        stage = dossier.current_stage
        return stage.organisation if stage else None

    def organisation_id(self, dossier) -> int | None:
        if self.where == Where.PROPOSER:
            return dossier.proposer_id
        stage = dossier.current_stage
        return stage.organisation_id if stage else None

    def includes(self, dossier, user) -> bool:
        return holds(user, self.organisation_id(dossier), *self.codenames)

    def users(self, dossier) -> QuerySet:
        """The active users this actor is, as one query (notices insert straight from it)."""
        org_id = self.organisation_id(dossier)
        users = users_who_can(self.codenames[0], org_id)
        for codename in self.codenames[1:]:
            users = users | users_who_can(codename, org_id)
        return users.distinct()

    @property
    def codename(self) -> str:
        """The codename a viewflow task records (a task holds one); the others satisfy it
        too, see `satisfying`."""
        return self.codenames[0]


@dataclass(frozen=True)
class StateActors:
    acts: Actor | None  # who moves the dossier on from this state (None: a final state)
    told: tuple[Actor, ...]  # who is told, besides the proposing unit, when it arrives


PROPOSING_UNIT = Actor(Where.PROPOSER, (Perm.FILE_DOSSIER,), (Role.PROPOSER,))
UNIT_HEAD = Actor(Where.PROPOSER, (Perm.APPROVE_UNIT_DOSSIER,), (Role.UNIT_HEAD,))
# Withdrawal is the proposing unit's own act in any state before a council (Law 06/2022:
# the unit that proposes may take its proposal back), by its filer or its head.
UNIT_OWNERS = Actor(
    Where.PROPOSER,
    (Perm.FILE_DOSSIER, Perm.APPROVE_UNIT_DOSSIER),
    (Role.PROPOSER, Role.UNIT_HEAD),
)
STAGE_SECRETARIAT = Actor(Where.STAGE, (Perm.RECEIVE_DOSSIER,), (Role.SECRETARIAT,))
STAGE_MEETINGS = Actor(Where.STAGE, (Perm.MANAGE_MEETINGS,), (Role.SECRETARIAT,))
# The council's result is recorded by its chair when the session closes, or by the
# secretariat that prepared it (it keeps the minutes).
STAGE_COUNCIL = Actor(
    Where.STAGE,
    (Perm.CHAIR_COUNCIL, Perm.RECEIVE_DOSSIER),
    (Role.COUNCIL_CHAIR, Role.SECRETARIAT),
)
# Both work a dossier awaiting its decision: the secretariat drafts and submits it for
# signature (trình ký), the signing authority signs or returns it (decisions.services);
# only the signing authority signs, which decisions.services enforces, not this row.
STAGE_ISSUERS = Actor(
    Where.STAGE,
    (Perm.SIGN_DECISION, Perm.RECEIVE_DOSSIER),
    (Role.SIGNING_AUTHORITY, Role.SECRETARIAT),
)

ACTORS: dict[str, StateActors] = {
    S.DRAFT: StateActors(acts=PROPOSING_UNIT, told=()),
    S.UNIT_REVIEW: StateActors(acts=UNIT_HEAD, told=(UNIT_HEAD,)),
    **{s: StateActors(acts=STAGE_SECRETARIAT, told=(STAGE_SECRETARIAT,)) for s in APPRAISAL_STATES},
    **{s: StateActors(acts=STAGE_COUNCIL, told=(STAGE_MEETINGS,)) for s in COUNCIL_STATES},
    S.AWAITING_DECISION: StateActors(acts=STAGE_ISSUERS, told=(STAGE_ISSUERS,)),
    S.RETURNED: StateActors(acts=PROPOSING_UNIT, told=()),
    S.DECIDED: StateActors(acts=None, told=()),
    S.NOT_APPROVED: StateActors(acts=None, told=()),
    # The stage that held it learns of a withdrawal (services skip a unit-level stage).
    S.WITHDRAWN: StateActors(acts=None, told=(STAGE_SECRETARIAT,)),
}


def acting(status: str) -> Actor | None:
    return ACTORS[status].acts


def may_act(dossier, user) -> bool:
    """The transitions' permission: `user` is the actor of the dossier's current state."""
    actor = acting(dossier.status)
    return actor is not None and actor.includes(dossier, user)


def who_acts(dossier) -> tuple[str, object] | None:
    """(roles, organisation) of whoever moves the dossier on now: the page's "who acts"."""
    actor = acting(dossier.status)
    if actor is None:
        return None
    return actor.label, actor.organisation(dossier)


def may_withdraw(dossier, user) -> bool:
    return UNIT_OWNERS.includes(dossier, user)


def told_on_arrival(dossier) -> QuerySet:
    """Who is asked to act (or prepare) when the dossier enters its current state."""
    groups = [actor.users(dossier) for actor in ACTORS[dossier.status].told]
    if not groups:
        return get_user_model().objects.none()
    users = groups[0]
    for more in groups[1:]:
        users = users | more
    return users.distinct()


def task_codenames_for(granted: str) -> set[str]:
    """The task codenames a holder of `granted` may take: a viewflow task records one
    codename (its actor's first), and every codename of that actor satisfies it."""
    return {
        row.acts.codename
        for row in ACTORS.values()
        if row.acts is not None and granted in row.acts.codenames
    }
