from django.contrib import admin

from .models import MessageTemplate, OutboxMessage, Preference


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Administrators reword notices here; a missing row falls back to the template files."""

    list_display = ("slug", "language", "subject", "updated_at")
    list_filter = ("language",)
    search_fields = ("slug", "subject")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "in_app", "language")
    list_filter = ("email", "in_app", "language")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
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
