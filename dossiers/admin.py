"""Administrators edit the catalogue here: rule sets, award forms, routes, required documents.

Dossiers themselves are read-only in the admin: they change only through workflow services.

Scope (organisations.admin_scope): the catalogue is platform-wide (`shared`: administrators
read it, a superuser edits it: an edit changes every province's new dossiers); campaigns
follow their organisation, dossiers their proposing unit.
"""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from organisations.admin_scope import ScopedAdminMixin, is_operator
from organisations.models import Level

from .admin_forms import AwardTypeForm, RouteStageForm, RuleSetForm, describe_eligibility
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
class RuleSetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    shared = True
    form = RuleSetForm
    list_display = ("code", "name", "valid_from", "valid_to")
    inlines = [AwardTypeInline]


class SharedInlineMixin:
    """Rows of the platform-wide catalogue: edited by the operator only, like their award
    form (the administrator group's model permissions would otherwise make the inline
    look editable under a read-only parent)."""

    def has_add_permission(self, request, obj=None):
        return is_operator(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_operator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user) and super().has_delete_permission(request, obj)


class RouteStageInline(SharedInlineMixin, admin.StackedInline):
    model = RouteStage
    form = RouteStageForm
    extra = 0
    fieldsets = (
        (None, {"fields": ("position", "tier", "levels", "has_council")}),
        (_("Căn cứ"), {"fields": ("basis", "note")}),
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
        (
            _("Ý kiến Ban Thường vụ Tỉnh ủy"),
            {"fields": ("party_opinion_required", "party_opinion_basis")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # Read-only (an administrator: the catalogue is the platform's): the levels by name.
        return [
            (
                title,
                {
                    **spec,
                    "fields": tuple("level_names" if f == "levels" else f for f in spec["fields"]),
                },
            )
            for title, spec in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return (*fields, "level_names")

    @admin.display(description=_("Cấp thực hiện"))
    def level_names(self, stage: RouteStage) -> str:
        if not stage.levels:
            return str(_("Đơn vị đề nghị tự thực hiện"))
        return "; ".join(str(Level(level).label) for level in stage.levels if level in Level)


class RequiredDocumentInline(SharedInlineMixin, admin.StackedInline):
    # Stacked, not tabular: Django's table puts one header over a column of unlabelled
    # inputs, which axe-core reports as serious ("form elements must have labels").
    model = RequiredDocument
    fields = ("category", "simplified", "basis")
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    shared = True
    form = AwardTypeForm
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "rule_set",
                    ("code", "is_active"),
                    "name",
                    "subject",
                    "deciding_authority",
                    "basis",
                    "note",
                    "decision_title",
                )
            },
        ),
        (
            _("Công khai danh sách, tiền thưởng"),
            {
                "fields": (
                    "posting_days",
                    "posting_basis",
                    ("prize_multiple", "prize_multiple_collective"),
                    "prize_note",
                )
            },
        ),
        (
            _("Điều kiện xét (docs/eligibility.md)"),
            {
                "fields": (
                    "category",
                    "consecutive_on",
                    ("consecutive_of", "consecutive_years"),
                    "consecutive_basis",
                    "same_year",
                    "same_year_basis",
                    "initiative_required",
                )
            },
        ),
        (
            _("Hạn mức của đơn vị (tỉnh quy định)"),
            {"fields": ("quota_on", "quota_of", ("quota_num", "quota_den"), "quota_basis")},
        ),
        (
            _("Tỷ lệ thành viên của tập thể (tỉnh quy định)"),
            {
                "fields": (
                    "member_share_on",
                    "member_share_of",
                    ("member_share_num", "member_share_den", "member_share_strict"),
                    "member_share_basis",
                    "member_share_note",
                )
            },
        ),
        (_("Tham số khác (giữ nguyên khi lưu)"), {"fields": ("other_rules",)}),
    )
    readonly_fields = ("other_rules",)
    list_display = ("name", "code", "rule_set", "subject", "deciding_authority", "is_active")
    list_filter = ("rule_set", "subject", "is_active")
    search_fields = ("name", "code")
    # Edits reach only dossiers not yet received complete: the others keep the snapshot
    # pinned on them (Dossier.rules_snapshot; workflow.services._pin_rule_set).
    inlines = [RouteStageInline, RequiredDocumentInline]

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # Read-only: the typed fields are form fields, so the rules are shown in words.
        return (
            *self.fieldsets[:2],
            (_("Điều kiện xét"), {"fields": ("eligibility_summary",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return (*fields, "eligibility_summary")

    @admin.display(description=_("Tham số khác"))
    def other_rules(self, award: AwardType) -> str:
        lines = describe_eligibility(award.eligibility or {}, only_other=True)
        return self._lines(lines) if lines else str(_("Không có"))

    @admin.display(description=_("Điều kiện xét"))
    def eligibility_summary(self, award: AwardType) -> str:
        lines = describe_eligibility(award.eligibility or {})
        return self._lines(lines) if lines else str(_("Chỉ kiểm tra trùng khen thưởng"))

    @staticmethod
    def _lines(lines: list[str]) -> str:
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("organisation",)
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

    def get_readonly_fields(self, request, obj=None):
        # Every field shown is read-only: listing a non-editable one (uploaded_at, set by
        # auto_now_add) as a form field made every dossier's admin page answer 500.
        return self.fields


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
class DossierAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("proposer",)
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
