"""Award decisions and their number register (the awards they record live in registry).

A draft decision has no number: numbers come from `NumberSeries` only when it is issued,
so a cancelled draft leaves no gap (Decree 30/2020 art. 15: a number follows signature).
An issued decision is never edited; its header values are frozen on the row so a later
change to the issuer's profile never rewrites a decision already on paper.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import AwardType, Dossier, Nominee
from organisations.models import Organisation


class IssuerProfile(models.Model):
    """How one issuing body writes its decisions (header lines, symbol, signing capacities)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="issuer_profile"
    )
    issuer_lines = models.JSONField(
        _("tên cơ quan ban hành (các dòng)"),
        default=list,
        help_text=_('Ví dụ: ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"].'),
    )
    authority_line = models.CharField(
        _("thẩm quyền ban hành"),
        max_length=255,
        help_text=_("Ví dụ: CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"),
    )
    symbol = models.CharField(_("ký hiệu quyết định"), max_length=32, default="QĐ-UBND")
    capacities = models.JSONField(
        _("thẩm quyền ký"),
        default=list,
        help_text=_(
            'Danh sách {"code", "lines"}, ví dụ {"code": "deputy", '
            '"lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]}.'
        ),
    )
    group_order = models.JSONField(
        _("thứ tự nhóm trong danh sách"),
        default=list,
        help_text=_('Ví dụ: ["collective", "individual", "household"].'),
    )
    proposal_by = models.CharField(_("cơ quan trình"), max_length=255, default="Giám đốc Sở Nội vụ")
    implementers = models.TextField(
        _("Điều 3: người thi hành"),
        default="Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ",
    )
    recipients = models.JSONField(
        _("nơi nhận"), default=list, help_text=_('Ví dụ: ["Như Điều 3;", "Lưu: VT, SNV."]')
    )

    class Meta:
        verbose_name = _("cấu hình cơ quan ban hành")
        verbose_name_plural = _("cấu hình cơ quan ban hành")

    def __str__(self) -> str:
        return str(self.organisation)


class NumberSeries(models.Model):
    """The register of one issuing body for one year; `last_number` is the row lock target."""

    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    symbol = models.CharField(_("ký hiệu"), max_length=32)
    last_number = models.PositiveIntegerField(_("số cuối đã dùng"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số quyết định")
        verbose_name_plural = _("sổ đăng ký số quyết định")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "symbol"], name="one_series_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.year} · {self.symbol}"


class NumberUse(models.TextChoices):
    ISSUED = "issued", _("Đã cấp cho quyết định")
    EXTERNAL = "external", _("Cấp ngoài hệ thống (văn bản giấy)")
    VOIDED = "voided", _("Đã hủy, không dùng lại")


class RegisteredNumber(models.Model):
    """One number of a series, once and for ever (the unique constraint forbids reuse)."""

    series = models.ForeignKey(NumberSeries, on_delete=models.PROTECT, related_name="numbers")
    number = models.PositiveIntegerField(_("số"))
    use = models.CharField(_("tình trạng"), max_length=16, choices=NumberUse.choices)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("số đã đăng ký")
        verbose_name_plural = _("số đã đăng ký")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="number_never_reused")
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.series.symbol}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    CANCELLED = "cancelled", _("Đã hủy dự thảo")


class Decision(models.Model):
    """Quyết định khen thưởng: one award form, nominees from one or more dossiers."""

    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    capacity = models.CharField(_("thẩm quyền ký"), max_length=32, default="chair")
    signer_name = models.CharField(_("họ tên người ký"), max_length=255, blank=True)
    proposal_ref = models.CharField(
        _("tờ trình của cơ quan trình"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Tờ trình số 112/TTr-SNV ngày 28 tháng 12 năm 2026"),
    )
    prize_note = models.CharField(_("tiền thưởng (Điều 2)"), max_length=500, blank=True)
    dossiers = models.ManyToManyField(Dossier, related_name="decisions", blank=True)
    # Filled at issue, never changed afterwards.
    number = models.ForeignKey(
        RegisteredNumber, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    frozen = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"{_('Dự thảo')} #{self.pk}"


class DecisionLine(models.Model):
    """One awardee of a decision (a passed nominee), in the order of the attached list."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="decision_lines")

    class Meta:
        ordering = ["decision", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "nominee"], name="nominee_once_per_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.nominee}"
