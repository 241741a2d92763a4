from django.apps import AppConfig
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _

from . import checks


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        register(checks.sqlite_supports_returning, Tags.database)
        register(checks.notice_kinds_have_templates, Tags.templates)
