"""Administrators edit issuer profiles; decisions and numbers are read-only here (they
change only through decisions.services, which audit every step).

Scope (organisations.admin_scope): each row follows its issuing organisation.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from organisations.admin_scope import ScopedAdminMixin

from .models import (
    Decision,
    IssuerCertificate,
    IssuerProfile,
    NumberSeries,
    RegisteredNumber,
    Signatory,
)
from .signing import inspect_pkcs12, store_certificate


@admin.register(IssuerProfile)
class IssuerProfileAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("organisation",)
    list_display = ("organisation", "symbol", "authority_line")
    autocomplete_fields = ()


@admin.register(Signatory)
class SignatoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who signs an issuer's decisions and how (decisions.profiles.signer_for); a delegate
    also needs the signing role, granted through the organisation's roles (audited)."""

    scope_paths = ("organisation",)
    list_display = ("organisation", "full_name", "title", "capacity", "valid_from", "valid_to")
    list_filter = ("active",)
    exclude = ("recorded_by",)

    def save_model(self, request, obj, form, change) -> None:
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnly(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    scope_paths = ("issuer",)
    list_display = ("__str__", "title", "issuer", "status", "issued_on")
    list_filter = ("status",)


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnly):
    scope_paths = ("issuer",)
    list_display = ("issuer", "year", "symbol", "last_number")


@admin.register(RegisteredNumber)
class RegisteredNumberAdmin(ReadOnly):
    scope_paths = ("series__issuer",)
    list_display = ("__str__", "series", "use", "issued_on", "note")
    list_filter = ("use",)


class CertificateUploadForm(forms.ModelForm):
    """Upload of a PKCS#12 (.p12/.pfx) and its password; both are stored encrypted by
    decisions.signing.store_certificate, the password is never shown back or logged."""

    pkcs12_file = forms.FileField(label=_("Tệp chứng thư số (PKCS#12: .p12, .pfx)"))
    password = forms.CharField(
        label=_("Mật khẩu của tệp"), widget=forms.PasswordInput(render_value=False), required=False
    )

    class Meta:
        model = IssuerCertificate
        fields = ["organisation"]

    def clean(self):
        data = super().clean()
        upload = data.get("pkcs12_file")
        if upload is None:
            return data
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("Tệp chứng thư số: quá 1 MB, không phải tệp PKCS#12."))
        data["pkcs12_data"] = upload.read()
        try:  # refused here, on the form, before anything is written
            inspect_pkcs12(data["pkcs12_data"], data.get("password") or "")
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return data


@admin.register(IssuerCertificate)
class IssuerCertificateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("organisation",)
    form = CertificateUploadForm
    list_display = ("organisation", "subject", "not_after", "active", "uploaded_at")
    list_filter = ("active",)
    readonly_fields = (
        "subject",
        "issuer_name",
        "serial",
        "fingerprint",
        "not_before",
        "not_after",
        "active",
        "uploaded_by",
        "uploaded_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_demo_root=False)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # the stored facts are read-only: a new certificate is a new row
            kwargs["form"] = forms.ModelForm
            kwargs["fields"] = []
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        stored = store_certificate(
            form.cleaned_data["organisation"],
            pkcs12_data=form.cleaned_data["pkcs12_data"],
            password=form.cleaned_data.get("password") or "",
            by=request.user,
        )
        obj.pk = stored.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a signature already made names it (SignedDecision.certificate)
