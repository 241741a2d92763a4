from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only")

    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )


class AuditEvent(models.Model):
    """One thing somebody did: a transition, an upload, a download, a permission change.

    Append-only: rows are never updated or deleted through the ORM (the queryset and
    save() refuse), the admin shows them read-only, and the database itself refuses
    UPDATE, DELETE and TRUNCATE (trigger, and the application role's privileges; see
    audit/database.py). Rows are written only by audit.services.record_event, which
    chains each to the one before (`seq`, `prev_hash`, `hash`; audit/chain.py).
    """

    # Set by record_event before the row is hashed (auto_now_add would set it after).
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    from_state = models.CharField(_("từ trạng thái"), max_length=64, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=64, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    seq = models.PositiveBigIntegerField(_("số thứ tự trong chuỗi"), unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    hash = models.CharField(max_length=64, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        # A row saved here would have no place in the chain (seq, prev_hash, hash).
        raise PermissionError("audit events are written by audit.services.record_event")

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")


class UsedFormToken(models.Model):
    """A one-time form token that has been spent (audit.once): the POST it came with took
    effect, and a repeat of that POST is sent to what it made instead of making it again.

    The unique key is the guard: two racing requests with one token both try to INSERT
    it; the second waits for the first to commit, fails, and reads the first's result.
    """

    key = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result = models.CharField(max_length=64, blank=True)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mã biểu mẫu đã dùng")
        verbose_name_plural = _("mã biểu mẫu đã dùng")

    def __str__(self) -> str:
        return f"{self.purpose} {self.key[:8]}"
