from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A notice to one user, written in the transaction of the change it reports.

    It is the in-app notification and the e-mail job at once: delivery only marks it sent,
    so a broker outage delays e-mail but never loses it (`requeue_stale` relays it later).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    template = models.SlugField(_("mẫu"), max_length=64)
    context = models.JSONField(default=dict)
    # The idempotency key: one row per (recipient, key), whoever enqueues it and how often.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    # Set when the row went into a daily digest instead of its own e-mail.
    digested_at = models.DateTimeField(_("đã gộp vào thư tổng hợp lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="outbox_dedupe")
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="outbox_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="outbox_unsent",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Ngay lập tức")
    DIGEST = "digest", _("Thư tổng hợp hằng ngày")
    OFF = "off", _("Không nhận")


class Preference(models.Model):
    """How one user wants notices: per channel, immediately or in a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("thư điện tử"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    in_app = models.CharField(
        _("trong ứng dụng"),
        max_length=16,
        choices=[c for c in Delivery.choices if c[0] != Delivery.OFF],
        default=Delivery.IMMEDIATE,
    )
    language = models.CharField(
        _("ngôn ngữ của thư"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("tuỳ chọn nhận thông báo")
        verbose_name_plural = _("tuỳ chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> "Preference":
        """The user's saved preference, else the defaults (unsaved): nothing is written."""
        pref = getattr(user, "notification_preference", None) if user else None
        return pref or cls(user=user)


class MessageTemplate(models.Model):
    """An administrator's wording of one notice in one language; files are the fallback.

    Bodies are Django templates over the notice's context (reference, title, status, url…).
    """

    slug = models.SlugField(_("mã mẫu"), max_length=64)
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body_text = models.TextField(_("nội dung dạng văn bản"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="message_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"
