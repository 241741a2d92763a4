"""bench/bench_statistics.py's cold server: the test settings with nothing kept (Django's
dummy cache), so every request computes the statistics' figures and renders them, as the
first request after an award or a clock change does. Only that bench loads this module."""

from config.settings.test import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
