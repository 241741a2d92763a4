"""The REST API. Thin, as the pages are: each write calls the very service the page calls,
each read the very query the page reads, so "who may" and "who sees" cannot differ.

An object the user may not see answers 404 (the pages' rule: its existence is not
disclosed); one they see but may not change answers 403; a step the state forbids, 409.
"""

import hashlib
from io import BytesIO

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.errors import DomainError
from councils import queries as council_queries
from councils import services as councils
from councils.models import Meeting, MeetingStatus, NomineeResult, Recusal
from decisions import queries as decision_queries
from decisions import services as decisions
from decisions.documents import build_decision, decision_doc
from decisions.models import Decision, DecisionStatus, SignedDecision
from decisions.signing import signed_path
from dossiers import listing, nominee_import
from dossiers import services as dossier_services
from dossiers.forms import SearchForm
from dossiers.models import AwardType, Campaign, Document, Dossier, Nominee, RuleSet
from dossiers.queries import dossier_for, dossiers_visible_to, latest_documents
from notifications import inbox
from organisations.models import Organisation
from organisations.permissions import organisations_where
from organisations.roles import Perm
from registry import queries as registry_queries
from registry.models import RegistryEntry
from workflow import services as transitions
from workflow.flows import (
    assigned_tasks,
    claim_task,
    claimable_tasks,
    inbox_dossiers,
    release_task,
    tasks_of,
)
from workflow.rulesets import rule_set_on

from . import serializers as s
from . import services
from .errors import PreconditionFailed
from .models import ApiToken

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag read last; a changed object answers 412 and nothing is written.",
)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _int(value, name: str = "id") -> int:
    """A path or query id as the database takes it; anything else is an unknown object."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < number <= s.MAX_ID:
        raise NotFound
    return number


def _file(data, content_type: str, name: str, **headers) -> FileResponse:
    """A download: bytes or an open file, streamed; FileResponse writes the Content-Disposition
    with the RFC 6266 `filename*` form, so a Vietnamese file name arrives intact."""
    handle = BytesIO(data) if isinstance(data, bytes) else data
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def etag_of(*parts) -> str:
    """A weak validator over what a write would change: equal iff nothing changed since."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def dossier_etag(dossier: Dossier) -> str:
    return etag_of(dossier.pk, dossier.updated_at.isoformat(), dossier.status, dossier.round)


def nominee_etag(nominee: Nominee) -> str:
    values = [getattr(nominee, name) for name in dossier_services.NOMINEE_FIELDS if name != "user"]
    return etag_of(nominee.pk, nominee.user_id, *values)


def check_if_match(request, current: str) -> None:
    """Refuse (412) a write whose If-Match names another version; none given: no check."""
    sent = request.headers.get("If-Match")
    if sent is None:
        return
    accepted = {tag.strip() for tag in sent.split(",")}
    if "*" in accepted:
        return
    # A strong form of our weak tag is the same version (clients drop the W/ prefix).
    if current not in accepted and current.removeprefix("W/") not in accepted:
        raise PreconditionFailed


# --- reference data --------------------------------------------------------------------------


