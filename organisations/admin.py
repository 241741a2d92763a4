from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin, GuardedModelAdmin):
    form = movenodeform_factory(Organisation)
    list_display = ("name", "code", "level", "kind", "valid_from", "valid_to", "has_council")
    list_filter = ("level", "kind", "has_council")
    search_fields = ("name", "code")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "title", "since")
    list_filter = ("role", "organisation__level")
    search_fields = ("user__username", "user__last_name", "user__first_name", "organisation__name")
    autocomplete_fields = ("organisation",)
    # Memberships are granted through organisations.services.assign_role (it also writes the
    # object permissions and the audit row); the admin lists them read-only.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
