"""Dossier pages. Thin: each POST calls one service; refusals come back as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit import once
from core.errors import DomainError
from registry import services as registry_services
from registry.checks import blocking_problems, verdicts
from registry.eligibility import RULE_LABELS
from registry.forms import OverrideForm
from workflow import services as transitions
from workflow.deadlines import attach_open_deadlines

from . import detail_page, listing, nominee_import, services
from .forms import (
    ActionForm,
    DossierForm,
    ImportForm,
    NewDossierForm,
    NomineeFormSet,
    ReplaceForm,
    SearchForm,
    UploadForm,
)
from .models import Document, Dossier, Nominee
from .queries import (
    dossier_for,
    dossiers_visible_to,
    latest_documents,
    planned_route_organisations,
)

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """Search, filters, order and pages (dossiers.listing); `?format=xlsx` downloads every
    row the list shows, in its order. Invalid filters are reported and ignored, never a 500."""
    visible = dossiers_visible_to(request.user)
    form = SearchForm(request.GET or None, dossiers=visible, user=request.user)
    form.is_valid()  # fills cleaned_data with the valid fields; errors stay on the form
    cleaned = getattr(form, "cleaned_data", {})
    dossiers = listing.listed_dossiers(request.user, visible, cleaned)
    if request.GET.get("format") == "xlsx":
        title = _("Danh sách hồ sơ đề nghị khen thưởng (%(day)s)") % {
            "day": timezone.localdate().strftime("%d/%m/%Y")
        }
        response = HttpResponse(listing.list_xlsx(dossiers, title=title), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="danh-sach-ho-so.xlsx"'
        return response
    page = listing.ListPaginator(
        dossiers,
        PAGE_SIZE,
        rows=lambda ids: listing.shaped(Dossier.objects.filter(pk__in=ids), cleaned),
        keyset=(cleaned.get("sort") or listing.DEFAULT_SORT) == listing.DEFAULT_SORT,
    ).get_page(request.GET.get("page"), after=request.GET.get("after"))
    attach_open_deadlines(page)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("after", None)
    query.pop("format", None)
    return render(
        request,
        "dossiers/list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "filtered": any(v for k, v in cleaned.items() if k != "sort"),
        },
    )


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
        token = data.pop("form_token")
        try:
            # The token is spent in the transaction that creates the dossier (audit.once): a
            # repeated or racing POST of this form is sent to the dossier the first one made.
            with transaction.atomic():
                spent = once.spend(token, user=request.user, purpose=form.ONCE)
                if not spent.first:
                    made = Dossier.objects.filter(pk=int(spent.result or 0)).first()
                    if made is None:
                        return redirect("dossiers:list")
                    messages.info(
                        request,
                        _("Hồ sơ %(ref)s đã được tạo từ lần bấm trước; không tạo thêm hồ sơ.")
                        % {"ref": made.reference},
                    )
                    return redirect("dossiers:edit", pk=made.pk)
                dossier = services.create_dossier(
                    proposer=data.pop("proposer"),
                    award_type=data.pop("award_type"),
                    by=request.user,
                    year=data.pop("year"),
                    title=data.pop("title"),
                    **data,
                )
                spent.fulfil(dossier.pk)
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


def _editable_dossier(request: HttpRequest, pk: int) -> Dossier:
    dossier = _visible(request, pk)
    if "edit" not in _page_capabilities(dossier, request.user):
        raise Http404
    return dossier


@login_required
def dossier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier's letter, its nominees table (rows added and removed in place, htmx;
    every row checked on save, each error next to its field and in the summary on top)
    and its documents (upload, replace, delete)."""
    dossier = _editable_dossier(request, pk)
    form = DossierForm(request.POST or None, instance=dossier, prefix="d")
    formset = NomineeFormSet(request.POST or None, dossier=dossier)
    # Both are validated (not `and`): every row's errors show on one save, not the first.
    valid = request.method == "POST" and all([form.is_valid(), formset.is_valid()])
    if valid:
        try:
            _save_edit(dossier, form, formset, request.user)
        except _RowRefused as refused:
            _apply_errors(refused.row, refused.error)
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
    return render(request, "dossiers/edit.html", _edit_context(dossier, form, formset))


