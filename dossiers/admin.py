"""Administrators edit the catalogue here: rule sets, award forms, routes, required documents.

Dossiers themselves are read-only in the admin: they change only through workflow services.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AwardType,
    Campaign,
    Document,
    Dossier,
    DossierStage,
    Nominee,
    RequiredDocument,
    RouteStage,
    RuleSet,
)


class AwardTypeInline(admin.TabularInline):
    model = AwardType
    fields = ("code", "name", "subject", "is_active")
    extra = 0
    show_change_link = True


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")
    inlines = [AwardTypeInline]


class RouteStageInline(admin.StackedInline):
    model = RouteStage
    extra = 0
    fieldsets = (
        (None, {"fields": ("position", "tier", "levels", "has_council")}),
        (
            _("Thời hạn (ngày làm việc)"),
            {
                "fields": (
                    "limit_days",
                    ("consultation", "limit_days_with_consultation"),
                    "limit_days_simplified",
                )
            },
        ),
        (
            _("Biểu quyết"),
            {
                "fields": (
                    ("threshold_num", "threshold_den", "threshold_strict"),
                    "threshold_base",
                    "count_written_votes",
                    ("quorum_num", "quorum_den", "quorum_strict"),
                    "secret_ballot",
                    "recuse_proposing_unit",
                )
            },
        ),
    )


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "rule_set", "subject", "is_active")
    list_filter = ("rule_set", "subject", "is_active")
    search_fields = ("name", "code")
    inlines = [RouteStageInline, RequiredDocumentInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "starts_on", "ends_on")
    search_fields = ("name",)
    autocomplete_fields = ("organisation",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StageInline(ReadOnlyInline):
    model = DossierStage
    fields = (
        "position",
        "tier",
        "organisation",
        "entered_at",
        "received_complete_on",
        "completed_at",
    )


class NomineeInline(ReadOnlyInline):
    model = Nominee
    fields = ("kind", "full_name", "birth_year", "position", "dropped_at")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("category", "round", "original_name", "size", "uploaded_by", "uploaded_at")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "proposer", "award_type", "status", "updated_at")
    list_filter = ("status", "award_type__rule_set")
    search_fields = ("reference", "title", "nominees__full_name")
    inlines = [StageInline, NomineeInline, DocumentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
