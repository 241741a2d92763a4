"""Award catalogue (dated rule sets), dossiers, nominees and their documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from registry.identity import nominee_subject_key
from workflow.lifecycle import DossierLifecycle
from workflow.stage_rules import PARTY_OPINION_CATEGORY, Proportion, StageRules
from workflow.states import OPEN_STATES, DossierStatus, StageTier


class RuleSet(models.Model):
    """A dated bundle of rules (e.g. RS-2025: Law 06/2022 + Decree 152/2025).

    Dossiers snapshot the values they use when they become complete, so editing or
    replacing a rule set never changes a dossier already under way or decided.
    """

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    legal_bases = models.JSONField(
        _("căn cứ pháp lý"),
        default=list,
        blank=True,
        help_text=_("Mỗi dòng một căn cứ, không có dấu ';' ở cuối."),
    )
    incompleteness_notice_days = models.PositiveSmallIntegerField(
        _("thời hạn thông báo hồ sơ chưa đầy đủ (ngày làm việc)"), default=3
    )
    disclosure_days = models.PositiveSmallIntegerField(
        _("thời gian công khai danh sách (ngày làm việc)"), default=5
    )

    class Meta:
        verbose_name = _("bộ quy tắc")
        verbose_name_plural = _("bộ quy tắc")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    BOTH = "both", _("Cá nhân và tập thể")


class NomineeKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


class AwardType(models.Model):
    """An award form or emulation title within one rule set (CSTĐCS, Bằng khen…)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="award_types")
    code = models.SlugField(
        _("mã"), max_length=32, help_text=_("Giữ nguyên mã giữa các bộ quy tắc.")
    )
    name = models.CharField(_("tên"), max_length=255)
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    deciding_authority = models.CharField(_("thẩm quyền quyết định"), max_length=255)
    basis = models.CharField(
        _("căn cứ (thẩm quyền, tiêu chuẩn)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Điều 59 Nghị định 129/2025/NĐ-CP; khoản 1 Điều 80 Luật TĐKT."),
    )
    note = models.CharField(
        _("ghi chú (tỉnh quy định, chờ xác nhận)"),
        max_length=255,
        blank=True,
        help_text=_("Ghi rõ giá trị do tỉnh quy định hoặc còn chờ xác nhận."),
    )
    decision_title = models.CharField(
        _("trích yếu quyết định"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    )
    prize_note = models.CharField(_("tiền thưởng (ghi tại Điều 2)"), max_length=255, blank=True)
    eligibility = models.JSONField(
        _("điều kiện (khai báo)"),
        default=dict,
        blank=True,
        help_text=_("Các quy tắc xét điều kiện, hạn mức; xem docs/eligibility.md."),
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # Public posting (công khai) and prize money: provincial and national data (posting-prize).
    posting_days = models.PositiveSmallIntegerField(
        _("thời gian công khai danh sách (ngày làm việc)"),
        default=0,
        help_text=_(
            "0: không công khai. Ví dụ Hà Nội QĐ 71/2025 điều 5: 7 ngày làm việc trên cổng "
            "thông tin. Quyết định chỉ ban hành được sau khi hết thời gian công khai."
        ),
    )
    posting_basis = models.CharField(
        _("căn cứ công khai"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 71/2025/QĐ-UBND, điều 5."),
    )
    prize_multiple = models.DecimalField(
        _("tiền thưởng cá nhân (hệ số × lương cơ sở)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Nghị định 152/2025 điều 49–54. Trống: không có tiền thưởng. Hộ gia đình: 1,5 lần "
            "mức của cá nhân."
        ),
    )
    prize_multiple_collective = models.DecimalField(
        _("tiền thưởng tập thể (hệ số × lương cơ sở)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Nghị định 152/2025 điều 49–54. Trống: không có tiền thưởng."),
    )

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["rule_set", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "code"], name="award_type_code_per_rule_set"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def accepts(self, kind: str) -> bool:
        if self.subject == Subject.BOTH:
            return True
        if self.subject == Subject.INDIVIDUAL:
            return kind == NomineeKind.INDIVIDUAL
        return kind in (NomineeKind.COLLECTIVE, NomineeKind.HOUSEHOLD)


class ThresholdBase(models.TextChoices):
    ALL_MEMBERS = "all_members", _("Tổng số thành viên Hội đồng")
    PRESENT = "present", _("Số thành viên có mặt")
    VALID_BALLOTS = "valid_ballots", _("Số phiếu hợp lệ")


class RouteStage(models.Model):
    """One stage of an award form's route; the route is the ordered list of its stages.

    The organisation acting at a stage is the proposer's nearest ancestor of one of
    `levels` in force on the day; a stage with no such ancestor is skipped (a provincial
    department's dossier skips the district). The last stage decides.
    """

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    tier = models.CharField(_("tầng"), max_length=16, choices=StageTier.choices)
    levels = models.JSONField(
        _("cấp thực hiện"),
        default=list,
        help_text=_('Danh sách cấp, ví dụ ["district"] hoặc ["commune", "department"].'),
    )
    has_council = models.BooleanField(_("có Hội đồng TĐKT xét"), default=True)
    limit_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"), default=20)
    limit_days_with_consultation = models.PositiveSmallIntegerField(
        _("thời hạn khi có hiệp y (ngày làm việc)"), null=True, blank=True
    )
    limit_days_simplified = models.PositiveSmallIntegerField(
        _("thời hạn theo thủ tục đơn giản (ngày làm việc)"), null=True, blank=True
    )
    consultation = models.BooleanField(
        _("có lấy ý kiến hiệp y"),
        default=False,
        help_text=_("Bật: thời hạn của bước là thời hạn khi có hiệp y."),
    )
    # Vote rule: exact fractions, compared by cross-multiplication (councils.voting).
    threshold_num = models.PositiveSmallIntegerField(_("tỷ lệ đồng ý – tử số"), default=1)
    threshold_den = models.PositiveSmallIntegerField(_("tỷ lệ đồng ý – mẫu số"), default=2)
    threshold_strict = models.BooleanField(
        _("phải lớn hơn (không tính bằng)"),
        default=True,
        help_text=_("Bật: 'trên' tỷ lệ; tắt: 'từ' tỷ lệ trở lên."),
    )
    threshold_base = models.CharField(
        _("tính trên"), max_length=16, choices=ThresholdBase.choices, default=ThresholdBase.PRESENT
    )
    count_written_votes = models.BooleanField(_("tính phiếu gửi của người vắng mặt"), default=False)
    quorum_num = models.PositiveSmallIntegerField(_("điều kiện họp – tử số"), default=2)
    quorum_den = models.PositiveSmallIntegerField(_("điều kiện họp – mẫu số"), default=3)
    quorum_strict = models.BooleanField(_("điều kiện họp phải lớn hơn"), default=False)
    secret_ballot = models.BooleanField(_("bỏ phiếu kín"), default=True)
    basis = models.CharField(
        _("căn cứ (thời hạn, biểu quyết)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP; QĐ 638/QĐ-BNV 2025."),
    )
    note = models.CharField(_("ghi chú (tỉnh quy định, chờ xác nhận)"), max_length=255, blank=True)
    recuse_proposing_unit = models.BooleanField(
        _("thành viên thuộc đơn vị đề nghị không biểu quyết"),
        default=False,
        help_text=_(
            "Bật: ở bước này, thành viên công tác tại đơn vị đề nghị không biểu quyết cho "
            "người được đề nghị của đơn vị đó, kể cả khi Hội đồng không quy định như vậy."
        ),
    )
    party_opinion_required = models.BooleanField(
        _("cần ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy"),
        default=False,
        help_text=_(
            "Bật: bước này chỉ chuyển hồ sơ đi (chuyển tiếp, trình Hội đồng) khi đã đính kèm "
            "ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy (ví dụ Bắc Ninh QĐ 86/2025 điều 5 "
            "khoản 1 điểm a)."
        ),
    )
    party_opinion_basis = models.CharField(
        _("căn cứ lấy ý kiến Ban Thường vụ Tỉnh ủy"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("bước của quy trình")
        verbose_name_plural = _("quy trình (các bước)")
        ordering = ["award_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "position"], name="route_stage_position")
        ]

    def __str__(self) -> str:
        return f"{self.award_type} #{self.position} ({self.get_tier_display()})"

    def clean(self) -> None:
        super().clean()
        if self.consultation and not self.limit_days_with_consultation:
            raise ValidationError(
                {
                    "limit_days_with_consultation": _(
                        "Bước có lấy ý kiến hiệp y cần thời hạn khi có hiệp y."
                    )
                }
            )

    def rules(self) -> StageRules:
        """The values a dossier keeps for this stage (stored as `.to_snapshot()`), whatever
        later edits do."""
        return StageRules(
            position=self.position,
            tier=self.tier,
            levels=tuple(self.levels),
            has_council=self.has_council,
            limit_days=self.limit_days,
            limit_days_with_consultation=self.limit_days_with_consultation,
            limit_days_simplified=self.limit_days_simplified,
            threshold=Proportion(self.threshold_num, self.threshold_den, self.threshold_strict),
            threshold_base=self.threshold_base,
            count_written_votes=self.count_written_votes,
            quorum=Proportion(self.quorum_num, self.quorum_den, self.quorum_strict),
            secret_ballot=self.secret_ballot,
            consultation=self.consultation,
            recuse_proposing_unit=self.recuse_proposing_unit,
            basis=self.basis,
            note=self.note,
            party_opinion_required=self.party_opinion_required,
        )


class DocumentCategory(models.TextChoices):
    SUBMISSION_LETTER = "submission_letter", _("Tờ trình kèm danh sách")
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    SUMMARY_REPORT = "summary_report", _("Báo cáo tóm tắt thành tích")
    MINUTES = "minutes", _("Biên bản họp Hội đồng đơn vị")
    INITIATIVE = "initiative", _("Quyết định công nhận sáng kiến")
    INITIATIVE_EFFECT = "initiative_effect", _("Xác nhận phạm vi ảnh hưởng của sáng kiến")
    PRIOR_DECISIONS = "prior_decisions", _("Các quyết định khen thưởng trước")
    CLUSTER_SCORE = "cluster_score", _("Kết quả chấm điểm cụm, khối thi đua")
    CONFIRMATION = "confirmation", _("Xác nhận của cơ quan có thẩm quyền")
    PARTY_OPINION = PARTY_OPINION_CATEGORY, _("Ý kiến bằng văn bản của Ban Thường vụ Tỉnh ủy")
    OTHER = "other", _("Tài liệu khác")


class RequiredDocument(models.Model):
    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="required")
    category = models.CharField(_("loại tài liệu"), max_length=32, choices=DocumentCategory.choices)
    simplified = models.BooleanField(
        _("áp dụng cho thủ tục đơn giản"),
        default=False,
        help_text=_("Tắt: danh mục của thủ tục thông thường; bật: của thủ tục đơn giản."),
    )
    basis = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV."),
    )

    class Meta:
        verbose_name = _("tài liệu bắt buộc")
        verbose_name_plural = _("tài liệu bắt buộc")
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "category", "simplified"], name="required_document_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()


def campaign_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT)


class CampaignKind(models.TextChoices):
    YEARLY = "yearly", _("Thường xuyên, hằng năm")
    MULTI_YEAR = "multi_year", _("Nhiều năm (giai đoạn)")
    THEMATIC = "thematic", _("Chuyên đề, theo đợt")


class Campaign(models.Model):
    """An emulation movement (phong trào thi đua) with its period.

    The launching document, the scope and the award forms it leads to are the campaign's
    own facts (issue 16); its targets, phases, commitments, results and role models live in
    the `campaigns` app, which builds on this row.
    """

    name = models.CharField(_("tên phong trào"), max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan phát động"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    kind = models.CharField(
        _("loại phong trào"),
        max_length=16,
        choices=CampaignKind.choices,
        default=CampaignKind.YEARLY,
        help_text=_(
            "Chuyên đề: kết quả khen thưởng chuyên đề không dùng làm căn cứ đề nghị khen "
            "thưởng theo công trạng (Điều 4 khoản 3 Nghị định 152/2025/NĐ-CP)."
        ),
    )
    theme = models.TextField(
        _("chủ đề, khẩu hiệu"),
        blank=True,
        help_text=_("Ví dụ: “Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”."),
    )
    document_number = models.CharField(
        _("số văn bản phát động"),
        max_length=64,
        blank=True,
        help_text=_("Ví dụ: 125/KH-UBND."),
    )
    document_date = models.DateField(_("ngày văn bản phát động"), null=True, blank=True)
    document_signer = models.CharField(
        _("người ký văn bản phát động"),
        max_length=255,
        blank=True,
        help_text=_("Họ tên và chức vụ, ví dụ: Hồ Tiến Thiệu, Chủ tịch UBND tỉnh."),
    )
    # Kept with the other private files and served by a log-in view (campaigns.views),
    # never from MEDIA_URL, which is not routed.
    document_file = models.FileField(
        _("tệp văn bản phát động"),
        upload_to="campaigns/%Y/",
        storage=campaign_storage,
        blank=True,
    )
    scope = models.ManyToManyField(
        Organisation,
        verbose_name=_("phạm vi (cơ quan, đơn vị tham gia)"),
        blank=True,
        related_name="campaigns_in_scope",
        help_text=_("Mỗi cơ quan chọn ở đây kéo theo mọi đơn vị trực thuộc (theo cây tổ chức)."),
    )
    award_types = models.ManyToManyField(
        AwardType,
        verbose_name=_("hình thức khen thưởng của phong trào"),
        blank=True,
        related_name="campaigns",
    )

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class DossierKind(models.TextChoices):
    ANNUAL = "annual", _("Thường xuyên (theo năm)")
    THEMATIC = "thematic", _("Chuyên đề, theo đợt")
    AD_HOC = "ad_hoc", _("Đột xuất")


class Dossier(DossierLifecycle, models.Model):
    """A unit's proposal (hồ sơ đề nghị khen thưởng) for one award form.

    `status` (django-fsm-2, protected) is the only record of where the dossier stands;
    viewflow tasks and pages read it, and only workflow.services changes it.
    """

    reference = models.CharField(_("số hồ sơ"), max_length=32, unique=True)
    proposer = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("phong trào thi đua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    kind = models.CharField(
        _("loại khen thưởng"),
        max_length=16,
        choices=DossierKind.choices,
        default=DossierKind.ANNUAL,
    )
    simplified = models.BooleanField(_("thủ tục đơn giản"), default=False)
    # An ad hoc (đột xuất) award rewards one act: its date and description make the
    # achievement key (registry.identity), so the same act proposed twice is caught.
    act_date = models.DateField(_("ngày của hành động, thành tích đột xuất"), null=True, blank=True)
    act_description = models.CharField(
        _("hành động, thành tích đột xuất"), max_length=500, blank=True
    )
    title = models.CharField(_("trích yếu tờ trình"), max_length=500)
    letter_text = models.TextField(_("nội dung tờ trình"), blank=True)
    current_stage = models.ForeignKey(
        "DossierStage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("bộ quy tắc áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Ghi nhận khi hồ sơ được tiếp nhận đầy đủ lần đầu."),
    )
    rule_set_pinned_on = models.DateField(null=True, blank=True)
    rules_snapshot = models.JSONField(default=dict, blank=True)
    round = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    # core.text.fold of the reference, the title and the nominees' names, kept by
    # dossiers.search.refresh_search_text: the list's search compares folded with folded.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "proposer"])]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    def get_status_display(self) -> str:
        """The state's name. Django's own rebuilds a dict of every state's label for each call,
        translating all eleven (a list of 25 rows: 275 translations, 3-5 ms, issue 18); the
        enum finds the one label by its value."""
        try:
            return str(DossierStatus(self.status).label)
        except ValueError:
            return self.status

    def active_nominees(self) -> models.QuerySet:
        return self.nominees.filter(dropped_at__isnull=True)

    # Methods rather than dossiers.queries functions: the transitions' conditions
    # (workflow.conditions, loaded by this module's lifecycle) ask them of the dossier they
    # hold, so they need not import this app (no import cycle, issue 11).
    #
    # Once the dossier is pinned (first complete receipt, workflow.services._pin_rule_set)
    # everything it is judged by is read from `rules_snapshot`, never from the live rule
    # set: an administrator's later edit changes new dossiers only (domain §1).
    @property
    def is_pinned(self) -> bool:
        return bool(self.rules_snapshot) and "required_documents" in self.rules_snapshot

    def eligibility_rules(self) -> dict:
        """The eligibility parameters (chains, prerequisites, quotas, ratios) the dossier is
        judged by: the pinned ones once received complete, else the live award form's."""
        if self.is_pinned:
            return dict(self.rules_snapshot.get("eligibility") or {})
        return dict(self.award_type.eligibility or {})

    def required_documents(self) -> list["RequiredDocument"]:
        """The documents the dossier's award form asks for, under its procedure: the pinned
        list once received complete (unsaved rows, for their labels), else the live one."""
        if self.is_pinned:
            key = "simplified" if self.simplified else "regular"
            return [
                RequiredDocument(
                    award_type_id=self.award_type_id,
                    category=row["category"],
                    simplified=self.simplified,
                    basis=row.get("basis", ""),
                )
                for row in self.rules_snapshot["required_documents"].get(key, [])
            ]
        return list(
            RequiredDocument.objects.filter(
                award_type_id=self.award_type_id, simplified=self.simplified
            ).order_by("pk")
        )

    def required_categories(self) -> list[str]:
        return [row.category for row in self.required_documents()]

    def missing_documents(self) -> list[str]:
        """Required document categories with no file uploaded (any round counts); one query."""
        if self.is_pinned:
            uploaded = set(self.documents.values_list("category", flat=True))
            return [c for c in self.required_categories() if c not in uploaded]
        return list(
            RequiredDocument.objects.filter(
                award_type_id=self.award_type_id, simplified=self.simplified
            )
            .exclude(category__in=Document.objects.filter(dossier=self).values("category"))
            .order_by("pk")
            .values_list("category", flat=True)
        )

    def competing_nominees(self) -> models.QuerySet:
        """Active nominees of the other open dossiers of the same award form (by code, so a
        rule-set change does not hide them): what registry.checks counts as claimed elsewhere."""
        return (
            Nominee.objects.filter(
                dropped_at__isnull=True,
                dossier__status__in=OPEN_STATES,
                dossier__award_type__code=self.award_type.code,
            )
            .exclude(dossier=self)
            .select_related("dossier")
        )


class DossierStage(models.Model):
    """The dossier's visit to one stage of its route, with the organisation that acts there."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=16, choices=StageTier.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rules = models.JSONField(
        default=dict, help_text="RouteStage.rules().to_snapshot() when resolved"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    received_complete_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="dossier_stage_position")
        ]

    def __str__(self) -> str:
        return f"{self.dossier.reference} · {self.organisation}"

    @property
    def is_last(self) -> bool:
        return not self.dossier.stages.filter(position__gt=self.position).exists()

    @property
    def stage_rules(self) -> StageRules:
        return StageRules.from_snapshot(self.rules)


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


# The fields a nominee's identity key (registry.identity.subject_key) is made of.
IDENTITY_FIELDS = frozenset({"identity_code", "full_name", "birth_year", "organisation_name"})


class NomineeQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create bypasses save(): the identity key is set here too, so a nominee
        # written in bulk (demo data, imports) is found by eligibility like any other.
        objs = list(objs)
        for nominee in objs:
            nominee.subject_key = nominee_subject_key(nominee)
        return super().bulk_create(objs, *args, **kwargs)


class Nominee(models.Model):
    """A person, collective or household proposed in a dossier; each has its own outcome."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="nominees")
    kind = models.CharField(_("đối tượng"), max_length=16, choices=NomineeKind.choices)
    full_name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    organisation_name = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    identity_code = models.CharField(
        _("mã định danh"),
        max_length=32,
        blank=True,
        help_text=_("Số định danh cá nhân hoặc mã tập thể: dùng để tra cứu khen thưởng trước."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người dùng (nếu có)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    is_direct_worker = models.BooleanField(_("người lao động trực tiếp"), default=False)
    women_share = models.DecimalField(
        _("tỷ lệ nữ trong tập thể (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Tập thể có từ 70 % nữ được ưu tiên (Điều 4 khoản 6 Nghị định 152/2025)."),
    )
    achievement_summary = models.TextField(_("tóm tắt thành tích"))
    dropped_at = models.ForeignKey(
        DossierStage,
        verbose_name=_("dừng xét tại bước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dropped_nominees",
    )
    drop_reason = models.TextField(_("lý do dừng xét"), blank=True)
    # registry.identity's key of the fields above, kept by save() and bulk_create: the
    # eligibility check finds the same person or collective in other dossiers through its
    # index (registry.checks._claimed), however many nominees share a name.
    subject_key = models.CharField(
        _("mã đối tượng"), max_length=300, blank=True, default="", editable=False
    )

    objects = NomineeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cá nhân, tập thể được đề nghị")
        verbose_name_plural = _("cá nhân, tập thể được đề nghị")
        ordering = ["dossier", "kind", "pk"]
        indexes = [models.Index(fields=["subject_key"], name="nominee_subject_key")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.subject_key = nominee_subject_key(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and IDENTITY_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "subject_key"}
        super().save(*args, **kwargs)


class Outcome(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")
    DOWNGRADED = "downgraded", _("Đề nghị hình thức thấp hơn")


class NomineeOutcome(models.Model):
    """The result for one nominee at one stage (appraisal drop or council vote)."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.ForeignKey(DossierStage, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nominee", "stage"], name="one_outcome_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.nominee} – {self.get_outcome_display()}"


class Document(models.Model):
    """An uploaded file. Stored under a random name outside the web root; every round kept."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    category = models.CharField(_("loại tài liệu"), max_length=32, choices=DocumentCategory.choices)
    round = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # dossiers.services.replace_document: a replaced file stays in the history (it may have
    # been read, or submitted in an earlier round) as superseded by its newer version.
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay bằng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("thời điểm bị thay thế"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["dossier", "category", "round", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.superseded_at is None


class Posting(models.Model):
    """The public posting (công khai) of a dossier's proposed list, for its award form's
    working days (Hà Nội QĐ 71/2025 art. 5: 7 working days; provincial data on AwardType).

    Opened when the unit head approves the list and sends it on (dossiers.posting); the
    days and the basis are copied here, so a later edit of the award form never moves a
    window already published. The decision is issued only after `ends_on`.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="posting")
    days = models.PositiveSmallIntegerField(_("số ngày làm việc công khai"))
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    starts_on = models.DateField(_("công khai từ ngày"))
    ends_on = models.DateField(_("công khai đến hết ngày"))
    nominees = models.ManyToManyField(
        Nominee, verbose_name=_("danh sách được công khai"), related_name="postings"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("công khai danh sách đề nghị khen thưởng")
        verbose_name_plural = _("công khai danh sách đề nghị khen thưởng")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier.reference} · {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class Objection(models.Model):
    """An objection (ý kiến phản ánh) to a nominee on a posted list: who, when, what; the
    secretariat's answer and its date. While unanswered, the nominee is on hold."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="objections")
    nominee = models.ForeignKey(
        Nominee,
        verbose_name=_("người, tập thể bị phản ánh"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    text = models.TextField(_("nội dung phản ánh"))
    on_behalf_of = models.CharField(
        _("người phản ánh (khi cơ quan thường trực ghi thay)"),
        max_length=255,
        blank=True,
        help_text=_("Họ tên, địa chỉ liên hệ của người dân phản ánh trực tiếp hoặc bằng thư."),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)
    # The registry's hold (Decree 152/2025 art. 4 §4) placed for it, when its recorder may
    # place one (a secretariat): it reaches the subject's other dossiers too.
    hold = models.ForeignKey(
        "registry.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("ý kiến phản ánh")
        verbose_name_plural = _("ý kiến phản ánh")
        ordering = ["posting", "raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.nominee} · {self.raised_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
