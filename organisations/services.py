"""Granting and withdrawing roles: the only writers of Membership and of organisation perms."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from audit.services import record_event

from .models import Membership, Organisation
from .roles import ROLE_PERMISSIONS, Perm, Role


@transaction.atomic
def assign_role(
    user, *, organisation: Organisation, role: str, by=None, title: str = ""
) -> Membership:
    """Give `user` a role in `organisation`; idempotent.

    Side effects, in order: the Membership row, the role's group, guardian object permissions
    on the organisation, an audit row (only when something changed).
    """
    role = Role(role)
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
            data={"user": user.get_username(), "role": role.value},
        )
    return membership


@transaction.atomic
def revoke_role(user, *, organisation: Organisation, role: str, by=None) -> None:
    """Withdraw a role; permissions that another remaining role still grants are kept."""
    role = Role(role)
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
        data={"user": user.get_username(), "role": role.value},
    )


# Model-level rights of the administrator group: the catalogue and configuration only.
# No dossier permission is ever model-level (guardian would widen every list with it).
ADMIN_MODELS = {
    "dossiers": ("ruleset", "awardtype", "routestage", "requireddocument", "campaign"),
    "organisations": ("organisation",),
    "workflow": ("calendarentry",),
    "councils": ("council", "councilmember"),
}


def _grant_catalogue_admin(group: Group) -> None:
    match = Q(pk__in=[])
    for app_label, models in ADMIN_MODELS.items():
        match |= Q(content_type__app_label=app_label, content_type__model__in=models)
    group.permissions.add(*Permission.objects.filter(match))
