"""Admin: councils and their dated members are configuration; meetings are read-only.

Ballot tables (receipts, secret choices, open votes) are deliberately not registered: no
admin screen may place a receipt beside a choice. Counts are on the meeting pages.
"""

from django.contrib import admin

from .models import AgendaItem, Attendance, Council, CouncilMember, Meeting


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user"]
    fields = [
        "user",
        "role",
        "position",
        "home_organisation",
        "identity_code",
        "starts_on",
        "ends_on",
    ]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "secretary_votes", "recuse_proposing_unit"]
    search_fields = ["name", "organisation__name"]
    inlines = [CouncilMemberInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["dossier", "members", "present", "quorate"]


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["member", "present", "absence_reason", "votes"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "scheduled_for", "status", "number"]
    list_filter = ["status", "council"]
    inlines = [AgendaInline, AttendanceInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
