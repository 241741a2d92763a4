"""The award registry (kết quả khen thưởng) and the reviewers' eligibility overrides.

Given their own room in issue 11 without moving a row: the tables keep the names decisions
gave them (`decisions_registryentry`, `decisions_eligibilityoverride`). Other apps' models
are named by label, so loading these models loads no code of the dossier or workflow rooms.
"""

import functools
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """Who holds an award; the same values as dossiers.NomineeKind, which names the nominee."""

    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


class RegistryStatus(models.TextChoices):
    VALID = "valid", _("Còn hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")


class AwardingKind(models.TextChoices):
    """How an award was given (domain §2): the same values as dossiers.DossierKind.

    Decree 152/2025 art. 4 §3: the results of đột xuất and chuyên đề awards may not be the
    basis of a merit (công trạng) proposal, so chains and same-year prerequisites count
    only the regular (thường xuyên) ones.
    """

    REGULAR = "annual", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề, theo đợt")
    AD_HOC = "ad_hoc", _("Đột xuất")


class RegistryEntry(models.Model):
    """An award on record (kết quả khen thưởng): issued here, or imported from paper.

    `subject_key` identifies the person or collective across dossiers and mergers: the
    identity code when known, else name + birth year + unit (see registry.identity).
    """

    subject_key = models.CharField(_("mã đối tượng"), max_length=300, db_index=True)
    subject_kind = models.CharField(_("đối tượng"), max_length=16, choices=SubjectKind.choices)
    full_name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
    # core.text.fold(full_name), written with the entry (registry.services): the search
    # compares folded with folded, so "hoang thi mai" finds "Hoàng Thị Mai" on any database.
    search_name = models.CharField(max_length=255, editable=False, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation_name = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    award_code = models.SlugField(_("mã hình thức"), max_length=32)
    award_name = models.CharField(_("hình thức khen thưởng"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"))
    achievement_key = models.CharField(_("thành tích"), max_length=100)
    achievement = models.TextField(_("tóm tắt thành tích"), blank=True)
    # Decree 152/2025 art. 4 §3: only regular awards count toward chains and prerequisites.
    awarding_kind = models.CharField(
        _("loại khen thưởng"), max_length=16, choices=AwardingKind.choices, default="annual"
    )
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registry",
    )
    nominee = models.ForeignKey(
        "dossiers.Nominee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_label = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=RegistryStatus.choices, default=RegistryStatus.VALID
    )
    revoked_reason = models.TextField(_("lý do thu hồi"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    prize_amount = models.PositiveBigIntegerField(
        _("tiền thưởng (đồng)"),
        null=True,
        blank=True,
        help_text=_("Tính theo lương cơ sở ngày ký quyết định; trống: không có tiền thưởng."),
    )
    prize_note = models.CharField(_("ghi chú tiền thưởng"), max_length=255, blank=True)
    flagged = models.TextField(
        _("cần xem xét lại"),
        blank=True,
        help_text=_("Khen thưởng này dựa trên một khen thưởng đã bị thu hồi."),
    )
    # The awardee's public verification link (QR on the certificate; decisions.verification).
    verification_token = models.CharField(
        max_length=32,
        unique=True,
        editable=False,
        default=functools.partial(secrets.token_urlsafe, 16),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "decisions_registryentry"  # created by decisions 0001; moved in state only
        verbose_name = _("kết quả khen thưởng")
        verbose_name_plural = _("kết quả khen thưởng")
        ordering = ["-year", "full_name", "pk"]
        indexes = [
            models.Index(fields=["award_code", "year", "organisation"]),
            models.Index(fields=["full_name"]),
            # The statistics (reports.figures): a period of a province with several years.
            models.Index(fields=["decision_date"], name="registry_decision_date"),
            # The statistics' data version (reports.cache): revocations counted from an index.
            models.Index(
                fields=["revoked_at"],
                name="registry_revoked_at",
                condition=models.Q(revoked_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.award_name} {self.year}"


class EligibilityOverride(models.Model):
    """A reviewer lets a nominee (or, for a unit quota, the dossier) through one failed rule.

    Never deleted: the reason and the reviewer stay on record (and in the audit trail).
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="overrides"
    )
    nominee = models.ForeignKey(
        "dossiers.Nominee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    rule = models.CharField(_("quy tắc"), max_length=32)
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "decisions_eligibilityoverride"  # created by decisions 0001; state move only
        verbose_name = _("chấp thuận ngoại lệ điều kiện")
        verbose_name_plural = _("chấp thuận ngoại lệ điều kiện")
        ordering = ["dossier", "at"]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.rule}"


class HoldKind(models.TextChoices):
    """Why a competent body's review stops awards (Decree 152/2025 art. 4 §4)."""

    DISCIPLINE = "discipline", _("đang xem xét thi hành kỷ luật")
    INVESTIGATION = "investigation", _("đang bị điều tra")
    INSPECTION = "inspection", _("đang bị thanh tra, kiểm tra")
    AUDIT = "audit", _("đang bị kiểm toán")
    COMPLAINT = "complaint", _("đang xác minh khiếu nại, tố cáo")
    PRESS = "press", _("đang xác minh vấn đề báo chí nêu")


class Hold(models.Model):
    """A person or collective on whom no award may be given or proposed while a competent
    body considers discipline, investigates, inspects, audits, or verifies a complaint,
    denunciation or press report (Decree 152/2025 art. 4 §4).

    Keyed by `subject_key` (registry.identity), so it reaches every dossier naming the
    subject, in any unit. Never deleted: clearing records the document and the date. After a
    discipline, achievements count from its end: `counts_from`.
    """

    subject_key = models.CharField(_("mã đối tượng"), max_length=300, db_index=True)
    subject_kind = models.CharField(
        _("đối tượng"), max_length=16, choices=SubjectKind.choices, default=SubjectKind.INDIVIDUAL
    )
    full_name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    identity_code = models.CharField(_("mã định danh"), max_length=32, blank=True)
    organisation_name = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    secretariat = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("cơ quan thường trực ghi nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("lý do tạm dừng"), max_length=16, choices=HoldKind.choices)
    body = models.CharField(_("cơ quan có thẩm quyền đang xem xét"), max_length=255)
    document = models.CharField(_("văn bản làm căn cứ"), max_length=255, blank=True)
    reason = models.TextField(_("nội dung"), blank=True)
    started_on = models.DateField(_("từ ngày"))
    source = models.CharField(
        max_length=64, blank=True, help_text="What placed it, e.g. objection:12 (a posting)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    cleared_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    cleared_document = models.CharField(_("văn bản kết luận, chấm dứt"), max_length=255, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    counts_from = models.DateField(
        _("thành tích được tính từ ngày"),
        null=True,
        blank=True,
        help_text=_("Sau kỷ luật: thành tích được tính từ ngày chấp hành xong kỷ luật."),
    )

    class Meta:
        verbose_name = _("tạm dừng xét khen thưởng")
        verbose_name_plural = _("tạm dừng xét khen thưởng")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["subject_key", "cleared_on"])]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.cleared_on is None


class InitiativeScope(models.TextChoices):
    UNIT = "unit", _("Cấp cơ sở")
    PROVINCE = "province", _("Cấp tỉnh")
    NATIONAL = "national", _("Toàn quốc")


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) of one person: the ledger of CV 5007/BNV-TĐKT.

    One initiative backs one award: `InitiativeUse` links it to the nominee it backs, and
    eligibility refuses a second award backed by it (registry.eligibility.INITIATIVE).
    """

    subject_key = models.CharField(_("mã đối tượng"), max_length=300, db_index=True)
    full_name = models.CharField(_("họ và tên tác giả"), max_length=255)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    identity_code = models.CharField(_("mã định danh"), max_length=32, blank=True)
    organisation_name = models.CharField(_("đơn vị công tác"), max_length=255, blank=True)
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=16, choices=InitiativeScope.choices)
    recognised_by = models.CharField(_("cơ quan công nhận"), max_length=255)
    document = models.CharField(_("văn bản công nhận"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        ordering = ["-year", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.document})"


class InitiativeUse(models.Model):
    """An initiative put forward to back one nominee (or, for paper history, one award on
    record). A second use for another award fails eligibility unless a reviewer overrides it
    with a reason (EligibilityOverride, rule `initiative`)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="uses")
    nominee = models.ForeignKey(
        "dossiers.Nominee", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entry = models.ForeignKey(
        RegistryEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sử dụng sáng kiến")
        verbose_name_plural = _("sử dụng sáng kiến")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "nominee"], name="initiative_backs_a_nominee_once"
            ),
            models.CheckConstraint(
                condition=models.Q(nominee__isnull=False) | models.Q(entry__isnull=False),
                name="initiative_use_names_what_it_backs",
            ),
        ]

    def __str__(self) -> str:
        return str(self.initiative)


class AwardTally(models.Model):
    """How many valid awards share one set of the statistics' dimensions (issue 16).

    Written in the same transaction as the awards it counts, by registry.tallies (called
    from record_awards, revoke_award, import_award and every other writer of entries), so
    the statistics page sums a few thousand narrow rows instead of every award of a period
    joined to its nominee. `manage.py rebuild_tallies` recounts them from the entries;
    `check_invariants` reports any that differ (docs/statistics.md, "Performance").

    No unique key: two transactions may each insert the first row of a key, and the sums
    stay exact (a writer adds to one row of its key only; the rebuild merges them).
    """

    # The entry's unit, or its issuer when no unit was recorded (`by_issuer`): the
    # organisation the page's tree filter matches (reports.figures).
    unit = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    by_issuer = models.BooleanField(default=False)
    issuer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    decision_date = models.DateField()
    # Each award is counted twice: in its day's row and in its month's (`whole_month`,
    # `decision_date` = the 1st). A period reads the months it covers whole from the month
    # rows and only its ragged ends from the day rows: a year is 12 months of rows.
    whole_month = models.BooleanField(default=False)
    award_code = models.SlugField(max_length=32)
    award_name = models.CharField(max_length=255)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    awarding_kind = models.CharField(max_length=16, choices=AwardingKind.choices)
    # The nominee's dossier's campaign (an id, not a key: a tally never holds a row back).
    campaign_id = models.PositiveBigIntegerField(null=True, blank=True)
    count = models.IntegerField(default=0)
    # Individual awards only, as the figures count them: known = a nominee behind it.
    women = models.IntegerField(default=0)
    direct = models.IntegerField(default=0)
    known = models.IntegerField(default=0)
    prize = models.BigIntegerField(default=0)
    prized = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp khen thưởng")
        verbose_name_plural = _("số liệu tổng hợp khen thưởng")
        indexes = [
            models.Index(fields=["unit", "decision_date", "award_code"], name="awardtally_key"),
            models.Index(fields=["whole_month", "decision_date"], name="awardtally_day"),
        ]

    def __str__(self) -> str:
        return f"{self.award_code} {self.decision_date:%d/%m/%Y} × {self.count}"
