"""Admin: councils are configuration, member terms are granted through the council services,
meetings are read-only; all of it cut to the administrator's subtree.

Ballot tables (receipts, secret choices, open votes) are deliberately not registered: no
admin screen may place a receipt beside a choice. Counts are on the meeting pages.

A term on a council is a vote in its meetings, so terms are written only by
councils.services.add_council_member / end_council_member (subtree check, no self-grant,
audit row): the council page lists them read-only, the "thành viên Hội đồng" pages add a
term and change only its end date. A term is never deleted (past meetings rebuild their
base from it): it is ended.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from organisations.admin_scope import ScopedAdminMixin

from .models import AgendaItem, Attendance, Council, CouncilMember, Meeting
from .services import add_council_member, check_council_term, end_council_member

TERM_FIELDS = (
    "council",
    "user",
    "role",
    "position",
    "home_organisation",
    "identity_code",
    "starts_on",
    "ends_on",
)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "user",
        "role",
        "position",
        "home_organisation",
        "identity_code",
        "birth_year",
        "starts_on",
        "ends_on",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Council)
class CouncilAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("organisation",)
    list_display = ["name", "organisation", "secretary_votes", "recuse_proposing_unit"]
    search_fields = ["name", "organisation__name"]
    inlines = [CouncilMemberInline]


class CouncilMemberForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký kiểm toán cùng người thực hiện và nhiệm kỳ."),
    )
    admin_request = None  # set by CouncilMemberAdmin.get_form

    class Meta:
        model = CouncilMember
        fields = TERM_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.admin_request is None:
            return cleaned
        existing = self.instance.pk is not None
        council = self.instance.council if existing else cleaned.get("council")
        user = self.instance.user if existing else cleaned.get("user")
        starts_on = self.instance.starts_on if existing else cleaned.get("starts_on")
        if council is None or user is None or starts_on is None:
            return cleaned
        try:
            check_council_term(
                council,
                by=self.admin_request.user,
                user=user,
                starts_on=starts_on,
                ends_on=cleaned.get("ends_on"),
                role=None if existing else cleaned.get("role"),
                home_organisation=None if existing else cleaned.get("home_organisation"),
                member_id=self.instance.pk,
            )
        except DomainError as refused:
            field = refused.field if refused.field in self.fields else None
            if field == "organisation":
                field = "council" if "council" in self.fields else None
            self.add_error(field, str(refused))
        return cleaned


@admin.register(CouncilMember)
class CouncilMemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = CouncilMemberForm
    scope_paths = ("council__organisation",)
    list_display = ["name", "council", "role", "starts_on", "ends_on"]
    list_filter = ["role", ("council", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "user__first_name", "council__name"]
    list_select_related = ["user", "council"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"admin_request": request})

    def get_fields(self, request, obj=None):
        return (*TERM_FIELDS, "reason")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return tuple(f for f in TERM_FIELDS if f != "ends_on")

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        try:  # his own term, or a council outside his subtree: view only
            check_council_term(
                obj.council, by=request.user, user=obj.user, starts_on=obj.starts_on,
                ends_on=obj.ends_on, member_id=obj.pk,
            )  # fmt: skip
        except DomainError:
            return False
        return True

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = end_council_member(
                obj.pk, by=request.user, ends_on=data["ends_on"], reason=data["reason"]
            )
        else:
            saved = add_council_member(
                data["council"].pk,
                by=request.user,
                user=data["user"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                position=data.get("position", ""),
                home_organisation=data.get("home_organisation"),
                identity_code=data.get("identity_code", ""),
                reason=data["reason"],
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing to save: the service wrote the term."""


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
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("council__organisation",)
    list_display = ["title", "council", "scheduled_for", "status", "number"]
    list_filter = ["status", ("council", admin.RelatedOnlyFieldListFilter)]
    inlines = [AgendaInline, AttendanceInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
