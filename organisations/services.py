"""Granting and withdrawing roles: the only writers of Membership and of organisation perms.

Who may grant (issue 15, "trust"): an administrator (role `administrator`, codename
`administer`) on organisation X grants and withdraws roles only on X and the units under it
(`administered_scope`), never on himself (a second administrator acts: four eyes), and so never
the administrator role above his own level. A superuser is the platform operator: he grants
anywhere, but not to himself either (no business right from the flag: docs/architecture.md,
"The superuser rule"). `by=None` is the system itself (seed_demo, migrations, a shell): every
page and command acting for a person passes `by`.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record_event
from core.errors import DomainError

from .models import Membership, Organisation
from .permissions import organisations_where
from .roles import ROLE_PERMISSIONS, Perm, Role


def administered_scope(user) -> QuerySet[Organisation]:
    """Organisations `user` administers: each one he holds `administer` on, and all below it.

    A materialised-path prefix per administered organisation (treebeard), so "X and every unit
    under X" is one indexed query; an inactive or anonymous user administers nothing.
    """
    tops = list(organisations_where(user, Perm.ADMINISTER).values_list("path", flat=True))
    if not tops:
        return Organisation.objects.none()
    match = Q()
    for path in tops:
        match |= Q(path__startswith=path)
    return Organisation.objects.filter(match)


def administers(user, organisation: Organisation | int | None) -> bool:
    """Whether `user` administers `organisation` (it is in his subtree). Superusers: no."""
    if organisation is None:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return administered_scope(user).filter(pk=org_id).exists()


def _is_operator(user) -> bool:
    return bool(user) and user.is_active and user.is_superuser


def refusal(code: str, **params) -> DomainError:
    message, field = REFUSALS[code]
    return DomainError(code, message % params if params else message, field=field)


REFUSALS = {
    "self_grant": (
        _(
            "Người dùng: bạn không thể tự cấp, thu hồi hoặc thay đổi quyền của chính mình; "
            "một quản trị viên khác phải thực hiện."
        ),
        "user",
    ),
    "outside_scope": (
        _(
            "Cơ quan, đơn vị: “%(organisation)s” nằm ngoài phạm vi bạn quản trị; bạn chỉ thao "
            "tác trên đơn vị mình quản trị và các đơn vị trực thuộc."
        ),
        "organisation",
    ),
    "above_own_level": (
        _(
            "Vai trò: không thể cấp hoặc thu hồi quyền Quản trị hệ thống tại “%(organisation)s”, "
            "cấp trên cấp bạn quản trị."
        ),
        "role",
    ),
}


def check_may_administer(by, *, organisation: Organisation, user=None, role: str = "") -> None:
    """Raise DomainError unless `by` may change `user`'s rights on `organisation`.

    Refusals, in order: `by` is `user` (self_grant); `organisation` outside his subtree —
    `above_own_level` when it is the administrator role on an ancestor of his own level, else
    `outside_scope`. Pure reads: forms call it to show the refusal on the field, and every
    service calls it again under its lock.
    """
    if by is None:  # the system: seed_demo, migrations, shell
        return
    if user is not None and user.pk == by.pk:
        raise refusal("self_grant")
    if _is_operator(by) or administers(by, organisation):
        return
    if role == Role.ADMINISTRATOR:
        own = organisations_where(by, Perm.ADMINISTER).values_list("path", flat=True)
        if any(path.startswith(organisation.path) for path in own):
            raise refusal("above_own_level", organisation=organisation.name)
    raise refusal("outside_scope", organisation=organisation.name)


def _audit_data(user, organisation: Organisation, role: Role, by) -> dict:
    return {
        "user": user.get_username(),
        "role": role.value,
        "organisation": organisation.code,
        "by": by.get_username() if by is not None else "system",
    }


def _lock_user(user):
    # Two grants to one user queue here, so "permissions still granted by another role"
    # in revoke_role is read from a settled set of memberships.
    return type(user).objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def assign_role(
    user,
    *,
    organisation: Organisation,
    role: str,
    by=None,
    title: str = "",
    reason: str = "",
) -> Membership:
    """Give `user` a role in `organisation`; idempotent.

    Side effects, in order: the Membership row, the role's group, guardian object permissions
    on the organisation, `is_staff` for an administrator, an audit row `role_granted` naming
    by, user, role, organisation and reason (only when something changed).
    Refused (DomainError, nothing written): see check_may_administer.
    """
    role = Role(role)
    check_may_administer(by, organisation=organisation, user=user, role=role)
    user = _lock_user(user)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"title": title}
    )
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    for codename in ROLE_PERMISSIONS[role]:
        assign_perm(Perm.full(codename), user, organisation)
    if role == Role.ADMINISTRATOR:
        _grant_catalogue_admin(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    if created:
        record_event(
            organisation,
            action="role_granted",
            actor=by,
            reason=reason,
            data=_audit_data(user, organisation, role, by),
        )
    return membership


@transaction.atomic
def revoke_role(user, *, organisation: Organisation, role: str, by=None, reason: str = "") -> None:
    """Withdraw a role; permissions that another remaining role still grants are kept.

    Side effects, in order: the Membership row goes, object permissions no other role of the
    user there grants go, the group goes when no such role is left anywhere, an audit row
    `role_revoked` (by, user, role, organisation, reason). Refused like assign_role.
    """
    role = Role(role)
    check_may_administer(by, organisation=organisation, user=user, role=role)
    user = _lock_user(user)
    deleted, _ = Membership.objects.filter(user=user, organisation=organisation, role=role).delete()
    if not deleted:
        return
    still_granted = {
        codename
        for other in Membership.objects.filter(user=user, organisation=organisation)
        for codename in ROLE_PERMISSIONS[Role(other.role)]
    }
    for codename in set(ROLE_PERMISSIONS[role]) - still_granted:
        remove_perm(Perm.full(codename), user, organisation)
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=role.value))
    record_event(
        organisation,
        action="role_revoked",
        actor=by,
        reason=reason,
        data=_audit_data(user, organisation, role, by),
    )


# Model-level rights of the administrator group: the catalogue and configuration, the
# memberships and council terms (written through the services above and councils.services)
# and the audit trail (read-only). No dossier permission is ever model-level (guardian would
# widen every list with it). What an administrator sees of each is cut to his subtree by
# organisations.admin_scope; platform-wide configuration is read-only to him there.
ADMIN_MODELS = {
    "dossiers": ("ruleset", "awardtype", "routestage", "requireddocument", "campaign"),
    "organisations": ("organisation", "membership"),
    "workflow": ("calendarentry",),
    "councils": ("council", "councilmember"),
    "audit": ("auditevent",),
    # Campaigns, clusters and covenants of the province (issue 16); results, commitments,
    # role models and scores are read-only in the admin (campaigns/admin.py): their pages
    # write them through campaigns.services.
    "campaigns": (
        "phase",
        "target",
        "cluster",
        "clusteryear",
        "clustermember",
        "covenant",
        "criterion",
        "clusterflagrule",
        "targetresult",
        "commitment",
        "rolemodel",
        "score",
    ),
}


def _grant_catalogue_admin(group: Group) -> None:
    match = Q(pk__in=[])
    for app_label, models in ADMIN_MODELS.items():
        match |= Q(content_type__app_label=app_label, content_type__model__in=models)
    group.permissions.add(*Permission.objects.filter(match))
