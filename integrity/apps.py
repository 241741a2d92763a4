from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """Checks across every app (manage.py check_invariants): on top of them all, like demo."""

    name = "integrity"
    verbose_name = _("Kiểm tra tính toàn vẹn")
