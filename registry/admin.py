"""Awards on record and overrides are read-only here: they change only through
registry.services, which audits every step.

Scope (organisations.admin_scope): an award on record is in an administrator's scope when
the awardee's unit or the issuer lies in his subtree; an override follows its dossier's
proposing unit. An entry imported with neither is seen by the platform operator only.
"""

from django.contrib import admin

from organisations.admin_scope import ScopedAdminMixin

from .models import EligibilityOverride, RegistryEntry


class ReadOnly(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnly):
    scope_paths = ("organisation", "issuer")
    list_display = ("full_name", "award_name", "year", "decision_label", "status")
    list_filter = ("status", "year")
    search_fields = ("full_name", "organisation_name")


@admin.register(EligibilityOverride)
class EligibilityOverrideAdmin(ReadOnly):
    scope_paths = ("dossier__proposer",)
    list_display = ("dossier", "nominee", "rule", "by", "at")
