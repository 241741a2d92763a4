"""Statistics pages and the per-role guides. Thin: filters in, figures from reports.figures.

Who sees what: the organisations where the user holds a role that views dossiers, or
administers (organisations.permissions.organisations_where), each with its subtree. An
organisation outside them is not a choice of the filter, so asking for it is a form error
naming the field, never a 500 and never someone else's figures.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm, Role
from registry.queries import award_forms

from .cache import (
    cached_award_figures,
    cached_html,
    cached_latest_award_year,
    cached_stage_figures,
    data_version,
    page_key,
)
from .charts import Bar, bar_chart
from .exports import period_text, report_form_xlsx, statistics_xlsx
from .figures import Filters
from .forms import StatisticsFilterForm, campaigns_near
from .guides import GUIDE_ROLES, award_forms_help, guide_for
from .layouts import fill, headers
from .models import ReportForm
from .movements import movement_figures
from .templatetags.reports_tags import vnd

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible(user):
    """The organisations whose statistics `user` may see: where a role lets them view
    dossiers (or administer), and every organisation below those (a province's secretariat
    reads each commune's figures). Two queries."""
    held = organisations_where(user, Perm.VIEW_DOSSIERS, Perm.ADMINISTER)
    paths = list(held.values_list("path", flat=True))
    if not paths:
        return Organisation.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    return Organisation.objects.filter(scope).order_by("depth", "name")


def _form(request: HttpRequest, version: tuple):
    """The filter form, bound to the query or to the defaults (the user's highest
    organisation, the last year with awards there, read under the data's `version`)."""
    orgs = list(_visible(request.user))  # read once: the choices and the check of the answer
    if not orgs:
        raise Http404  # no role anywhere: there are no figures to show
    first = orgs[0]
    provinces = {first.path[: Organisation.steplen]}
    kwargs = {
        "organisations": orgs,
        "campaigns": list(campaigns_near(provinces)),
        "awards": award_forms(),
    }
    keys = set(StatisticsFilterForm.base_fields)
    if keys & set(request.GET):
        return StatisticsFilterForm(request.GET, **kwargs)
    year = cached_latest_award_year(first, version=version) or timezone.localdate().year
    return StatisticsFilterForm({"organisation": first.pk, "year": year}, **kwargs)


def _filters(form: StatisticsFilterForm) -> Filters:
    start, end = form.period()
    data = form.cleaned_data
    return Filters(
        organisation=data["organisation"],
        date_from=start,
        date_to=end,
        campaign_id=data["campaign"].pk if data.get("campaign") else None,
        award_code=data.get("award") or "",
        level=data.get("level") or "",
    )


def _forms_in_force(filters: Filters):
    return ReportForm.objects.filter(valid_from__lte=filters.date_to).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=filters.date_from)
    )


def _charts(awards, stages):
    per_form: dict[str, list] = {}
    for row in awards.rows:
        per_form.setdefault(row.code, [row.name, 0])[1] += row.total
    form_bars = [
        Bar(label=name, value=n) for name, n in sorted(per_form.values(), key=lambda x: -x[1])
    ]
    stage_bars = [
        Bar(
            label=s.label, value=s.median or 0, shown=str(s.median) if s.median is not None else "–"
        )
        for s in stages.stages
    ]
    return {
        "forms": bar_chart(
            chart_id="chart-forms",
            title=_("Số khen thưởng theo hình thức"),
            bars=form_bars,
        ),
        "stages": bar_chart(
            chart_id="chart-stages",
            title=_("Thời gian xử lý trung vị theo bước (ngày làm việc)"),
            bars=stage_bars,
            unit=_("ngày"),
        ),
    }


