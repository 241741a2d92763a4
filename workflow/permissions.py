"""Who may fire a transition: guardian object permissions on the acting organisation.

The same grants feed the viewflow task queues and the list/detail pages, so "may act"
and "sees the task" can never disagree.
"""

from collections.abc import Callable

from organisations.models import OrganisationUserObjectPermission


def _holds(user, organisation, codenames: tuple[str, ...]) -> bool:
    """One indexed query on guardian's direct table. Roles are granted to users (never to
    groups, see organisations.roles), so this is the whole answer; guardian's has_perm would
    ask two queries per codename.
    """
    if organisation is None or not user or not user.is_authenticated or not user.is_active:
        return False
    return OrganisationUserObjectPermission.objects.filter(
        user=user, content_object=organisation, permission__codename__in=codenames
    ).exists()


def on_proposer(*codenames: str) -> Callable:
    def check(dossier, user) -> bool:
        return _holds(user, dossier.proposer, codenames)

    check.codenames = codenames
    check.where = "proposer"
    return check


def on_current_stage(*codenames: str) -> Callable:
    def check(dossier, user) -> bool:
        stage = dossier.current_stage
        return _holds(user, stage.organisation if stage else None, codenames)

    check.codenames = codenames
    check.where = "current_stage"
    return check
