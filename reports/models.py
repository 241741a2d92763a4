"""Statutory report forms as versioned data (Circular 02/2023/TT-BNV and its 2025 successors).

A form is a layout over the figures the statistics page computes (reports.figures): rows and
columns naming figure keys, so a new circular is a new row here, never new code. A version is
never edited once in force: a successor gets its own row with its own `valid_from`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .layouts import layout_problems


class ReportForm(models.Model):
    """One version of a statutory report form (biểu mẫu báo cáo thống kê)."""

    code = models.CharField(_("ký hiệu biểu"), max_length=64)
    title = models.CharField(_("tên biểu"), max_length=255)
    legal_basis = models.CharField(
        _("căn cứ ban hành"),
        max_length=255,
        help_text=_("Ví dụ: Thông tư số 02/2023/TT-BNV; Thông tư số 18/2025/TT-BNV."),
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    layout = models.JSONField(
        _("bố cục (dòng, cột)"),
        help_text=_(
            'Dạng {"columns": [{"key": "total", "label": "Tổng số"}], "rows": [{"label": '
            '"Bằng khen", "keys": ["form.bang-khen-tinh"]}]}; ô = tổng các chỉ tiêu '
            "<khóa dòng>.<khóa cột>."
        ),
    )
    layout_confirmed = models.BooleanField(
        _("bố cục đã đối chiếu với văn bản"),
        default=False,
        help_text=_("Tắt: bố cục mặc định, cấu hình được, chờ đối chiếu với mẫu ban hành."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("thay thế biểu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("biểu mẫu báo cáo thống kê")
        verbose_name_plural = _("biểu mẫu báo cáo thống kê")
        ordering = ["valid_from", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="report_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Áp dụng đến ngày: phải sau ngày bắt đầu áp dụng.")}
            )
        problems = layout_problems(self.layout)
        if problems:
            raise ValidationError({"layout": problems})
