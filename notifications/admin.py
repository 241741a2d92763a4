"""Notices in the admin: for the platform operator (superuser) only.

Templates are one set for every province, preferences and outbox rows are people's mail,
across provinces. `notifications` is a leaf (it imports no other app, so not
organisations.admin_scope either): rather than cut these to a subtree it cannot compute,
the admin shows them to nobody else, whatever model permissions a group is given.
"""

from django.contrib import admin

from .models import MessageTemplate, OutboxMessage, Preference


class PlatformOnly:
    """Every page and permission requires an active superuser."""

    def _operator(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser

    def has_module_permission(self, request):
        return self._operator(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._operator(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._operator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._operator(request) and super().has_delete_permission(request, obj)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(PlatformOnly, admin.ModelAdmin):
    """Administrators reword notices here; a missing row falls back to the template files."""

    list_display = ("slug", "language", "subject", "updated_at")
    list_filter = ("language",)
    search_fields = ("slug", "subject")


@admin.register(Preference)
class PreferenceAdmin(PlatformOnly, admin.ModelAdmin):
    list_display = ("user", "email", "in_app", "language")
    list_filter = ("email", "in_app", "language")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(PlatformOnly, admin.ModelAdmin):
    """Read-only: the outbox is written by services and emptied by delivery, never by hand."""

    list_display = ("created_at", "recipient", "template", "emailed_at", "read_at", "attempts")
    list_filter = ("template",)
    search_fields = ("recipient__username", "dedupe_key")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
