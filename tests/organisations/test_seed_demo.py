from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dossiers.models import AwardType, Dossier, RouteStage
from notifications.models import OutboxMessage
from organisations.models import Level, Membership, Organisation
from organisations.roles import Role


def snapshot():
    return (
        sorted(Organisation.objects.values_list("code", "path", "valid_to")),
        sorted(get_user_model().objects.values_list("username", "password")),
        sorted(Membership.objects.values_list("user__username", "organisation__code", "role")),
        AwardType.objects.count(),
        RouteStage.objects.count(),
        sorted(Dossier.objects.values_list("reference", "status")),
    )


def test_seed_demo_is_complete_and_idempotent(db):
    call_command("seed_demo", "--quiet", "--force")
    first = snapshot()
    call_command("seed_demo", "--quiet", "--force")
    assert snapshot() == first

    levels = list(Organisation.objects.values_list("level", flat=True))
    assert levels.count(Level.PROVINCE) == 1
    assert levels.count(Level.DISTRICT) >= 2
    assert levels.count(Level.COMMUNE) >= 4
    assert levels.count(Level.UNIT) >= 8
    assert levels.count(Level.DEPARTMENT) >= 2
    assert not Organisation.objects.filter(level=Level.DISTRICT, valid_to__isnull=True).exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    names = " ".join(get_user_model().objects.values_list("last_name", flat=True))
    assert "Nguyễn" in names  # Vietnamese names with diacritics
    assert "Đặng" in names
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"draft", "unit_review", "intermediate_appraisal"} <= statuses


@pytest.mark.django_db(transaction=True)  # deliveries run after commit, as in `make run`
def test_demo_notices_stay_in_the_app_and_no_mail_is_printed(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as in `make run`
    out = StringIO()
    call_command("seed_demo", "--quiet", "--force", stdout=out)
    assert "Content-Type:" not in capsys.readouterr().out  # the console backend stayed silent
    assert OutboxMessage.objects.exists()  # the demo users still see their notices
    assert "không được gửi đi" in out.getvalue()
