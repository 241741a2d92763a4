from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .database import GUARDED_TABLES, connect_signals, install_guards


def _reinstall_guards(sender, using="default", **kwargs) -> None:
    """SQLite rebuilds a table to alter it, and the rebuild drops its triggers: after every
    migrate (and flush) the guards are put back. Idempotent on both databases."""
    connection = connections[using]
    if not set(GUARDED_TABLES) <= set(connection.introspection.table_names()):
        return
    with connection.schema_editor(atomic=False) as editor:
        install_guards(editor)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký kiểm toán")

    def ready(self) -> None:
        connect_signals()
        # post_migrate is sent after the whole run, once per app: ours is enough.
        post_migrate.connect(_reinstall_guards, sender=self, dispatch_uid="audit.guards")
