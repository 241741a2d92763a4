"""Award decisions and their number register (the awards they record live in registry).

A draft decision has no number: numbers come from `NumberSeries` only when it is issued,
so a cancelled draft leaves no gap (Decree 30/2020 art. 15: a number follows signature).
An issued decision is never edited; its header values are frozen on the row so a later
change to the issuer's profile never rewrites a decision already on paper.
"""

import functools
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
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
        _("nơi nhận"),
        default=list,
        help_text=_('Ví dụ: ["Như Điều 3;", "Các tập thể, cá nhân có tên tại Điều 1;"]'),
    )
    # Left blank, each takes the default of decisions.profiles (from the organisation's level
    # and name), so a commune never prints the province's place or "Lưu: VT, SNV".
    place_name = models.CharField(
        _("địa danh ghi trên quyết định"),
        max_length=64,
        blank=True,
        help_text=_(
            "Ví dụ: Hợp Thành (dòng 'Hợp Thành, ngày … tháng … năm …'). Để trống: "
            "tên đơn vị hành chính nơi cơ quan đóng trụ sở."
        ),
    )
    filing_line = models.CharField(
        _("dòng lưu (nơi nhận)"),
        max_length=128,
        blank=True,
        help_text=_("Ví dụ: Lưu: VT, SNV. (văn thư và đơn vị soạn thảo)."),
    )
    list_authority = models.CharField(
        _("người ban hành ghi dưới tiêu đề danh sách"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Chủ tịch UBND xã Hợp Thành (dòng '(Kèm theo Quyết định số … của …)')."),
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
    SUBMITTED = "submitted", _("Đã trình ký")
    RETURNED = "returned", _("Bị trả lại để sửa")
    ISSUED = "issued", _("Đã ban hành")
    CANCELLED = "cancelled", _("Đã hủy dự thảo")


EDITABLE_STATUSES = (DecisionStatus.DRAFT, DecisionStatus.RETURNED, DecisionStatus.SUBMITTED)
"""Not yet signed: the secretariat may still edit or cancel it (an edit withdraws a
submission, so the signer never signs a text changed after it reached him)."""


class Signatory(models.Model):
    """Who signs an issuer's decisions and how: the signing authority's own record.

    The name, title and signing capacity printed above and under the signature come from
    here, never from a field the secretariat types. A row also *is* a delegation (Decree
    30/2020 art. 13: TL., TUQ. sign by order or by written, time-limited authorisation):
    an administrator records who, in which capacity, under which document and until when;
    the holder may then sign that issuer's decisions within those dates. A signing authority
    without a row signs under their Membership (name, title) in the capacity whose title
    line matches (decisions.profiles.signer_for).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="signatories",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="signatories",
    )
    full_name = models.CharField(_("họ tên ghi dưới chữ ký"), max_length=255)
    title = models.CharField(
        _("chức vụ ghi trên chữ ký"), max_length=128, help_text=_("Ví dụ: Phó Chủ tịch.")
    )
    capacity = models.CharField(
        _("thẩm quyền ký"),
        max_length=32,
        help_text=_(
            "Mã trong cấu hình cơ quan ban hành: chair, deputy, by_order, authorised, acting."
        ),
    )
    basis = models.CharField(
        _("văn bản giao ký, ủy quyền"),
        max_length=255,
        blank=True,
        help_text=_("Bắt buộc khi ký thừa lệnh (TL.) hoặc thừa ủy quyền (TUQ.)."),
    )
    valid_from = models.DateField(_("ký từ ngày"))
    valid_to = models.DateField(_("ký đến hết ngày"), null=True, blank=True)
    active = models.BooleanField(_("đang có hiệu lực"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người ký quyết định")
        verbose_name_plural = _("người ký quyết định")
        ordering = ["organisation", "user", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.title} – {self.organisation}"

    def clean(self) -> None:
        errors = {}
        if self.capacity in ("by_order", "authorised") and not self.basis.strip():
            errors["basis"] = _("Ký thừa lệnh, thừa ủy quyền: ghi văn bản giao ký, ủy quyền.")
        if self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ký đến ngày: không trước ngày bắt đầu.")
        if errors:
            raise ValidationError(errors)

    def covers(self, day) -> bool:
        return (
            self.active
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )


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
    # The signer's record (Signatory / Membership) is copied here when the decision is signed.
    signer_name = models.CharField(_("họ tên người ký"), max_length=255, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=128, blank=True)
    signatory = models.ForeignKey(
        Signatory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The signing step: the secretariat submits (trình ký), the signer signs or returns.
    submission_round = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("ý kiến của người ký khi trả lại"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    # The public verification link (/xac-minh/<token>/, decisions.verification): random, so
    # decisions cannot be enumerated by counting ids.
    verification_token = models.CharField(
        max_length=32,
        unique=True,
        editable=False,
        default=functools.partial(secrets.token_urlsafe, 16),
    )

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"{_('Dự thảo')} #{self.pk}"

    @property
    def number_symbol(self) -> str:
        """The number and symbol without the line's `Số: `: `05/QĐ-UBND`, as a sentence
        cites it ("Quyết định số 05/QĐ-UBND"); empty for a draft."""
        return self.label.removeprefix("Số: ")


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


class BaseSalary(models.Model):
    """The base salary (mức lương cơ sở) from a date: prize money is a multiple of the one in
    force on the decision's issue date (Decree 152/2025 art. 49; Decree 73/2024 set
    2 340 000 VND from 01/07/2024). Dated rows, never edited in place: a new decree is a
    new row."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    amount = models.PositiveBigIntegerField(_("mức lương cơ sở (đồng/tháng)"))
    basis = models.CharField(_("căn cứ"), max_length=255)

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} ({self.valid_from:%d/%m/%Y})".replace(",", ".")