def _edit_context(dossier: Dossier, form, formset) -> dict:
    documents = list(latest_documents(dossier).select_related("superseded_by"))
    return {
        "dossier": dossier,
        "form": form,
        "formset": formset,
        "rows": [(index, row) for index, row in enumerate(formset.forms)],
        "problems": _edit_problems(form, formset),
        "upload_form": UploadForm(),
        "replace_form": ReplaceForm(),
        "documents": documents,
        "history": any(not d.is_current for d in documents),
        "missing": [detail_page_label(c) for c in dossier.missing_documents()],
        "crumbs": [
            (reverse("home"), _("Trang chủ")),
            (reverse("dossiers:list"), _("Hồ sơ")),
            (reverse("dossiers:detail", args=[dossier.pk]), dossier.reference),
        ],
    }


def detail_page_label(category: str) -> str:
    return str(dict(Document._meta.get_field("category").choices).get(category, category))


def _edit_problems(form, formset) -> list[tuple[str, str]]:
    """The error summary: (link to the field, text) for every error of the letter and of
    every nominee row, the row named ("Dòng 3 – Năm sinh: …")."""
    problems = [("", str(e)) for e in form.non_field_errors()]
    problems += [
        (f"#{form[name].id_for_label}", str(e))
        for name in form.errors
        for e in (form.errors[name] if name in form.fields else [])
    ]
    problems += [("", str(e)) for e in formset.non_form_errors()]
    for index, row in enumerate(formset.forms):
        if not row.errors or row["DELETE"].value():
            continue
        line = _("Dòng %(n)s") % {"n": index + 1}
        problems += [(f"#{row.prefix}-row", f"{line} – {e}") for e in row.non_field_errors()]
        for name in row.fields:
            for error in row[name].errors:
                problems.append((f"#{row[name].id_for_label}", f"{line} – {error}"))
    return problems


def _row_index(value: str | None) -> int | None:
    try:
        index = int(value or "")
    except ValueError:
        return None
    return index if 0 <= index < NomineeFormSet.absolute_max else None


