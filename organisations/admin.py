"""The organisation tree and role grants in the admin, cut to the administrator's subtree.

No object-permission screen: guardian's GuardedModelAdmin let an administrator write any
codename on any organisation, himself included, with no audit row (issue 15). Roles are
granted here only through organisations.services.assign_role / revoke_role, which check the
subtree and refuse a self-grant, and audit who, when, what and why.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from core.errors import DomainError

from . import user_admin
from .admin_scope import ScopedAdminMixin, is_operator, request_scope, top_organisations
from .models import Membership, Organisation
from .services import assign_role, check_may_administer, revoke_role

CHILD_POSITIONS = ("sorted-child", "first-child")


class OrganisationForm(movenodeform_factory(Organisation)):
    """The tree form; for an administrator: add only below his subtree, never move a node.

    Nodes are not moved when the law changes (docs/architecture.md, "The organisation tree
    across the 2025 reform"), and a move out of the subtree would hand a unit to another
    province; the superuser (platform operator) still moves nodes.
    """

    admin_request = None  # set by OrganisationAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.admin_request
        if request is None or is_operator(request.user):
            return
        allowed = request_scope(request)
        parent = self._current_parent()
        if parent is not None:
            allowed = allowed | Organisation.objects.filter(pk=parent.pk)
        field = self.fields["treebeard_ref_node"]
        field.queryset = field.queryset.filter(pk__in=allowed.values("pk"))

    def _current_parent(self) -> Organisation | None:
        if self.instance.pk is None:
            return None
        return Organisation.objects.get_parent(Organisation.objects.get(pk=self.instance.pk))

    def clean(self):
        cleaned = super().clean()
        request = self.admin_request
        if request is None or is_operator(request.user) or "treebeard_position" not in cleaned:
            return cleaned
        ref = cleaned.get("treebeard_ref_node")
        position = cleaned["treebeard_position"]
        if ref is None:
            parent = None
        elif position in CHILD_POSITIONS:
            parent = ref
        else:
            parent = Organisation.objects.get_parent(ref)
        if self.instance.pk is not None:
            current = self._current_parent()
            if (parent and parent.pk) != (current and current.pk):
                self.add_error(
                    "treebeard_ref_node",
                    _(
                        "Vị trí: quản trị viên không di chuyển cơ quan, đơn vị trong cây "
                        "(chỉ quản trị nền tảng làm việc này)."
                    ),
                )
        elif parent is None or not request_scope(request).filter(pk=parent.pk).exists():
            self.add_error(
                "treebeard_ref_node",
                _("Vị trí: đơn vị mới phải nằm dưới một đơn vị trong phạm vi bạn quản trị."),
            )
        return cleaned


def _not_here(request, *args, **kwargs):
    raise Http404


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, TreeAdmin):
    form = OrganisationForm
    scope_paths = ("",)
    list_display = ("name", "code", "level", "kind", "valid_from", "valid_to", "has_council")
    list_filter = ("level", "kind", "has_council")
    search_fields = ("name", "code")

    def get_urls(self):
        # guardian's object-permission screens (…/<id>/permissions/…) are gone: answer 404,
        # not the admin's "redirect to the change page" for an unknown sub-path.
        gone = [re_path(r"^.+/permissions/.*$", self.admin_site.admin_view(_not_here))]
        return gone + super().get_urls()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"admin_request": request})

    def get_queryset(self, request):
        at_top = (
            hasattr(request, "_treebeard_parent_id")
            and not request._treebeard_parent_id
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )
        if at_top and not is_operator(request.user):
            # The tree opens at the administrator's own organisations, which need not be roots.
            request._treebeard_parent = None
            return Organisation.objects.filter(pk__in=[o.pk for o in top_organisations(request)])
        return super().get_queryset(request)

    def has_delete_permission(self, request, obj=None):
        own = obj is not None and not is_operator(request.user)
        if own and obj.pk in {o.pk for o in top_organisations(request)}:
            return False  # his own organisation: only the platform operator removes it
        return super().has_delete_permission(request, obj)

    def move_node(self, request):
        if not is_operator(request.user):
            raise PermissionDenied
        return super().move_node(request)


class MembershipForm(forms.ModelForm):
    """A grant: checked by the service's own rule (subtree, no self-grant), with its reason."""

    reason = forms.CharField(
        label=_("Lý do cấp quyền"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký kiểm toán cùng người cấp, người nhận, vai trò và đơn vị."),
    )
    admin_request = None  # set by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ("user", "organisation", "role", "title")

    def clean(self):
        cleaned = super().clean()
        user, organisation, role = (cleaned.get(k) for k in ("user", "organisation", "role"))
        if self.admin_request is not None and user and organisation and role:
            try:
                check_may_administer(
                    self.admin_request.user, organisation=organisation, user=user, role=role
                )
            except DomainError as refused:
                self.add_error(
                    refused.field if refused.field in self.fields else None, str(refused)
                )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Grant (add) and withdraw (delete) roles; a role is never edited in place.

    Both go through organisations.services, never through the ORM: save_model calls
    assign_role, delete_model revoke_role (the reason typed on the delete page is audited).
    """

    form = MembershipForm
    scope_paths = ("organisation",)
    list_display = ("user", "organisation", "role", "title", "since")
    list_filter = ("role", "organisation__level")
    search_fields = ("user__username", "user__last_name", "user__first_name", "organisation__name")
    autocomplete_fields = ("organisation",)
    fields = ("user", "organisation", "role", "title", "reason")
    readonly_fields = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"admin_request": request})

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else ("user", "organisation", "role", "title", "since")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "organisation", "role", "title", "since")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        try:
            check_may_administer(
                request.user, organisation=obj.organisation, user=obj.user, role=obj.role
            )
        except DomainError:
            return False
        return True

    def save_model(self, request, obj, form, change):
        membership = assign_role(
            form.cleaned_data["user"],
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
            title=form.cleaned_data.get("title", ""),
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        obj.pk, obj.since = membership.pk, membership.since
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing to save: the service wrote the row and its permissions."""

    def delete_model(self, request, obj):
        revoke_role(
            obj.user,
            organisation=obj.organisation,
            role=obj.role,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            self.delete_model(request, membership)


# Users: the administrator's own people only (organisations/user_admin.py, issue 12).
user_admin.register(admin.site)
