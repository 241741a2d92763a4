"""What the API reads and writes. Writes are checked here for shape only (types, lengths,
choices, which objects one may name); the rules are the services', which every write calls.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from councils.models import Choice, Meeting, NomineeResult
from decisions.models import Decision
from dossiers.models import (
    AwardType,
    Campaign,
    Document,
    DocumentCategory,
    Dossier,
    DossierKind,
    Gender,
    Nominee,
    NomineeKind,
    RuleSet,
)
from notifications.models import OutboxMessage
from organisations.models import Organisation
from registry.models import RegistryEntry

from .models import ApiToken

MAX_ID = 2**31 - 1  # a larger id is refused as input, never looked up (SQLite's and PG's int)


class Id(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class ModelSerializer(serializers.ModelSerializer):
    """Model fields as read by the API, without the database's integer ranges: DRF takes them
    from the connection (SQLite and PostgreSQL differ), which would make the generated schema,
    and docs/openapi.yaml, depend on the database it was generated on."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        return field_class, kwargs


# --- reference data --------------------------------------------------------------------------


class OrganisationSerializer(ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "level", "valid_from", "valid_to", "parent"]

    def get_parent(self, obj) -> int | None:
        parent = Organisation.objects.get_parent(obj)
        return parent.pk if parent else None


class RuleSetSerializer(ModelSerializer):
    class Meta:
        model = RuleSet
        fields = ["id", "code", "name", "valid_from", "valid_to", "legal_bases"]


class AwardFormSerializer(ModelSerializer):
    rule_set = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AwardType
        fields = [
            "id",
            "code",
            "name",
            "subject",
            "deciding_authority",
            "basis",
            "rule_set",
            "is_active",
            "posting_days",
        ]


class CampaignSerializer(ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "organisation", "starts_on", "ends_on"]


# --- dossiers --------------------------------------------------------------------------------


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StageSerializer(serializers.Serializer):
    organisation = NamedSerializer()
    tier = serializers.CharField()


class DossierSerializer(ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    proposer = NamedSerializer(read_only=True)
    award_type = AwardFormSerializer(read_only=True)
    current_stage = StageSerializer(read_only=True, allow_null=True)
    due_on = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id",
            "reference",
            "title",
            "year",
            "status",
            "status_label",
            "proposer",
            "award_type",
            "campaign",
            "kind",
            "simplified",
            "letter_text",
            "act_date",
            "act_description",
            "round",
            "current_stage",
            "created_at",
            "updated_at",
            "due_on",
        ]
        read_only_fields = fields

    def get_due_on(self, obj) -> str | None:
        due = getattr(obj, "due_on", None)
        return due.isoformat() if due else None


class DossierDetailSerializer(DossierSerializer):
    actions = serializers.SerializerMethodField()
    missing_documents = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "actions", "missing_documents"]
        read_only_fields = fields

    def get_actions(self, obj) -> list[str]:
        return self.context.get("actions", [])

    def get_missing_documents(self, obj) -> list[str]:
        return list(obj.missing_documents())


