"""Campaign pages (/phong-trao/) and cluster pages (/cum-thi-dua/). Views read through
campaigns.queries and write through campaigns.services only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from dossiers.models import Campaign

from . import queries, services
from .forms import ProposalForm, ReportForm, RoleModelForm, ScoreForm, VoteForm
from .models import (
    Cluster,
    ClusterMember,
    PhaseKind,
    RoleModel,
    RoleModelStage,
    Score,
    ScoreRound,
)
from .ranking import TIE_BREAK_LABELS

PHASE_ORDER = list(PhaseKind.values)
NEXT_STAGE = {
    RoleModelStage.DISCOVERED: (RoleModelStage.FOLLOWED, RoleModelStage.FOLLOWED.label),
    RoleModelStage.FOLLOWED: (RoleModelStage.COMMENDED, RoleModelStage.COMMENDED.label),
}


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": queries.campaigns_listed(), "section": "campaigns"},
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(
        Campaign.objects.select_related("organisation").prefetch_related(
            "scope", "award_types", "phases"
        ),
        pk=pk,
    )
    phases = sorted(campaign.phases.all(), key=lambda p: PHASE_ORDER.index(p.kind))
    role_models = list(campaign.role_models.select_related("organisation", "dossier"))
    stages = [
        (value, label, [(m, NEXT_STAGE.get(m.stage)) for m in role_models if m.stage == value])
        for value, label in RoleModelStage.choices
    ]
    context = {
        "campaign": campaign,
        "phases": phases,
        "scope": services.scope_roots(campaign),
        "targets": queries.target_rows(campaign),
        "commitments": campaign.commitments.select_related("organisation"),
        "states": queries.dossiers_by_state(campaign),
        "awards": queries.awards_of(campaign),
        "role_model_stages": stages,
        "role_model_count": len(role_models),
        "may_report": bool(queries.participating_organisations(request.user, campaign)),
        "may_flag": bool(queries.role_model_organisations(request.user, campaign)),
        "manager": services.may_manage_campaign(request.user, campaign),
        "crumbs": [(reverse("campaigns:list"), _("Phong trào thi đua"))],
        "section": "campaigns",
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_document(request: HttpRequest, pk: int) -> FileResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.document_file:
        raise Http404
    try:
        handle = campaign.document_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # As an attachment: a launching document is read in its own viewer, never inline here.
    return FileResponse(
        handle, as_attachment=True, filename=campaign.document_file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's registration and results against the targets, on one page."""
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), pk=pk)
    organisations = queries.participating_organisations(request.user, campaign)
    if not organisations:
        raise Http404
    targets = list(campaign.targets.all())
    form = ReportForm(request.POST or None, organisations=organisations, targets=targets)
    if request.method == "POST" and form.is_valid():
        organisation = next(
            o for o in organisations if str(o.pk) == form.cleaned_data["organisation"]
        )
        try:
            with transaction.atomic():  # all or nothing: one refused number keeps the rest out
                if form.cleaned_data["commitment"].strip():
                    services.register_commitment(
                        campaign.pk,
                        by=request.user,
                        organisation=organisation,
                        text=form.cleaned_data["commitment"],
                    )
                for target in targets:
                    value = form.cleaned_data[f"target-{target.pk}"].strip()
                    if not value:
                        continue
                    try:
                        services.report_result(
                            target.pk,
                            by=request.user,
                            organisation=organisation,
                            achieved_value=value,
                        )
                    except DomainError as error:
                        error.field = f"target-{target.pk}"
                        raise
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request, _("Đã ghi nhận đăng ký, kết quả của %(org)s.") % {"org": organisation}
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/report.html",
        {
            "campaign": campaign,
            "form": form,
            "crumbs": [
                (reverse("campaigns:list"), _("Phong trào thi đua")),
                (reverse("campaigns:detail", args=[campaign.pk]), campaign.name),
            ],
            "section": "campaigns",
        },
    )


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = [(c, queries.year_of(c, None)) for c in queries.clusters_listed()]
    return render(
        request, "campaigns/cluster_list.html", {"clusters": clusters, "section": "clusters"}
    )


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("nam", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster.objects.select_related("organiser", "body"), pk=pk)
    year = queries.year_of(cluster, _year_param(request))
    standing = services.cluster_standing(year) if year else None
    covenant = getattr(year, "covenant", None) if year else None
    scorable = []
    if year and covenant and not year.vote_dossier_id:
        for row in standing.rows:
            rounds = [
                (r, ScoreRound(r).label)
                for r in ScoreRound.values
                if services.may_score(request.user, row.member, r)
            ]
            if rounds:
                scorable.append((row.member, rounds))
    context = {
        "cluster": cluster,
        "year": year,
        "years": cluster.years.select_related("leader", "deputy").order_by("-year"),
        "covenant": covenant,
        "criteria": list(covenant.criteria.all()) if covenant else [],
        "standing": standing,
        "tie_rule": [TIE_BREAK_LABELS[t] for t in standing.rule] if standing else [],
        "final_round_label": ScoreRound(standing.final_round).label if standing else "",
        "winner": services.vote_winner(year) if year else None,
        "scorable": scorable,
        "flag_rule": services.flag_rule_for(cluster.organiser.province()),
        "manager": services.may_manage_cluster(request.user, cluster),
        "vote_form": VoteForm(),
        "proposal_form": ProposalForm(awards=services.proposal_awards()),
        "crumbs": [(reverse("campaigns:clusters"), _("Cụm, khối thi đua"))],
        "section": "clusters",
    }
    return render(request, "campaigns/cluster_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_score(request: HttpRequest, pk: int, member_pk: int, round: str) -> HttpResponse:
    """One member's scores in one round (self-assessment, review, second review)."""
    member = get_object_or_404(
        ClusterMember.objects.select_related("cluster_year__cluster", "organisation"),
        pk=member_pk,
        cluster_year__cluster_id=pk,
    )
    if round not in ScoreRound.values or not services.may_score(request.user, member, round):
        raise Http404
    covenant = getattr(member.cluster_year, "covenant", None)
    if covenant is None:
        raise Http404
    criteria = list(covenant.criteria.all())
    existing = {
        s.criterion_id: (s.score.normalize(), s.evidence)
        for s in Score.objects.filter(member=member, round=round)
    }
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_scores(member.pk, by=request.user, round=round, scores=form.scores())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                _("Đã ghi điểm “%(round)s” của %(org)s.")
                % {"round": ScoreRound(round).label, "org": member.organisation},
            )
            url = reverse("campaigns:cluster", args=[pk])
            return redirect(f"{url}?nam={member.cluster_year.year}")
    return render(
        request,
        "campaigns/score.html",
        {
            "member": member,
            "cluster": member.cluster_year.cluster,
            "round_label": ScoreRound(round).label,
            "form": form,
            "crumbs": [
                (reverse("campaigns:clusters"), _("Cụm, khối thi đua")),
                (
                    reverse("campaigns:cluster", args=[pk]) + f"?nam={member.cluster_year.year}",
                    f"{member.cluster_year.cluster.name} {member.cluster_year.year}",
                ),
            ],
            "section": "clusters",
        },
    )


