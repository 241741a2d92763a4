"""Webhook endpoints of an organisation, the outbox of their deliveries, and the log.

A `Delivery` is the outbox row of one event for one endpoint: written in the transaction of
the change it reports (workflow.services._fire, decisions.services.issue_decision), so a
rollback sends nothing and a crash after commit loses nothing (the relay sends it later).
Its `body` is the exact JSON sent on every attempt, so a retry carries the same event id and
bytes. Every attempt leaves an `Attempt` row: the endpoint's delivery log.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    TRANSITION = "dossier.transition", _("Hồ sơ chuyển bước")
    DECISION_ISSUED = "decision.issued", _("Quyết định khen thưởng được ban hành")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    """A URL an organisation registered for its dossiers' events."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    events = models.JSONField(_("sự kiện"), default=list)
    include_units = models.BooleanField(
        _("gồm hồ sơ của các đơn vị trực thuộc"),
        default=True,
        help_text=_("Nhận cả sự kiện của hồ sơ do các đơn vị cấp dưới lập."),
    )
    # The shared secret of the HMAC: the sender needs it in clear to sign, so it cannot be
    # hashed at rest; it is shown to the endpoint's managers only, never in the admin.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("địa chỉ webhook")
        verbose_name_plural = _("địa chỉ webhook")
        ordering = ["organisation", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_labels(self) -> str:
        """The subscribed events by their human names (pages never show the codes alone)."""
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(e, e)) for e in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    FAILED = "failed", _("Gửi không được (đã dừng thử lại)")
    CANCELLED = "cancelled", _("Đã hủy (địa chỉ ngừng dùng)")


class Delivery(models.Model):
    """One event for one endpoint: the outbox row, sent at most once successfully."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    body = models.TextField()
    status = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tới"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt gửi webhook")
        verbose_name_plural = _("lượt gửi webhook")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The idempotency key: an event reaches an endpoint through one row only.
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_event_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} → {self.endpoint}"


class Attempt(models.Model):
    """One POST of a delivery: the endpoint's log (status code, attempt, time, error)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveSmallIntegerField(_("lần"))
    at = models.DateTimeField(_("thời điểm"))
    status_code = models.PositiveSmallIntegerField(_("mã trả lời"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lần gửi webhook")
        verbose_name_plural = _("nhật ký gửi webhook")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error[:40]}"
