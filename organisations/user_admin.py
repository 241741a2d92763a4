"""User accounts in the admin, cut to the administrator's subtree (issue 12, "users").

A provincial (or commune) administrator manages the people of the organisations under him,
and nothing else:

- **which users**: those whose every role lies in his subtree (at least one), or whom he
  created and who hold no role outside it (`user_created` audit rows name the creator); never
  a superuser, never himself (a second administrator acts: four eyes). Anybody else is a 404,
  like a missing row (no existence oracle);
- **create** a user together with his first role: the role is granted by
  `organisations.services.assign_role` (checked against the subtree, audited `role_granted`);
  the account gets no password — the administrator hands over a one-time link instead;
- **deactivate** (and reactivate) an account: the `is_active` box or the list action, audited;
  nobody is deleted (the audit trail and the dossiers name them);
- **reset password link**: a one-time link to set a new password (Django's token: it
  expires after PASSWORD_RESET_TIMEOUT and dies once used or once the password changes),
  audited; the administrator never learns or sets a password;
- **no** is_superuser / is_staff / groups / user_permissions fields, nor Django's set-password
  page: a posted `is_superuser=on` is ignored, the form has no such field. Further roles are
  granted on the Membership page (assign_role again).

A superuser (platform operator) keeps Django's full UserAdmin.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.encoding import force_bytes
from django.utils.html import format_html, format_html_join
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import record_event
from core.errors import DomainError

from .admin_scope import administers_anything, is_operator, request_scope
from .models import Membership, Organisation
from .roles import Role
from .services import assign_role, check_may_administer

User = get_user_model()
USER_CREATED = "user_created"


def created_by(user) -> list[int]:
    """The users `user` created in the admin (their `user_created` audit rows)."""
    ids = AuditEvent.objects.filter(
        action=USER_CREATED,
        actor=user,
        content_type__app_label=User._meta.app_label,
        content_type__model=User._meta.model_name,
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in ids if str(pk).isdigit()]


def users_in_scope(request) -> Q:
    """The users an administrator manages; see the module docstring."""
    scope = request_scope(request).values("pk")
    inside = Membership.objects.filter(organisation__in=scope).values("user")
    outside = Membership.objects.exclude(organisation__in=scope).values("user")
    return (
        (Q(pk__in=inside) | Q(pk__in=created_by(request.user)))
        & ~Q(pk__in=outside)
        & Q(is_superuser=False)
        & ~Q(pk=request.user.pk)
    )


class ScopedUserCreationForm(forms.ModelForm):
    """A new account and its first role, granted through assign_role."""

    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    title = forms.CharField(label=_("Chức danh"), required=False, max_length=255)
    reason = forms.CharField(
        label=_("Lý do cấp quyền"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký kiểm toán cùng người cấp, người nhận, vai trò và đơn vị."),
    )
    admin_request = None  # set by ScopedUserAdmin.get_form

    class Meta:
        model = User
        fields = ("username", "last_name", "first_name", "email")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.admin_request is not None:
            self.fields["organisation"].queryset = request_scope(self.admin_request).order_by(
                "path"
            )

    def clean(self):
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if self.admin_request is not None and organisation and role:
            try:
                check_may_administer(self.admin_request.user, organisation=organisation, role=role)
            except DomainError as refused:
                field = refused.field if refused.field in self.fields else None
                self.add_error(field, str(refused))
        return cleaned


class ScopedUserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("username", "last_name", "first_name", "email", "is_active")
        field_classes = {"username": UsernameField}


class ScopedUserAdmin(UserAdmin):
    """Django's UserAdmin for the operator; the cut-down, audited one for administrators."""

    actions = ["deactivate", "reactivate"]
    add_fields = ("username", "last_name", "first_name", "email")
    change_fields = ("username", "last_name", "first_name", "email", "is_active")

    # -- which rows -------------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_operator(request.user):
            return queryset
        return queryset.filter(users_in_scope(request))

    def in_scope(self, request, obj) -> bool:
        if obj is None or is_operator(request.user):
            return True
        return User.objects.filter(pk=obj.pk).filter(users_in_scope(request)).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_operator(request.user):
            raise Http404
        return obj

    # -- who may do what (no model permission: the administrator role is the right) -------
    def _administrator(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and administers_anything(request)

    def has_module_permission(self, request):
        if is_operator(request.user):
            return super().has_module_permission(request)
        return self._administrator(request)

    def has_view_permission(self, request, obj=None):
        if is_operator(request.user):
            return super().has_view_permission(request, obj)
        return self._administrator(request) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        if is_operator(request.user):
            return super().has_change_permission(request, obj)
        return self._administrator(request) and self.in_scope(request, obj)

    def has_add_permission(self, request):
        if is_operator(request.user):
            return super().has_add_permission(request)
        return self._administrator(request)

    def has_delete_permission(self, request, obj=None):
        # Nobody is deleted by an administrator: deactivate. The operator keeps Django's.
        return is_operator(request.user) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_operator(request.user):
            actions.pop("delete_selected", None)
        return actions

    # -- what the pages show ----------------------------------------------------------------
    def get_list_display(self, request):
        if is_operator(request.user):
            return super().get_list_display(request)
        return ("username", "last_name", "first_name", "roles", "is_active", "last_login")

    def get_list_filter(self, request):
        if is_operator(request.user):
            return super().get_list_filter(request)
        return ("is_active",)

    def get_fieldsets(self, request, obj=None):
        if is_operator(request.user):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return (
                (None, {"fields": self.add_fields}),
                (
                    _("Vai trò đầu tiên"),
                    {
                        "fields": ("organisation", "role", "title", "reason"),
                        "description": _(
                            "Tài khoản chưa có mật khẩu: sau khi lưu, tạo liên kết đặt mật "
                            "khẩu và gửi cho người dùng."
                        ),
                    },
                ),
            )
        return (
            (None, {"fields": self.change_fields}),
            (_("Vai trò và mật khẩu"), {"fields": ("roles", "password_link")}),
            (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if is_operator(request.user):
            return super().get_readonly_fields(request, obj)
        return ("roles", "password_link", "last_login", "date_joined")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if is_operator(request.user):
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = ScopedUserCreationForm if obj is None else ScopedUserChangeForm
        kwargs["fields"] = None  # from get_fieldsets, minus the read-only ones
        form = admin.ModelAdmin.get_form(self, request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"admin_request": request})

    @admin.display(description=_("Vai trò"))
    def roles(self, user) -> str:
        rows = Membership.objects.filter(user=user).select_related("organisation")
        listed = format_html_join(
            "", "<p>{} – {}</p>", ((m.get_role_display(), m.organisation.name) for m in rows)
        )
        grant = reverse("admin:organisations_membership_add") + f"?user={user.pk}"
        return format_html('{}<p><a href="{}">{}</a></p>', listed, grant, _("Cấp thêm vai trò"))

    @admin.display(description=_("Mật khẩu"))
    def password_link(self, user) -> str:
        url = reverse("admin:auth_user_password_link", args=[user.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tạo liên kết đặt lại mật khẩu"))

    # -- writing: the services, and the audit trail ------------------------------------------
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if is_operator(request.user):
            return super().save_model(request, obj, form, change)
        if not change:
            obj.set_unusable_password()
            obj.save()
            record_event(
                obj,
                action=USER_CREATED,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                data={"user": obj.get_username(), "by": request.user.get_username()},
            )
            assign_role(
                obj,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                title=form.cleaned_data.get("title", ""),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            return None
        obj.save()
        if "is_active" in form.changed_data:
            self._record_activity(request, obj)
        return None

    def _record_activity(self, request, user) -> None:
        record_event(
            user,
            action="user_reactivated" if user.is_active else "user_deactivated",
            actor=request.user,
            data={"user": user.get_username(), "by": request.user.get_username()},
        )

    @admin.action(description=_("Khóa các tài khoản đã chọn"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("Mở khóa các tài khoản đã chọn"), permissions=["change"])
    def reactivate(self, request, queryset) -> None:
        self._set_active(request, queryset, active=True)

    @transaction.atomic
    def _set_active(self, request, queryset, *, active: bool) -> None:
        changed = 0
        for user in queryset.select_for_update().exclude(pk=request.user.pk):
            if user.is_active != active:
                user.is_active = active
                user.save(update_fields=["is_active"])
                self._record_activity(request, user)
                changed += 1
        messages.success(request, _("Đã cập nhật %(n)s tài khoản.") % {"n": changed})

    # -- the one-time password link ----------------------------------------------------------
    def get_urls(self):
        extra = [
            path(
                "<id>/password-link/",
                self.admin_site.admin_view(self.password_link_view),
                name="auth_user_password_link",
            )
        ]
        return extra + super().get_urls()

    def user_change_password(self, request, id, form_url=""):
        # Django's set-password page: the operator's only; an administrator sends a link.
        if not is_operator(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def password_link_view(self, request, id):
        user = self.get_object(request, id)
        if user is None or not self.has_change_permission(request, user):
            raise Http404
        if not user.is_active:
            messages.error(request, _("Tài khoản đang bị khóa: mở khóa trước khi tạo liên kết."))
            context = self._link_context(request, user)
            return render(request, "admin/auth/user/password_link.html", context)
        link = None
        if request.method == "POST":
            token = default_token_generator.make_token(user)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = request.build_absolute_uri(
                reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            )
            record_event(
                user,
                action="password_link_issued",
                actor=request.user,
                data={"user": user.get_username(), "by": request.user.get_username()},
            )
        context = self._link_context(request, user, link)
        return render(request, "admin/auth/user/password_link.html", context)

    def _link_context(self, request, user, link: str | None = None) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": _("Liên kết đặt lại mật khẩu"),
            "subject": user,
            "opts": self.opts,
            "link": link,
        }


def register(site: admin.AdminSite) -> None:
    if site.is_registered(User):
        site.unregister(User)
    site.register(User, ScopedUserAdmin)
