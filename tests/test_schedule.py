"""Celery beat runs the deadline sweep, the outbox relay and the digests on a schedule."""

from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

from config.celery import app


def test_beat_installs_every_periodic_job_and_each_names_a_real_task(db):
    app.loader.import_default_modules()  # autodiscovered tasks
    # What DatabaseScheduler.setup_schedule does with each entry when beat starts (the
    # scheduler itself closes the database connection between reads, which a test can't).
    for name, fields in app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=app, **fields)
    installed = {t.name: t for t in PeriodicTask.objects.all()}
    for name in ("sweep-deadlines", "requeue-stale-notices", "daily-digests"):
        assert name in installed, name
        assert installed[name].enabled
        assert installed[name].task in app.tasks, installed[name].task
    sweep = installed["sweep-deadlines"].crontab
    assert (sweep.hour, sweep.minute, str(sweep.timezone)) == ("6", "30", "Asia/Ho_Chi_Minh")
