"""Campaign and cluster verbs: launch, phases, targets, commitments, results, role models;
cluster years, covenants, scores, the vote and the proposal of its winner.

Each verb locks what it changes, checks permission through organisations.permissions,
writes, and records an audit row (audit.services.record_event), in one transaction: a
refusal (DomainError, a message naming the field and the reason) writes nothing.

Who may do what (no new permission: the roles that already exist carry these duties):
- the launching body's TĐKT secretariat (`receive_dossier` on the campaign's organisation)
  manages the campaign: phases, targets, role models' stages;
- an organisation in the campaign's scope registers and reports through its own TĐKT officer
  or head (`file_dossier` or `approve_unit_dossier` on it);
- a cluster's standing office (`receive_dossier` on the cluster's node) opens the year, has
  the covenant signed, reviews the members' scores and prepares the vote; the organiser's
  secretariat (`receive_dossier` on the organiser) may do the same and alone does the
  second review (phúc tra) when the covenant asks for it; a member scores itself through
  its own officer or head.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from core.errors import DomainError
from councils import services as council_services
from councils.models import Council, Meeting, MeetingStatus, NomineeResult
from councils.voting import Verdict
from dossiers import services as dossier_services
from dossiers.models import AwardType, Campaign, CampaignKind, Dossier
from organisations.models import Level, Organisation, UnitKind
from organisations.permissions import holds, require
from organisations.roles import Perm
from organisations.services import administers
from workflow import services as transitions
from workflow.rulesets import rule_set_on
from workflow.states import DossierStatus

from . import ranking
from .catalogue import VOTE_AWARD_CODE
from .models import (
    Cluster,
    ClusterFlagRule,
    ClusterKind,
    ClusterMember,
    ClusterYear,
    Commitment,
    Covenant,
    Criterion,
    Phase,
    PhaseKind,
    RoleModel,
    RoleModelKind,
    RoleModelStage,
    Score,
    ScoreRound,
    Target,
    TargetResult,
)

MANAGE = (Perm.RECEIVE_DOSSIER,)  # the TĐKT secretariat of the body
TAKE_PART = (Perm.FILE_DOSSIER, Perm.APPROVE_UNIT_DOSSIER)  # the unit's officer or head


def _no_permission(what) -> DomainError:
    return DomainError("no_permission", _("Bạn không có quyền %(what)s.") % {"what": what})


def _required(value, label, field: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(
            "required", _("%(label)s: bắt buộc nhập.") % {"label": label}, field=field
        )


def _decimal(value, label, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(
            "not_a_number",
            _("%(label)s: phải là một số (ví dụ 12,5).") % {"label": label},
            field=field,
        ) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise DomainError(
            "not_a_number",
            _("%(label)s: phải là một số (ví dụ 12,5).") % {"label": label},
            field=field,
        )
    return number.quantize(Decimal("0.01"))


def _dates_in_order(starts_on: date, ends_on: date, field: str = "ends_on") -> None:
    if starts_on is None or ends_on is None:
        raise DomainError("required", _("Từ ngày, đến ngày: bắt buộc nhập."), field=field)
    if ends_on < starts_on:
        raise DomainError(
            "dates_reversed",
            _("Đến ngày: phải từ ngày %(start)s trở đi.") % {"start": f"{starts_on:%d/%m/%Y}"},
            field=field,
        )


# -- Campaign scope -----------------------------------------------------------------------------


def scope_roots(campaign: Campaign) -> list[Organisation]:
    """The organisations named in the scope; none named: the launching body itself."""
    roots = list(campaign.scope.all())
    return roots or [campaign.organisation]


def in_scope(campaign: Campaign, organisation: Organisation) -> bool:
    """Whether `organisation` takes part: a scope organisation or any unit under one (the
    tree's materialised path: a prefix)."""
    return any(organisation.path.startswith(root.path) for root in scope_roots(campaign))


def scope_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """Every organisation in the scope, the named ones and all below them."""
    query = Organisation.objects.none()
    for root in scope_roots(campaign):
        query = query | Organisation.objects.filter(path__startswith=root.path)
    return query.distinct()


def _require_in_scope(campaign: Campaign, organisation: Organisation) -> None:
    if not in_scope(campaign, organisation):
        raise DomainError(
            "out_of_scope",
            _("Cơ quan, đơn vị: %(org)s không thuộc phạm vi phong trào “%(campaign)s”.")
            % {"org": organisation.name, "campaign": campaign.name},
            field="organisation",
        )


def _lock_campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().select_related("organisation").get(pk=campaign_id)


def may_manage_campaign(user, campaign: Campaign) -> bool:
    return holds(user, campaign.organisation_id, *MANAGE)


def _require_manager(campaign: Campaign, by) -> None:
    require(
        by,
        campaign.organisation_id,
        *MANAGE,
        refusal=_no_permission(
            _("quản lý phong trào của %(org)s") % {"org": campaign.organisation}
        ),
    )


def _require_configurer(campaign: Campaign, by) -> None:
    """Phases and targets are the campaign's configuration: its secretariat sets them on the
    pages' side, and the administrator of the launching body in the admin (which goes
    through these services, issue 16)."""
    if not (holds(by, campaign.organisation_id, *MANAGE) or administers(by, campaign.organisation)):
        raise _no_permission(_("cấu hình phong trào của %(org)s") % {"org": campaign.organisation})


# -- Campaign verbs -----------------------------------------------------------------------------


@transaction.atomic
def launch_campaign(
    *,
    organisation: Organisation,
    by,
    name: str,
    starts_on: date,
    ends_on: date,
    kind: str = CampaignKind.YEARLY,
    theme: str = "",
    document_number: str = "",
    document_date: date | None = None,
    document_signer: str = "",
    scope: list[Organisation] | None = None,
    award_types: list[AwardType] | None = None,
) -> Campaign:
    """Launch a campaign of `organisation` (its secretariat). Side effects: the row, its
    scope and award forms, an audit row."""
    require(
        by,
        organisation,
        *MANAGE,
        refusal=_no_permission(_("phát động phong trào của %(org)s") % {"org": organisation}),
    )
    _required(name, _("Tên phong trào"), "name")
    _dates_in_order(starts_on, ends_on)
    if kind not in CampaignKind.values:
        raise DomainError("bad_kind", _("Loại phong trào: không hợp lệ."), field="kind")
    for org in scope or []:
        if not org.path.startswith(organisation.path):
            raise DomainError(
                "scope_outside",
                _("Phạm vi: %(org)s không trực thuộc %(body)s.")
                % {"org": org.name, "body": organisation.name},
                field="scope",
            )
    campaign = Campaign.objects.create(
        name=name.strip(),
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        kind=kind,
        theme=theme,
        document_number=document_number,
        document_date=document_date,
        document_signer=document_signer,
    )
    campaign.scope.set(scope or [])
    campaign.award_types.set(award_types or [])
    record_event(
        campaign,
        action="campaign_launched",
        actor=by,
        data={"name": campaign.name, "scope": [o.code for o in scope or []]},
    )
    return campaign


@transaction.atomic
def set_phase(
    campaign_id: int, *, by, kind: str, starts_on: date, ends_on: date, note: str = ""
) -> Phase:
    """Set the dates of one phase (launch, registration, interim or final review); the
    phase lies within the campaign's period, the final review may run past its end."""
    campaign = _lock_campaign(campaign_id)
    _require_configurer(campaign, by)
    if kind not in PhaseKind.values:
        raise DomainError("bad_kind", _("Giai đoạn: không hợp lệ."), field="kind")
    _dates_in_order(starts_on, ends_on)
    if starts_on < campaign.starts_on:
        raise DomainError(
            "phase_before_campaign",
            _("Từ ngày: giai đoạn không bắt đầu trước ngày phát động %(start)s.")
            % {"start": f"{campaign.starts_on:%d/%m/%Y}"},
            field="starts_on",
        )
    phase, _created = Phase.objects.update_or_create(
        campaign=campaign,
        kind=kind,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "note": note},
    )
    record_event(
        campaign,
        action="campaign_phase_set",
        actor=by,
        data={"phase": kind, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return phase


@transaction.atomic
def add_target(
    campaign_id: int,
    *,
    by,
    name: str,
    unit: str,
    target_value,
    higher_is_better: bool = True,
) -> Target:
    """Add a target (chỉ tiêu) to the campaign."""
    campaign = _lock_campaign(campaign_id)
    _require_configurer(campaign, by)
    _required(name, _("Chỉ tiêu"), "name")
    _required(unit, _("Đơn vị tính"), "unit")
    value = _decimal(target_value, _("Giá trị phải đạt"), "target_value")
    target = Target.objects.create(
        campaign=campaign,
        name=name.strip(),
        unit=unit.strip(),
        target_value=value,
        higher_is_better=higher_is_better,
        position=campaign.targets.count() + 1,
    )
    record_event(
        campaign,
        action="campaign_target_added",
        actor=by,
        data={"target": target.name, "value": str(value), "unit": target.unit},
    )
    return target


@transaction.atomic
def remove_phase(phase_id: int, *, by) -> None:
    """Remove a phase (e.g. a registration window set by mistake); audited."""
    phase = Phase.objects.select_related("campaign").get(pk=phase_id)
    campaign = _lock_campaign(phase.campaign_id)
    _require_configurer(campaign, by)
    kind = phase.kind
    phase.delete()
    record_event(campaign, action="campaign_phase_removed", actor=by, data={"phase": kind})


@transaction.atomic
def change_target(
    target_id: int,
    *,
    by,
    name: str,
    unit: str,
    target_value,
    higher_is_better: bool = True,
) -> Target:
    """Correct a target: its name, unit, value to reach, direction. The results already
    reported stay; whether each reached the target is read again from the new value."""
    target = Target.objects.get(pk=target_id)
    campaign = _lock_campaign(target.campaign_id)
    _require_configurer(campaign, by)
    _required(name, _("Chỉ tiêu"), "name")
    _required(unit, _("Đơn vị tính"), "unit")
    value = _decimal(target_value, _("Giá trị phải đạt"), "target_value")
    before = {"value": str(target.target_value), "higher_is_better": target.higher_is_better}
    target.name, target.unit = name.strip(), unit.strip()
    target.target_value, target.higher_is_better = value, higher_is_better
    target.save(update_fields=["name", "unit", "target_value", "higher_is_better"])
    record_event(
        campaign,
        action="campaign_target_changed",
        actor=by,
        data={
            "target": target.name,
            "before": before,
            "value": str(value),
            "higher_is_better": higher_is_better,
        },
    )
    return target


@transaction.atomic
def remove_target(target_id: int, *, by) -> None:
    """Remove a target no organisation has reported on; refused once results exist (they
    would be lost with it)."""
    target = Target.objects.get(pk=target_id)
    campaign = _lock_campaign(target.campaign_id)
    _require_configurer(campaign, by)
    reported = target.results.count()
    if reported:
        raise DomainError(
            "target_has_results",
            _(
                "Chỉ tiêu “%(name)s”: đã có %(n)s đơn vị báo cáo kết quả; không xóa được (sửa "
                "chỉ tiêu thay vì xóa)."
            )
            % {"name": target.name, "n": reported},
            field="name",
        )
    name = target.name
    target.delete()
    record_event(campaign, action="campaign_target_removed", actor=by, data={"target": name})


def _require_participant(campaign: Campaign, organisation: Organisation, by, what) -> None:
    require(by, organisation, *TAKE_PART, refusal=_no_permission(what))
    _require_in_scope(campaign, organisation)


@transaction.atomic
def register_commitment(
    campaign_id: int, *, by, organisation: Organisation, text: str, on: date | None = None
) -> Commitment:
    """The organisation registers for the campaign (đăng ký thi đua); registering again
    replaces its text. Refused outside the registration phase, when the campaign sets one."""
    campaign = _lock_campaign(campaign_id)
    _require_participant(
        campaign,
        organisation,
        by,
        _("đăng ký thi đua cho %(org)s") % {"org": organisation.name},
    )
    _required(text, _("Nội dung đăng ký"), "text")
    day = on or timezone.localdate()
    window = campaign.phases.filter(kind=PhaseKind.REGISTRATION).first()
    if window and not (window.starts_on <= day <= window.ends_on):
        raise DomainError(
            "outside_registration",
            _("Ngày đăng ký: phong trào nhận đăng ký từ %(start)s đến %(end)s.")
            % {"start": f"{window.starts_on:%d/%m/%Y}", "end": f"{window.ends_on:%d/%m/%Y}"},
            field="registered_on",
        )
    commitment, created = Commitment.objects.update_or_create(
        campaign=campaign,
        organisation=organisation,
        defaults={"text": text.strip(), "registered_on": day, "registered_by": by},
    )
    record_event(
        campaign,
        action="campaign_commitment_registered" if created else "campaign_commitment_changed",
        actor=by,
        data={"organisation": organisation.code},
    )
    return commitment


@transaction.atomic
def report_result(
    target_id: int, *, by, organisation: Organisation, achieved_value, note: str = ""
) -> TargetResult:
    """The organisation reports what it achieved against a target; a new report replaces
    the last. Refused before the campaign starts."""
    target = Target.objects.select_related("campaign__organisation").get(pk=target_id)
    campaign = _lock_campaign(target.campaign_id)
    _require_participant(
        campaign,
        organisation,
        by,
        _("báo cáo kết quả cho %(org)s") % {"org": organisation.name},
    )
    value = _decimal(achieved_value, _("Giá trị đạt được"), "achieved_value")
    if timezone.localdate() < campaign.starts_on:
        raise DomainError(
            "not_started",
            _("Kết quả: phong trào bắt đầu từ %(start)s, chưa thể báo cáo.")
            % {"start": f"{campaign.starts_on:%d/%m/%Y}"},
            field="achieved_value",
        )
    result, _created = TargetResult.objects.update_or_create(
        target=target,
        organisation=organisation,
        defaults={"achieved_value": value, "note": note, "reported_by": by},
    )
    record_event(
        campaign,
        action="campaign_result_reported",
        actor=by,
        data={"target": target.name, "organisation": organisation.code, "value": str(value)},
    )
    return result


@transaction.atomic
def flag_role_model(
    campaign_id: int,
    *,
    by,
    organisation: Organisation,
    kind: str,
    name: str,
    achievement: str,
) -> RoleModel:
    """Flag an advanced example found during the campaign (stage: discovered). The
    organisation itself or the campaign's secretariat flags it."""
    campaign = _lock_campaign(campaign_id)
    if not (holds(by, organisation, *TAKE_PART) or holds(by, campaign.organisation_id, *MANAGE)):
        raise _no_permission(_("nêu điển hình của %(org)s") % {"org": organisation.name})
    _require_in_scope(campaign, organisation)
    if kind not in RoleModelKind.values:
        raise DomainError("bad_kind", _("Đối tượng: không hợp lệ."), field="kind")
    _required(name, _("Họ và tên / tên tập thể"), "name")
    _required(achievement, _("Thành tích nổi bật"), "achievement")
    today = timezone.localdate()
    model = RoleModel.objects.create(
        campaign=campaign,
        kind=kind,
        name=name.strip(),
        organisation=organisation,
        achievement=achievement.strip(),
        flagged_by=by,
        flagged_on=today,
        stage_changed_on=today,
    )
    record_event(campaign, action="role_model_flagged", actor=by, data={"name": model.name})
    return model


STAGE_ORDER = [RoleModelStage.DISCOVERED, RoleModelStage.FOLLOWED, RoleModelStage.COMMENDED]


@transaction.atomic
def advance_role_model(
    role_model_id: int, *, by, stage: str, dossier: Dossier | None = None
) -> RoleModel:
    """Move a role model on (discovered → followed → commended), never back; the
    campaign's secretariat does it. A commended one may name its award dossier."""
    model = RoleModel.objects.select_for_update().select_related("campaign").get(pk=role_model_id)
    _require_manager(model.campaign, by)
    if stage not in RoleModelStage.values or STAGE_ORDER.index(stage) <= STAGE_ORDER.index(
        model.stage
    ):
        raise DomainError(
            "stage_backwards",
            _("Giai đoạn: “%(name)s” đang ở “%(stage)s”; chỉ chuyển sang giai đoạn sau.")
            % {"name": model.name, "stage": model.get_stage_display()},
            field="stage",
        )
    previous = model.stage
    model.stage = stage
    model.stage_changed_on = timezone.localdate()
    if dossier is not None:
        model.dossier = dossier
    model.save(update_fields=["stage", "stage_changed_on", "dossier"])
    record_event(
        model.campaign,
        action="role_model_advanced",
        actor=by,
        from_state=previous,
        to_state=stage,
        data={"name": model.name},
    )
    return model


# -- Clusters -----------------------------------------------------------------------------------


def _lock_year(cluster_year_id: int) -> ClusterYear:
    return (
        ClusterYear.objects.select_for_update(of=("self",))
        .select_related("cluster__organiser", "cluster__body")
        .get(pk=cluster_year_id)
    )


def may_manage_cluster(user, cluster) -> bool:
    return holds(user, cluster.body_id, *MANAGE) or holds(user, cluster.organiser_id, *MANAGE)


def _require_cluster_manager(cluster, by) -> None:
    if not may_manage_cluster(by, cluster):
        raise _no_permission(_("quản lý %(cluster)s") % {"cluster": cluster.name})


def _require_cluster_configurer(cluster, by) -> None:
    """A cluster's years and covenants: its standing office or the organiser's secretariat
    (the pages' side), or the organiser's administrator in the admin (issue 16)."""
    if not (may_manage_cluster(by, cluster) or administers(by, cluster.organiser_id)):
        raise _no_permission(_("quản lý %(cluster)s") % {"cluster": cluster.name})


@transaction.atomic
def create_cluster(
    *, organiser: Organisation, by, name: str, code: str, kind: str = ClusterKind.CLUSTER
) -> Cluster:
    """Set up a cluster or block under `organiser` (its administrator). Side effects: the
    cluster's node in the tree (a unit-level node below the organiser, with a council: the
    members' representatives sit on it), the cluster row, an audit row."""
    # An administrator of the organiser or of a body above it (his subtree, as for roles and
    # council terms: organisations.services.administers, built on the permission gate).
    if not administers(by, organiser):
        raise DomainError(
            "no_permission",
            _("Cơ quan tổ chức cụm, khối: bạn không quản trị %(org)s.") % {"org": organiser.name},
            field="organiser",
        )
    _required(name, _("Tên cụm, khối"), "name")
    _required(code, _("Mã"), "code")
    if kind not in ClusterKind.values:
        raise DomainError("bad_kind", _("Loại: không hợp lệ."), field="kind")
    if Organisation.objects.filter(code=code).exists():
        raise DomainError(
            "code_taken", _("Mã: “%(code)s” đã được dùng.") % {"code": code}, field="code"
        )
    organiser = Organisation.objects.get(pk=organiser.pk)  # treebeard needs a fresh node
    body = Organisation.objects.add_child(
        organiser,
        {
            "code": code,
            "name": name.strip(),
            "level": Level.UNIT,
            "kind": UnitKind.OTHER,
            "has_council": True,
        },
    )
    cluster = Cluster.objects.create(name=name.strip(), kind=kind, organiser=organiser, body=body)
    record_event(
        cluster,
        action="cluster_created",
        actor=by,
        data={"code": code, "organiser": organiser.code},
    )
    return cluster


@transaction.atomic
def open_cluster_year(
    cluster_id: int,
    *,
    by,
    year: int,
    members: list[Organisation],
    leader: Organisation,
    deputy: Organisation,
    women_shares: dict[int, Decimal] | None = None,
) -> ClusterYear:
    """Open the cluster's year: its members, its leader and deputy (rotating: each year is
    its own row, so the history stays). Leader and deputy are two different members."""
    cluster = Cluster.objects.select_for_update().get(pk=cluster_id)
    _require_cluster_configurer(cluster, by)
    if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
        raise DomainError(
            "year_exists",
            _("Năm: %(cluster)s đã có danh sách năm %(year)s.")
            % {"cluster": cluster.name, "year": year},
            field="year",
        )
    codes = {o.pk for o in members}
    _check_members(codes)
    _check_leadership(codes, leader, deputy)
    row = ClusterYear.objects.create(cluster=cluster, year=year, leader=leader, deputy=deputy)
    shares = women_shares or {}
    ClusterMember.objects.bulk_create(
        ClusterMember(cluster_year=row, organisation=o, women_share=shares.get(o.pk))
        for o in members
    )
    record_event(
        row,
        action="cluster_year_opened",
        actor=by,
        data={
            "members": sorted(o.code for o in members),
            "leader": leader.code,
            "deputy": deputy.code,
        },
    )
    return row


@transaction.atomic
def change_cluster_year(
    cluster_year_id: int,
    *,
    by,
    members: list[Organisation],
    leader: Organisation,
    deputy: Organisation,
    women_shares: dict[int, Decimal] | None = None,
) -> ClusterYear:
    """Correct the year's members, leader and deputy (the rule of `open_cluster_year`).
    A member already scored stays (removing it would lose its scores), and once the vote
    is prepared the members and their shares of women, which the ranking used, are fixed."""
    row = _lock_year(cluster_year_id)
    _require_cluster_configurer(row.cluster, by)
    codes = {o.pk for o in members}
    _check_members(codes)
    _check_leadership(codes, leader, deputy)
    shares = women_shares or {}
    current = {m.organisation_id: m for m in row.members.select_related("organisation")}
    gone = [m for pk, m in current.items() if pk not in codes]
    scored = [m for m in gone if m.scores.exists()]
    if scored:
        raise DomainError(
            "member_scored",
            _("Thành viên: %(org)s đã có điểm chấm năm %(year)s; không bỏ khỏi cụm được.")
            % {"org": scored[0].organisation.name, "year": row.year},
            field="members",
        )
    kept = [(pk, m) for pk, m in current.items() if pk in codes]
    moved = bool(gone) or any(pk not in current for pk in codes)
    moved = moved or any(shares.get(pk) != m.women_share for pk, m in kept)
    if moved and row.vote_dossier_id:
        raise DomainError(
            "scores_frozen",
            _(
                "Thành viên: cụm đã bình xét, suy tôn năm %(year)s; danh sách thành viên và tỷ lệ "
                "nữ không sửa được nữa."
            )
            % {"year": row.year},
            field="members",
        )
    for member in gone:
        member.delete()
    for org in members:
        member = current.get(org.pk)
        if member is None:
            ClusterMember.objects.create(
                cluster_year=row, organisation=org, women_share=shares.get(org.pk)
            )
        elif member.women_share != shares.get(org.pk):
            member.women_share = shares.get(org.pk)
            member.save(update_fields=["women_share"])
    before = {"leader": row.leader.code if row.leader else None}
    before["deputy"] = row.deputy.code if row.deputy else None
    row.leader, row.deputy = leader, deputy
    row.save(update_fields=["leader", "deputy"])
    record_event(
        row,
        action="cluster_year_changed",
        actor=by,
        data={
            "members": sorted(o.code for o in members),
            "leader": leader.code,
            "deputy": deputy.code,
            "before": before,
        },
    )
    return row


def _check_members(member_ids: set[int]) -> None:
    if len(member_ids) < 2:
        raise DomainError(
            "too_few_members",
            _("Thành viên: một cụm, khối cần ít nhất 2 thành viên."),
            field="members",
        )


def _check_leadership(member_ids: set[int], leader: Organisation, deputy: Organisation) -> None:
    if leader is None or leader.pk not in member_ids:
        raise DomainError(
            "leader_not_member", _("Cụm trưởng: phải là một thành viên của cụm."), field="leader"
        )
    if deputy is None or deputy.pk not in member_ids:
        raise DomainError(
            "deputy_not_member", _("Cụm phó: phải là một thành viên của cụm."), field="deputy"
        )
    if leader.pk == deputy.pk:
        raise DomainError(
            "same_leader_deputy",
            _("Cụm phó: phải khác cụm trưởng."),
            field="deputy",
        )


@transaction.atomic
def sign_covenant(
    cluster_year_id: int,
    *,
    by,
    signed_on: date,
    criteria: list[dict],
    second_review: bool = False,
    tie_break: list[str] | None = None,
    place: str = "",
) -> Covenant:
    """Record the year's covenant: its criteria (name, weight, max score, evidence
    required), whether a second review is required, the tie-break rule. Once a year."""
    row = _lock_year(cluster_year_id)
    _require_cluster_configurer(row.cluster, by)
    if Covenant.objects.filter(cluster_year=row).exists():
        raise DomainError(
            "covenant_exists",
            _("Giao ước: %(year)s đã có giao ước thi đua.") % {"year": row},
            field="criteria",
        )
    specs = _criteria(criteria)
    rule = _tie_rule(tie_break)
    covenant = Covenant.objects.create(
        cluster_year=row,
        signed_on=signed_on,
        place=place,
        second_review=second_review,
        tie_break=rule,
    )
    Criterion.objects.bulk_create(Criterion(covenant=covenant, **spec) for spec in specs)
    record_event(
        covenant,
        action="covenant_signed",
        actor=by,
        data={"criteria": len(specs), "second_review": second_review, "tie_break": rule},
    )
    return covenant


def _tie_rule(tie_break: list[str] | None) -> list[str]:
    rule = (
        list(tie_break) if tie_break is not None else [t.value for t in ranking.TieBreak.default()]
    )
    unknown = [code for code in rule if code not in ranking.TIE_BREAK_CODES]
    if unknown:
        raise DomainError(
            "bad_tie_break",
            _("Thứ tự xét khi bằng điểm: không có bước “%(code)s”.") % {"code": unknown[0]},
            field="tie_break",
        )
    return rule


def _criteria(criteria: list[dict]) -> list[dict]:
    """The covenant's criteria checked (name; weight and maximum positive numbers), as the
    fields of their rows, in order."""
    if not criteria:
        raise DomainError(
            "no_criteria", _("Tiêu chí: giao ước cần ít nhất một tiêu chí."), field="criteria"
        )
    out = []
    for position, spec in enumerate(criteria, start=1):
        _required(spec.get("name"), _("Tiêu chí"), "criteria")
        weight = _decimal(spec.get("weight"), _("Trọng số"), "criteria")
        max_score = _decimal(spec.get("max_score"), _("Điểm tối đa"), "criteria")
        if weight <= 0 or max_score <= 0:
            raise DomainError(
                "not_positive",
                _("Tiêu chí “%(name)s”: trọng số và điểm tối đa phải lớn hơn 0.")
                % {"name": spec["name"]},
                field="criteria",
            )
        out.append(
            {
                "name": spec["name"].strip(),
                "weight": weight,
                "max_score": max_score,
                "evidence_required": spec.get("evidence_required") or "",
                "position": position,
            }
        )
    return out


def covenant_scored(covenant: Covenant) -> bool:
    """Whether any member has a score under the covenant: from then on it is locked."""
    return Score.objects.filter(criterion__covenant=covenant).exists()


@transaction.atomic
def revise_covenant(
    covenant_id: int,
    *,
    by,
    signed_on: date,
    criteria: list[dict],
    second_review: bool = False,
    tie_break: list[str] | None = None,
    place: str = "",
) -> Covenant:
    """Correct the covenant before anyone is scored: its date, place, second review,
    tie-break rule and criteria (replaced as given). Refused once a score exists: the
    scores were given against these criteria, weights and maxima."""
    covenant = Covenant.objects.select_related("cluster_year").get(pk=covenant_id)
    row = _lock_year(covenant.cluster_year_id)
    _require_cluster_configurer(row.cluster, by)
    if covenant_scored(covenant):
        raise DomainError(
            "covenant_scored",
            _(
                "Giao ước: các thành viên đã chấm điểm theo giao ước năm %(year)s; giao ước không "
                "sửa được nữa."
            )
            % {"year": row.year},
            field="criteria",
        )
    specs = _criteria(criteria)
    rule = _tie_rule(tie_break)
    covenant.signed_on, covenant.place = signed_on, place
    covenant.second_review, covenant.tie_break = second_review, rule
    covenant.save(update_fields=["signed_on", "place", "second_review", "tie_break"])
    covenant.criteria.all().delete()
    Criterion.objects.bulk_create(Criterion(covenant=covenant, **spec) for spec in specs)
    record_event(
        covenant,
        action="covenant_revised",
        actor=by,
        data={"criteria": len(specs), "second_review": second_review, "tie_break": rule},
    )
    return covenant


def may_score(user, member: ClusterMember, round: str) -> bool:
    """Whether `user` scores `member` in `round` (the pages offer only these; the service
    checks the same rule again)."""
    cluster = member.cluster_year.cluster
    if round == ScoreRound.SELF:
        return holds(user, member.organisation_id, *TAKE_PART)
    if round == ScoreRound.REVIEW:
        return may_manage_cluster(user, cluster)
    if round == ScoreRound.SECOND_REVIEW:
        covenant = getattr(member.cluster_year, "covenant", None)
        return bool(covenant and covenant.second_review) and holds(
            user, cluster.organiser_id, *MANAGE
        )
    return False


ROUND_BEFORE = {ScoreRound.REVIEW: ScoreRound.SELF, ScoreRound.SECOND_REVIEW: ScoreRound.REVIEW}


@transaction.atomic
def record_scores(
    member_id: int, *, by, round: str, scores: dict[int, tuple[object, str]]
) -> list[Score]:
    """Record one member's scores in one round: `scores` maps criterion id to (score,
    evidence). The member scores itself (self); the cluster's standing office reviews
    (review); the organiser's secretariat re-checks (second review) where the covenant asks
    for it. A round needs the one before it; each score lies in 0…max; a self-assessment
    gives the evidence its criterion asks for. Refused once the vote is prepared."""
    member = (
        ClusterMember.objects.select_related(
            "cluster_year__cluster", "cluster_year__covenant", "organisation"
        )
        .select_for_update(of=("self",))
        .get(pk=member_id)
    )
    row = _lock_year(member.cluster_year_id)
    cluster = row.cluster
    covenant = getattr(row, "covenant", None)
    if covenant is None:
        raise DomainError(
            "no_covenant",
            _("Điểm: %(year)s chưa có giao ước thi đua.") % {"year": row},
            field="round",
        )
    if round == ScoreRound.SELF:
        allowed = holds(by, member.organisation_id, *TAKE_PART)
    elif round == ScoreRound.REVIEW:
        allowed = may_manage_cluster(by, cluster)
    elif round == ScoreRound.SECOND_REVIEW:
        if not covenant.second_review:
            raise DomainError(
                "no_second_review",
                _("Lượt chấm: giao ước năm %(year)s không quy định phúc tra.") % {"year": row.year},
                field="round",
            )
        allowed = holds(by, cluster.organiser_id, *MANAGE)
    else:
        raise DomainError("bad_round", _("Lượt chấm: không hợp lệ."), field="round")
    if not allowed:
        raise _no_permission(
            _("chấm điểm “%(round)s” cho %(org)s")
            % {"round": ScoreRound(round).label, "org": member.organisation.name}
        )
    if row.vote_dossier_id:
        raise DomainError(
            "scores_frozen",
            _("Điểm: cụm đã bình xét, suy tôn năm %(year)s; điểm không sửa được nữa.")
            % {"year": row.year},
            field="round",
        )
    criteria = {c.pk: c for c in covenant.criteria.all()}
    if set(scores) - set(criteria):
        raise DomainError(
            "unknown_criterion", _("Tiêu chí: không thuộc giao ước của năm."), field="criteria"
        )
    missing = [c.name for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise DomainError(
            "criteria_missing",
            _("Tiêu chí “%(name)s”: chưa có điểm.") % {"name": missing[0]},
            field=f"score-{next(pk for pk in criteria if pk not in scores)}",
        )
    before = ROUND_BEFORE.get(round)
    if before and not Score.objects.filter(member=member, round=before).exists():
        raise DomainError(
            "round_order",
            _("Lượt chấm: %(org)s chưa có điểm “%(before)s”.")
            % {"org": member.organisation.name, "before": ScoreRound(before).label},
            field="round",
        )
    written = []
    for pk, (value, evidence) in scores.items():
        criterion = criteria[pk]
        score = _decimal(
            value, _("Điểm tiêu chí “%(name)s”") % {"name": criterion.name}, f"score-{pk}"
        )
        if not (0 <= score <= criterion.max_score):
            raise DomainError(
                "score_out_of_range",
                _("Điểm tiêu chí “%(name)s”: từ 0 đến %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score},
                field=f"score-{pk}",
            )
        if (
            round == ScoreRound.SELF
            and criterion.evidence_required
            and not (evidence or "").strip()
        ):
            raise DomainError(
                "evidence_required",
                _("Minh chứng tiêu chí “%(name)s”: cần %(evidence)s.")
                % {"name": criterion.name, "evidence": criterion.evidence_required},
                field=f"evidence-{pk}",
            )
        obj, _created = Score.objects.update_or_create(
            member=member,
            criterion=criterion,
            round=round,
            defaults={"score": score, "evidence": (evidence or "").strip(), "recorded_by": by},
        )
        written.append(obj)
    record_event(
        row,
        action="cluster_scores_recorded",
        actor=by,
        data={
            "member": member.organisation.code,
            "round": round,
            "scores": {criteria[s.criterion_id].name: str(s.score) for s in written},
        },
    )
    return written


# -- The ranking (reads) ------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    member: ClusterMember
    place: int | None
    total: Decimal | None
    self_total: Decimal | None
    resolved_by: ranking.TieBreak | None
    tied_with: tuple[str, ...]
    is_leader: bool
    equal_total: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    rows: list[RankRow]
    final_round: str
    complete: bool  # every member has its final-round scores
    rule: tuple[ranking.TieBreak, ...]


def final_round(covenant: Covenant) -> str:
    return ScoreRound.SECOND_REVIEW if covenant.second_review else ScoreRound.REVIEW


def cluster_standing(cluster_year: ClusterYear) -> Standing:
    """The ranking of the year's members by their final-round scores (the cluster's review,
    or the second review where the covenant asks for it), ties resolved by the covenant's
    rule (campaigns/ranking.py). Members not yet scored in that round come last, unplaced."""
    covenant = getattr(cluster_year, "covenant", None)
    members = list(cluster_year.members.select_related("organisation"))
    if covenant is None:
        return Standing(
            [
                RankRow(m, None, None, None, None, (), m.organisation_id == cluster_year.leader_id)
                for m in members
            ],
            ScoreRound.REVIEW,
            False,
            ranking.TieBreak.default(),
        )
    criteria = list(covenant.criteria.all())
    specs = [ranking.CriterionSpec(c.pk, c.weight, c.max_score) for c in criteria]
    by_member: dict[tuple[int, str], dict[int, Decimal]] = {}
    for s in Score.objects.filter(member__cluster_year=cluster_year):
        by_member.setdefault((s.member_id, s.round), {})[s.criterion_id] = s.score
    last = final_round(covenant)
    rule = covenant.tie_rule()
    scored = [m for m in members if (m.pk, last) in by_member]
    entries = [
        ranking.Entry(m.pk, m.organisation.name, by_member[(m.pk, last)], m.women_share)
        for m in scored
    ]
    ranked = ranking.rank(entries, specs, rule)
    names = {m.pk: m.organisation.name for m in members}
    member_of = {m.pk: m for m in members}
    rows = []
    for r in ranked:
        m = member_of[r.key]
        own = by_member.get((m.pk, ScoreRound.SELF))
        rows.append(
            RankRow(
                member=m,
                place=r.place,
                total=r.total_display,
                self_total=_display(ranking.total(ranking.Entry(m.pk, "", own), specs))
                if own
                else None,
                resolved_by=r.resolved_by,
                tied_with=tuple(names[k] for k in r.tied_with),
                is_leader=m.organisation_id == cluster_year.leader_id,
                equal_total=tuple(names[k] for k in r.equal_total),
            )
        )
    for m in members:
        if m.pk not in {r.key for r in ranked}:
            own = by_member.get((m.pk, ScoreRound.SELF))
            rows.append(
                RankRow(
                    m,
                    None,
                    None,
                    _display(ranking.total(ranking.Entry(m.pk, "", own), specs)) if own else None,
                    None,
                    (),
                    m.organisation_id == cluster_year.leader_id,
                )
            )
    return Standing(rows, last, bool(members) and len(scored) == len(members), rule)


def _display(value) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


# -- The vote and the proposal ------------------------------------------------------------------


def vote_award_for(day: date) -> AwardType:
    rule_set = rule_set_on(day)
    award = AwardType.objects.filter(rule_set=rule_set, code=VOTE_AWARD_CODE).first()
    if award is None:
        raise DomainError(
            "no_vote_award",
            _(
                "Bình xét, suy tôn: bộ quy tắc “%(rs)s” chưa có hình thức “%(code)s”; quản trị "
                "viên cần khai báo (campaigns.catalogue.ensure_vote_award)."
            )
            % {"rs": rule_set.name, "code": VOTE_AWARD_CODE},
            field="award_type",
        )
    return award


@transaction.atomic
def prepare_cluster_vote(
    cluster_year_id: int,
    *,
    by,
    scheduled_for: datetime,
    candidates: int = 3,
    place: str = "",
) -> Meeting:
    """Put the leading members of the ranking to the cluster's vote.

    Side effects, in order, each through its own service (so each checks its permission and
    audits): a dossier of the cluster's node listing the `candidates` best-ranked members as
    collective nominees (dossiers.services), sent to the cluster's council (submit, approve,
    accept, send to council: workflow.services), a meeting of that council with the dossier
    on its agenda (councils.services). The members' representatives then vote on the
    ordinary ballot pages; the chair closes the meeting as any other.

    `by` acts for the cluster's standing office: it needs the proposer, unit-head and
    secretariat roles on the cluster's node (one office does all three for a cluster).
    Refused while the ranking is incomplete (every member needs its final-round scores) or
    the cluster has no council; the scores are frozen from here on.
    """
    row = _lock_year(cluster_year_id)
    cluster = row.cluster
    _require_cluster_manager(cluster, by)
    if row.vote_dossier_id:
        raise DomainError(
            "vote_exists",
            _("Bình xét, suy tôn: %(year)s đã có phiên bỏ phiếu.") % {"year": row},
            field="candidates",
        )
    standing = cluster_standing(row)
    if not standing.complete:
        missing = next(r.member.organisation.name for r in standing.rows if r.place is None)
        raise DomainError(
            "ranking_incomplete",
            _("Xếp hạng: %(org)s chưa có điểm “%(round)s”.")
            % {"org": missing, "round": ScoreRound(standing.final_round).label},
            field="candidates",
        )
    council = Council.objects.filter(organisation=cluster.body).first()
    if council is None:
        raise DomainError(
            "no_council",
            _("Hội đồng: %(cluster)s chưa có Hội đồng gồm đại diện các thành viên.")
            % {"cluster": cluster.name},
            field="candidates",
        )
    if candidates < 1:
        raise DomainError(
            "bad_candidates", _("Số đơn vị đưa ra suy tôn: ít nhất 1."), field="candidates"
        )
    award = vote_award_for(timezone.localdate())
    leading = [r for r in standing.rows if r.place is not None][:candidates]
    dossier = dossier_services.create_dossier(
        proposer=cluster.body,
        award_type=award,
        by=by,
        year=row.year,
        title=f"Bình xét, suy tôn của {cluster.name} năm {row.year}",
        letter_text="\n".join(
            f"{r.place}. {r.member.organisation.name}: {r.total} điểm" for r in leading
        ),
    )
    for r in leading:
        dossier_services.add_nominee(
            dossier.pk,
            by=by,
            kind="collective",
            full_name=r.member.organisation.name,
            organisation_name=r.member.organisation.name,
            identity_code=r.member.organisation.code,
            women_share=r.member.women_share,
            achievement_summary=f"Xếp thứ {r.place} của {cluster.name} năm {row.year} "
            f"với {r.total} điểm.",
        )
    transitions.submit_dossier(dossier.pk, by=by)
    transitions.approve_dossier(dossier.pk, by=by)
    transitions.accept_dossier(dossier.pk, by=by)
    transitions.send_to_council(dossier.pk, by=by)
    meeting = council_services.create_meeting(
        council.pk,
        by=by,
        title=f"Bình xét, suy tôn của {cluster.name} năm {row.year}",
        scheduled_for=scheduled_for,
        place=place,
        online=True,
    )
    council_services.add_to_agenda(meeting.pk, by=by, dossier_id=dossier.pk)
    row.vote_dossier = dossier
    row.vote_meeting = meeting
    row.save(update_fields=["vote_dossier", "vote_meeting"])
    record_event(
        row,
        action="cluster_vote_prepared",
        actor=by,
        data={
            "dossier": dossier.reference,
            "candidates": [r.member.organisation.code for r in leading],
        },
    )
    return meeting


@dataclass(frozen=True)
class VoteWinner:
    organisation: Organisation
    agree: int
    place: int


def vote_winner(cluster_year: ClusterYear) -> VoteWinner | None:
    """The candidate the closed vote passed with the most agree votes; equal agree votes go
    to the better-ranked member (the covenant's ranking, ties already resolved there)."""
    meeting = cluster_year.vote_meeting
    if meeting is None or meeting.status != MeetingStatus.CLOSED:
        return None
    places = {
        r.member.organisation.code: r.place
        for r in cluster_standing(cluster_year).rows
        if r.place is not None
    }
    passed = [
        res
        for res in NomineeResult.objects.filter(
            item__meeting=meeting, outcome=Verdict.PASSED
        ).select_related("nominee")
        if res.nominee.identity_code in places
    ]
    if not passed:
        return None
    best = min(passed, key=lambda r: (-r.agree, places[r.nominee.identity_code]))
    org = Organisation.objects.get(code=best.nominee.identity_code)
    return VoteWinner(org, best.agree, places[org.code])


PROPOSAL_AWARD_CODES = ("co-thi-dua-tinh", "bang-khen-tinh")


def proposal_awards() -> list[AwardType]:
    """The forms a cluster proposes its winner for, in the rule set in force today."""
    return list(
        AwardType.objects.filter(
            rule_set=rule_set_on(timezone.localdate()),
            code__in=PROPOSAL_AWARD_CODES,
            is_active=True,
        ).order_by("-code")
    )


def flag_rule_for(province: Organisation) -> ClusterFlagRule | None:
    return ClusterFlagRule.objects.filter(province=province).first()


@transaction.atomic
def set_flag_rule(
    province: Organisation,
    *,
    by,
    flag_only_to_leader: bool,
    award_codes: list[str],
    basis: str = "",
) -> ClusterFlagRule:
    """Set the province's rule that its Cờ thi đua goes only to a cluster's leader (its
    administrator). Switched on, it needs its basis and the award codes it covers; from
    then on every dossier proposing one of them is checked (registry.eligibility)."""
    if not administers(by, province):
        raise DomainError(
            "no_permission",
            _("Tỉnh: bạn không quản trị %(org)s.") % {"org": province.name},
            field="province",
        )
    codes = [c.strip() for c in award_codes or [] if isinstance(c, str) and c.strip()]
    if flag_only_to_leader and not codes:
        raise DomainError(
            "required",
            _("Mã hình thức áp dụng: bắt buộc nhập khi bật quy định (ví dụ co-thi-dua-tinh)."),
            field="award_codes",
        )
    if flag_only_to_leader and not (basis or "").strip():
        raise DomainError(
            "required",
            _("Căn cứ: bắt buộc nhập khi bật quy định (quy chế, quyết định của tỉnh)."),
            field="basis",
        )
    rule, _created = ClusterFlagRule.objects.update_or_create(
        province=province,
        defaults={
            "flag_only_to_leader": flag_only_to_leader,
            "award_codes": codes,
            "basis": (basis or "").strip(),
        },
    )
    record_event(
        rule,
        action="cluster_flag_rule_set",
        actor=by,
        data={"on": flag_only_to_leader, "award_codes": codes, "basis": rule.basis},
    )
    return rule


def check_flag_goes_to_leader(
    award_type: AwardType, organisation: Organisation, *, year: int
) -> None:
    """Where the province says so (ClusterFlagRule, off by default), the provincial Cờ thi
    đua goes only to the leader of a cluster or block that year. Refused otherwise, naming
    the province's basis."""
    rule = flag_rule_for(organisation.province())
    if rule is None or not rule.applies_to(award_type.code):
        return
    if ClusterYear.objects.filter(year=year, leader=organisation).exists():
        return
    raise DomainError(
        "flag_only_to_leader",
        _(
            "Đơn vị được đề nghị: %(org)s không phải cụm trưởng của cụm, khối thi đua nào năm "
            "%(year)s; “%(award)s” chỉ tặng cụm trưởng (%(basis)s)."
        )
        % {
            "org": organisation.name,
            "year": year,
            "award": award_type.name,
            "basis": rule.basis or _("quy định của tỉnh"),
        },
        field="nominee",
    )


@transaction.atomic
def propose_vote_winner(
    cluster_year_id: int, *, by, award_type: AwardType, campaign: Campaign | None = None
) -> Dossier:
    """After the vote: the winner becomes a draft dossier of the cluster proposing it for
    `award_type` (the Cờ thi đua, or a Bằng khen), filed through dossiers.services like any
    other; the standing office attaches the documents and submits it
    (`submit_cluster_proposal`). The vote's own dossier is closed (decided, citing the
    minutes), so the winner is not held by two open dossiers.

    Refused before the meeting is closed, when nobody passed, or when the province gives
    the Cờ only to cluster leaders and the winner is not this year's leader.
    """
    row = _lock_year(cluster_year_id)
    cluster = row.cluster
    _require_cluster_manager(cluster, by)
    if row.proposal_id:
        raise DomainError(
            "proposal_exists",
            _("Hồ sơ đề nghị: %(year)s đã có hồ sơ %(ref)s.")
            % {"year": row, "ref": row.proposal.reference},
            field="award_type",
        )
    winner = vote_winner(row)
    if winner is None:
        raise DomainError(
            "no_winner",
            _("Kết quả bỏ phiếu: phiên họp chưa kết thúc hoặc không đơn vị nào đạt tỷ lệ."),
            field="award_type",
        )
    check_flag_goes_to_leader(award_type, winner.organisation, year=row.year)
    vote = Dossier.objects.get(pk=row.vote_dossier_id)
    if vote.status == DossierStatus.AWAITING_DECISION:
        transitions.mark_decided(
            vote.pk,
            by=by,
            decision_label=f"Biên bản {row.vote_meeting.minutes_number}",
        )
    dossier = dossier_services.create_dossier(
        proposer=cluster.body,
        award_type=award_type,
        by=by,
        year=row.year,
        title=f"Đề nghị tặng {award_type.name} cho {winner.organisation.name} năm {row.year}",
        campaign=campaign,
    )
    dossier_services.add_nominee(
        dossier.pk,
        by=by,
        kind="collective",
        full_name=winner.organisation.name,
        organisation_name=winner.organisation.name,
        identity_code=winner.organisation.code,
        achievement_summary=(
            f"Dẫn đầu {cluster.name} năm {row.year} (xếp thứ {winner.place}); được "
            f"{winner.agree} thành viên suy tôn tại phiên họp "
            f"{row.vote_meeting.minutes_number}."
        ),
    )
    row.proposal = dossier
    row.save(update_fields=["proposal"])
    record_event(
        row,
        action="cluster_winner_proposed",
        actor=by,
        data={"winner": winner.organisation.code, "dossier": dossier.reference},
    )
    return dossier


@transaction.atomic
def submit_cluster_proposal(cluster_year_id: int, *, by) -> Dossier:
    """Submit the cluster's proposal, checking the leader-only rule again (the province may
    have switched it on since the draft was made)."""
    row = _lock_year(cluster_year_id)
    if row.proposal_id is None:
        raise DomainError("no_proposal", _("Hồ sơ đề nghị: cụm chưa lập hồ sơ."), field="proposal")
    dossier = Dossier.objects.select_related("award_type").get(pk=row.proposal_id)
    for nominee in dossier.active_nominees():
        org = Organisation.objects.filter(code=nominee.identity_code).first()
        if org is not None:
            check_flag_goes_to_leader(dossier.award_type, org, year=row.year)
    return transitions.submit_dossier(dossier.pk, by=by)
