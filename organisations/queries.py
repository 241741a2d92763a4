"""Read-only questions about organisations and who may act on them."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Organisation
from .roles import Perm


def organisations_where(user, codename: str) -> QuerySet[Organisation]:
    """Organisations on which `user` holds the object permission `codename`.

    accept_global_perms=False: only explicit object grants count, so a stray model-level
    permission never widens what a user sees.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    return get_objects_for_user(
        user, Perm.full(codename), klass=Organisation, accept_global_perms=False
    )


def users_who_can(codename: str, organisation: Organisation) -> QuerySet:
    """Active users holding `codename` on `organisation` (inboxes and notices use this).

    One query over guardian's direct foreign-key table (roles grant to users, not groups);
    get_users_with_perms would join the generic tables as well, for nothing.
    """
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            organisationuserobjectpermission__content_object=organisation,
            organisationuserobjectpermission__permission__codename=codename,
        )
        .distinct()
    )


def user_has(user, codename: str, organisation: Organisation | None) -> bool:
    return (
        bool(organisation)
        and user.is_authenticated
        and user.has_perm(Perm.full(codename), organisation)
    )