def _cluster_year_or_404(pk: int, request: HttpRequest):
    cluster = get_object_or_404(Cluster.objects.select_related("organiser", "body"), pk=pk)
    year = queries.year_of(cluster, _year_param(request))
    if year is None or not services.may_manage_cluster(request.user, cluster):
        raise Http404
    return cluster, year


def _back_to_cluster(cluster, year) -> HttpResponse:
    return redirect(f"{reverse('campaigns:cluster', args=[cluster.pk])}?nam={year.year}")


def _refused(request: HttpRequest, error: DomainError, cluster, year) -> HttpResponse:
    messages.error(request, str(error))
    return _back_to_cluster(cluster, year)


@login_required
@require_http_methods(["POST"])
def cluster_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The standing office puts the leading members to the representatives' vote."""
    cluster, year = _cluster_year_or_404(pk, request)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_cluster(cluster, year)
    try:
        meeting = services.prepare_cluster_vote(
            year.pk,
            by=request.user,
            scheduled_for=timezone.now(),
            candidates=form.cleaned_data["candidates"],
            place=form.cleaned_data["place"],
        )
    except DomainError as error:
        return _refused(request, error, cluster, year)
    messages.success(
        request,
        _("Đã lập phiên bỏ phiếu. Điểm danh rồi mở phiếu để đại diện các thành viên bỏ phiếu."),
    )
    return redirect("councils:meeting", pk=meeting.pk)


@login_required
@require_http_methods(["POST"])
def cluster_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """After the vote: the winner's proposal dossier (a draft of the cluster)."""
    cluster, year = _cluster_year_or_404(pk, request)
    form = ProposalForm(request.POST, awards=services.proposal_awards())
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back_to_cluster(cluster, year)
    award = next(a for a in services.proposal_awards() if str(a.pk) == form.cleaned_data["award"])
    try:
        dossier = services.propose_vote_winner(
            year.pk, by=request.user, award_type=award, campaign=None
        )
    except DomainError as error:
        return _refused(request, error, cluster, year)
    messages.success(request, _("Đã lập hồ sơ đề nghị. Đính kèm tài liệu rồi gửi hồ sơ."))
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
@require_http_methods(["POST"])
def cluster_submit(request: HttpRequest, pk: int) -> HttpResponse:
    cluster, year = _cluster_year_or_404(pk, request)
    try:
        services.submit_cluster_proposal(year.pk, by=request.user)
    except DomainError as error:
        return _refused(request, error, cluster, year)
    messages.success(request, _("Đã gửi hồ sơ đề nghị của cụm."))
    return _back_to_cluster(cluster, year)


@login_required
@require_http_methods(["GET", "POST"])
def role_model_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Flag a role model: the unit's officer or head, or the campaign's secretariat."""
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), pk=pk)
    organisations = queries.role_model_organisations(request.user, campaign)
    if not organisations:
        raise Http404
    form = RoleModelForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(
            o for o in organisations if str(o.pk) == form.cleaned_data["organisation"]
        )
        try:
            services.flag_role_model(
                campaign.pk,
                by=request.user,
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                achievement=form.cleaned_data["achievement"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận điển hình tiên tiến."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/role_model.html",
        {
            "campaign": campaign,
            "form": form,
            "crumbs": [
                (reverse("campaigns:list"), _("Phong trào thi đua")),
                (reverse("campaigns:detail", args=[campaign.pk]), campaign.name),
            ],
        },
    )


@login_required
@require_http_methods(["POST"])
def role_model_advance(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(RoleModel.objects.select_related("campaign"), pk=pk)
    if not services.may_manage_campaign(request.user, model.campaign):
        raise Http404
    try:
        services.advance_role_model(model.pk, by=request.user, stage=request.POST.get("stage", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã chuyển giai đoạn của “%(name)s”.") % {"name": model.name})
    return redirect("campaigns:detail", pk=model.campaign_id)
