"""The viewflow process that follows every dossier: who must act next, as a claimable task.

viewflow owns orchestration only: the human task for the current step, its assignment
(claim/release), the inbox and the task history. The business state stays in
Dossier.status; the Switch gateway reads it, and a task completes when a service has moved
the dossier (workflow.services calls sync_process inside the same transaction).

    start ─► route ─(open)─► act ─► route … ─(final state)─► end
"""

from django.db.models import Q, QuerySet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from core.errors import DomainError
from dossiers.models import Dossier
from organisations.models import Organisation, OrganisationUserObjectPermission
from organisations.roles import Perm

from .actors import (
    PROPOSING_UNIT,
    STAGE_COUNCIL,
    STAGE_ISSUERS,
    STAGE_SECRETARIAT,
    UNIT_HEAD,
    Actor,
    task_codenames_for,
)
from .states import APPRAISAL_STATES, COUNCIL_STATES
from .states import DossierStatus as S


def _dossier(process):
    """The process's dossier, read once per process instance (a task's creation asks for it
    three times: permission, permission object, remembered state).
    """
    cached = getattr(process, "_dossier_cache", None)
    if cached is None:
        cached = Dossier.objects.select_related("proposer", "current_stage__organisation").get(
            pk=process.artifact_object_id
        )
        process._dossier_cache = cached
    return cached


def _in(*states: str):
    def holds(activation) -> bool:
        return _dossier(activation.process).status in states

    return holds


class StateTaskActivation(ViewActivation):
    """A task that records the dossier state it is the work of, in the row it creates.

    (An onCreate callback would write the same field with a second UPDATE.)
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        data = {**(data or {}), "status": _dossier(prev_activation.process).status}
        return super().create(flow_task, prev_activation, token, data=data, seed=seed)


class StateView(flow.View):
    activation_class = StateTaskActivation


def open_task_view(request, **kwargs):
    """viewflow needs a view per human task; ours is the dossier page, where the work is."""
    task = Task.objects.get(pk=kwargs["task_pk"])
    return redirect("dossiers:detail", pk=task.process.artifact_object_id)


def _task(actor: Actor) -> StateView:
    """The human task of one actor group (workflow.actors): its permission, held on the
    proposing unit or on the current stage's organisation."""

    def organisation(process) -> Organisation:
        return actor.organisation(_dossier(process))

    return (
        StateView(open_task_view)
        .Permission(Perm.full(actor.codename), obj=organisation)
        .Next(this.route)
    )


class DossierFlow(flow.Flow):
    """One node per actor group; the gateway sends each state to the group that acts in it
    (the same table, workflow.actors.ACTORS, answers the transitions' permission)."""

    process_title = _("Hồ sơ đề nghị khen thưởng")

    start = flow.StartHandle(this.start_process).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.prepare, _in(S.DRAFT, S.RETURNED))
        .Case(this.review, _in(S.UNIT_REVIEW))
        .Case(this.appraise, _in(*APPRAISAL_STATES))
        .Case(this.council, _in(*COUNCIL_STATES))
        .Case(this.decide, _in(S.AWAITING_DECISION))
        .Default(this.end)
    )
    prepare = _task(PROPOSING_UNIT)  # the unit files or supplements the dossier
    review = _task(UNIT_HEAD)  # its head approves it and sends it on
    appraise = _task(STAGE_SECRETARIAT)  # a receiving level checks and appraises it
    council = _task(STAGE_COUNCIL)  # that level's council votes on it
    decide = _task(STAGE_ISSUERS)  # the deciding level issues the decision
    end = flow.End()

    def start_process(self, activation, dossier):
        activation.process.artifact = dossier
        activation.process.save()
        return activation.process


# Every human task of the flow, and the actor each one is for.
TASK_NODES = {
    DossierFlow.prepare: PROPOSING_UNIT,
    DossierFlow.review: UNIT_HEAD,
    DossierFlow.appraise: STAGE_SECRETARIAT,
    DossierFlow.council: STAGE_COUNCIL,
    DossierFlow.decide: STAGE_ISSUERS,
}


def start_process(dossier) -> Process:
    return DossierFlow.start.run(dossier=dossier)


def process_of(dossier) -> Process | None:
    return (
        Process.objects.filter(flow_class=DossierFlow, artifact_object_id=dossier.pk)
        .order_by("-pk")
        .first()
    )


