from django.utils.functional import SimpleLazyObject

from .queries import issuers_for


def menu(request) -> dict:
    """`nav_decides`: whether the menu offers the decisions pages, by the same rule those pages
    apply (queries.issuers_for: secretariat or signing grants); read only if a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_decides": SimpleLazyObject(lambda: issuers_for(user).exists())}
