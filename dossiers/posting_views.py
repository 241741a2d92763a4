"""The public posting page of a dossier: the list, its window, objections and answers.

Thin: each POST calls one service of dossiers.posting; refusals come back on the form.
Visible to whoever has a role on the proposing unit, a unit below it or an organisation of
its route (dossiers.posting.can_see_posting); anyone else gets 404, as for dossiers.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

from . import posting as services
from .models import Dossier, Objection, Posting


class ObjectionForm(forms.Form):
    nominee = forms.TypedChoiceField(label=gettext_lazy("Người, tập thể bị phản ánh"), coerce=int)
    text = forms.CharField(label=gettext_lazy("Nội dung phản ánh"), widget=forms.Textarea)
    on_behalf_of = forms.CharField(
        label=gettext_lazy("Người phản ánh (khi cơ quan thường trực ghi thay)"),
        required=False,
        max_length=255,
    )

    def __init__(self, *args, nominees, secretariat: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [(n.pk, n.full_name) for n in nominees]
        if not secretariat:
            del self.fields["on_behalf_of"]


class AnswerForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=gettext_lazy("Nội dung trả lời"), widget=forms.Textarea)
    answered_on = forms.DateField(
        label=gettext_lazy("Ngày trả lời"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _apply(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@login_required
def posting_page(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = Dossier.objects.select_related("proposer", "award_type").filter(pk=pk).first()
    if dossier is None or not services.can_see_posting(dossier, request.user):
        raise Http404
    shown = Posting.objects.filter(dossier=dossier).first()
    secretariat = services.is_posting_secretariat(dossier, request.user)
    nominees = list(shown.nominees.all()) if shown else []
    action = request.POST.get("action") if request.method == "POST" else None
    object_form = ObjectionForm(
        request.POST if action == "object" else None, nominees=nominees, secretariat=secretariat
    )
    answer_form = AnswerForm(request.POST if action == "answer" else None)
    if action == "object" and object_form.is_valid():
        data = object_form.cleaned_data
        try:
            services.raise_objection(
                dossier.pk,
                by=request.user,
                nominee_id=data["nominee"],
                text=data["text"],
                on_behalf_of=data.get("on_behalf_of", ""),
            )
        except DomainError as error:
            _apply(object_form, error)
        else:
            messages.success(request, _("Đã ghi nhận ý kiến phản ánh."))
            return redirect("dossiers:posting", pk=dossier.pk)
    elif action == "answer" and answer_form.is_valid():
        data = answer_form.cleaned_data
        if not Objection.objects.filter(pk=data["objection"], posting__dossier=dossier).exists():
            raise Http404
        try:
            services.answer_objection(
                data["objection"],
                by=request.user,
                answer=data["answer"],
                answered_on=data["answered_on"],
            )
        except DomainError as error:
            _apply(answer_form, error)
        else:
            messages.success(request, _("Đã ghi nhận trả lời."))
            return redirect("dossiers:posting", pk=dossier.pk)
    elif action == "republish" and secretariat:
        try:
            services.republish_posting(dossier.pk, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã công khai lại danh sách hiện tại."))
            return redirect("dossiers:posting", pk=dossier.pk)
    today = timezone.localdate()
    return render(
        request,
        "dossiers/posting.html",
        {
            "dossier": dossier,
            "posting": shown,
            "is_open": bool(shown) and services.is_open(shown, on=today),
            "nominees": nominees,
            "objections": shown.objections.select_related("nominee", "raised_by", "answered_by")
            if shown
            else [],
            "secretariat": secretariat,
            "object_form": object_form
            if shown and (secretariat or services.is_open(shown, on=today))
            else None,
            "answer_form": answer_form,
        },
    )
