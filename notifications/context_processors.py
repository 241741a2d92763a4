from django.http import HttpRequest

from .inbox import unread_count


def unread(request: HttpRequest) -> dict:
    """`unread_notifications` for the bell in base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
