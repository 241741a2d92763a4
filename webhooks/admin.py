"""Endpoints and their delivery log, read-only: they change through webhooks.services (pages),
which audit every step. The secret is never shown here."""

from django.contrib import admin

from organisations.admin_scope import ScopedAdminMixin

from .models import Attempt, Delivery, Endpoint


class ReadOnly(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Endpoint)
class EndpointAdmin(ReadOnly):
    scope_paths = ("organisation",)
    list_display = ("url", "organisation", "is_active", "created_at")
    exclude = ("secret",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    scope_paths = ("endpoint__organisation",)
    list_display = ("event", "event_id", "endpoint", "status", "attempts", "created_at")
    list_filter = ("status", "event")


@admin.register(Attempt)
class AttemptAdmin(ReadOnly):
    scope_paths = ("delivery__endpoint__organisation",)
    list_display = ("delivery", "number", "at", "status_code", "error")
