def navigation(request) -> dict:
    """Which menu entries the signed-in user has: `nav_roles`, the set of their role codes.

    One query per page; the pages themselves still check object permissions.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(user.memberships.values_list("role", flat=True))
    return {"nav_roles": roles, "nav_decides": bool(roles & {"secretariat", "signing_authority"})}