def open_task(dossier) -> Task | None:
    return (
        Task.objects.select_related("process")
        .filter(
            process__flow_class=DossierFlow,
            process__artifact_object_id=dossier.pk,
            flow_task__in=list(TASK_NODES),
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .order_by("-pk")
        .first()
    )


def sync_process(dossier, *, by) -> None:
    """Complete the open task once the dossier's state has moved; the gateway opens the next.

    Called by every workflow service after its transition, in its transaction. The service
    has already checked that `by` may act, so the task is assigned to them directly (a
    secretariat may, for instance, record a council result on the chair's task).
    """
    task = open_task(dossier)
    if task is None or task.data.get("status") == dossier.status:
        return
    # The gateway and the next task read the dossier this service has just moved and
    # still holds locked, not a second copy loaded from the database.
    task.process._dossier_cache = dossier
    # The task completes in the name of whoever moved the dossier; the row is written
    # once, when the activation saves it as done.
    task.owner = by
    task.status = STATUS.ASSIGNED
    # Not task.activation(): its flow lock and reload of the task guard against a second
    # writer, and the calling service's row lock on the dossier already excludes one
    # (every change to this process goes through that lock).
    activation = task.flow_task.activation_class(task)
    activation.start(None)
    activation.execute()


def _claimable(user) -> Q:
    """The condition on a task that `user` may claim it (see claimable_tasks)."""
    grants = OrganisationUserObjectPermission.objects.filter(user=user).values_list(
        "permission__codename", "content_object_id"
    )
    match = Q(pk__in=[])
    for granted, org_id in grants:
        codenames = [Perm.full(c) for c in task_codenames_for(granted)]
        if codenames:
            match |= Q(owner_permission__in=codenames, owner_permission_obj_pk=str(org_id))
    return Q(status=STATUS.NEW) & match


def _dossier_tasks(condition: Q) -> QuerySet[Task]:
    return Task.objects.filter(
        condition, process__flow_class=DossierFlow, flow_task__in=list(TASK_NODES)
    )


def claimable_tasks(user) -> QuerySet[Task]:
    """Unclaimed tasks `user` may take: viewflow's user_queue reads guardian's generic
    permission tables, and ours are direct foreign-key tables, so the same rule is
    expressed here over them: the task's permission (or another codename of the same
    actor, workflow.actors) held on the task's organisation. The partial index
    `task_queue_idx` (workflow migration 0003) answers it without reading the task table.
    """
    if not user.is_authenticated or not user.is_active:
        return Task.objects.none()
    return _dossier_tasks(_claimable(user))


def _assigned(user) -> Q:
    return Q(owner=user, status=STATUS.ASSIGNED)


def assigned_tasks(user) -> QuerySet[Task]:
    return _dossier_tasks(_assigned(user))


def open_tasks_of(user) -> QuerySet[Task]:
    """The tasks of the user's inbox: claimed by them, or theirs to claim. One flat
    condition (an OR of two index look-ups, viewflow's owner index and `task_queue_idx`),
    not `pk IN (…) OR pk IN (…)`, which made PostgreSQL read every task (issue 18)."""
    if not user.is_authenticated or not user.is_active:
        return Task.objects.none()
    return _dossier_tasks(_assigned(user) | _claimable(user))


def inbox_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers of the user's inbox, oldest change first: a semi-join on their open
    tasks, so a page of them is chosen in SQL however long the queue is (issue 18). Whole
    rows: the API's task list serialises the letter too."""
    return (
        Dossier.objects.filter(pk__in=open_tasks_of(user).values("process__artifact_object_id"))
        .select_related("proposer", "award_type", "current_stage__organisation")
        .order_by("updated_at", "pk")
    )


# The inbox page shows none of these (templates/workflow/inbox.html): a narrow row.
WIDE_COLUMNS = ("letter_text", "rules_snapshot", "search_text", "returned_reason")


def inbox_rows(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`dossiers` as the inbox page shows them: their unit, form and stage, narrow rows."""
    return (
        dossiers.select_related("proposer", "award_type", "current_stage__organisation")
        .defer(*WIDE_COLUMNS)
        .order_by("updated_at", "pk")
    )


def tasks_of(user, dossiers) -> dict[int, Task]:
    """The user's open task of each of `dossiers` (a page of `inbox_dossiers`), by dossier."""
    rows = open_tasks_of(user).filter(process__artifact_object_id__in=[d.pk for d in dossiers])
    return {task.process.artifact_object_id: task for task in rows.select_related("process")}


def claim_task(task_id: int, *, by) -> Task:
    """Take a task from the shared queue; nobody else sees it in their queue afterwards."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if task.status != STATUS.NEW:
        raise DomainError("already_claimed", _("Việc này đã có người nhận xử lý."))
    if not claimable_tasks(by).filter(pk=task.pk).exists():
        raise DomainError("no_permission", _("Bạn không có quyền nhận việc này."))
    with task.activation() as activation:
        activation.assign(by)
    return task


def release_task(task_id: int, *, by) -> Task:
    """Give a claimed task back to the queue."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if task.status != STATUS.ASSIGNED or task.owner_id != by.pk:
        raise DomainError("not_yours", _("Chỉ người đã nhận việc mới trả lại được."))
    with task.activation() as activation:
        activation.unassign()
    return task