@login_required
def nominee_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: `count` blank rows (1–20) from the index the page's TOTAL_FORMS says, and the
    new TOTAL_FORMS swapped in out of band (htmx): 30 nominees, no page reload."""
    dossier = _editable_dossier(request, pk)
    start = _row_index(request.GET.get("n-TOTAL_FORMS"))
    count = _row_index(request.GET.get("count", "1")) or 1
    if start is None:
        return HttpResponseBadRequest(_("Số dòng không hợp lệ: hãy tải lại trang."))
    count = max(1, min(count, 20, NomineeFormSet.absolute_max - start))
    formset = NomineeFormSet(dossier=dossier)
    rows = [(index, formset.row_form(index)) for index in range(start, start + count)]
    if request.headers.get("HX-Request") != "true":
        return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/_nominee_rows.html",
        {"dossier": dossier, "rows": rows, "total": start + count, "new": True},
    )


@login_required
@require_POST
def nominee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """POST from a row's "Bỏ dòng này": a saved nominee is removed at once (the service,
    audited); the row comes back as its id and DELETE only, so the formset still adds up.
    An unsaved row only leaves the page."""
    dossier = _editable_dossier(request, pk)
    index = _row_index(request.POST.get("index"))
    if index is None:
        return HttpResponseBadRequest(_("Dòng không hợp lệ: hãy tải lại trang."))
    prefix = f"n-{index}"
    nominee = None
    raw_id = request.POST.get(f"{prefix}-id", "")
    if raw_id.isdigit():
        nominee = Nominee.objects.filter(dossier=dossier, pk=int(raw_id)).first()
    if nominee is not None:
        try:
            services.remove_nominee(dossier.pk, nominee.pk, by=request.user)
        except DomainError as error:
            if request.headers.get("HX-Request") != "true":
                messages.error(request, str(error))
                return redirect("dossiers:edit", pk=dossier.pk)
            return HttpResponse(str(error), status=409)
    if request.headers.get("HX-Request") != "true":
        if nominee is not None:
            messages.success(request, _("Đã bỏ “%(name)s”.") % {"name": nominee.full_name})
        return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/_nominee_removed.html",
        {"prefix": prefix, "index": index, "nominee": nominee, "nominee_id": raw_id},
    )


@login_required
def nominees_template(request: HttpRequest, pk: int) -> HttpResponse:
    _editable_dossier(request, pk)
    response = HttpResponse(nominee_import.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-de-nghi.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def nominees_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Nominees from the .xlsx template: every row checked, all imported or none; the
    errors are listed by line and column ("Dòng 3, cột Năm sinh: …")."""
    dossier = _editable_dossier(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > nominee_import.MAX_BYTES:
            errors = [
                str(
                    _("Tệp lớn quá %(mb)s MB: hãy chia thành nhiều tệp.")
                    % {"mb": nominee_import.MAX_BYTES // 2**20}
                )
            ]
        else:
            result = nominee_import.read_nominees(
                upload_file.read(), current_year=timezone.localdate().year
            )
            errors = result.errors
            if result.ok:
                try:
                    added = services.import_nominees(dossier.pk, by=request.user, rows=result.rows)
                except DomainError as error:
                    errors = error.details or [str(error)]
                else:
                    messages.success(
                        request,
                        _("Đã nhập %(n)s người được đề nghị từ “%(name)s”.")
                        % {"n": len(added), "name": upload_file.name},
                    )
                    return redirect("dossiers:edit", pk=dossier.pk)
    return render(
        request,
        "dossiers/nominee_import.html",
        {
            "dossier": dossier,
            "form": form,
            "errors": errors,
            "max_rows": nominee_import.MAX_ROWS,
            "columns": [header for header, _name in nominee_import.COLUMNS],
            "crumbs": [
                (reverse("home"), _("Trang chủ")),
                (reverse("dossiers:list"), _("Hồ sơ")),
                (reverse("dossiers:detail", args=[dossier.pk]), dossier.reference),
                (reverse("dossiers:edit", args=[dossier.pk]), _("Sửa hồ sơ")),
            ],
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
        try:
            if instance.pk and nominee_form.cleaned_data.get("DELETE"):
                services.remove_nominee(dossier.pk, instance.pk, by=user)
            elif instance.pk:
                services.update_nominee(dossier.pk, instance.pk, by=user, **data)
            elif nominee_form.has_changed() and not nominee_form.cleaned_data.get("DELETE"):
                services.add_nominee(dossier.pk, by=user, **data)
        except DomainError as error:  # the whole save rolls back; the error goes to its row
            raise _RowRefused(nominee_form, error) from error


class _RowRefused(Exception):
    def __init__(self, row, error: DomainError) -> None:
        super().__init__(str(error))
        self.row, self.error = row, error


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


def _own_document(request: HttpRequest, pk: int) -> Document:
    try:
        document = Document.objects.select_related("dossier").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    _editable_dossier(request, document.dossier_id)
    return document


@login_required
@require_POST
def document_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of one document; the old one stays in the history, marked replaced."""
    document = _own_document(request, pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thay tài liệu: hãy chọn tệp bản thay thế."))
        return redirect("dossiers:edit", pk=document.dossier_id)
    upload_file = form.cleaned_data["file"]
    try:
        services.replace_document(
            document.pk,
            by=request.user,
            name=upload_file.name,
            size=upload_file.size,
            chunks=upload_file.chunks(),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã thay “%(old)s” bằng “%(new)s”; bản cũ vẫn lưu trong lịch sử.")
            % {"old": document.original_name, "new": upload_file.name},
        )
    return redirect("dossiers:edit", pk=document.dossier_id)


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting will do (a confirmation page); POST: delete the file."""
    document = _own_document(request, pk)
    if request.method == "POST":
        try:
            restored = services.delete_document(document.pk, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            text = _("Đã xoá “%(name)s”.") % {"name": document.original_name}
            if restored is not None:
                text += " " + _("Bản “%(name)s” lại là bản hiện hành.") % {
                    "name": restored.original_name
                }
            messages.success(request, text)
        return redirect("dossiers:edit", pk=document.dossier_id)
    return render(
        request,
        "dossiers/document_delete.html",
        {
            "document": document,
            "dossier": document.dossier,
            "submitted": document.round != document.dossier.round,
            "crumbs": [
                (reverse("home"), _("Trang chủ")),
                (reverse("dossiers:list"), _("Hồ sơ")),
                (
                    reverse("dossiers:detail", args=[document.dossier_id]),
                    document.dossier.reference,
                ),
                (reverse("dossiers:edit", args=[document.dossier_id]), _("Sửa hồ sơ")),
            ],
        },
    )


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
    """The page that explains the dossier (dossiers.detail_page): its facts, its route as a
    stepper, nominees, documents, eligibility, council results, decisions, the actions the
    user may take now and the timeline."""
    dossier = _visible(request, pk)
    capabilities = _page_capabilities(dossier, request.user)
    context = detail_page.page_context(
        dossier, request.user, capabilities=capabilities, actions=ACTIONS
    )
    return render(request, "dossiers/detail.html", context)


def _confirm_page(request: HttpRequest, dossier: Dossier, action: str, form) -> HttpResponse:
    """What an irreversible step will do, in plain words; its form posts to `act`."""
    return render(
        request,
        "dossiers/confirm_action.html",
        {
            "dossier": dossier,
            "action": action,
            "text": detail_page.ACTION_TEXTS[action],
            "form": form,
            "crumbs": [
                (reverse("home"), _("Trang chủ")),
                (reverse("dossiers:list"), _("Hồ sơ")),
                (reverse("dossiers:detail", args=[dossier.pk]), dossier.reference),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST fires one transition. An irreversible one (reject, withdraw) needs `confirm`:
    GET shows its confirmation page, which says what will happen and posts here."""
    dossier = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    service, _needs_reason, irreversible = ACTIONS[action]
    if request.method == "GET":
        if not irreversible:
            return redirect("dossiers:detail", pk=dossier.pk)
        if action not in transitions.available_actions(dossier, request.user):
            messages.error(
                request,
                _("Không thể “%(action)s” hồ sơ ở trạng thái “%(status)s”.")
                % {
                    "action": detail_page.ACTION_TEXTS[action].label,
                    "status": dossier.get_status_display(),
                },
            )
            return redirect("dossiers:detail", pk=dossier.pk)
        return _confirm_page(request, dossier, action, ActionForm())
    form = ActionForm(request.POST)
    if not form.is_valid():  # e.g. an impossible received_on: say which field, never a 500
        if irreversible:
            return _confirm_page(request, dossier, action, form)
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("dossiers:detail", pk=dossier.pk)
    data = form.cleaned_data
    if irreversible and not data.get("confirm"):
        messages.error(request, _("Hãy đánh dấu ô xác nhận: thao tác này không thể hoàn tác."))
        return redirect("dossiers:act", pk=dossier.pk, action=action)
    try:
        service(dossier.pk, request.user, {**data, "reason": data.get("reason") or ""})
    except DomainError as error:
        if irreversible:
            _apply_errors(form, error)
            return _confirm_page(request, dossier, action, form)
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
