from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisations.admin_scope import ScopedAdminMixin

from .admin_forms import CalendarEntryForm, ReminderRuleForm
from .models import CalendarEntry, Reminder, ReminderRule, StageDeadline


@admin.register(CalendarEntry)
class CalendarEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Holidays, nghỉ bù and làm bù days; an entry here overrides the holidays package.

    One national calendar counts every province's deadlines: `shared`, so an administrator
    reads it and only the platform operator (superuser) edits it.
    """

    shared = True
    form = CalendarEntryForm

    list_display = ("day", "kind", "name", "source", "confirmed")
    list_filter = ("kind", "source", "confirmed")
    list_editable = ("confirmed",)
    date_hierarchy = "day"
    search_fields = ("name",)
    actions = ["confirm"]

    @admin.action(description=_("Xác nhận các ngày đã chọn"), permissions=["change"])
    def confirm(self, request, queryset) -> None:
        queryset.update(confirmed=True)


@admin.register(ReminderRule)
class ReminderRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    shared = True  # one set of reminder rules for the platform
    form = ReminderRuleForm
    fields = ("kind", "label", "measure", "amount", "active")
    list_display = ("kind", "label", "percent", "days_before", "active")
    list_editable = ("active",)

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return ("kind", "label", "percent", "days_before", "active")  # read-only: the columns


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "fire_on", "sent_at", "cancelled_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StageDeadline)
class StageDeadlineAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only history of every stage clock (each round of a returned dossier)."""

    scope_paths = ("organisation", "dossier__proposer")

    list_display = ("dossier", "organisation", "round", "started_on", "due_on", "closed_at")
    list_filter = ("closed_at", "escalated_at")
    date_hierarchy = "due_on"
    search_fields = ("dossier__reference",)
    list_select_related = ("dossier", "organisation")
    inlines = [ReminderInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
