"""In-app notices: the list behind the bell, marking read, and each user's preferences."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import inbox
from .models import Preference
from .rendering import render_subject, stored_templates

PAGE_SIZE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    # The recipient: the templates greet them by name (one join, not a query per row).
    rows = inbox.visible_to(request.user).select_related("recipient").order_by("-created_at", "-pk")
    if request.GET.get("chua-doc"):
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language() or "vi"
    stored = stored_templates(row.template for row in page)  # one query for the page
    items = [
        {
            "row": row,
            "subject": render_subject(
                row.template, {"message": row, **row.context}, language=language, stored=stored
            ),
            "url": row.context.get("url", ""),
        }
        for row in page
    ]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """POST ids=… marks those; without ids, every visible notice. Then back or to `next`."""
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    count = inbox.mark_read(request.user, ids=ids or None)
    if not ids:
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "in_app", "language"]
        widgets = {"email": forms.RadioSelect, "in_app": forms.RadioSelect}


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu tuỳ chọn nhận thông báo."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
