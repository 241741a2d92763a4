"""Administrators edit issuer profiles; decisions and numbers are read-only here (they
change only through decisions.services, which audit every step)."""

from django.contrib import admin

from .models import Decision, IssuerProfile, NumberSeries, RegisteredNumber


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "symbol", "authority_line")
    autocomplete_fields = ()


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("__str__", "title", "issuer", "status", "issued_on")
    list_filter = ("status",)


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnly):
    list_display = ("issuer", "year", "symbol", "last_number")


@admin.register(RegisteredNumber)
class RegisteredNumberAdmin(ReadOnly):
    list_display = ("__str__", "series", "use", "issued_on", "note")
    list_filter = ("use",)
