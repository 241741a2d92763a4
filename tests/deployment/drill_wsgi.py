"""The WSGI application the failure drills serve with a real gunicorn (tests/deployment/drill.py).

It is config.wsgi's application plus two switches read from the environment, both for the
drills only:

- KT_DRILL_PAUSE_AFTER_COMMIT=<path>: the first time a transaction commits with callbacks
  waiting (the outbox's hand-over to Celery, the webhooks'), the process writes its pid to
  <path> and stops there, before any callback runs, until the drill SIGKILLs it. That is
  "killed between commit and publish".
- KT_DRILL_QUEUE=<name>: the Celery queue the process publishes to (the drill's worker's).
"""

import os
import time
from pathlib import Path

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

if os.environ.get("KT_DRILL_QUEUE"):
    from config.celery import app

    app.conf.task_default_queue = os.environ["KT_DRILL_QUEUE"]

if os.environ.get("KT_DRILL_PAUSE_AFTER_COMMIT"):
    from django.db.backends.base.base import BaseDatabaseWrapper

    _marker = Path(os.environ["KT_DRILL_PAUSE_AFTER_COMMIT"])
    _run_hooks = BaseDatabaseWrapper.run_and_clear_commit_hooks

    def _stop_before_publishing(self):
        # Called by Django right after COMMIT returned (set_autocommit(True) after the
        # outermost atomic block): the rows are durable, nothing has been published yet.
        if self.run_on_commit:
            _marker.write_text(str(os.getpid()))
            while True:
                time.sleep(1)
        return _run_hooks(self)

    BaseDatabaseWrapper.run_and_clear_commit_hooks = _stop_before_publishing
