"""Accounts `seed_demo` made with the published demo password (it prints it for everyone)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoAccount(models.Model):
    """A user that `manage.py seed_demo` created or refreshed with `DEMO_PASSWORD`.

    A password log-in to such an account with that password goes first to /doi-mat-khau/
    (config.accounts): the password is printed by the command and in the README, so it
    protects nothing. Accounts made by the test fixtures (`seed_organisations` alone) have no
    row, which keeps the test suite's log-ins unchanged.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="demo_account",
        verbose_name=_("tài khoản"),
    )
    seeded_at = models.DateTimeField(_("tạo bởi seed_demo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản mẫu")
        verbose_name_plural = _("tài khoản mẫu")

    def __str__(self) -> str:
        return str(self.user)
