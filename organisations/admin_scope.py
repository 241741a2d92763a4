"""Administrators see and change, in the Django admin, only their own part of the tree.

Issue 15 ("trust"): a security probe found that an administrator of one province opened and
granted rights on another province's organisations and councils through the admin. Every
ModelAdmin of the project mixes in `ScopedAdminMixin` and declares how its model reaches an
organisation (`scope_paths`); for anybody but a superuser:

- the lists, the change/delete/history pages and the autocomplete answers hold only rows
  whose organisation lies in the administrator's subtree (`administered_scope`: each
  organisation he holds `administer` on, and every unit below it);
- an object outside it is a 404 (the same answer as a missing one: no existence oracle);
- foreign-key and many-to-many choices are cut the same way (organisations to the subtree,
  users to those with a role in it or with no role yet, never himself; other scoped models to
  what their own admin shows);
- a model without an organisation (`shared = True`: rule sets, the award catalogue, the
  calendar) is platform-wide configuration: an administrator reads it and only a superuser
  writes it, since an edit there would change every province's dossiers;
- a model that declares no path shows nothing (the safe default);
- the bulk "delete selected" action is withdrawn (it checks no per-object permission).

A superuser is the platform operator and sees everything here (docs/architecture.md, "The
superuser rule": the flag gives no business right; granting and council terms still go
through the audited services, which refuse him nothing but a grant to himself).
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Organisation
from .permissions import organisations_where
from .roles import Perm
from .services import administered_scope


def is_operator(user) -> bool:
    """A platform operator: an active superuser."""
    return bool(user) and user.is_authenticated and user.is_active and user.is_superuser


def request_scope(request) -> QuerySet[Organisation]:
    """The requesting user's administered subtree, computed once per request."""
    scope = getattr(request, "_administered_scope", None)
    if scope is None:
        scope = request._administered_scope = administered_scope(request.user)
    return scope


def administers_anything(request) -> bool:
    return not request_scope(request).query.is_empty()


def top_organisations(request) -> list[Organisation]:
    """The organisations the user administers that lie under no other he administers."""
    held = list(organisations_where(request.user, Perm.ADMINISTER))
    return [o for o in held if not any(o.path.startswith(p.path) and o != p for p in held)]


def scoped_users(request) -> QuerySet:
    """Users an administrator may pick: a role in his subtree, or no role yet; never himself."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation__in=request_scope(request).values("pk"))
            | Q(memberships__isnull=True)
        )
        .exclude(pk=request.user.pk)
        .distinct()
        .order_by("username")
    )


def scoped_choices(site: admin.AdminSite, model: type[Model], request) -> QuerySet | None:
    """What a non-superuser may pick of `model` in a form; None: no cut (shared data)."""
    if model is Organisation:
        return request_scope(request)
    if model is get_user_model():
        return scoped_users(request)
    model_admin = site._registry.get(model)
    if isinstance(model_admin, ScopedAdminMixin):
        return model_admin.get_queryset(request)
    return None


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget filters the queryset by the submitted value when it
    re-renders a form with errors, so `organisation=xyz` raised a ValueError (HTTP 500); a
    value that is no key of the model is dropped here instead, and the form says why."""

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.model._meta.pk
        valid = []
        for item in value:
            try:
                key.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class ScopedAdminMixin:
    """Cut a ModelAdmin to the administrator's subtree; see the module docstring.

    `scope_paths`: lookups from the model to an Organisation, any of which puts a row in
    scope ("" when the model is Organisation itself), e.g. ("proposer",) for a dossier.
    """

    scope_paths: tuple[str, ...] = ()
    shared: bool = False

    # -- which rows -------------------------------------------------------------------------
    def scope_filter(self, request) -> Q:
        scope = request_scope(request).values("pk")
        match = Q(pk__in=[])
        for path in self.scope_paths:
            match |= Q(**{"pk__in" if path == "" else f"{path}__in": scope})
        return match

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_operator(request.user) or self.shared:
            return queryset
        return queryset.filter(self.scope_filter(request))

    def in_scope(self, request, obj) -> bool:
        if obj is None or is_operator(request.user) or self.shared:
            return True
        return (
            type(obj)._default_manager.filter(pk=obj.pk).filter(self.scope_filter(request)).exists()
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_operator(request.user):
            raise Http404  # outside the subtree reads exactly like "does not exist"
        return obj

    # -- who may do what --------------------------------------------------------------------
    def _may_enter(self, request) -> bool:
        return is_operator(request.user) or administers_anything(request)

    def has_module_permission(self, request):
        return self._may_enter(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return (
            self._may_enter(request)
            and super().has_view_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def has_add_permission(self, request, *args):
        if is_operator(request.user):
            return super().has_add_permission(request, *args)
        return (
            not self.shared
            and self._may_enter(request)
            and super().has_add_permission(request, *args)
        )

    def has_change_permission(self, request, obj=None):
        if is_operator(request.user):
            return super().has_change_permission(request, obj)
        return (
            not self.shared
            and self._may_enter(request)
            and super().has_change_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        if is_operator(request.user):
            return super().has_delete_permission(request, obj)
        return (
            not self.shared
            and self._may_enter(request)
            and super().has_delete_permission(request, obj)
            and self.in_scope(request, obj)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_operator(request.user):
            actions.pop("delete_selected", None)
        return actions

    # -- what a form offers -----------------------------------------------------------------
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_operator(request.user) and "queryset" not in kwargs:
            choices = scoped_choices(self.admin_site, db_field.remote_field.model, request)
            if choices is not None:
                kwargs["queryset"] = choices
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not is_operator(request.user) and "queryset" not in kwargs:
            choices = scoped_choices(self.admin_site, db_field.remote_field.model, request)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInlineMixin:
    """An inline follows its parent's scope (Django filters it by the parent row); its forms'
    choices are cut like the parent's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_operator(request.user) and "queryset" not in kwargs:
            choices = scoped_choices(self.admin_site, db_field.remote_field.model, request)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
