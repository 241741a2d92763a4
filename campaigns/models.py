"""Emulation campaigns (phong trào thi đua), clusters and blocks (cụm, khối thi đua), their
covenants and scores, and role models (điển hình tiên tiến). Issue 16.

The campaign itself is `dossiers.Campaign` (dossiers point at it); this app adds what a
campaign carries: its phases, targets and each organisation's results, commitments and
role models. A cluster is a group of organisations that sign a covenant each year, score
themselves, are reviewed by the cluster, ranked (campaigns/ranking.py) and vote on whom
to propose for the Cờ thi đua. Every write goes through campaigns/services.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Campaign, Dossier
from organisations.models import Organisation

from .ranking import TIE_BREAK_CODES, TieBreak


class PhaseKind(models.TextChoices):
    LAUNCH = "launch", _("Phát động")
    REGISTRATION = "registration", _("Đăng ký thi đua")
    INTERIM_REVIEW = "interim_review", _("Sơ kết")
    FINAL_REVIEW = "final_review", _("Tổng kết")


class Phase(models.Model):
    """One phase of a campaign with its dates (e.g. registration until 31/03)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("giai đoạn"), max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("giai đoạn của phong trào")
        verbose_name_plural = _("giai đoạn của phong trào")
        ordering = ["campaign", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="campaign_phase_once"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_phase_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"


class Target(models.Model):
    """A campaign target (chỉ tiêu): name, unit of measure, the value to reach."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("chỉ tiêu"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=64, help_text=_("Ví dụ: %, tỷ đồng, xã."))
    target_value = models.DecimalField(_("giá trị phải đạt"), max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(
        _("càng cao càng tốt"),
        default=True,
        help_text=_("Tắt cho chỉ tiêu phải giữ dưới mức (ví dụ tỷ lệ hộ nghèo)."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu của phong trào")
        verbose_name_plural = _("chỉ tiêu của phong trào")
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class TargetResult(models.Model):
    """What one organisation achieved against one target (báo cáo kết quả)."""

    # PROTECT: a reported result is never lost with its target (services.remove_target
    # refuses first, with the reason).
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="results")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    achieved_value = models.DecimalField(_("giá trị đạt được"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả thực hiện chỉ tiêu")
        verbose_name_plural = _("kết quả thực hiện chỉ tiêu")
        ordering = ["target", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "organisation"], name="target_result_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.target}: {self.achieved_value}"

    @property
    def reached(self) -> bool:
        if self.target.higher_is_better:
            return self.achieved_value >= self.target.target_value
        return self.achieved_value <= self.target.target_value


class Commitment(models.Model):
    """An organisation's registration in the campaign (đăng ký thi đua): what it commits to."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="commitments")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("nội dung đăng ký"))
    registered_on = models.DateField(_("ngày đăng ký"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["campaign", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="commitment_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.campaign}"


class RoleModelStage(models.TextChoices):
    DISCOVERED = "discovered", _("Phát hiện")
    FOLLOWED = "followed", _("Bồi dưỡng, theo dõi")
    COMMENDED = "commended", _("Đã biểu dương, khen thưởng")


class RoleModelKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


class RoleModel(models.Model):
    """An advanced example (điển hình tiên tiến) found during a campaign, carried from
    discovery to commendation."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="role_models")
    kind = models.CharField(_("đối tượng"), max_length=16, choices=RoleModelKind.choices)
    name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    achievement = models.TextField(_("thành tích nổi bật"))
    stage = models.CharField(
        _("giai đoạn"),
        max_length=16,
        choices=RoleModelStage.choices,
        default=RoleModelStage.DISCOVERED,
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ khen thưởng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_on = models.DateField(_("ngày phát hiện"))
    stage_changed_on = models.DateField(_("ngày chuyển giai đoạn"))

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["campaign", "stage", "name"]

    def __str__(self) -> str:
        return self.name


# -- Clusters and blocks ----------------------------------------------------------------------


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Cụm thi đua")
    BLOCK = "block", _("Khối thi đua")


class Cluster(models.Model):
    """A cụm or khối thi đua. `organiser` is the body that set it up (its TĐKT secretariat
    second-reviews the scores); `body` is the cluster's own node in the organisation tree,
    holding its council (the members' representatives, who vote) and the roles of its
    standing office (who files the cluster's proposals and reviews its members)."""

    name = models.CharField(_("tên cụm, khối"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=16, choices=ClusterKind.choices, default=ClusterKind.CLUSTER
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan tổ chức cụm, khối"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.OneToOneField(
        Organisation,
        verbose_name=_("cụm, khối trên cây tổ chức"),
        on_delete=models.PROTECT,
        related_name="cluster",
        help_text=_(
            "Nút của cụm, khối trong cây tổ chức: Hội đồng của cụm (đại diện các thành viên) "
            "và Văn phòng thường trực cụm được gán ở nút này."
        ),
    )

    class Meta:
        verbose_name = _("cụm, khối thi đua")
        verbose_name_plural = _("cụm, khối thi đua")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClusterYear(models.Model):
    """The cluster in one year: its rotating leader and deputy (one row a year is the
    history), its members, its covenant, and the outcome of its vote."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    leader = models.ForeignKey(
        Organisation,
        verbose_name=_("cụm trưởng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        Organisation,
        verbose_name=_("cụm phó"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The cluster's vote (councils): the dossier listing the candidates, its meeting, and the
    # dossier proposing the winner for the flag, filed through dossiers.services.
    vote_dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vote_meeting = models.ForeignKey(
        "councils.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ đề nghị của cụm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cụm, khối thi đua theo năm")
        verbose_name_plural = _("cụm, khối thi đua theo năm")
        ordering = ["cluster", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="cluster_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} – {self.year}"


class ClusterMember(models.Model):
    """A member of the cluster in one year, with the facts its ranking may need."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    women_share = models.DecimalField(
        _("tỷ lệ nữ (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Dùng khi bằng điểm: ưu tiên tập thể có tỷ lệ nữ cao (Điều 4 khoản 6 Nghị định "
            "152/2025/NĐ-CP)."
        ),
    )

    class Meta:
        verbose_name = _("thành viên cụm, khối")
        verbose_name_plural = _("thành viên cụm, khối")
        ordering = ["cluster_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "organisation"], name="cluster_member_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Covenant(models.Model):
    """The covenant (giao ước thi đua) the members sign for a year: criteria as data, whether
    a second review is required, and the tie-break rule the ranking applies."""

    cluster_year = models.OneToOneField(
        ClusterYear, on_delete=models.CASCADE, related_name="covenant"
    )
    signed_on = models.DateField(_("ngày ký giao ước"))
    place = models.CharField(_("nơi ký"), max_length=255, blank=True)
    second_review = models.BooleanField(
        _("phúc tra lần hai"),
        default=False,
        help_text=_(
            "Bật: điểm của cụm được cơ quan tổ chức cụm phúc tra; xếp hạng theo điểm phúc tra."
        ),
    )
    tie_break = models.JSONField(
        _("thứ tự xét khi bằng điểm"),
        default=list,
        blank=True,
        help_text=_(
            "Danh sách mã, theo thứ tự: heaviest_criterion (điểm tiêu chí có trọng số cao "
            "nhất), women_share (tỷ lệ nữ, Điều 4 khoản 6 Nghị định 152/2025), name (tên)."
        ),
    )
    tie_break_basis = models.CharField(
        _("căn cứ thứ tự xét khi bằng điểm"),
        max_length=255,
        blank=True,
        default="Điều 4 khoản 6 Nghị định 152/2025/NĐ-CP; quy chế hoạt động của cụm",
    )

    class Meta:
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")

    def __str__(self) -> str:
        return f"{self.cluster_year} ({self.signed_on:%d/%m/%Y})"

    def tie_rule(self) -> tuple[TieBreak, ...]:
        rule = tuple(TieBreak(code) for code in (self.tie_break or []) if code in TIE_BREAK_CODES)
        return rule or TieBreak.default()


class Criterion(models.Model):
    """One criterion of a covenant: its weight, its maximum score, the evidence it asks."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("tiêu chí"), max_length=255)
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Điểm tối đa quy đổi của tiêu chí trong tổng điểm (ví dụ tổng 100)."),
    )
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    evidence_required = models.CharField(
        _("minh chứng cần có"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: báo cáo thống kê có xác nhận của cơ quan chuyên môn."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí giao ước")
        verbose_name_plural = _("tiêu chí giao ước")
        ordering = ["covenant", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, max_score__gt=0),
                name="criterion_weight_and_max_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScoreRound(models.TextChoices):
    SELF = "self", _("Tự chấm")
    REVIEW = "review", _("Cụm chấm")
    SECOND_REVIEW = "second_review", _("Phúc tra")


class Score(models.Model):
    """One member's score on one criterion in one round, with its evidence."""

    # PROTECT: a score is never lost with its criterion or its member (the admin's inline
    # refuses the deletion on the form; a scored covenant is locked: services.revise_covenant).
    member = models.ForeignKey(ClusterMember, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    round = models.CharField(_("lượt chấm"), max_length=16, choices=ScoreRound.choices)
    score = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    evidence = models.TextField(_("minh chứng"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm chấm")
        verbose_name_plural = _("điểm chấm")
        ordering = ["member", "criterion__position", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "criterion", "round"], name="score_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.criterion}: {self.score}"


class ClusterFlagRule(models.Model):
    """Provincial data: whether the provincial Cờ thi đua goes only to a cluster's leader.

    Some provinces' rules give the provincial flag only to the leader (cụm trưởng) of a
    cluster or block; most do not, so it is off unless the province sets it, with its basis.
    """

    province = models.OneToOneField(
        Organisation, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+"
    )
    flag_only_to_leader = models.BooleanField(
        _("Cờ thi đua của tỉnh chỉ tặng cụm trưởng"), default=False
    )
    award_codes = models.JSONField(
        _("mã hình thức áp dụng"),
        default=list,
        blank=True,
        help_text=_('Ví dụ ["co-thi-dua-tinh"].'),
    )
    basis = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Quy chế, quyết định của tỉnh quy định việc này (số, ngày, điều)."),
    )

    class Meta:
        verbose_name = _("quy định tặng Cờ thi đua cho cụm trưởng")
        verbose_name_plural = _("quy định tặng Cờ thi đua cho cụm trưởng")

    def __str__(self) -> str:
        return f"{self.province}: {self.flag_only_to_leader}"

    def applies_to(self, award_code: str) -> bool:
        return self.flag_only_to_leader and award_code in (self.award_codes or [])
