def unread(request) -> dict:
    """`unread_notifications` for the bell in base.html."""
    from .outbox import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