@extend_schema(tags=["reference"])
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The administrative tree (reference data every user of the province works with)."""

    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.order_by("path")
    cursor_ordering = ("path",)

    def get_object(self):
        return self.get_queryset().get(pk=_int(self.kwargs["pk"]))


@extend_schema(tags=["reference"])
class RuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RuleSetSerializer
    queryset = RuleSet.objects.all()
    cursor_ordering = ("-valid_from", "-pk")

    def get_object(self):
        return self.get_queryset().get(pk=_int(self.kwargs["pk"]))


@extend_schema(tags=["reference"])
class AwardFormViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AwardFormSerializer
    queryset = AwardType.objects.select_related("rule_set")
    cursor_ordering = ("pk",)

    def get_object(self):
        return self.get_queryset().get(pk=_int(self.kwargs["pk"]))


@extend_schema(tags=["reference"])
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.all()
    cursor_ordering = ("-starts_on", "-pk")

    def get_object(self):
        return self.get_queryset().get(pk=_int(self.kwargs["pk"]))


# --- dossiers --------------------------------------------------------------------------------

# URL action -> (service call, request serializer). The same verbs the page's buttons call
# (dossiers.views.ACTIONS), named as the API's paths.
TRANSITIONS = {
    "submit": (lambda pk, by, d: transitions.submit_dossier(pk, by=by), None),
    "approve": (
        lambda pk, by, d: transitions.approve_dossier(pk, by=by, note=d.get("reason", "")),
        s.ReasonSerializer,
    ),
    "forward": (
        lambda pk, by, d: transitions.forward_dossier(pk, by=by, note=d.get("reason", "")),
        s.ReasonSerializer,
    ),
    "accept": (
        lambda pk, by, d: transitions.accept_dossier(pk, by=by, received_on=d.get("received_on")),
        s.AcceptSerializer,
    ),
    "return": (
        lambda pk, by, d: transitions.return_for_supplement(pk, by=by, reason=d.get("reason", "")),
        s.ReasonSerializer,
    ),
    "resubmit": (
        lambda pk, by, d: transitions.resubmit_dossier(pk, by=by, note=d.get("reason", "")),
        s.ReasonSerializer,
    ),
    "send-to-council": (lambda pk, by, d: transitions.send_to_council(pk, by=by), None),
    "reject": (
        lambda pk, by, d: transitions.reject_dossier(pk, by=by, reason=d.get("reason", "")),
        s.ReasonSerializer,
    ),
    "withdraw": (
        lambda pk, by, d: transitions.withdraw_dossier(pk, by=by, reason=d.get("reason", "")),
        s.ReasonSerializer,
    ),
}
# FSM transition names (workflow.lifecycle) as the API names them in `actions`.
ACTION_NAMES = {
    "submit": "submit",
    "approve_at_unit": "approve",
    "forward": "forward",
    "accept_complete": "accept",
    "return_for_supplement": "return",
    "resubmit": "resubmit",
    "send_to_intermediate_council": "send-to-council",
    "send_to_provincial_council": "send-to-council",
    "reject": "reject",
    "withdraw": "withdraw",
}


def _actions(dossier: Dossier, user) -> list[str]:
    names = [ACTION_NAMES.get(n, n) for n in transitions.available_actions(dossier, user)]
    if dossier_services.can_edit(dossier, user):
        names.append("edit")
    return sorted(set(names))


def _visible_dossier(user, pk) -> Dossier:
    return dossier_for(user, _int(pk))


def _dossier_response(request, dossier_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    dossier = dossier_for(request.user, dossier_id)
    data = s.DossierDetailSerializer(
        dossier, context={"actions": _actions(dossier, request.user)}
    ).data
    return Response(data, status=code, headers={"ETag": dossier_etag(dossier)})


def _transition_view(name: str):
    service, serializer_class = TRANSITIONS[name]
    attribute = "return_for_supplement" if name == "return" else name.replace("-", "_")

    @extend_schema(
        tags=["transitions"],
        request=serializer_class,
        parameters=[IF_MATCH],
        responses={200: s.DossierDetailSerializer},
        summary=f"Transition: {name}",
        operation_id=f"dossiers_{name.replace('-', '_')}",
    )
    def view(self, request, pk=None):
        data = _valid(serializer_class, request.data) if serializer_class else {}
        with transaction.atomic():
            dossier = _visible_dossier(request.user, pk)
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            check_if_match(request, dossier_etag(locked))
            service(dossier.pk, request.user, data)
        return _dossier_response(request, dossier.pk)

    view.__name__ = attribute
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(view)


class DossierViewSet(viewsets.GenericViewSet):
    """Dossiers the user may see (dossiers.queries.dossiers_visible_to): their units' own,
    drafts included, and those that reached a stage of theirs."""

    serializer_class = s.DossierSerializer
    cursor_ordering = ("-updated_at", "-pk")

    def get_queryset(self):
        return dossiers_visible_to(self.request.user)

    @extend_schema(
        tags=["dossiers"],
        parameters=[s.ListQuerySerializer],
        responses={200: s.DossierSerializer(many=True)},
    )
    def list(self, request):
        """The dossier list with the page's filters and search (dossiers.listing)."""
        query = _valid(s.ListQuerySerializer, request.query_params)
        visible = dossiers_visible_to(request.user)
        params = {k: v for k, v in request.query_params.items() if k not in ("cursor",)}
        form = SearchForm(params or None, dossiers=visible)
        if params and not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError({k: [e["message"] for e in v] for k, v in errors.items()})
        cleaned = getattr(form, "cleaned_data", {})
        if query.get("sort") == "reference":
            self.cursor_ordering = ("reference", "pk")
        rows = listing.listed_dossiers(request.user, visible, cleaned).select_related(
            "award_type__rule_set"
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.DossierSerializer(page, many=True).data)

    @extend_schema(
        tags=["dossiers"],
        request=s.DossierCreateSerializer,
        responses={201: s.DossierDetailSerializer},
    )
    def create(self, request):
        """Open a draft for one of the user's units (dossiers.services.create_dossier)."""
        data = _valid(
            s.DossierCreateSerializer,
            request.data,
            proposers=organisations_where(request.user, Perm.FILE_DOSSIER),
            award_types=rule_set_on(timezone.localdate()).award_types.filter(is_active=True),
        )
        with transaction.atomic():
            dossier = dossier_services.create_dossier(
                proposer=data.pop("proposer"),
                award_type=data.pop("award_type"),
                by=request.user,
                year=data.pop("year"),
                title=data.pop("title"),
                **data,
            )
        return _dossier_response(request, dossier.pk, code=status.HTTP_201_CREATED)

    @extend_schema(tags=["dossiers"], parameters=[ID], responses={200: s.DossierDetailSerializer})
    def retrieve(self, request, pk=None):
        """One dossier, its ETag, and the actions the user may take on it now."""
        return _dossier_response(request, _visible_dossier(request.user, pk).pk)

    @extend_schema(
        tags=["dossiers"],
        parameters=[ID, IF_MATCH],
        request=s.DossierUpdateSerializer,
        responses={200: s.DossierDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        """Change the letter while the unit holds the dossier (draft or returned)."""
        data = _valid(s.DossierUpdateSerializer, request.data)
        with transaction.atomic():
            dossier = _visible_dossier(request.user, pk)
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            check_if_match(request, dossier_etag(locked))
            dossier_services.update_dossier(dossier.pk, by=request.user, **data)
        return _dossier_response(request, dossier.pk)

    submit = _transition_view("submit")
    approve = _transition_view("approve")
    forward = _transition_view("forward")
    accept = _transition_view("accept")
    return_for_supplement = _transition_view("return")
    resubmit = _transition_view("resubmit")
    send_to_council = _transition_view("send-to-council")
    reject = _transition_view("reject")
    withdraw = _transition_view("withdraw")

    # --- nominees ----------------------------------------------------------------------------

    @extend_schema(
        tags=["nominees"],
        methods=["GET"],
        parameters=[ID],
        responses={200: s.NomineeSerializer(many=True)},
    )
    @extend_schema(
        tags=["nominees"],
        methods=["POST"],
        parameters=[ID],
        request=s.NomineeWriteSerializer,
        responses={201: s.NomineeSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="nominees", pagination_class=None)
    def nominees(self, request, pk=None):
        dossier = _visible_dossier(request.user, pk)
        if request.method == "GET":
            rows = dossier.nominees.order_by("pk")
            return Response(s.NomineeSerializer(rows, many=True).data)
        data = _valid(s.NomineeWriteSerializer, request.data)
        with transaction.atomic():
            nominee = dossier_services.add_nominee(dossier.pk, by=request.user, **data)
        return Response(
            s.NomineeSerializer(nominee).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": nominee_etag(nominee)},
        )

    @extend_schema(
        tags=["nominees"],
        parameters=[ID],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses={201: s.NomineeSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="nominees/import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_nominees(self, request, pk=None):
        """Nominees from the page's .xlsx template: all rows or none, each error by line and
        column (dossiers.nominee_import, dossiers.services.import_nominees)."""
        dossier = _visible_dossier(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("required", _("Tệp nhập: hãy gửi tệp .xlsx."), field="file")
        if upload.size > nominee_import.MAX_BYTES:
            raise DomainError(
                "too_large",
                _("Tệp lớn quá %(mb)s MB: hãy chia thành nhiều tệp.")
                % {"mb": nominee_import.MAX_BYTES // 2**20},
                field="file",
            )
        result = nominee_import.read_nominees(upload.read(), current_year=timezone.localdate().year)
        if not result.ok:
            raise DomainError(
                "import_refused", _("Không nhập dòng nào:"), field="file", details=result.errors
            )
        with transaction.atomic():
            added = dossier_services.import_nominees(dossier.pk, by=request.user, rows=result.rows)
        return Response(s.NomineeSerializer(added, many=True).data, status=201)

    def _nominee(self, request, pk, nominee_pk) -> tuple[Dossier, Nominee]:
        dossier = _visible_dossier(request.user, pk)
        return dossier, dossier.nominees.get(pk=_int(nominee_pk))

    @extend_schema(
        tags=["nominees"],
        methods=["GET"],
        parameters=[ID, OpenApiParameter("nominee_pk", OpenApiTypes.INT, "path")],
        responses={200: s.NomineeSerializer},
    )
    @extend_schema(
        tags=["nominees"],
        methods=["PATCH"],
        parameters=[ID, OpenApiParameter("nominee_pk", OpenApiTypes.INT, "path"), IF_MATCH],
        request=s.NomineeUpdateSerializer,
        responses={200: s.NomineeSerializer},
    )
    @extend_schema(
        tags=["nominees"],
        methods=["DELETE"],
        parameters=[ID, OpenApiParameter("nominee_pk", OpenApiTypes.INT, "path"), IF_MATCH],
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"nominees/(?P<nominee_pk>[^/.]+)",
        url_name="nominee",
    )
    def nominee(self, request, pk=None, nominee_pk=None):
        dossier, nominee = self._nominee(request, pk, nominee_pk)
        if request.method == "GET":
            return Response(
                s.NomineeSerializer(nominee).data, headers={"ETag": nominee_etag(nominee)}
            )
        data = _valid(s.NomineeUpdateSerializer, request.data) if request.method == "PATCH" else {}
        with transaction.atomic():
            Dossier.objects.select_for_update().get(pk=dossier.pk)
            check_if_match(request, nominee_etag(Nominee.objects.get(pk=nominee.pk)))
            if request.method == "DELETE":
                dossier_services.remove_nominee(dossier.pk, nominee.pk, by=request.user)
                return Response(status=status.HTTP_204_NO_CONTENT)
            changed = dossier_services.update_nominee(
                dossier.pk, nominee.pk, by=request.user, **data
            )
        return Response(s.NomineeSerializer(changed).data, headers={"ETag": nominee_etag(changed)})

    # --- documents ---------------------------------------------------------------------------

    @extend_schema(
        tags=["documents"],
        methods=["GET"],
        parameters=[ID],
        responses={200: s.DocumentSerializer(many=True)},
    )
    @extend_schema(
        tags=["documents"],
        methods=["POST"],
        parameters=[ID],
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.DocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="documents",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        dossier = _visible_dossier(request.user, pk)
        if request.method == "GET":
            rows = latest_documents(dossier)
            return Response(s.DocumentSerializer(rows, many=True).data)
        data = _valid(s.UploadSerializer, request.data)
        upload = data["file"]
        with transaction.atomic():
            document = dossier_services.attach_document(
                dossier.pk,
                by=request.user,
                category=data["category"],
                name=upload.name,
                size=upload.size,
                chunks=upload.chunks(),
                nominee_id=data.get("nominee"),
            )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["documents"])
class DocumentViewSet(viewsets.GenericViewSet):
    """A dossier's document, if the user may see the dossier."""

    serializer_class = s.DocumentSerializer

    def _document(self, request, pk) -> Document:
        return Document.objects.select_related("dossier").get(
            pk=_int(pk), dossier__in=dossiers_visible_to(request.user)
        )

    @extend_schema(parameters=[ID], responses={200: s.DocumentSerializer})
    def retrieve(self, request, pk=None):
        return Response(s.DocumentSerializer(self._document(request, pk)).data)

    @extend_schema(parameters=[ID], responses={204: None})
    def destroy(self, request, pk=None):
        """Delete a file of the current round (dossiers.services.delete_document)."""
        document = self._document(request, pk)
        with transaction.atomic():
            dossier_services.delete_document(document.pk, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ID],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The stored file, as uploaded; the download is audited."""
        document = self._document(request, pk)
        handle = dossier_services.open_document(document, by=request.user)
        response = _file(handle, "application/octet-stream", document.original_name)
        response["X-Content-Type"] = document.content_type
        response["X-Content-SHA256"] = document.sha256
        return response


# --- tasks -----------------------------------------------------------------------------------


@extend_schema(tags=["tasks"])
class TaskViewSet(viewsets.GenericViewSet):
    """Your open tasks, those you claimed and those you may claim, in the order the inbox
    page lists them (oldest change first)."""

    serializer_class = s.TaskSerializer
    pagination_class = None

    @extend_schema(responses={200: s.TaskSerializer(many=True)})
    def list(self, request):
        dossiers = list(inbox_dossiers(request.user))  # the inbox page's own query
        tasks = tasks_of(request.user, dossiers)
        rows = [
            {
                "id": tasks[d.pk].pk,
                "status": tasks[d.pk].status,
                "node": tasks[d.pk].flow_task.name,
                "claimed_by_me": tasks[d.pk].owner_id == request.user.pk,
                "dossier": d,
            }
            for d in dossiers
        ]
        return Response(s.TaskSerializer(rows, many=True).data)

    @extend_schema(parameters=[ID], request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task_id = _int(pk)
        if not claimable_tasks(request.user).filter(pk=task_id).exists():
            raise NotFound
        with transaction.atomic():
            claim_task(task_id, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[ID], request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        task_id = _int(pk)
        if not assigned_tasks(request.user).filter(pk=task_id).exists():
            raise NotFound
        with transaction.atomic():
            release_task(task_id, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- councils --------------------------------------------------------------------------------


@extend_schema(tags=["meetings"])
class CouncilViewSet(viewsets.ReadOnlyModelViewSet):
    """Councils whose sessions the user chairs or prepares, with their members (the roll
    and the recusals name members by these ids)."""

    serializer_class = s.CouncilSerializer
    cursor_ordering = ("pk",)

    def get_queryset(self):
        return council_queries.councils_chaired_by(self.request.user)

    def get_object(self):
        return self.get_queryset().get(pk=_int(self.kwargs["pk"]))


@extend_schema(tags=["meetings"])
class MeetingViewSet(viewsets.GenericViewSet):
    """Sessions of the councils the user chairs or prepares (councils.queries)."""

    serializer_class = s.MeetingSerializer
    cursor_ordering = ("-scheduled_for", "-pk")

    def get_queryset(self):
        return council_queries.meetings_run_by(self.request.user)

    def _meeting(self, request, pk) -> Meeting:
        return council_queries.meeting_run_by(request.user, _int(pk))

    def _answer(self, request, meeting_id: int) -> Response:
        return Response(s.MeetingSerializer(self._meeting(request, meeting_id)).data)

    @extend_schema(responses={200: s.MeetingSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.MeetingSerializer(page, many=True).data)

    @extend_schema(request=s.MeetingCreateSerializer, responses={201: s.MeetingSerializer})
    def create(self, request):
        data = _valid(s.MeetingCreateSerializer, request.data)
        council = council_queries.councils_managed_by(request.user).get(pk=data.pop("council"))
        with transaction.atomic():
            meeting = councils.create_meeting(council.pk, by=request.user, **data)
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ID], responses={200: s.MeetingSerializer})
    def retrieve(self, request, pk=None):
        return self._answer(request, pk)

    @extend_schema(
        parameters=[ID], request=s.AgendaAddSerializer, responses={200: s.MeetingSerializer}
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """Put a dossier before the council on this meeting's agenda."""
        meeting = self._meeting(request, pk)
        data = _valid(s.AgendaAddSerializer, request.data)
        dossier = _visible_dossier(request.user, data["dossier"])
        with transaction.atomic():
            councils.add_to_agenda(meeting.pk, by=request.user, dossier_id=dossier.pk)
        return self._answer(request, meeting.pk)

    @extend_schema(
        parameters=[ID], request=s.AttendanceSerializer, responses={200: s.MeetingSerializer}
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Take the roll: `absent` maps council member id to the reason."""
        meeting = self._meeting(request, pk)
        data = _valid(s.AttendanceSerializer, request.data)
        with transaction.atomic():
            councils.record_attendance(meeting.pk, by=request.user, absent=data.get("absent", {}))
        return self._answer(request, meeting.pk)

    @extend_schema(
        parameters=[ID], request=s.RecusalSerializer, responses={200: s.MeetingSerializer}
    )
    @action(detail=True, methods=["post"])
    def recusals(self, request, pk=None):
        """Confirm that a member does not vote on a nominee (he is that person)."""
        meeting = self._meeting(request, pk)
        data = _valid(s.RecusalSerializer, request.data)
        with transaction.atomic():
            councils.confirm_recusal(
                meeting.pk, by=request.user, member_id=data["member"], nominee_id=data["nominee"]
            )
        return self._answer(request, meeting.pk)

    @extend_schema(
        parameters=[ID],
        request={"multipart/form-data": s.WrittenOpinionSerializer},
        responses={200: s.MeetingSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="written-opinions",
        url_name="written-opinions",
        parser_classes=[MultiPartParser, FormParser],
    )
    def written_opinions(self, request, pk=None):
        """Record an absent member's written opinion with its document (the secretariat)."""
        meeting = self._meeting(request, pk)
        data = _valid(s.WrittenOpinionSerializer, request.data)
        upload = data["file"]
        with transaction.atomic():
            councils.record_written_opinion(
                meeting.pk,
                by=request.user,
                member_id=data["member"],
                nominee_id=data["nominee"],
                choice=data["choice"],
                document_number=data.get("document_number", ""),
                document_date=data.get("document_date"),
                upload=(upload.name, upload.size, upload.chunks()),
            )
        return self._answer(request, meeting.pk)

    @extend_schema(parameters=[ID], request=None, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        meeting = self._meeting(request, pk)
        with transaction.atomic():
            councils.open_meeting(meeting.pk, by=request.user)
        return self._answer(request, meeting.pk)

    @extend_schema(parameters=[ID], request=s.NoteSerializer, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Count the ballots and hand each dossier its result (councils.services.close_meeting)."""
        meeting = self._meeting(request, pk)
        data = _valid(s.NoteSerializer, request.data)
        with transaction.atomic():
            councils.close_meeting(meeting.pk, by=request.user, note=data.get("note", ""))
        return self._answer(request, meeting.pk)

    @extend_schema(parameters=[ID], responses={200: s.ProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """How many have voted: counts only, never who or what."""
        meeting = self._meeting(request, pk)
        return Response(
            s.ProgressSerializer(councils.ballot_progress(meeting.pk, by=request.user)).data
        )

    @extend_schema(parameters=[ID], responses={200: s.ResultSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request, pk=None):
        """A closed meeting's totals per nominee (the minutes' figures)."""
        meeting = self._meeting(request, pk)
        if meeting.status != MeetingStatus.CLOSED:
            raise DomainError("not_closed", _("Kết quả: phiên họp chưa kết thúc, chưa kiểm phiếu."))
        rows = NomineeResult.objects.filter(item__meeting=meeting).select_related("item")
        return Response(s.ResultSerializer(rows.order_by("pk"), many=True).data)


@extend_schema(tags=["ballots"])
class BallotViewSet(viewsets.GenericViewSet):
    """A council member's ballots. A secret ballot stays secret: the API takes a choice and
    answers only whether it counted; it never returns any member's choice (the sealed
    ballots are opened only by close_meeting, into totals)."""

    serializer_class = s.BallotsToCastSerializer
    pagination_class = None

    @extend_schema(responses={200: s.BallotsToCastSerializer(many=True)})
    def list(self, request):
        """Open meetings where the user holds a voting seat, and the nominees open to them."""
        rows = []
        for meeting in council_queries.ballots_to_cast(request.user):
            mine = council_queries.receipts_of(request.user, meeting)
            recused = set(
                Recusal.objects.filter(meeting=meeting, member__user=request.user).values_list(
                    "nominee_id", flat=True
                )
            )
            nominees = [
                {
                    "id": n.pk,
                    "full_name": n.full_name,
                    "dossier": n.dossier_id,
                    "cast": n.pk in mine,
                    "recused": n.pk in recused,
                }
                for item in meeting.items.select_related("dossier")
                for n in item.dossier.active_nominees()
            ]
            meeting.nominees = nominees
            rows.append(meeting)
        return Response(s.BallotsToCastSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("meeting", OpenApiTypes.INT, "path")],
        request=s.BallotSerializer,
        responses={200: s.BallotAnswerSerializer},
    )
    @action(detail=False, methods=["post"], url_path=r"(?P<meeting>[^/.]+)/cast")
    def cast(self, request, meeting=None):
        meeting_id = _int(meeting)
        found = Meeting.objects.filter(pk=meeting_id).first()
        # Only a voting seat opens a meeting's ballot; to anyone else it does not exist.
        if found is None or council_queries.seat_of(request.user, found) is None:
            raise NotFound
        data = _valid(s.BallotSerializer, request.data)
        with transaction.atomic():
            counted = councils.cast_ballot(
                meeting_id, by=request.user, nominee_id=data["nominee"], choice=data["choice"]
            )
        return Response({"counted": counted})


# --- decisions -------------------------------------------------------------------------------


@extend_schema(tags=["decisions"])
class DecisionViewSet(viewsets.GenericViewSet):
    """Decisions the user may see (decisions.queries.decisions_visible_to): the issuer's
    secretariat and signers see drafts; those who see a covered dossier see it issued."""

    serializer_class = s.DecisionSerializer
    cursor_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return decision_queries.decisions_visible_to(self.request.user)

    def _decision(self, request, pk) -> Decision:
        return decision_queries.decision_for(request.user, _int(pk))

    def _answer(self, request, decision_id: int, code: int = 200) -> Response:
        return Response(
            s.DecisionSerializer(self._decision(request, decision_id)).data, status=code
        )

    @extend_schema(responses={200: s.DecisionSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.DecisionSerializer(page, many=True).data)

    @extend_schema(request=s.DecisionCreateSerializer, responses={201: s.DecisionSerializer})
    def create(self, request):
        """A draft for passed nominees awaiting the issuer's decision."""
        data = _valid(s.DecisionCreateSerializer, request.data)
        issuer = decision_queries.drafting_orgs(request.user).get(pk=data.pop("issuer"))
        fields = {k: v for k, v in data.items() if k in ("title", "proposal_ref") and v}
        with transaction.atomic():
            decision = decisions.create_draft(
                issuer.pk, by=request.user, nominee_ids=data["nominees"], **fields
            )
        return self._answer(request, decision.pk, code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("issuer", OpenApiTypes.INT, required=True)],
        responses={200: s.AwardableSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def awardable(self, request):
        """Passed nominees the secretariat may put in a draft for `issuer`."""
        issuer = decision_queries.drafting_orgs(request.user).get(
            pk=_int(request.query_params.get("issuer"))
        )
        rows = decisions.awardable_nominees(issuer)
        return Response(s.AwardableSerializer(rows, many=True).data)

    @extend_schema(parameters=[ID], responses={200: s.DecisionSerializer})
    def retrieve(self, request, pk=None):
        return self._answer(request, pk)

    @extend_schema(parameters=[ID], request=s.NoteSerializer, responses={200: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The secretariat submits the draft for signature."""
        decision = self._decision(request, pk)
        data = _valid(s.NoteSerializer, request.data)
        with transaction.atomic():
            decisions.submit_for_signature(decision.pk, by=request.user, note=data.get("note", ""))
        return self._answer(request, decision.pk)

    @extend_schema(
        parameters=[ID], request=s.CommentSerializer, responses={200: s.DecisionSerializer}
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_draft(self, request, pk=None):
        """The signing authority sends a submitted draft back, saying what to change."""
        decision = self._decision(request, pk)
        data = _valid(s.CommentSerializer, request.data)
        with transaction.atomic():
            decisions.return_draft(decision.pk, by=request.user, comment=data.get("comment", ""))
        return self._answer(request, decision.pk)

    @extend_schema(
        parameters=[ID], request=s.ReasonSerializer, responses={200: s.DecisionSerializer}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The secretariat drops a draft (it never had a number)."""
        decision = self._decision(request, pk)
        data = _valid(s.ReasonSerializer, request.data)
        with transaction.atomic():
            decisions.cancel_draft(decision.pk, by=request.user, reason=data.get("reason", ""))
        return self._answer(request, decision.pk)

    @extend_schema(
        parameters=[ID], request=s.IssueSerializer, responses={200: s.DecisionSerializer}
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """The signing authority signs: number, registry entries, dossiers decided; the
        signed PDF follows after commit."""
        decision = self._decision(request, pk)
        data = _valid(s.IssueSerializer, request.data)
        with transaction.atomic():
            decisions.issue_decision(decision.pk, by=request.user, issued_on=data["issued_on"])
        return self._answer(request, decision.pk)

    @extend_schema(parameters=[ID], responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        """The Word decision (a draft's as it stands; an issued one's with its number)."""
        decision = self._decision(request, pk)
        return _file(build_decision(decision_doc(decision)), DOCX, f"quyet-dinh-{decision.pk}.docx")

    @extend_schema(parameters=[ID], responses={(200, PDF): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The signed PDF of an issued decision, byte for byte as signed (409 until then)."""
        decision = self._decision(request, pk)
        signed = SignedDecision.objects.filter(decision=decision).first()
        if decision.status != DecisionStatus.ISSUED or signed is None:
            raise DomainError(
                "not_signed",
                _("Bản PDF đã ký: chỉ có khi quyết định đã ban hành và đã ký số xong."),
            )
        return _file(
            signed_path(signed).read_bytes(),
            PDF,
            f"quyet-dinh-{decision.pk}-da-ky.pdf",
            X_Content_SHA256=signed.sha256,
        )


# --- registry --------------------------------------------------------------------------------


@extend_schema(tags=["registry"])
class RegistryViewSet(viewsets.GenericViewSet):
    """Awards on record the user may see (registry.queries.registry_visible_to)."""

    serializer_class = s.RegistryEntrySerializer
    cursor_ordering = ("-year", "pk")

    @extend_schema(
        parameters=[s.RegistryQuerySerializer],
        responses={200: s.RegistryEntrySerializer(many=True)},
    )
    def list(self, request):
        """Search by name (folded: marks and case do not matter), organisation, year, form."""
        query = _valid(s.RegistryQuerySerializer, request.query_params)
        query.pop("cursor", None)
        rows = registry_queries.search_registry(request.user, **query)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.RegistryEntrySerializer(page, many=True).data)

    def _entry(self, request, pk) -> RegistryEntry:
        return registry_queries.registry_visible_to(request.user).get(pk=_int(pk))

    @extend_schema(parameters=[ID], responses={200: s.RegistryEntrySerializer})
    def retrieve(self, request, pk=None):
        return Response(s.RegistryEntrySerializer(self._entry(request, pk)).data)

    @extend_schema(parameters=[ID], responses={200: s.RegistryEntrySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every award on record for the same person or collective (same identity key)."""
        entry = self._entry(request, pk)
        rows = registry_queries.registry_visible_to(request.user).filter(
            subject_key=entry.subject_key
        )
        rows = rows.order_by("-year", "-decision_date", "pk")
        return Response(s.RegistryEntrySerializer(rows, many=True).data)


# --- notifications and tokens ---------------------------------------------------------------


@extend_schema(tags=["notifications"])
class NotificationViewSet(viewsets.GenericViewSet):
    """The in-app notices the bell shows (notifications.inbox.visible_to)."""

    serializer_class = s.NotificationSerializer
    cursor_ordering = ("-created_at", "-pk")

    @extend_schema(responses={200: s.NotificationSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(inbox.visible_to(request.user))
        return self.get_paginated_response(s.NotificationSerializer(page, many=True).data)

    @extend_schema(request=s.MarkReadSerializer, responses={200: s.MarkedSerializer})
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark notices read: the ids given, or every one when none is given."""
        data = _valid(s.MarkReadSerializer, request.data)
        return Response({"marked": inbox.mark_read(request.user, ids=data.get("ids"))})


@extend_schema(tags=["tokens"])
class TokenViewSet(viewsets.GenericViewSet):
    """The user's own API tokens (an administrator names `user` to make one for a person
    of his organisations). The secret is in the creation's answer only."""

    serializer_class = s.TokenSerializer

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).select_related("user")

    @extend_schema(responses={200: s.TokenSerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.TokenSerializer(page, many=True).data)

    @extend_schema(request=s.TokenCreateSerializer, responses={201: s.NewTokenSerializer})
    def create(self, request):
        data = _valid(s.TokenCreateSerializer, request.data)
        user = request.user
        if data.get("user"):
            user = type(request.user).objects.get(pk=data["user"])
            if not services.may_manage_tokens_of(request.user, user):
                raise NotFound
        with transaction.atomic():
            made = services.create_token(user=user, by=request.user, name=data["name"])
        payload = s.TokenSerializer(made.token).data | {"secret": made.secret}
        return Response(payload, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ID], request=s.ReasonSerializer, responses={200: s.TokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = ApiToken.objects.select_related("user").get(pk=_int(pk))
        if not services.may_manage_tokens_of(request.user, token.user):
            raise NotFound
        data = _valid(s.ReasonSerializer, request.data)
        with transaction.atomic():
            token = services.revoke_token(token.pk, by=request.user, reason=data.get("reason", ""))
        return Response(s.TokenSerializer(token).data)