class DossierWriteSerializer(serializers.Serializer):
    """The fields a proposer fills in (dossiers.services.DOSSIER_FIELDS)."""

    year = serializers.IntegerField(min_value=1945, max_value=2100)
    title = serializers.CharField(max_length=500, allow_blank=True)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=DossierKind.choices, required=False)
    simplified = serializers.BooleanField(required=False)
    letter_text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    act_date = serializers.DateField(required=False, allow_null=True)
    act_description = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DossierCreateSerializer(DossierWriteSerializer):
    proposer = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    award_type = serializers.PrimaryKeyRelatedField(queryset=AwardType.objects.none())

    def __init__(self, *args, proposers=None, award_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposers is not None:
            self.fields["proposer"].queryset = proposers
        if award_types is not None:
            self.fields["award_type"].queryset = award_types


class DossierUpdateSerializer(DossierWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ListQuerySerializer(serializers.Serializer):
    """The dossier list's filters, as the page's search form has them (dossiers.forms)."""

    q = serializers.CharField(required=False, max_length=200)
    year = serializers.IntegerField(required=False)
    campaign = serializers.IntegerField(required=False)
    award = serializers.CharField(required=False, max_length=64)
    organisation = serializers.IntegerField(required=False)
    status = serializers.CharField(required=False, max_length=32)
    overdue = serializers.BooleanField(required=False)
    task = serializers.CharField(required=False, max_length=32)
    sort = serializers.ChoiceField(choices=["updated", "reference"], required=False)
    cursor = serializers.CharField(required=False)


class NomineeSerializer(ModelSerializer):
    class Meta:
        model = Nominee
        fields = [
            "id",
            "kind",
            "full_name",
            "birth_year",
            "gender",
            "position",
            "organisation_name",
            "identity_code",
            "is_direct_worker",
            "women_share",
            "achievement_summary",
            "dropped",
        ]
        read_only_fields = fields

    dropped = serializers.SerializerMethodField()
    gender = serializers.CharField(read_only=True)  # "" when not given (blank choice)

    def get_dropped(self, obj) -> bool:
        return obj.dropped_at_id is not None


class NomineeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NomineeKind.choices)
    full_name = serializers.CharField(max_length=255)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2100
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    position = serializers.CharField(required=False, allow_blank=True, max_length=255)
    organisation_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    identity_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    is_direct_worker = serializers.BooleanField(required=False)
    women_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    achievement_summary = serializers.CharField(max_length=20000)


class NomineeUpdateSerializer(NomineeWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class NomineeImportSerializer(serializers.Serializer):
    nominees = NomineeWriteSerializer(many=True, allow_empty=False, max_length=500)


class DocumentSerializer(ModelSerializer):
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "category",
            "round",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "current",
            "nominee",
        ]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=DocumentCategory.choices)
    file = serializers.FileField(max_length=255, allow_empty_file=False)
    nominee = Id(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AcceptSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, allow_null=True)

    def validate_received_on(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("Ngày tiếp nhận không được sau hôm nay."))
        return value


# --- tasks -----------------------------------------------------------------------------------


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    node = serializers.CharField()
    claimed_by_me = serializers.BooleanField()
    dossier = DossierSerializer()


# --- councils --------------------------------------------------------------------------------


class CouncilMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    username = serializers.CharField(source="user.username", allow_null=True)
    votes = serializers.BooleanField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)


class CouncilSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = NamedSerializer()
    members = serializers.SerializerMethodField()

    @extend_schema_field(CouncilMemberSerializer(many=True))
    def get_members(self, obj) -> list[dict]:
        rows = obj.members.select_related("user", "council").order_by("pk")
        return [
            {
                "id": m.pk,
                "name": m.name,
                "role": m.role,
                "username": m.user.username if m.user_id else None,
                "votes": m.votes(),
                "starts_on": m.starts_on,
                "ends_on": m.ends_on,
            }
            for m in rows
        ]


class MeetingSerializer(ModelSerializer):
    council = NamedSerializer(read_only=True)
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "title",
            "place",
            "scheduled_for",
            "online",
            "voting_closes_at",
            "status",
            "kind",
            "opened_at",
            "closed_at",
            "agenda",
        ]
        read_only_fields = fields

    def get_agenda(self, obj) -> list[dict]:
        return [
            {"item": item.pk, "dossier": item.dossier_id, "reference": item.dossier.reference}
            for item in obj.items.select_related("dossier").order_by("position")
        ]


class MeetingCreateSerializer(serializers.Serializer):
    council = Id()
    title = serializers.CharField(max_length=255)
    scheduled_for = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, max_length=255)
    online = serializers.BooleanField(required=False)
    voting_closes_at = serializers.DateTimeField(required=False, allow_null=True)


class AgendaAddSerializer(serializers.Serializer):
    dossier = Id()


class AttendanceSerializer(serializers.Serializer):
    absent = serializers.DictField(
        child=serializers.CharField(max_length=255, allow_blank=True), required=False
    )

    def validate_absent(self, value):
        try:
            return {int(k): v for k, v in value.items() if 0 < int(k) <= MAX_ID}
        except ValueError:
            raise serializers.ValidationError(_("Mã thành viên phải là số.")) from None


class RecusalSerializer(serializers.Serializer):
    member = Id()
    nominee = Id()


