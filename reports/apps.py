from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self) -> None:
        # Models are importable only once the registry is ready.
        from .upgrade import fill_empty_tallies  # noqa: PLC0415

        post_migrate.connect(
            fill_empty_tallies, sender=self, dispatch_uid="reports.fill_empty_tallies"
        )
