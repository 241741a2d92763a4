"""gunicorn's entry point for the bench (bench.settings): `gunicorn bench.wsgi`."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
