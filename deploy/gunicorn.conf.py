"""gunicorn for khenthuong's web tier (docs/deployment.md). Every value can be overridden
from the environment: GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND, GUNICORN_TIMEOUT."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes × threads per machine: two processes per core, two threads each, as measured in
# docs/performance.md; the database connection pool is sized from the total (see the docs).
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# Word → PDF conversion happens in Celery, not in a request: 30 s is generous for a page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never takes a machine down.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","request":"%(r)s","status":%(s)s,'
    '"bytes":%(B)s,"duration_us":%(D)s,"agent":"%(a)s"}'
)
