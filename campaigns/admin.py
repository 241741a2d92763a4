"""Admin: the campaign's configuration (phases, targets), clusters, their years and covenants,
the province's leader-only rule; all of it cut to the administrator's subtree.

Every save and deletion here goes through campaigns.services (issue 16), so the admin asks
the same rights, applies the same checks and writes the same audit rows as the services'
other callers; a refusal is shown on the form, on the field it names, with nothing written.
What units report (results, commitments, role models, scores) is read-only here: it is
written through the services from the pages. A covenant is locked once anyone is scored
under it, and a score is never deleted with its criterion or its member (PROTECT)."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import construct_instance
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from organisations.admin_scope import ScopedAdminMixin, ScopedInlineMixin

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

REFUSAL = "_campaigns_service_refusal"


class ServiceForm(forms.ModelForm):
    """A form whose checks are the service's: the model's own validation would answer first
    in other words (a constraint's name), so only the fields' own checks run here."""

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class ServiceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Saves and deletions call a service (`save_model`/`save_related`/`delete_model`). A
    refusal (DomainError) rolls the request's transaction back, and the form is shown
    again with the refusal on the field it names (else on top)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            setattr(request, REFUSAL, error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, REFUSAL, None)
        if refusal is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                field = refusal.field if refusal.field in self.fields else None
                self.add_error(field, str(refusal))
                return cleaned

        return Refused

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines are saved by the service, not by their formsets.
        return super().construct_change_message(request, form, [], add)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhaseForm(ServiceForm):
    class Meta:
        model = Phase
        fields = ("campaign", "kind", "starts_on", "ends_on", "note")


@admin.register(Phase)
class PhaseAdmin(ServiceAdmin):
    scope_paths = ("campaign__organisation",)
    form = PhaseForm
    list_display = ("campaign", "kind", "starts_on", "ends_on")
    list_filter = ("kind",)

    def get_readonly_fields(self, request, obj=None):
        return ("campaign", "kind") if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        phase = services.set_phase(
            obj.campaign_id,
            by=request.user,
            kind=obj.kind,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data.get("note") or "",
        )
        obj.pk = phase.pk

    def delete_model(self, request, obj):
        services.remove_phase(obj.pk, by=request.user)


class TargetForm(ServiceForm):
    class Meta:
        model = Target
        fields = ("campaign", "name", "unit", "target_value", "higher_is_better")


@admin.register(Target)
class TargetAdmin(ServiceAdmin):
    scope_paths = ("campaign__organisation",)
    form = TargetForm
    list_display = ("name", "campaign", "target_value", "unit", "higher_is_better")

    def get_readonly_fields(self, request, obj=None):
        return ("campaign",) if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            "by": request.user,
            "name": data["name"],
            "unit": data["unit"],
            "target_value": data["target_value"],
            "higher_is_better": data["higher_is_better"],
        }
        if change:
            services.change_target(obj.pk, **fields)
        else:
            obj.pk = services.add_target(obj.campaign_id, **fields).pk

    def delete_model(self, request, obj):
        services.remove_target(obj.pk, by=request.user)


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


class ClusterForm(ServiceForm):
    code = forms.SlugField(
        label=_("Mã của cụm trên cây tổ chức"),
        required=False,
        help_text=_("Chỉ khi lập cụm mới, ví dụ cum-thi-dua-so-2."),
    )

    class Meta:
        model = Cluster
        fields = ("name", "kind", "organiser")


@admin.register(Cluster)
class ClusterAdmin(ServiceAdmin):
    """A new cluster is made by campaigns.services.create_cluster (its node in the tree, the
    audit row); afterwards only its name and kind change here."""

    scope_paths = ("organiser", "body")
    form = ClusterForm
    list_display = ("name", "kind", "organiser", "body")

    def get_readonly_fields(self, request, obj=None):
        return ("organiser", "body") if obj else ()

    def get_fields(self, request, obj=None):
        return (
            ("name", "kind", "organiser", "body") if obj else ("name", "kind", "organiser", "code")
        )

    def has_delete_permission(self, request, obj=None):
        return False  # its node, council and years stay: the tree keeps its history

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        made = services.create_cluster(
            organiser=form.cleaned_data["organiser"],
            by=request.user,
            name=form.cleaned_data["name"],
            code=form.cleaned_data["code"],
            kind=form.cleaned_data["kind"],
        )
        obj.pk = made.pk
        obj.body = made.body


class ClusterYearForm(ServiceForm):
    class Meta:
        model = ClusterYear
        fields = ("cluster", "year", "leader", "deputy")


class MemberRowForm(ServiceForm):
    class Meta:
        model = ClusterMember
        fields = ("organisation", "women_share")


class MemberInline(ScopedInlineMixin, admin.TabularInline):
    model = ClusterMember
    form = MemberRowForm
    extra = 0
    fields = ("organisation", "women_share")
    autocomplete_fields = ("organisation",)


def _kept(formsets, model) -> list[dict]:
    """The cleaned rows of the inline of `model`, without those marked for deletion."""
    return [
        form.cleaned_data
        for formset in formsets
        if formset.model is model
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@admin.register(ClusterYear)
class ClusterYearAdmin(ServiceAdmin):
    """Opened by services.open_cluster_year and corrected by services.change_cluster_year:
    members with their shares of women (the inline), leader and deputy, in one call."""

    scope_paths = ("cluster__organiser",)
    form = ClusterYearForm
    list_display = ("cluster", "year", "leader", "deputy")
    inlines = [MemberInline]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("vote_dossier", "vote_meeting", "proposal")
        return ("cluster", "year", *fixed) if obj else fixed

    def has_delete_permission(self, request, obj=None):
        return False  # a year is history: its members, covenant, scores and vote

    def save_model(self, request, obj, form, change):
        pass  # written with its members, by the service, in save_related

    def save_related(self, request, form, formsets, change):
        obj, data = form.instance, form.cleaned_data
        rows = [r for r in _kept(formsets, ClusterMember) if r.get("organisation")]
        members = [r["organisation"] for r in rows]
        shares = {r["organisation"].pk: r.get("women_share") for r in rows}
        fields = {
            "by": request.user,
            "members": members,
            "leader": data.get("leader"),
            "deputy": data.get("deputy"),
            "women_shares": shares,
        }
        if change:
            services.change_cluster_year(obj.pk, **fields)
        else:
            made = services.open_cluster_year(obj.cluster_id, year=data["year"], **fields)
            obj.pk = made.pk


class CriterionRowForm(ServiceForm):
    class Meta:
        model = Criterion
        fields = ("name", "weight", "max_score", "evidence_required", "position")


class CriterionInline(ScopedInlineMixin, admin.StackedInline):
    model = Criterion
    form = CriterionRowForm
    extra = 0
    fields = ("name", "weight", "max_score", "evidence_required", "position")

    def has_add_permission(self, request, obj=None):
        return not (obj and services.covenant_scored(obj)) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return not (obj and services.covenant_scored(obj)) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj and services.covenant_scored(obj)) and super().has_delete_permission(
            request, obj
        )


class CovenantForm(ServiceForm):
    class Meta:
        model = Covenant
        fields = ("cluster_year", "signed_on", "place", "second_review", "tie_break")


@admin.register(Covenant)
class CovenantAdmin(ServiceAdmin):
    """Signed by services.sign_covenant and corrected by services.revise_covenant, both with
    the criteria of the inline; read-only once anyone is scored under it."""

    scope_paths = ("cluster_year__cluster__organiser",)
    form = CovenantForm
    list_display = ("cluster_year", "signed_on", "second_review")
    inlines = [CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        return ("cluster_year", "tie_break_basis") if obj else ("tie_break_basis",)

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.covenant_scored(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # corrected (before scoring) rather than deleted

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and obj is not None and services.covenant_scored(obj):
            self.message_user(
                request,
                _(
                    "Giao ước đã có điểm chấm: tiêu chí, trọng số và điểm tối đa không sửa, "
                    "không xóa được nữa."
                ),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        pass  # written with its criteria, by the service, in save_related

    def save_related(self, request, form, formsets, change):
        obj, data = form.instance, form.cleaned_data
        rows = _kept(formsets, Criterion)
        order = sorted(range(len(rows)), key=lambda i: (rows[i].get("position") or 0, i))
        criteria = [
            {
                "name": rows[i].get("name"),
                "weight": rows[i].get("weight"),
                "max_score": rows[i].get("max_score"),
                "evidence_required": rows[i].get("evidence_required") or "",
            }
            for i in order
        ]
        fields = {
            "by": request.user,
            "signed_on": data["signed_on"],
            "criteria": criteria,
            "second_review": data.get("second_review", False),
            "tie_break": data.get("tie_break") or None,
            "place": data.get("place") or "",
        }
        if change:
            services.revise_covenant(obj.pk, **fields)
        else:
            obj.pk = services.sign_covenant(obj.cluster_year_id, **fields).pk


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    scope_paths = ("member__organisation", "member__cluster_year__cluster__organiser")
    list_display = ("member", "criterion", "round", "score")
    list_filter = ("round",)


class ClusterFlagRuleForm(ServiceForm):
    class Meta:
        model = ClusterFlagRule
        fields = ("province", "flag_only_to_leader", "award_codes", "basis")


@admin.register(ClusterFlagRule)
class ClusterFlagRuleAdmin(ServiceAdmin):
    scope_paths = ("province",)
    form = ClusterFlagRuleForm
    list_display = ("province", "flag_only_to_leader", "basis")

    def get_readonly_fields(self, request, obj=None):
        return ("province",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # switched off rather than deleted, so its history stays

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        codes = data.get("award_codes") or []
        rule = services.set_flag_rule(
            obj.province,
            by=request.user,
            flag_only_to_leader=data.get("flag_only_to_leader", False),
            award_codes=codes if isinstance(codes, list) else [str(codes)],
            basis=data.get("basis") or "",
        )
        obj.pk = rule.pk
