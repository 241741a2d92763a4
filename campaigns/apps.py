from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Phong trào, cụm khối thi đua")

    def ready(self) -> None:
        # The registry's eligibility checks learn who leads a cluster from this app, which
        # imports the registry (the registry may not import it back: docs/architecture.md).
        from registry.checks import register_leader_rule  # noqa: PLC0415 -- models load before ready()

        from .leadership import leader_rule  # noqa: PLC0415 -- it reads models, loaded only now

        register_leader_rule(leader_rule)
