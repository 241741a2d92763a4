"""Councils, their dated members, meetings, agendas, attendance, and ballots.

Secret ballots are two tables that share no key: `BallotReceipt` says that a member voted on
a nominee (and stops a second vote by a unique constraint), `SecretChoice` holds what was
chosen, keyed by a random UUID, with no member, no timestamp and no sequence. Nothing in
the schema can join them; tests/councils/test_secrecy.py inspects the fields to keep it so.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierStage, Nominee
from organisations.models import Organisation
from workflow.stage_rules import StageRules


class Council(models.Model):
    """Hội đồng Thi đua – Khen thưởng of one organisation (unit, commune/district, province)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT
    )
    name = models.CharField(_("tên Hội đồng"), max_length=255)
    secretary_votes = models.BooleanField(
        _("thư ký có quyền biểu quyết"),
        default=False,
        help_text=_("Tắt: thư ký Hội đồng ghi biên bản, không bỏ phiếu."),
    )
    recuse_proposing_unit = models.BooleanField(
        _("thành viên thuộc đơn vị đề nghị không biểu quyết"),
        default=False,
        help_text=_(
            "Bật: thành viên công tác tại đơn vị đề nghị tự động không biểu quyết "
            "cho người được đề nghị của đơn vị đó."
        ),
    )

    class Meta:
        verbose_name = _("Hội đồng TĐKT")
        verbose_name_plural = _("Hội đồng TĐKT")
        ordering = ["organisation__path"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Thư ký")


class CouncilMember(models.Model):
    """One term of one person on a council. Dated, so any meeting's base can be rebuilt."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_terms"
    )
    role = models.CharField(
        _("chức danh trong Hội đồng"), max_length=16, choices=MemberRole.choices
    )
    position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=255, blank=True)
    home_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_code = models.CharField(
        _("mã định danh"),
        max_length=32,
        blank=True,
        help_text=_("Để tự động nhận ra khi thành viên cũng là người được đề nghị."),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["council", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user", "starts_on"], name="council_member_term_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        return f"{self.user.last_name} {self.user.first_name}".strip() or self.user.get_username()

    def votes(self) -> bool:
        return self.role != MemberRole.SECRETARY or self.council.secretary_votes


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class Meeting(models.Model):
    """A council session (phiên họp). Its minutes number comes from the council's own series."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("nội dung phiên họp"), max_length=255)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    scheduled_for = models.DateTimeField(_("thời gian họp"))
    online = models.BooleanField(
        _("bỏ phiếu trực tuyến"),
        default=False,
        help_text=_("Bật: thành viên bỏ phiếu trên trang trong thời gian mở phiếu."),
    )
    voting_closes_at = models.DateTimeField(
        _("hạn bỏ phiếu trực tuyến"),
        null=True,
        blank=True,
        help_text=_("Sau thời điểm này phiếu không được nhận; Chủ tịch vẫn kết thúc phiên họp."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số biên bản"), null=True, blank=True)
    note = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-scheduled_for", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="minutes_number_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} – {self.title}"

    @property
    def minutes_number(self) -> str:
        return f"{self.number:02d}/BB-HĐTĐKT" if self.number else ""


class AgendaItem(models.Model):
    """A dossier before the meeting, with the vote rules of its stage pinned when added."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(DossierStage, on_delete=models.PROTECT, related_name="+")
    rules = models.JSONField(help_text="DossierStage.rules when the item was added")
    position = models.PositiveSmallIntegerField(default=0)
    # Filled at close: counts as they stood, so pages and minutes never recount.
    members = models.PositiveSmallIntegerField(null=True, blank=True)
    present = models.PositiveSmallIntegerField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "stage"], name="agenda_stage_once")
        ]

    def __str__(self) -> str:
        return str(self.dossier)

    @property
    def stage_rules(self) -> StageRules:
        return StageRules.from_snapshot(self.rules)

    @property
    def secret(self) -> bool:
        return self.stage_rules.secret_ballot


class Attendance(models.Model):
    """Who sat on the council for this meeting, and whether they came (members are frozen
    when voting opens: later term changes do not move this meeting's base)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=True)
    absence_reason = models.CharField(_("lý do vắng mặt"), max_length=255, blank=True)
    votes = models.BooleanField(_("có quyền biểu quyết"), default=True)

    class Meta:
        ordering = ["meeting", "member__role", "member__pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}"


class RecusalReason(models.TextChoices):
    NOMINEE = "nominee", _("Là người được đề nghị")
    PROPOSING_UNIT = "proposing_unit", _("Công tác tại đơn vị đề nghị")


class Recusal(models.Model):
    """A member who may not vote on one nominee; found automatically when voting opens."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=RecusalReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member", "nominee"], name="recusal_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.nominee}"


class Choice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")


class BallotReceipt(models.Model):
    """That a member has voted on a nominee (turnout): never what they chose.

    The unique constraint is the guard against double votes, not a prior check: two
    requests racing on PostgreSQL both pass any SELECT, but only one INSERT survives.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="receipts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    written = models.BooleanField(
        _("phiếu gửi (vắng mặt)"), default=False, help_text=_("Thành viên vắng mặt gửi phiếu.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "meeting", "nominee"], name="one_ballot_per_member_nominee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.nominee}"


class SecretChoice(models.Model):
    """One secret choice. No member, no time, no sequence: the pk is random on purpose,
    so neither ordering nor ids follow the order of the receipts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "phiếu kín"  # nothing here may identify the voter


class OpenVote(models.Model):
    """One vote in an open session (biểu quyết công khai): who chose what, on record."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="open_votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "meeting", "nominee"], name="one_open_vote_per_member_nominee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.nominee}: {self.get_choice_display()}"


class NomineeResult(models.Model):
    """The tally for one nominee at a closed, quorate meeting (what the minutes print)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="results")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    agree = models.PositiveSmallIntegerField()
    disagree = models.PositiveSmallIntegerField()
    written = models.PositiveSmallIntegerField(default=0)
    recused = models.PositiveSmallIntegerField(default=0)
    base = models.PositiveSmallIntegerField()
    needed = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=16)

    class Meta:
        ordering = ["item", "nominee"]
        constraints = [
            models.UniqueConstraint(fields=["item", "nominee"], name="one_result_per_nominee")
        ]

    def __str__(self) -> str:
        return f"{self.nominee}: {self.agree}/{self.base}"