class IssuerCertificate(models.Model):
    """A signing certificate (PKCS#12) of an issuing organisation, uploaded by an administrator.

    The PKCS#12 file and its password are stored encrypted (Fernet, keys in the setting
    KHENTHUONG_CERTIFICATE_KEYS, never in the database: a copy of the database alone signs
    nothing). The password is never logged, shown or put in an audit row. Only the public
    facts of the certificate (subject, issuer, serial, validity, fingerprint) are readable.
    `is_demo_root` marks the demo CA of decisions.signing.make_demo_ca (no organisation).
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    subject = models.CharField(_("chủ thể chứng thư số"), max_length=500)
    issuer_name = models.CharField(_("tổ chức cấp chứng thư số"), max_length=500)
    serial = models.CharField(_("số hiệu chứng thư số"), max_length=100)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    encrypted_pkcs12 = models.BinaryField(editable=False)
    encrypted_password = models.BinaryField(editable=False)
    active = models.BooleanField(_("đang dùng để ký"), default=True)
    is_demo_root = models.BooleanField(default=False, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số của cơ quan ban hành")
        verbose_name_plural = _("chứng thư số của cơ quan ban hành")
        ordering = ["organisation", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(active=True, is_demo_root=False),
                name="one_active_certificate_per_issuer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.not_after:%d/%m/%Y})"

    def __repr__(self) -> str:  # never the encrypted fields, not even encrypted
        return f"<IssuerCertificate {self.pk} {self.subject!r}>"


class SignedDecision(models.Model):
    """The signed PDF of an issued decision (decisions.signing.sign_issued_decision).

    Written once, after the issue has committed; the file sits in the private storage (mode
    0600, never under a web root) and its SHA-256 is shown on the public verification page.
    """

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="signed")
    path = models.CharField(max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField()
    certificate = models.ForeignKey(
        IssuerCertificate, on_delete=models.PROTECT, related_name="+", null=True
    )
    signer_subject = models.CharField(_("ký bởi"), max_length=500)
    signed_at = models.DateTimeField(_("thời điểm ký"))

    class Meta:
        verbose_name = _("bản quyết định đã ký số")
        verbose_name_plural = _("bản quyết định đã ký số")

    def __str__(self) -> str:
        return f"{self.decision} · {self.sha256[:12]}"
