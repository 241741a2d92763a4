"""Admin: the campaign's configuration (phases, targets), clusters and their covenants, the
province's leader-only rule; all of it cut to the administrator's subtree. What units report
(results, commitments, scores) is read-only here: it is written through campaigns.services
from the pages, with its audit row."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisations.admin_scope import ScopedAdminMixin
from organisations.models import Organisation
from organisations.services import administers

from . import services
from .models import (
    Cluster,
    ClusterFlagRule,
    ClusterMember,
    ClusterYear,
    Commitment,
    Covenant,
    Criterion,
    Phase,
    RoleModel,
    Score,
    Target,
    TargetResult,
)


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Phase)
class PhaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("campaign__organisation",)
    list_display = ("campaign", "kind", "starts_on", "ends_on")
    list_filter = ("kind",)


@admin.register(Target)
class TargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("campaign__organisation",)
    list_display = ("name", "campaign", "target_value", "unit", "higher_is_better")


@admin.register(TargetResult)
class TargetResultAdmin(ReadOnlyAdmin):
    scope_paths = ("organisation", "target__campaign__organisation")
    list_display = ("target", "organisation", "achieved_value", "reported_at")


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    scope_paths = ("organisation", "campaign__organisation")
    list_display = ("campaign", "organisation", "registered_on")


@admin.register(RoleModel)
class RoleModelAdmin(ReadOnlyAdmin):
    scope_paths = ("organisation", "campaign__organisation")
    list_display = ("name", "kind", "organisation", "campaign", "stage")
    list_filter = ("stage", "kind")


class ClusterForm(forms.ModelForm):
    request_user = None  # set by ClusterAdmin.get_form
    code = forms.SlugField(
        label=_("Mã của cụm trên cây tổ chức"),
        required=False,
        help_text=_("Chỉ khi lập cụm mới, ví dụ cum-thi-dua-so-2."),
    )

    class Meta:
        model = Cluster
        fields = ("name", "kind", "organiser")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            code = cleaned.get("code")
            if not code:
                self.add_error("code", _("Mã: bắt buộc nhập."))
            elif Organisation.objects.filter(code=code).exists():
                self.add_error("code", _("Mã: “%(code)s” đã được dùng.") % {"code": code})
            organiser = cleaned.get("organiser")
            if organiser and not administers(self.request_user, organiser):
                # A platform operator too: a cluster is the province's, set up by its own
                # administrator (audited as him), as roles and council terms are.
                self.add_error(
                    "organiser",
                    _("Cơ quan tổ chức cụm, khối: bạn không quản trị %(org)s.")
                    % {"org": organiser.name},
                )
        return cleaned


@admin.register(Cluster)
class ClusterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A new cluster is made by campaigns.services.create_cluster (its node in the tree, the
    audit row); afterwards only its name and kind change here."""

    scope_paths = ("organiser", "body")
    form = ClusterForm
    list_display = ("name", "kind", "organiser", "body")

    def get_readonly_fields(self, request, obj=None):
        return ("organiser", "body") if obj else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def get_fields(self, request, obj=None):
        return (
            ("name", "kind", "organiser", "body") if obj else ("name", "kind", "organiser", "code")
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The form checked the code; the organiser's choices are the administrator's subtree,
        # which is the service's own permission rule.
        made = services.create_cluster(
            organiser=form.cleaned_data["organiser"],
            by=request.user,
            name=form.cleaned_data["name"],
            code=form.cleaned_data["code"],
            kind=form.cleaned_data["kind"],
        )
        obj.pk = made.pk
        obj.body = made.body


class ClusterYearForm(forms.ModelForm):
    class Meta:
        model = ClusterYear
        fields = ("cluster", "year", "leader", "deputy")

    def clean(self):
        cleaned = super().clean()
        leader, deputy = cleaned.get("leader"), cleaned.get("deputy")
        if leader and deputy and leader == deputy:
            self.add_error("deputy", _("Cụm phó: phải khác cụm trưởng."))
        return cleaned


class MemberFormSet(forms.BaseInlineFormSet):
    """Leader and deputy are members of that year (open_cluster_year's rule, in the admin)."""

    def clean(self):
        super().clean()
        kept = {
            form.cleaned_data["organisation"].pk
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("organisation")
            and not form.cleaned_data.get("DELETE")
        }
        for field, label in (("leader", _("Cụm trưởng")), ("deputy", _("Cụm phó"))):
            chosen = getattr(self.instance, f"{field}_id", None)
            if chosen and chosen not in kept:
                raise ValidationError(
                    _("%(label)s: phải là một thành viên của cụm.") % {"label": label}
                )


class MemberInline(admin.TabularInline):
    model = ClusterMember
    formset = MemberFormSet
    extra = 0
    fields = ("organisation", "women_share")
    autocomplete_fields = ("organisation",)


@admin.register(ClusterYear)
class ClusterYearAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("cluster__organiser",)
    form = ClusterYearForm
    list_display = ("cluster", "year", "leader", "deputy")
    readonly_fields = ("vote_dossier", "vote_meeting", "proposal")
    inlines = [MemberInline]


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


@admin.register(Covenant)
class CovenantAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("cluster_year__cluster__organiser",)
    list_display = ("cluster_year", "signed_on", "second_review")
    inlines = [CriterionInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    scope_paths = ("member__organisation", "member__cluster_year__cluster__organiser")
    list_display = ("member", "criterion", "round", "score")
    list_filter = ("round",)


@admin.register(ClusterFlagRule)
class ClusterFlagRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_paths = ("province",)
    list_display = ("province", "flag_only_to_leader", "basis")
