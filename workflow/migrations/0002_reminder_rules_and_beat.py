"""Default reminder points (domain §4: 50 %, 80 % and the due day) and the beat schedule.

Administrators change both in the admin; this only creates what is missing.
"""

import json

from django.db import migrations

RULES = [
    ("pct50", "50 % thời hạn", 50, None, True),
    ("pct80", "80 % thời hạn", 80, None, True),
    ("before3", "3 ngày làm việc trước hạn", None, 3, False),
    ("before1", "1 ngày làm việc trước hạn", None, 1, True),
    ("due", "Ngày đến hạn", None, 0, True),
]

# (name, task, crontab minute, hour) in CELERY_TIMEZONE (Asia/Ho_Chi_Minh).
BEAT = [
    ("Nhắc hạn, báo quá hạn", "workflow.sweep_deadlines", "0", "7,13"),
    ("Gửi lại thông báo tồn", "notifications.requeue_stale", "*/5", "*"),
    ("Thư tổng hợp hằng ngày", "notifications.send_daily_digests", "30", "16"),
]


def forwards(apps, schema_editor):
    ReminderRule = apps.get_model("workflow", "ReminderRule")
    for kind, label, percent, days_before, active in RULES:
        ReminderRule.objects.get_or_create(
            kind=kind,
            defaults={
                "label": label,
                "percent": percent,
                "days_before": days_before,
                "active": active,
            },
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in BEAT:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Ho_Chi_Minh",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "kwargs": json.dumps({})}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_deadlines_calendar"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
