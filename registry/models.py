"""The award registry (kết quả khen thưởng) and the reviewers' eligibility overrides.

Given their own room in issue 11 without moving a row: the tables keep the names decisions
gave them (`decisions_registryentry`, `decisions_eligibilityoverride`). Other apps' models
are named by label, so loading these models loads no code of the dossier or workflow rooms.
"""

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


class RegistryEntry(models.Model):
    """An award on record (kết quả khen thưởng): issued here, or imported from paper.

    `subject_key` identifies the person or collective across dossiers and mergers: the
    identity code when known, else name + birth year + unit (see registry.identity).
    """

    subject_key = models.CharField(_("mã đối tượng"), max_length=300, db_index=True)
    subject_kind = models.CharField(_("đối tượng"), max_length=16, choices=SubjectKind.choices)
    full_name = models.CharField(_("họ và tên / tên tập thể"), max_length=255)
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
    flagged = models.TextField(
        _("cần xem xét lại"),
        blank=True,
        help_text=_("Khen thưởng này dựa trên một khen thưởng đã bị thu hồi."),
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
