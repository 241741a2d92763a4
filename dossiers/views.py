"""Dossier pages. Thin: each POST calls one service; refusals come back as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from core.errors import DomainError
from registry import services as registry_services
from registry.checks import blocking_problems, verdicts
from registry.eligibility import RULE_LABELS
from registry.forms import OverrideForm
from workflow import services as transitions
from workflow.actors import who_acts
from workflow.deadlines import attach_open_deadlines

from . import services
from .forms import ActionForm, DossierForm, NewDossierForm, NomineeFormSet, SearchForm, UploadForm
from .models import Document, Dossier
from .queries import (
    dossier_for,
    dossiers_visible_to,
    latest_documents,
    planned_route_organisations,
)

PAGE_SIZE = 25

# action name -> (service, needs reason, irreversible)
ACTIONS = {
    "submit": (lambda pk, by, form: transitions.submit_dossier(pk, by=by), False, False),
    "approve_at_unit": (
        lambda pk, by, form: transitions.approve_dossier(pk, by=by, note=form["reason"]),
        False,
        False,
    ),
    "forward": (
        lambda pk, by, form: transitions.forward_dossier(pk, by=by, note=form["reason"]),
        False,
        False,
    ),
    "accept_complete": (
        lambda pk, by, form: transitions.accept_dossier(pk, by=by, received_on=form["received_on"]),
        False,
        False,
    ),
    "return_for_supplement": (
        lambda pk, by, form: transitions.return_for_supplement(pk, by=by, reason=form["reason"]),
        True,
        False,
    ),
    "resubmit": (
        lambda pk, by, form: transitions.resubmit_dossier(pk, by=by, note=form["reason"]),
        False,
        False,
    ),
    "send_to_intermediate_council": (
        lambda pk, by, form: transitions.send_to_council(pk, by=by),
        False,
        False,
    ),
    "send_to_provincial_council": (
        lambda pk, by, form: transitions.send_to_council(pk, by=by),
        False,
        False,
    ),
    "reject": (
        lambda pk, by, form: transitions.reject_dossier(pk, by=by, reason=form["reason"]),
        True,
        True,
    ),
    "withdraw": (
        lambda pk, by, form: transitions.withdraw_dossier(pk, by=by, reason=form["reason"]),
        True,
        True,
    ),
}


def _visible(request: HttpRequest, pk: int) -> Dossier:
    try:
        return dossier_for(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _paginate(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    dossiers = dossiers_visible_to(request.user).select_related(
        "proposer", "award_type", "current_stage__organisation"
    )
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            dossiers = dossiers.filter(
                Q(reference__icontains=q)
                | Q(title__icontains=q)
                | Q(nominees__full_name__icontains=q)
            ).distinct()
        if status := form.cleaned_data["status"]:
            dossiers = dossiers.filter(status=status)
    page = _paginate(request, dossiers.order_by("-updated_at", "-pk"))
    attach_open_deadlines(page)
    return render(request, "dossiers/list.html", {"page": page, "form": form})


def _apply_errors(form, error: DomainError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, str(error))
    else:
        form.add_error(None, str(error))


@login_required
def dossier_create(request: HttpRequest) -> HttpResponse:
    form = NewDossierForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            dossier = services.create_dossier(
                proposer=data.pop("proposer"),
                award_type=data.pop("award_type"),
                by=request.user,
                year=data.pop("year"),
                title=data.pop("title"),
                **data,
            )
        except DomainError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã tạo hồ sơ %(ref)s. Hãy thêm người được đề nghị và tài liệu.")
                % {"ref": dossier.reference},
            )
            return redirect("dossiers:edit", pk=dossier.pk)
    if not form.fields["proposer"].queryset.exists():
        raise Http404
    return render(request, "dossiers/create.html", {"form": form})


@login_required
def dossier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible(request, pk)
    if "edit" not in _page_capabilities(dossier, request.user):
        raise Http404
    form = DossierForm(request.POST or None, instance=dossier, prefix="d")
    formset = NomineeFormSet(request.POST or None, queryset=dossier.nominees.all(), prefix="n")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            _save_edit(dossier, form, formset, request.user)
        except DomainError as error:
            _apply_errors(form, error)
        except ValidationError as error:
            form.add_error(None, "; ".join(error.messages))
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            # Eligibility is checked as nominees are added, not only at submission: each
            # unmet rule is shown now, with its figures (the submit button stays refused).
            for problem in blocking_problems(dossier, competing=dossier.competing_nominees()):
                note = _("Điều kiện: %(message)s") % {"message": problem.message}
                messages.warning(request, note)
            return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/edit.html",
        {
            "dossier": dossier,
            "form": form,
            "formset": formset,
            "upload_form": UploadForm(),
            "documents": latest_documents(dossier),
            "missing": dossier.missing_documents(),
        },
    )


@transaction.atomic
def _save_edit(dossier: Dossier, form, formset, user) -> None:
    fields = {k: form.cleaned_data[k] for k in DossierForm.Meta.fields}
    services.update_dossier(dossier.pk, by=user, **fields)
    for nominee_form in formset.forms:
        if not nominee_form.has_changed() and not nominee_form.instance.pk:
            continue
        data = {k: nominee_form.cleaned_data.get(k) for k in nominee_form.Meta.fields}
        data = {
            k: ("" if v is None and k in ("gender", "position") else v) for k, v in data.items()
        }
        instance = nominee_form.instance
        if instance.pk and nominee_form.cleaned_data.get("DELETE"):
            services.remove_nominee(dossier.pk, instance.pk, by=user)
        elif instance.pk:
            services.update_nominee(dossier.pk, instance.pk, by=user, **data)
        elif nominee_form.has_changed() and not nominee_form.cleaned_data.get("DELETE"):
            services.add_nominee(dossier.pk, by=user, **data)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Tải tệp: hãy chọn loại tài liệu và một tệp."))
        return redirect("dossiers:edit", pk=dossier.pk)
    upload_file = form.cleaned_data["file"]
    try:
        services.attach_document(
            dossier.pk,
            by=request.user,
            category=form.cleaned_data["category"],
            name=upload_file.name,
            size=upload_file.size,
            chunks=upload_file.chunks(),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã tải lên “%(name)s”.") % {"name": upload_file.name})
    return redirect("dossiers:edit", pk=dossier.pk)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        document = Document.objects.select_related("dossier").get(pk=pk)
        _visible(request, document.dossier_id)
    except Document.DoesNotExist:
        raise Http404 from None
    handle = services.open_document(document, by=request.user)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def _page_capabilities(dossier: Dossier, user) -> set[str]:
    caps = set(transitions.available_actions(dossier, user))
    if services.can_edit(dossier, user):
        caps.add("edit")
    return caps


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _visible(request, pk)
    capabilities = _page_capabilities(dossier, request.user)
    actions = [
        (name, ACTIONS[name][1], ACTIONS[name][2]) for name in ACTIONS if name in capabilities
    ]
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "nominees": dossier.nominees.select_related(
                "dropped_at__organisation"
            ).prefetch_related("outcomes__stage__organisation"),
            "stages": dossier.stages.select_related("organisation"),
            "documents": latest_documents(dossier),
            "missing": dossier.missing_documents(),
            "timeline": AuditEvent.objects.for_object(dossier).select_related("actor"),
            "actions": actions,
            "can_edit": "edit" in capabilities,
            "action_form": ActionForm(),
            "who_acts": who_acts(dossier),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    dossier = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    service, _needs_reason, irreversible = ACTIONS[action]
    form = ActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if irreversible and not data.get("confirm"):
        messages.error(request, _("Hãy đánh dấu ô xác nhận: thao tác này không thể hoàn tác."))
        return redirect("dossiers:detail", pk=dossier.pk)
    try:
        service(dossier.pk, request.user, {**data, "reason": data.get("reason") or ""})
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã thực hiện. Trạng thái hồ sơ: %(status)s.")
            % {"status": Dossier.objects.get(pk=dossier.pk).get_status_display()},
        )
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """Each rule's verdict with its figures; a reviewer may let a failure through, with reason."""
    dossier = _visible(request, pk)
    competing = dossier.competing_nominees()
    route = list(planned_route_organisations(dossier))
    results = verdicts(dossier, competing=competing)
    failed = [v for v in results if not v.passed and not v.overridden]
    may_override = registry_services.can_override(dossier, request.user, route=route)
    form = OverrideForm(request.POST or None, failed=failed) if may_override else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            rule, _sep, nominee = form.cleaned_data["target"].partition(":")
            try:
                registry_services.override_eligibility(
                    dossier,
                    by=request.user,
                    rule=rule,
                    nominee_id=int(nominee) if nominee else None,
                    reason=form.cleaned_data["reason"],
                    competing=competing,
                    route=route,
                )
            except DomainError as error:
                if error.field and error.field in form.fields:
                    form.add_error(error.field, str(error))
                else:
                    messages.error(request, str(error))
            else:
                messages.success(request, _("Đã ghi nhận chấp thuận ngoại lệ."))
                return redirect("dossiers:eligibility", pk=dossier.pk)
    names = dict(dossier.nominees.values_list("pk", "full_name"))
    rows = [
        {
            "verdict": v,
            "label": RULE_LABELS.get(v.rule, v.rule),
            "nominee": names.get(v.nominee_id, ""),
        }
        for v in results
    ]
    return render(
        request,
        "registry/eligibility.html",
        {
            "dossier": dossier,
            "rows": rows,
            "form": form if failed else None,
            "overrides": dossier.overrides.select_related("by", "nominee"),
        },
    )
