"""Working-day calendar entries, stage deadlines and their reminders (issue 6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    DAY_OFF = "day_off", _("Ngày nghỉ bù / nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarEntry(models.Model):
    """One day the administrator has set: it overrides the `holidays` package for that day.

    `seed_calendar(years)` copies the package's days here (source="package") so an
    administrator can confirm them each year; a "working_day" entry on a weekend is a làm bù
    day, on a weekday it cancels a package holiday.
    """

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("tên, căn cứ"), max_length=200, blank=True)
    source = models.CharField(
        _("nguồn"),
        max_length=16,
        choices=[("package", _("Dữ liệu ngày lễ")), ("admin", _("Quản trị viên"))],
        default="admin",
    )
    confirmed = models.BooleanField(_("đã xác nhận"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("lịch làm việc (ngày lễ, nghỉ bù, làm bù)")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


class ReminderRule(models.Model):
    """A reminder point: `percent` of the limit (⌈N·p⌉-th working day) or `days_before` due."""

    kind = models.SlugField(_("mã"), max_length=32, unique=True)
    label = models.CharField(_("tên"), max_length=120)
    percent = models.PositiveSmallIntegerField(_("phần trăm thời hạn"), null=True, blank=True)
    days_before = models.PositiveSmallIntegerField(
        _("số ngày làm việc trước hạn"), null=True, blank=True
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mốc nhắc hạn")
        verbose_name_plural = _("mốc nhắc hạn")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True, days_before__isnull=False)
                | models.Q(percent__isnull=False, days_before__isnull=True),
                name="reminder_rule_one_measure",
            )
        ]

    def __str__(self) -> str:
        return self.label


class StageDeadline(models.Model):
    """One clock of one stage: from complete receipt to the due day, or until it stopped.

    A return for supplement closes it; the next complete receipt opens a new one from zero,
    so every round stays in the history (domain §4 clock rule).
    """

    stage = models.ForeignKey(
        "dossiers.DossierStage", on_delete=models.CASCADE, related_name="deadlines"
    )
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    # The responsible body: whose officers are reminded and whose heads are told when late.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("lần nộp"))
    limit_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"))
    started_on = models.DateField(_("tiếp nhận đầy đủ ngày"))
    due_on = models.DateField(_("hạn xử lý"))
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)
    close_reason = models.CharField(_("lý do dừng"), max_length=32, blank=True)
    escalated_at = models.DateTimeField(_("đã báo cấp trên lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], name="deadline_open_due", condition=models.Q(closed_at=None)
            ),
            models.Index(fields=["dossier", "closed_at"], name="deadline_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} → {self.due_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Reminder(models.Model):
    """A scheduled notice of a deadline; `sent_at` is set by the sweep that claims it.

    (deadline, kind) is unique, and a sweep claims a row with one UPDATE … WHERE sent_at IS
    NULL, so two sweepers or a repeated sweep notify once.
    """

    OVERDUE = "overdue"

    # No index of its own: the unique (deadline, kind) index serves every look-up by clock,
    # and each index of the row is one more entry for the sweep's 100 000 updates (issue 18).
    deadline = models.ForeignKey(
        StageDeadline, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    kind = models.SlugField(max_length=32, db_index=False)  # never looked up alone
    fire_on = models.DateField(_("ngày nhắc"))
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lời nhắc hạn")
        verbose_name_plural = _("lời nhắc hạn")
        ordering = ["fire_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="reminder_once_per_kind")
        ]
        indexes = [
            models.Index(
                fields=["fire_on", "id"],
                name="reminder_pending",
                condition=models.Q(sent_at=None, cancelled_at=None),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.fire_on:%d/%m/%Y}"


class ClockTally(models.Model):
    """How many closed stage clocks share one set of the statistics' dimensions (issue 16).

    Written by workflow.tallies in the transaction that closes the clocks
    (workflow.deadlines.close_deadlines); clocks still open are few and read live (their
    lateness depends on today), clocks replaced by a reopening are not statistics. `days`
    is the working days the clock ran, on the calendar when it closed: an edit of a past
    holiday changes it, and `check_invariants` then reports the rows for `rebuild_tallies`.
    Each clock is counted in its start day's row and its month's (`whole_month`, as
    registry.AwardTally). No unique key (see registry.AwardTally).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    tier = models.CharField(max_length=16)
    award_code = models.SlugField(max_length=32)
    campaign_id = models.PositiveBigIntegerField(null=True, blank=True)
    started_on = models.DateField()
    whole_month = models.BooleanField(default=False)
    days = models.PositiveSmallIntegerField()
    # Ran to the end of its stage (not stopped by a return or a withdrawal): a stage time.
    finished = models.BooleanField()
    late = models.BooleanField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp thời hạn")
        verbose_name_plural = _("số liệu tổng hợp thời hạn")
        indexes = [
            models.Index(fields=["organisation", "started_on"], name="clocktally_key"),
            models.Index(fields=["whole_month", "started_on"], name="clocktally_day"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.started_on:%d/%m/%Y} +{self.days} × {self.count}"
