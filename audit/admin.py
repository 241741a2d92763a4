"""The audit trail in the admin: read-only for everyone, the superuser included.

Scope: a superuser (platform operator) reads every event. Anybody else reads the events about
objects he may see on another page of this admin site: each ModelAdmin there is cut to the
administrator's subtree (organisations.admin_scope), so asking those admins, through Django's
own ModelAdmin API, gives the same cut here while `audit` stays a leaf app (it imports no
other app of the project). An event about an object no page shows him is not listed, and its
page is a 404.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404

from .models import AuditEvent


def _operator(request) -> bool:
    return request.user.is_active and request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "content_type", "object_id", "from_state", "to_state")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "reason", "actor__username")
    date_hierarchy = "at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _operator(request):
            return queryset
        visible = Q(pk__in=[])
        for model, model_admin in self.admin_site._registry.items():
            if model is AuditEvent or not model_admin.has_view_permission(request):
                continue
            keys = (
                model_admin.get_queryset(request)
                .order_by()
                .annotate(audit_key=Cast("pk", CharField()))
                .values("audit_key")
            )
            visible |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
        return queryset.filter(visible)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not _operator(request):
            raise Http404
        return obj

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
