"""Report forms in the admin: the platform operator corrects a default layout or adds the
next version (a new row with its own `valid_from`); the model's clean() refuses a layout
that cannot be filled. Statistics are national forms, so no organisation scope applies:
only superusers (platform operators) see them here."""

from django.contrib import admin

from .models import ReportForm


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "valid_from", "valid_to", "layout_confirmed")
    list_filter = ("layout_confirmed",)
    search_fields = ("code", "title", "legal_basis")
    ordering = ("-valid_from", "code")

    def get_readonly_fields(self, request, obj=None):
        # A version is known by its code and start date; a change of either is a new version.
        return ("code", "valid_from") if obj else ()

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a form once used stays the record of what was reported