class WrittenOpinionSerializer(serializers.Serializer):
    """An absent member's written opinion (Decree 98/2023 art. 30 §7), with its document.
    Not a secret ballot: it is a signed letter, kept with the meeting's papers."""

    member = Id()
    nominee = Id()
    choice = serializers.ChoiceField(choices=Choice.choices)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    document_date = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(max_length=255, allow_empty_file=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BallotSerializer(serializers.Serializer):
    """One choice on one nominee. The answer says whether it counted (a repeat does not),
    never what any member chose."""

    nominee = Id()
    choice = serializers.ChoiceField(choices=Choice.choices)


class BallotAnswerSerializer(serializers.Serializer):
    counted = serializers.BooleanField()


class BallotsToCastSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    council = serializers.CharField(source="council.name")
    voting_closes_at = serializers.DateTimeField(allow_null=True)
    cast = serializers.IntegerField()
    nominees = serializers.ListField(child=serializers.DictField())


class ProgressSerializer(serializers.Serializer):
    """Counts only (councils.services.ballot_progress): nobody's name, nobody's choice."""

    voters = serializers.IntegerField()
    voted = serializers.IntegerField()
    partly = serializers.IntegerField()
    ballots_cast = serializers.IntegerField()
    ballots_expected = serializers.IntegerField()
    absent = serializers.IntegerField()
    written = serializers.IntegerField()
    is_open = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)


class ResultSerializer(ModelSerializer):
    """A closed meeting's totals per nominee: the minutes' figures, no member's choice."""

    dossier = serializers.IntegerField(source="item.dossier_id")

    class Meta:
        model = NomineeResult
        fields = [
            "nominee",
            "dossier",
            "agree",
            "disagree",
            "written",
            "recused",
            "base",
            "needed",
            "outcome",
        ]
        read_only_fields = fields


# --- decisions -------------------------------------------------------------------------------


class DecisionSerializer(ModelSerializer):
    issuer = NamedSerializer(read_only=True)
    capacity = serializers.CharField(read_only=True)  # "" until signed
    award_type = serializers.CharField(source="award_type.code", read_only=True)
    nominees = serializers.SerializerMethodField()
    dossiers = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "issuer",
            "award_type",
            "status",
            "title",
            "label",
            "issued_on",
            "signer_name",
            "signer_title",
            "capacity",
            "proposal_ref",
            "created_at",
            "nominees",
            "dossiers",
        ]
        read_only_fields = fields

    def get_nominees(self, obj) -> list[int]:
        return list(obj.lines.order_by("pk").values_list("nominee_id", flat=True))

    def get_dossiers(self, obj) -> list[int]:
        return list(obj.dossiers.order_by("pk").values_list("pk", flat=True))


class DecisionCreateSerializer(serializers.Serializer):
    issuer = Id()
    nominees = serializers.ListField(child=Id(), allow_empty=False, max_length=1000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    proposal_ref = serializers.CharField(required=False, allow_blank=True, max_length=255)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class IssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField()


class AwardableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    dossier = serializers.IntegerField(source="dossier_id")
    award_type = serializers.CharField(source="dossier.award_type.code")


# --- registry, notifications, tokens ---------------------------------------------------------


class RegistryEntrySerializer(ModelSerializer):
    class Meta:
        model = RegistryEntry
        fields = [
            "id",
            "subject_kind",
            "full_name",
            "birth_year",
            "position",
            "organisation_name",
            "award_code",
            "award_name",
            "year",
            "achievement",
            "decision_label",
            "decision_date",
            "issuer_name",
            "status",
            "prize_amount",
        ]
        read_only_fields = fields


class RegistryQuerySerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=200)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    award = serializers.CharField(required=False, allow_blank=True, max_length=64)
    cursor = serializers.CharField(required=False)


class NotificationSerializer(ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = OutboxMessage
        fields = ["id", "template", "context", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=Id(), required=False, allow_null=True, max_length=1000)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class TokenSerializer(ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class NewTokenSerializer(TokenSerializer):
    secret = serializers.CharField(read_only=True)

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    user = Id(required=False)


class ErrorSerializer(serializers.Serializer):
    """The one error shape (api/errors.py)."""

    code = serializers.CharField()
    message = serializers.DictField(child=serializers.CharField())
    field = serializers.CharField(allow_null=True)
    details = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
