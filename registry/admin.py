"""Awards on record and overrides are read-only here: they change only through
registry.services, which audits every step."""

from django.contrib import admin

from .models import EligibilityOverride, RegistryEntry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnly):
    list_display = ("full_name", "award_name", "year", "decision_label", "status")
    list_filter = ("status", "year")
    search_fields = ("full_name", "organisation_name")


@admin.register(EligibilityOverride)
class EligibilityOverrideAdmin(ReadOnly):
    list_display = ("dossier", "nominee", "rule", "by", "at")
