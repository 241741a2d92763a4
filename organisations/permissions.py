"""The one permission gate: may this user act on this organisation, and who may.

Every access decision of the product (pages, transitions, councils, decisions, the registry,
inboxes and notices) asks these functions, so "may act", "sees the task" and "is told"
can never disagree (wagtail's permission policies answer both questions from one rule).

The rule: a user holds a codename on an organisation when one of their roles there grants it
(`organisations.roles.ROLE_PERMISSIONS`, written to guardian's direct object-permission table
by `organisations.services.assign_role`). Only active users hold anything.

Superusers: **no business right comes from `is_superuser`.** A superuser is a platform
operator (the Django admin, configuration, recovery); to file, appraise, vote or sign he
needs a role like anyone else, granted through `assign_role` and audited. Django's own
`user.has_perm` answers True for a superuser on everything, which is why nothing here calls
it: a secret ballot, a signature or a council vote must have a named holder of the role.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.errors import DomainError, TransitionRefused

from .models import Organisation, OrganisationUserObjectPermission


def _grants(user, codenames: tuple[str, ...]) -> QuerySet:
    return OrganisationUserObjectPermission.objects.filter(
        user=user, permission__codename__in=codenames
    )


def _eligible(user) -> bool:
    return bool(user) and user.is_authenticated and user.is_active


def holds(user, organisation: Organisation | int | None, *codenames: str) -> bool:
    """Whether `user` holds any of `codenames` on `organisation`: one indexed query.

    Roles are granted to users, never to groups (organisations.roles), so guardian's direct
    user table is the whole answer; guardian's has_perm would ask two queries per codename
    and let a superuser through.
    """
    if organisation is None or not codenames or not _eligible(user):
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return _grants(user, codenames).filter(content_object_id=org_id).exists()


def require(
    user,
    organisation: Organisation | int | None,
    *codenames: str,
    refusal: DomainError | None = None,
) -> None:
    """Raise `refusal` (by default TransitionRefused.no_permission) unless `holds`."""
    if not holds(user, organisation, *codenames):
        raise refusal or TransitionRefused.no_permission()


def organisations_where(user, *codenames: str) -> QuerySet[Organisation]:
    """Organisations on which `user` holds any of `codenames` (a semi-join, one query)."""
    if not codenames or not _eligible(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_grants(user, codenames).values("content_object_id"))


def users_who_can(codename: str, organisation: Organisation | int | None) -> QuerySet:
    """Active users holding `codename` on `organisation` (inboxes and notices use this)."""
    if organisation is None:
        return get_user_model().objects.none()
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            organisationuserobjectpermission__content_object_id=org_id,
            organisationuserobjectpermission__permission__codename=codename,
        )
        .distinct()
    )


def holders(codenames: Iterable[str], organisations: Iterable[int]) -> dict[tuple[int, str], set]:
    """(organisation id, codename) → ids of the active users holding `codename` there, for
    many organisations and codenames in one query: `users_who_can` for a sweep over every
    organisation's deadlines, which would otherwise ask it once per organisation and role."""
    rows = (
        OrganisationUserObjectPermission.objects.filter(
            content_object_id__in=set(organisations),
            permission__codename__in=set(codenames),
            user__is_active=True,
        )
        .order_by()
        .values_list("content_object_id", "permission__codename", "user_id")
    )
    found: dict[tuple[int, str], set] = {}
    for org_id, codename, user_id in rows:
        found.setdefault((org_id, codename), set()).add(user_id)
    return found
