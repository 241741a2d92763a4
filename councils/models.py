"""Councils, their dated members, meetings, agendas, attendance, and ballots.

Secret ballots share no key with their voters: `BallotReceipt` says that a member voted on
a nominee (and stops a second vote by a unique constraint). While voting is open, what was
chosen is a `SealedBallot`, sealed to the meeting's public key (councils/sealing.py), whose
private key is stored only wrapped under a key kept outside the database. At the close the
count opens them, writes each choice as a `SecretChoice` (random UUID, no member, no
timestamp, no sequence) in random order, deletes the sealed ballots and destroys the private
key. Nothing in the schema can join a choice to a member, and raw access to the tables (or
their old row versions) cannot pair them either; tests/councils/test_secrecy.py keeps it so.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierStage, Nominee
from organisations.models import Organisation
from workflow.stage_rules import Proportion, StageRules

# Bắc Ninh QĐ 86/2025 art. 8: an award-review meeting sits with at least 4/5 of the members;
# an ordinary meeting with 2/3. Provincial rules: each council sets its own (admin).
DEFAULT_QUORUM_BASIS = "Điều 8 Quyết định số 86/2025/QĐ-UBND tỉnh Bắc Ninh"


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

    quorum_num = models.PositiveSmallIntegerField(_("điều kiện họp thường kỳ – tử số"), default=2)
    quorum_den = models.PositiveSmallIntegerField(_("điều kiện họp thường kỳ – mẫu số"), default=3)
    quorum_strict = models.BooleanField(
        _("điều kiện họp thường kỳ phải lớn hơn"),
        default=False,
        help_text=_("Bật: 'trên' tỷ lệ; tắt: 'từ' tỷ lệ trở lên."),
    )
    award_quorum_num = models.PositiveSmallIntegerField(
        _("điều kiện họp xét khen thưởng – tử số"), default=4
    )
    award_quorum_den = models.PositiveSmallIntegerField(
        _("điều kiện họp xét khen thưởng – mẫu số"), default=5
    )
    award_quorum_strict = models.BooleanField(
        _("điều kiện họp xét khen thưởng phải lớn hơn"), default=False
    )
    quorum_basis = models.CharField(
        _("căn cứ điều kiện họp"),
        max_length=255,
        blank=True,
        default=DEFAULT_QUORUM_BASIS,
        help_text=_("Quy chế hoạt động của Hội đồng; ghi trong biên bản và thông báo."),
    )

    class Meta:
        verbose_name = _("Hội đồng TĐKT")
        verbose_name_plural = _("Hội đồng TĐKT")
        ordering = ["organisation__path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_den__gt=0, award_quorum_den__gt=0),
                name="council_quorum_denominators_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def quorum_for(self, kind: str) -> Proportion:
        """The share of members who must be present: award reviews have their own."""
        if kind == MeetingKind.AWARD:
            return Proportion(
                self.award_quorum_num, self.award_quorum_den, self.award_quorum_strict
            )
        return Proportion(self.quorum_num, self.quorum_den, self.quorum_strict)


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
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"),
        null=True,
        blank=True,
        help_text=_("Cùng họ tên: đối chiếu với người được đề nghị để cảnh báo thư ký."),
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


class MeetingKind(models.TextChoices):
    AWARD = "award", _("Họp xét khen thưởng")
    ORDINARY = "ordinary", _("Họp thường kỳ")


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
    kind = models.CharField(
        _("loại phiên họp"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.AWARD
    )
    # Pinned when voting opens (Council.quorum_for): later edits never move this meeting.
    quorum = models.JSONField(null=True, blank=True)
    quorum_basis = models.CharField(max_length=255, blank=True, default="")
    # Secret ballots (councils/sealing.py): made when voting opens. The private key is stored
    # only wrapped under settings.BALLOT_KEY_ENCRYPTION_KEY, and emptied at the close.
    ballot_public_key = models.BinaryField(default=b"", blank=True, editable=False)
    ballot_private_key = models.BinaryField(default=b"", blank=True, editable=False)
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

    @property
    def pinned_quorum(self) -> Proportion | None:
        """The quorum pinned at opening; None for a meeting opened before it was pinned."""
        return Proportion.parse(self.quorum, None) if self.quorum else None


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
    CONFIRMED = "confirmed", _("Thư ký Hội đồng xác nhận là người được đề nghị")


class Recusal(models.Model):
    """A member who may not vote on one nominee: found automatically when voting opens (by
    account, identity code or unit), or confirmed by the secretariat after a warning."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=RecusalReason.choices)
    detail = models.CharField(_("căn cứ nhận biết"), max_length=255, blank=True, default="")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

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


class WrittenOpinion(models.Model):
    """An absent member's written opinion (phiếu, ý kiến bằng văn bản) on one nominee.

    Decree 98/2023 art. 30 §7: absent members give their opinion in writing; it counts
    toward agree/disagree when the stage's rule says so, never toward the quorum, and is
    listed in the minutes. It is a signed document, so it names its member: it is recorded
    beside the secret choices, never as one of them. The member's BallotReceipt (written)
    is what stops a second vote on the same nominee.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="written")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("ý kiến"), max_length=16, choices=Choice.choices)
    document_number = models.CharField(_("số văn bản"), max_length=64, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến bằng văn bản")
        verbose_name_plural = _("ý kiến bằng văn bản")
        ordering = ["meeting", "member__role", "member__pk", "nominee"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "nominee"], name="one_written_opinion_per_nominee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.nominee}"

    @property
    def document_label(self) -> str:
        """What the minutes cite: the number and date, and/or the attached file."""
        parts = []
        if self.document_number:
            parts.append(f"số {self.document_number}")
        if self.document_date:
            parts.append(f"ngày {self.document_date:%d/%m/%Y}")
        if self.original_name:
            parts.append(f"tệp {self.original_name}")
        return ", ".join(parts)


class SealedBallot(models.Model):
    """One secret choice while voting is open, sealed to the meeting's public key.

    Written with its member's receipt in one transaction (its `xmin` pairs with the receipt's),
    but nobody reading the database can open it: the private key is wrapped under a key held
    outside the database. No member, no time, a random key; every blob has the same length.
    Deleted at the close, when the private key is destroyed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "phiếu kín (niêm phong)"  # nothing here may identify the voter


class SecretChoice(models.Model):
    """One secret choice, opened at the close. No member, no time, no sequence: all of a
    meeting's choices are written by the closing transaction, in random order, under random
    keys, so neither ordering, ids nor transaction ids follow the order of the receipts."""

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