def _summary(awards) -> list[dict]:
    t = awards.total
    rows = [
        (_("Tổng số khen thưởng"), t("total")),
        (
            _("Tập thể"),
            _("%(n)s (trong đó doanh nghiệp: %(e)s)")
            % {"n": t("collective"), "e": t("enterprise")},
        ),
        (_("Cá nhân"), t("individual")),
        (_("Hộ gia đình"), t("household")),
        (
            _("Nữ trong khen thưởng cá nhân"),
            _("%(n)s/%(d)s (%(share)s)")
            % {"n": t("women"), "d": t("known"), "share": awards.women_share},
        ),
        (
            _("Người lao động trực tiếp trong khen thưởng cá nhân"),
            _("%(n)s/%(d)s (%(share)s)")
            % {"n": t("direct"), "d": t("known"), "share": awards.direct_share},
        ),
        (_("Khen thưởng đột xuất"), t("ad_hoc")),
        (_("Khen thưởng chuyên đề, theo đợt"), t("thematic")),
        (
            _("Tiền thưởng đã ghi nhận"),
            _("%(amount)s đồng (%(n)s khen thưởng có ghi tiền thưởng)")
            % {"amount": vnd(t("prize")), "n": t("prized")},
        ),
        (
            _("Khen thưởng tập thể nhỏ"),
            _("Chưa thống kê được: hồ sơ chưa ghi quy mô (số người) của tập thể."),
        ),
    ]
    if awards.unknown_individuals:
        rows.insert(
            7,
            (
                _("Cá nhân không có hồ sơ trong hệ thống (nhập từ sổ giấy)"),
                _("%(n)s, không tính vào hai tỷ lệ trên") % {"n": awards.unknown_individuals},
            ),
        )
    return [{"key": key, "value": str(value)} for key, value in rows]


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    # The figures, and the HTML drawn from them, are kept in the cache under the filters and
    # this version of the data (reports.cache): a new award, a revocation or a clock change,
    # an edited report form or campaign shows on the next request.
    version = data_version()
    form = _form(request, version)
    context = {"form": form}
    if form.is_valid():
        filters = _filters(form)
        today = timezone.localdate()
        awards = cached_award_figures(filters, version=version)
        stages = cached_stage_figures(filters, today=today, version=version)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(statistics_xlsx(filters, awards, stages), content_type=XLSX)
            response["Content-Disposition"] = 'attachment; filename="thong-ke-khen-thuong.xlsx"'
            return response
        # Both are read on every request (two small queries): they are part of the key.
        report_forms = list(_forms_in_force(filters))
        movements = movement_figures(filters)
        query = form_query(form)
        key = page_key(
            filters,
            today=today,
            version=version,
            report_forms=report_forms,
            movements=movements,
            shown=(get_language(), filters.organisation.name, query),
        )
        context.update(
            filters=filters,
            awards=awards,
            stages=stages,
            query=query,
            figures_html=cached_html(
                key,
                lambda: _figures_html(
                    filters, awards, stages, report_forms, movements, query=query
                ),
            ),
        )
    return render(request, "reports/statistics.html", context)


def _figures_html(filters, awards, stages, report_forms, movements, *, query: str) -> str:
    """The figures' part of the page (templates/reports/_figures.html), drawn when it is not
    kept: the summary, the tables and charts, and each report form filled in its layout."""
    # Form 0601.N counts campaigns (reports.movements), the others awards: one mapping.
    figures = {**awards.figures, **movements}
    context = {
        "filters": filters,
        "period": period_text(filters),
        "awards": awards,
        "stages": stages,
        "charts": _charts(awards, stages),
        "report_forms": [
            {"form": f, "headers": headers(f.layout), "rows": fill(f.layout, figures)}
            for f in report_forms
        ],
        "summary": _summary(awards),
        "no_awards": _("Không có khen thưởng nào trong kỳ và phạm vi đã chọn."),
        "no_stages": _("Không có lượt xử lý hồ sơ nào bắt đầu trong kỳ đã chọn."),
        "no_forms": _("Không có biểu mẫu báo cáo nào còn hiệu lực trong kỳ đã chọn."),
        "query": query,
    }
    return render_to_string("reports/_figures.html", context)


def form_query(form: StatisticsFilterForm) -> str:
    """The filters shown (asked, or the defaults) as a query string for the export links."""
    keys = StatisticsFilterForm.base_fields
    return urlencode({k: form.data.get(k) for k in keys if form.data.get(k) not in (None, "")})


@login_required
@require_GET
def report_form_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One statutory form, filled with the figures of the filters, in its layout."""
    try:
        report_form = ReportForm.objects.get(pk=pk)
    except ReportForm.DoesNotExist:
        raise Http404 from None
    version = data_version()
    form = _form(request, version)
    if not form.is_valid():
        return render(request, "reports/statistics.html", {"form": form}, status=400)
    filters = _filters(form)
    awards = cached_award_figures(filters, version=version)
    figures = {**awards.figures, **movement_figures(filters)}
    response = HttpResponse(report_form_xlsx(report_form, filters, figures), content_type=XLSX)
    name = "".join(c if c.isalnum() else "-" for c in report_form.code).strip("-").lower()
    response["Content-Disposition"] = f'attachment; filename="bieu-{name}.xlsx"'
    return response


@login_required
@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    roles = [(r.value, r.label) for r in GUIDE_ROLES]
    mine = set(request.user.memberships.values_list("role", flat=True))
    return render(request, "reports/guide_index.html", {"roles": roles, "mine": mine})


@login_required
@require_GET
def guide(request: HttpRequest, role: str) -> HttpResponse:
    if role not in {r.value for r in GUIDE_ROLES}:
        raise Http404
    context = {"guide": guide_for(role)}
    if role == Role.ADMINISTRATOR:
        context["catalogue_help"] = award_forms_help()
    return render(request, "reports/guide.html", context)
